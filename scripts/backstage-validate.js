// Times what Backstage's catalog does to validate catalog files, with its
// own packages: every catalog-info.yaml under the folders given is parsed
// as @backstage/plugin-catalog-node's parseEntityYaml does
// (yaml.parseAllDocuments, toJSON), and each entity goes through the
// default entity policies of the catalog backend's CatalogBuilder
// (SchemaValid, DefaultNamespace, NoForeignRootFields, FieldFormat) and
// the built-in kinds' validators (BuiltinKindsEntityProcessor). It is
// what `catalint check --only schema` checks, measured the same way by
// scripts/bench-check.sh (BACKSTAGE=1):
//
//   node scripts/backstage-validate.js DIR...
//
// The packages come from the folder ../shared/backstage/start.sh installs
// (CATALINT_BACKSTAGE_HOME, default ~/.cache/catalint-backstage).
'use strict';
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

const home = process.env.CATALINT_BACKSTAGE_HOME ||
  path.join(process.env.XDG_CACHE_HOME || path.join(require('os').homedir(), '.cache'), 'catalint-backstage');
const req = createRequire(path.join(home, 'index.js'));
const model = req('@backstage/catalog-model');
const yaml = req('yaml');

const start = process.hrtime.bigint();
const policy = model.EntityPolicies.allOf([
  new model.SchemaValidEntityPolicy(),
  new model.DefaultNamespaceEntityPolicy(),
  new model.NoForeignRootFieldsEntityPolicy(),
  new model.FieldFormatEntityPolicy(model.makeValidator()),
]);
const validators = [
  model.apiEntityV1alpha1Validator, model.componentEntityV1alpha1Validator,
  model.resourceEntityV1alpha1Validator, model.groupEntityV1alpha1Validator,
  model.locationEntityV1alpha1Validator, model.userEntityV1alpha1Validator,
  model.systemEntityV1alpha1Validator, model.domainEntityV1alpha1Validator,
];

function* walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.name === 'catalog-info.yaml') yield p;
  }
}

(async () => {
  let files = 0, entities = 0, invalid = 0;
  for (const root of process.argv.slice(2)) {
    for (const file of walk(root)) {
      files++;
      const docs = yaml.parseAllDocuments(fs.readFileSync(file, 'utf8'), { merge: false }).filter(d => d);
      for (const doc of docs) {
        if (doc.errors && doc.errors.length) { invalid++; continue; }
        const json = doc.toJSON();
        if (json === null) continue;
        entities++;
        try {
          const entity = await policy.enforce(json);
          let known = false;
          for (const v of validators) {
            if (await v.check(entity)) known = true;
          }
          if (!known) invalid++;
        } catch (e) {
          invalid++;
        }
      }
    }
  }
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(`backstage validators: ${files} files, ${entities} entities, ${invalid} invalid, wall ${secs.toFixed(3)}s`);
})();
