package weekly

import (
	"fmt"
	"strings"

	"github.com/catalint-dev/catalint/pkg/drift"
	"github.com/catalint-dev/catalint/pkg/report"
)

// Drift is the report's ownership drift section: entities whose owner
// team has had no member among the recent authors of their repository
// while another team wrote most of it.
type Drift struct {
	// Since and Until bound the period (dates, UTC).
	Since string `json:"since"`
	Until string `json:"until"`
	// Repos is the number of repositories looked at, Entities the number
	// of entities judged.
	Repos    int `json:"repos"`
	Entities int `json:"entities"`
	// Findings are sorted by owner, then entity.
	Findings []drift.Finding `json:"findings"`
}

// driftOf returns the findings of an owner (a team key: "payments",
// "ns/name").
func (d *Drift) driftOf(owner string) []drift.Finding {
	if d == nil {
		return nil
	}
	var out []drift.Finding
	for _, f := range d.Findings {
		if strings.EqualFold(drift.Display(f.Owner), owner) {
			out = append(out, f)
		}
	}
	return out
}

// evidence is a finding's commits per team: "group:billing 12, no team 1".
func evidence(f drift.Finding) string {
	var ev []string
	for _, t := range f.Teams {
		ev = append(ev, fmt.Sprintf("%s %d", drift.Display(t.Group), t.Commits))
	}
	if f.Unmapped > 0 {
		ev = append(ev, fmt.Sprintf("no team %d", f.Unmapped))
	}
	s := strings.Join(ev, ", ")
	if f.Truncated {
		s += " (newest commits only)"
	}
	return s
}

// markdownDrift writes the section.
func markdownDrift(b *strings.Builder, d *Drift) {
	if d == nil {
		return
	}
	fmt.Fprintf(b, "\n## Ownership drift\n\nFrom %s to %s, %d entities in %d GitHub repositories were compared with who committed to them.", d.Since, d.Until, d.Entities, d.Repos)
	if len(d.Findings) == 0 {
		b.WriteString(" Every owner team had a member among the authors, or no other team did most of the work.\n")
		return
	}
	fmt.Fprintf(b, " %d have an owner team none of whose members committed, while another team wrote most of the commits:\n\n", len(d.Findings))
	b.WriteString("| entity | owner | likely owner | repository | commits per team |\n| --- | --- | --- | --- | --- |\n")
	for _, f := range d.Findings {
		fmt.Fprintf(b, "| %s | %s | **%s** | %s | %s (of %d) |\n", report.MarkdownCode(f.Entity), report.EscapeMarkdown(drift.Display(f.Owner)),
			report.EscapeMarkdown(drift.Display(f.Likely)), report.EscapeMarkdown(f.Repo), report.EscapeMarkdown(evidence(f)), f.Commits)
	}
}

// markdownTeamDrift writes a team's drifted entities in its details.
func markdownTeamDrift(b *strings.Builder, fs []drift.Finding) {
	if len(fs) == 0 {
		return
	}
	fmt.Fprintf(b, "- **Likely owned by another team now** (%d): confirm with that team and set spec.owner, or get the team to review the repository\n", len(fs))
	for _, f := range fs {
		fmt.Fprintf(b, "  - %s: %s\n", report.MarkdownCode(f.Entity), report.EscapeMarkdown("likely "+drift.Display(f.Likely)+" ("+evidence(f)+")"))
	}
}

// htmlDrift is the HTML report's drift section.
type htmlDrift struct {
	Since, Until    string
	Repos, Entities int
	Rows            []htmlDriftRow
}

type htmlDriftRow struct {
	Entity, Owner, Likely, Repo, Evidence string
	Commits                               int
}

func newHTMLDrift(d *Drift) *htmlDrift {
	if d == nil {
		return nil
	}
	return &htmlDrift{Since: d.Since, Until: d.Until, Repos: d.Repos, Entities: d.Entities, Rows: htmlDriftRows(d.Findings)}
}

func htmlDriftRows(fs []drift.Finding) []htmlDriftRow {
	var out []htmlDriftRow
	for _, f := range fs {
		out = append(out, htmlDriftRow{Entity: f.Entity, Owner: drift.Display(f.Owner), Likely: drift.Display(f.Likely),
			Repo: f.Repo, Evidence: evidence(f), Commits: f.Commits})
	}
	return out
}
