package score

import (
	"sort"
	"strings"
)

// MetricRate is how many applicable entities pass a metric.
type MetricRate struct {
	Applicable int     `json:"applicable"`
	Pass       int     `json:"pass"`
	Percent    float64 `json:"percent"`
}

// Aggregate sums up a set of entities.
type Aggregate struct {
	Key      string `json:"key"`
	Entities int    `json:"entities"`
	Complete int    `json:"complete"`
	// CompletePercent is the share of complete entities; MeanScore the
	// mean of their scores.
	CompletePercent float64                `json:"completePercent"`
	MeanScore       float64                `json:"meanScore"`
	Metrics         map[Metric]*MetricRate `json:"metrics"`
	Levels          map[string]int         `json:"levels"`
}

// Summarize aggregates entities into one group.
func Summarize(key string, es []Entity) Aggregate {
	a := Aggregate{Key: key, Metrics: map[Metric]*MetricRate{}, Levels: map[string]int{}}
	for _, m := range Metrics {
		a.Metrics[m] = &MetricRate{}
	}
	var sum float64
	for _, e := range es {
		a.Entities++
		sum += e.Score
		if e.Complete {
			a.Complete++
		}
		if e.Level != "" {
			a.Levels[e.Level]++
		}
		for _, c := range e.Checks {
			if !c.Applicable {
				continue
			}
			r := a.Metrics[c.Metric]
			r.Applicable++
			if c.Pass {
				r.Pass++
			}
		}
	}
	if a.Entities > 0 {
		a.CompletePercent = round1(100 * float64(a.Complete) / float64(a.Entities))
		a.MeanScore = round1(sum / float64(a.Entities))
	}
	for _, r := range a.Metrics {
		if r.Applicable > 0 {
			r.Percent = round1(100 * float64(r.Pass) / float64(r.Applicable))
		}
	}
	return a
}

// Dimensions that aggregates group by.
var Dimensions = []string{"owner", "kind", "type", "system"}

// By groups entities by a dimension and aggregates each group; sorted by
// mean score, lowest first (the leaderboard's bottom is what needs work),
// then by key.
func By(dim string, es []Entity) []Aggregate {
	groups := map[string][]Entity{}
	for _, e := range es {
		k := ""
		switch dim {
		case "owner":
			k = e.Owner
		case "kind":
			k = e.Kind
		case "type":
			k = e.Kind + "/" + e.Type
		case "system":
			k = e.System
		}
		if k == "" || strings.HasSuffix(k, "/") {
			k = "(none)"
		}
		groups[k] = append(groups[k], e)
	}
	out := make([]Aggregate, 0, len(groups))
	for k, g := range groups {
		out = append(out, Summarize(k, g))
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].MeanScore != out[j].MeanScore {
			return out[i].MeanScore < out[j].MeanScore
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// NotVerified reports whether a metric's rate means nothing checked: the
// owner metric without an owner directory, where an owner that is set
// passes although nobody said it exists. Reports then say "not verified"
// instead of a percentage.
func (m Metric) NotVerified(ownersVerified bool) bool {
	return m == Owner && !ownersVerified
}
