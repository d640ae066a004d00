package render

import (
	"fmt"
	"sort"

	"github.com/kmsconform/kmsconform/flows"
)

// flowGrid is one flow laid out as producers (rows) × consumers (columns).
type flowGrid struct {
	Flow      int
	Title     string
	Seed      string
	Producers []string
	Consumers []string
	// Rows[i][j] are the cells of producer i and consumer j (one per case).
	Rows  [][]gridCell
	Tally map[flows.Verdict]int
}

// gridCell is one grid position: its cells and the colour they give it.
type gridCell struct {
	Cells []flows.Cell
	Class string // the worst verdict's CSS class
	Label string
}

// severity orders verdicts: the worst colours a grid position.
var severity = map[flows.Verdict]int{flows.Skipped: 0, flows.ExpectedPass: 1, flows.ExpectedFail: 2, flows.Unexpected: 3}

// verdictClass is the CSS class (and the markdown word) of a verdict.
func verdictClass(v flows.Verdict) string {
	switch v {
	case flows.ExpectedPass:
		return "pass"
	case flows.ExpectedFail:
		return "xfail"
	case flows.Unexpected:
		return "unexpected"
	}
	return "na"
}

// verdictWord is how the report names a verdict.
func verdictWord(v flows.Verdict) string {
	switch v {
	case flows.ExpectedPass:
		return "expected pass"
	case flows.ExpectedFail:
		return "expected failure"
	case flows.Unexpected:
		return "UNEXPECTED"
	}
	return "not applicable"
}

// grids groups the cells by flow, in flow order, keeping the producers
// and consumers in the order they first appear.
func grids(r *flows.Report) []flowGrid {
	byFlow := map[int][]flows.Cell{}
	for _, c := range r.Cells {
		byFlow[c.Flow] = append(byFlow[c.Flow], c)
	}
	var ids []int
	for id := range byFlow {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	var out []flowGrid
	for _, id := range ids {
		cells := byFlow[id]
		g := flowGrid{Flow: id, Title: cells[0].FlowTitle, Seed: cells[0].Seed, Tally: map[flows.Verdict]int{}}
		pi, ci := map[string]int{}, map[string]int{}
		for _, c := range cells {
			if _, ok := pi[c.Producer]; !ok {
				pi[c.Producer] = len(g.Producers)
				g.Producers = append(g.Producers, c.Producer)
			}
			if _, ok := ci[c.Consumer]; !ok {
				ci[c.Consumer] = len(g.Consumers)
				g.Consumers = append(g.Consumers, c.Consumer)
			}
		}
		g.Rows = make([][]gridCell, len(g.Producers))
		for i := range g.Rows {
			g.Rows[i] = make([]gridCell, len(g.Consumers))
		}
		for _, c := range cells {
			gc := &g.Rows[pi[c.Producer]][ci[c.Consumer]]
			gc.Cells = append(gc.Cells, c)
			g.Tally[c.Verdict]++
		}
		for i := range g.Rows {
			for j := range g.Rows[i] {
				gc := &g.Rows[i][j]
				worst := flows.Skipped
				counts := map[flows.Verdict]int{}
				for _, c := range gc.Cells {
					counts[c.Verdict]++
					if severity[c.Verdict] > severity[worst] {
						worst = c.Verdict
					}
				}
				if len(gc.Cells) == 0 {
					gc.Class, gc.Label = "empty", "—"
					continue
				}
				gc.Class = verdictClass(worst)
				gc.Label = fmt.Sprintf("%d/%d %s", counts[worst], len(gc.Cells), verdictWord(worst))
			}
		}
		out = append(out, g)
	}
	return out
}
