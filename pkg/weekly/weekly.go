// Package weekly builds the weekly completeness report: the organisation's
// figures, coverage of repositories, a leaderboard of teams with what each
// must fix, and the trend over a history file.
package weekly

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"time"

	"github.com/catalint-dev/catalint/pkg/adoption"
	"github.com/catalint-dev/catalint/pkg/atomicfile"
	"github.com/catalint-dev/catalint/pkg/load"
	"github.com/catalint-dev/catalint/pkg/score"
)

// Report is one week's report.
type Report struct {
	GeneratedAt time.Time `json:"generatedAt"`
	Sources     []string  `json:"sources"`
	// Org is the whole catalog's aggregate.
	Org score.Aggregate `json:"organisation"`
	// OwnersVerified is false when owners were only checked for being set.
	OwnersVerified bool `json:"ownersVerified"`
	// Teams are per owning team, lowest mean score first.
	Teams []Team `json:"teams"`
	// Coverage is there for a GitHub organisation scan.
	Coverage *Coverage `json:"coverage,omitempty"`
	// Drift is there when ownership drift was looked at.
	Drift *Drift `json:"drift,omitempty"`
	// Adoption is the template adoption section.
	Adoption *adoption.Report `json:"adoption,omitempty"`
	// History holds earlier runs (oldest first) and this one, last.
	History []Point `json:"history"`
}

// Team is one owner's part of the report.
type Team struct {
	score.Aggregate
	// Failing lists, per metric, the team's entities that fail it.
	Failing []Failing `json:"failing"`
}

// Failing is one metric a team's entities fail, with the fix.
type Failing struct {
	Metric   score.Metric `json:"metric"`
	Title    string       `json:"title"`
	Fix      string       `json:"fix"`
	Entities []string     `json:"entities"`
}

// Coverage is how many repositories have a catalog file.
type Coverage struct {
	Repos       int      `json:"repos"`
	WithCatalog int      `json:"withCatalog"`
	Percent     float64  `json:"percent"`
	Without     []string `json:"without"`
}

// Point is one run in the history.
type Point struct {
	Date            string                   `json:"date"`
	CompletePercent float64                  `json:"completePercent"`
	MeanScore       float64                  `json:"meanScore"`
	Entities        int                      `json:"entities"`
	Metrics         map[score.Metric]float64 `json:"metrics"`
	Teams           map[string]TeamPoint     `json:"teams"`
	Adoption        *AdoptionPoint           `json:"adoption,omitempty"`
}

// TeamPoint is one team's figures in a history point.
type TeamPoint struct {
	CompletePercent float64 `json:"completePercent"`
	MeanScore       float64 `json:"meanScore"`
	Entities        int     `json:"entities"`
}

// Build makes the report from scored entities.
func Build(entities []score.Entity, sources []string, verified bool, now time.Time) *Report {
	r := &Report{GeneratedAt: now.UTC().Truncate(time.Second), Sources: sources, OwnersVerified: verified,
		Org: score.Summarize("organisation", entities)}
	byOwner := map[string][]score.Entity{}
	for _, e := range entities {
		k := e.Owner
		if k == "" {
			k = "(no owner)"
		}
		byOwner[k] = append(byOwner[k], e)
	}
	for _, agg := range score.By("owner", entities) {
		t := Team{Aggregate: agg}
		key := agg.Key
		if key == "(none)" {
			key = "(no owner)"
			t.Key = key
		}
		for _, m := range score.Metrics {
			var names []string
			for _, e := range byOwner[key] {
				for _, f := range e.Failing() {
					if f == m {
						names = append(names, e.Ref)
					}
				}
			}
			if len(names) > 0 {
				sort.Strings(names)
				t.Failing = append(t.Failing, Failing{Metric: m, Title: m.Title(), Fix: m.Fix(), Entities: names})
			}
		}
		r.Teams = append(r.Teams, t)
	}
	return r
}

// Point is this report's figures as a history point.
func (r *Report) Point() Point {
	p := Point{Date: r.GeneratedAt.Format("2006-01-02"), CompletePercent: r.Org.CompletePercent, MeanScore: r.Org.MeanScore,
		Entities: r.Org.Entities, Metrics: map[score.Metric]float64{}, Teams: map[string]TeamPoint{}}
	for m, mr := range r.Org.Metrics {
		if mr.Applicable > 0 && !m.NotVerified(r.OwnersVerified) {
			p.Metrics[m] = mr.Percent
		}
	}
	for _, t := range r.Teams {
		p.Teams[t.Key] = TeamPoint{CompletePercent: t.CompletePercent, MeanScore: t.MeanScore, Entities: t.Entities}
	}
	p.Adoption = adoptionPoint(r.Adoption)
	return p
}

// Previous is the last run before this one, or nil.
func (r *Report) Previous() *Point {
	if len(r.History) < 2 {
		return nil
	}
	return &r.History[len(r.History)-2]
}

// HistoryFile is the JSON file --history keeps.
type HistoryFile struct {
	Version int     `json:"version"`
	Points  []Point `json:"points"`
}

// MaxHistorySize is the largest history file read.
const MaxHistorySize = 64 << 20

// ReadHistory reads a history file; a missing file is an empty history.
// It is read as catalog files are: regular files only, non-blocking (a
// FIFO or /dev/zero neither hangs the run nor fills memory), at most
// MaxHistorySize bytes.
func ReadHistory(path string) ([]Point, error) {
	b, err := load.ReadRegular(path, MaxHistorySize)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("history %s: %w", path, err)
	}
	var h HistoryFile
	if err := json.Unmarshal(b, &h); err != nil {
		return nil, fmt.Errorf("history %s: not a catalint history file: %w", path, err)
	}
	if h.Version != 1 {
		return nil, fmt.Errorf("history %s: version %d is not supported", path, h.Version)
	}
	return h.Points, nil
}

// AddToHistory appends this run (replacing a point of the same date, so a
// re-run the same day does not count twice) and keeps the points in date
// order.
func (r *Report) AddToHistory(points []Point) {
	p := r.Point()
	var out []Point
	for _, q := range points {
		if q.Date != p.Date {
			out = append(out, q)
		}
	}
	out = append(out, p)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	r.History = out
}

// WriteHistory writes the history file atomically.
func WriteHistory(path string, points []Point) error {
	b, err := json.MarshalIndent(HistoryFile{Version: 1, Points: points}, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, append(b, '\n'), 0o644)
}
