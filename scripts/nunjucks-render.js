// Renders template strings with the real Nunjucks, configured as Backstage's
// SecureTemplater configures it (autoescape off, ${{ }} variables, or {{ }}
// with cookiecutterCompat and its jsonify filter), for pkg/scaffold's
// cross-check test. Reads a JSON array of {src, ctx, compat, trimBlocks,
// lstripBlocks} on stdin; writes a JSON array of {out} or {err}.
// Needs nunjucks (npm install nunjucks@3) on NODE_PATH.
const nunjucks = require('nunjucks');

function parseRepoUrl(url) {
  const u = new URL(`https://${url}`);
  const get = k => u.searchParams.get(k) ?? undefined;
  const repo = get('repo');
  if (!repo) throw new Error(`Invalid repo URL passed to publisher: ${url}, missing repo`);
  return { host: u.host, owner: get('owner'), repo, organization: get('organization'), workspace: get('workspace'), project: get('project') };
}

function env(compat, trimBlocks, lstripBlocks) {
  const e = nunjucks.configure({
    autoescape: false, trimBlocks, lstripBlocks,
    tags: compat ? { variableStart: '{{', variableEnd: '}}' } : { variableStart: '${{', variableEnd: '}}' },
  });
  if (compat) e.addFilter('jsonify', e.getFilter('dump'));
  e.addFilter('parseRepoUrl', url => parseRepoUrl(url));
  e.addFilter('projectSlug', url => { const p = parseRepoUrl(url); return `${p.owner}/${p.repo}`; });
  e.addFilter('pick', (obj, key) => key.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj));
  e.addFilter('parseEntityRef', (ref, ctx) => {
    let kind, namespace, name = ref;
    const c = name.indexOf(':'); if (c >= 0) { kind = name.slice(0, c); name = name.slice(c + 1); }
    const s = name.indexOf('/'); if (s >= 0) { namespace = name.slice(0, s); name = name.slice(s + 1); }
    kind = kind || (ctx && ctx.defaultKind);
    namespace = namespace || (ctx && ctx.defaultNamespace) || 'default';
    if (!kind || !name) throw new Error(`entity reference ${ref} has no kind or name`);
    return { kind, namespace, name };
  });
  return e;
}

let input = '';
process.stdin.on('data', d => (input += d));
process.stdin.on('end', () => {
  const out = JSON.parse(input).map(c => {
    try {
      return { out: env(!!c.compat, !!c.trimBlocks, !!c.lstripBlocks).renderString(c.src, c.ctx) };
    } catch (e) {
      return { err: String(e.message).split('\n')[0] };
    }
  });
  process.stdout.write(JSON.stringify(out));
});
