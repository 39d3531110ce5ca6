package techdocs

import (
	"path/filepath"
	"testing"
)

func TestSourceIsHere(t *testing.T) {
	root := filepath.FromSlash("/work/roadie-backstage-plugins")
	jira := filepath.Join(root, "plugins", "frontend", "backstage-plugin-jira", "catalog-info.yaml")
	top := filepath.Join(root, "catalog-info.yaml")
	for _, tc := range []struct {
		src, file string
		want      bool
	}{
		{"url:https://github.com/RoadieHQ/roadie-backstage-plugins/tree/main/plugins/frontend/backstage-plugin-jira", jira, true},
		{"url:https://github.com/RoadieHQ/roadie-backstage-plugins/tree/main/plugins/frontend/backstage-plugin-jira/", jira, true},
		{"url:https://gitlab.com/roadie/roadie-backstage-plugins/-/tree/main/plugins/frontend/backstage-plugin-jira", jira, true},
		{"url:https://dev.azure.com/o/p/_git/r?path=/plugins/frontend/backstage-plugin-jira&version=GBmain", jira, true},
		{"url:https://github.com/RoadieHQ/roadie-backstage-plugins/tree/main/plugins/frontend/backstage-plugin-jira-x", jira, false},
		{"url:https://github.com/RoadieHQ/backstage-plugin-jira/tree/main/", jira, false},
		{"url:https://github.com/RoadieHQ/roadie-backstage-plugins/tree/main/", top, true},
		{"url:https://github.com/RoadieHQ/Roadie-Backstage-Plugins/tree/main", top, true},
		{"url:https://gitlab.com/g/roadie-backstage-plugins/-/tree/main", top, true},
		{"url:https://bitbucket.org/g/roadie-backstage-plugins/src/main/", top, true},
		{"url:https://dev.azure.com/o/p/_git/r?path=/", top, true},
		{"url:https://github.com/evelyn0410/starter/tree/main/", top, false},
		{"url:https://github.com/RoadieHQ/roadie-backstage-plugins/tree/main/docs", top, false},
		{"url:https://github.com/RoadieHQ/roadie-backstage-plugins", top, true},
		{"url:https://github.com/RoadieHQ/roadie-backstage-plugins.git", top, true},
		{"url:https://github.com/RoadieHQ/other", top, false},
		{"url:https://github.com/RoadieHQ", top, false},
		{"file:/srv/catalog/catalog-info.yaml", top, false},
		{"dir:.", top, false},
		{"https://github.com/RoadieHQ/roadie-backstage-plugins/tree/main/", top, false},
		{"url:not a url", top, false},
	} {
		if got := SourceIsHere(tc.src, tc.file, root); got != tc.want {
			t.Errorf("SourceIsHere(%q, %s) = %v, want %v", tc.src, tc.file, got, tc.want)
		}
	}
}
