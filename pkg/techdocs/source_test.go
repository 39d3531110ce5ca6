package techdocs

import (
	"path/filepath"
	"testing"
)

func TestSourceDir(t *testing.T) {
	root := filepath.FromSlash("/work/roadie-backstage-plugins")
	jiraDir := filepath.Join(root, "plugins", "frontend", "backstage-plugin-jira")
	jira := filepath.Join(jiraDir, "catalog-info.yaml")
	top := filepath.Join(root, "catalog-info.yaml")
	const gh = "url:https://github.com/RoadieHQ/roadie-backstage-plugins"
	for _, tc := range []struct {
		src, target, file string
		dir, resolved     string // dir "" = not here
	}{
		{gh + "/tree/main/plugins/frontend/backstage-plugin-jira/", ".", jira, jiraDir, "https://github.com/RoadieHQ/roadie-backstage-plugins/tree/main/plugins/frontend/backstage-plugin-jira/"},
		// No trailing slash: the URL's last segment is dropped, as new URL() does.
		{gh + "/tree/main/plugins/frontend/backstage-plugin-jira", ".", jira, filepath.Join(root, "plugins", "frontend"), "https://github.com/RoadieHQ/roadie-backstage-plugins/tree/main/plugins/frontend/"},
		{gh + "/blob/main/plugins/frontend/backstage-plugin-jira", "./backstage-plugin-jira", jira, jiraDir, "https://github.com/RoadieHQ/roadie-backstage-plugins/blob/main/plugins/frontend/backstage-plugin-jira"},
		{gh + "/tree/main/plugins/frontend/backstage-plugin-jira/", "docs-site", jira, filepath.Join(jiraDir, "docs-site"), "https://github.com/RoadieHQ/roadie-backstage-plugins/tree/main/plugins/frontend/backstage-plugin-jira/docs-site"},
		{"url:https://gitlab.com/roadie/roadie-backstage-plugins/-/tree/main/plugins/frontend/backstage-plugin-jira/", ".", jira, jiraDir, "https://gitlab.com/roadie/roadie-backstage-plugins/-/tree/main/plugins/frontend/backstage-plugin-jira/"},
		{"url:https://dev.azure.com/o/p/_git/r?path=/plugins/frontend/backstage-plugin-jira&version=GBmain", ".", jira, jiraDir, "https://dev.azure.com/o/p/_git/r?path=/plugins/frontend/backstage-plugin-jira&version=GBmain"},
		{gh + "/tree/main/plugins/frontend/backstage-plugin-jira-x/", ".", jira, "", "https://github.com/RoadieHQ/roadie-backstage-plugins/tree/main/plugins/frontend/backstage-plugin-jira-x/"},
		{"url:https://github.com/RoadieHQ/backstage-plugin-jira/tree/main/", ".", jira, "", "https://github.com/RoadieHQ/backstage-plugin-jira/tree/main/"},
		{gh + "/tree/main/", ".", top, root, "https://github.com/RoadieHQ/roadie-backstage-plugins/tree/main/"},
		{gh + "/tree/main/", "docs", top, filepath.Join(root, "docs"), "https://github.com/RoadieHQ/roadie-backstage-plugins/tree/main/docs"},
		{"url:https://github.com/RoadieHQ/Roadie-Backstage-Plugins/tree/main/", ".", top, root, "https://github.com/RoadieHQ/Roadie-Backstage-Plugins/tree/main/"},
		{gh + "/tree/main", ".", top, "", "https://github.com/RoadieHQ/roadie-backstage-plugins/tree/"},
		{gh + "/", ".", top, root, "https://github.com/RoadieHQ/roadie-backstage-plugins/"},
		{gh, ".", top, "", "https://github.com/RoadieHQ/"},
		{"url:https://bitbucket.org/g/roadie-backstage-plugins/src/main/", ".", top, root, "https://bitbucket.org/g/roadie-backstage-plugins/src/main/"},
		{"url:https://dev.azure.com/o/p/_git/r?path=/", ".", top, root, "https://dev.azure.com/o/p/_git/r?path=/"},
		{"url:https://github.com/evelyn0410/starter/tree/main/", ".", top, "", "https://github.com/evelyn0410/starter/tree/main/"},
		{gh + "/tree/main/docs/", ".", top, "", "https://github.com/RoadieHQ/roadie-backstage-plugins/tree/main/docs/"},
		{"file:/srv/catalog/catalog-info.yaml", ".", top, "", "file:/srv/catalog/catalog-info.yaml"},
		{"dir:.", ".", top, "", "dir:."},
		{"https://github.com/RoadieHQ/roadie-backstage-plugins/tree/main/", ".", top, "", "https://github.com/RoadieHQ/roadie-backstage-plugins/tree/main/"},
		{"url:not a url", ".", top, "", "not a url"},
	} {
		dir, resolved, here := SourceDir(tc.src, tc.target, tc.file, root)
		if here != (tc.dir != "") || dir != tc.dir || resolved != tc.resolved {
			t.Errorf("SourceDir(%q, %q, %s) = %q, %q, %v; want %q, %q", tc.src, tc.target, tc.file, dir, resolved, here, tc.dir, tc.resolved)
		}
	}
}
