package redteam

import (
	"os"
	"path/filepath"
	"testing"
)

// An app-config is full of secrets and of references to more: --app-config
// reads only what it needs, never resolves $env, $file or ${VAR}, keeps
// $include inside the repository, and never shows credentials of URLs.
func TestAppConfigSecrets(t *testing.T) {
	outside := t.TempDir()
	const secret = "ghp_0123456789APPCONFIGSECRET"
	os.WriteFile(filepath.Join(outside, "environ"), []byte("catalog:\n  locations:\n    - {type: file, target: '"+secret+"'}\n"), 0o644)
	dir := repo(t, map[string]string{
		"catalog-info.yaml": component,
		"secret.pem":        "-----BEGIN PRIVATE KEY-----\n" + secret + "\n",
		"app-config.yaml": `integrations:
  github:
    - host: github.com
      token: ${GITHUB_TOKEN}
      privateKey: {$file: ./secret.pem}
catalog:
  locations:
    - {type: file, target: ./catalog-info.yaml}
    - {type: file, target: '${CATALOG_ROOT}/x.yaml'}
    - {type: url, target: 'https://ci:` + secret + `@git.example.com/acme/other/blob/main/a.yaml'}
    - {$env: EXTRA_LOCATION}
`,
		"include-out.yaml": "catalog:\n  $include: " + filepath.Join(outside, "environ") + "\n",
		"include-up.yaml":  "catalog:\n  $include: ../" + filepath.Base(outside) + "/environ\n",
		"include-rel.yaml": "catalog:\n  $include: ./linked.yaml\n",
	})
	symlink(t, filepath.Join(outside, "environ"), filepath.Join(dir, "linked.yaml"))
	env := map[string]string{"GITHUB_TOKEN": secret, "CATALOG_ROOT": secret, "EXTRA_LOCATION": secret}

	r := catalint(t, Opts{Dir: dir, Env: env}, "check", "--app-config", "app-config.yaml", "--format", "json")
	wantCode(t, r, 0)
	wantMessage(t, r, "comes from a substitution catalint does not resolve")
	wantMessage(t, r, "https://***@git.example.com/acme/other/blob/main/a.yaml is not in this repository")
	noLeak(t, r, secret, "PRIVATE KEY")

	for _, f := range []string{"include-out.yaml", "include-rel.yaml"} {
		r = catalint(t, Opts{Dir: dir, Env: env}, "check", "--app-config", f)
		wantCode(t, r, 2)
		wantMessage(t, r, "outside the repository root")
		noLeak(t, r, secret)
	}
	// An app-config that is itself a symlink out of the repository is not
	// read either.
	symlink(t, filepath.Join(outside, "environ"), filepath.Join(dir, "app-config.local.yaml"))
	r = catalint(t, Opts{Dir: dir, Env: env}, "check", "--app-config", "app-config.local.yaml")
	wantCode(t, r, 2)
	noLeak(t, r, secret)
}

// Hostile app-configs end in a usage error with a position, never a hang
// or a crash: an $include cycle, an alias bomb, a wrong shape.
func TestAppConfigHostile(t *testing.T) {
	bomb := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		bomb += n + ": &" + n + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n"
		prev = n
	}
	dir := repo(t, map[string]string{
		"loop.yaml":  "catalog:\n  $include: ./loop2.yaml\n",
		"loop2.yaml": "$include: ./loop.yaml\n",
		"bomb.yaml":  bomb + "catalog:\n  locations: *i\n",
		"shape.yaml": "catalog:\n  rules: {allow: [Component]}\n",
	})
	for _, tc := range []struct{ file, msg string }{
		{"loop.yaml", "includes nest more than"},
		{"bomb.yaml", "bomb.yaml:"},
		{"shape.yaml", "shape.yaml:2:10: catalog.rules must be a list of mappings"},
	} {
		r := catalint(t, Opts{Dir: dir}, "check", "--app-config", tc.file)
		wantCode(t, r, 2)
		wantMessage(t, r, tc.msg)
	}
}
