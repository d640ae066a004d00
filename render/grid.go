package render

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/kmsconform/kmsconform/flows"
)

// verdictInfo is how every report format shows one verdict: its CSS class,
// its words, its Markdown symbol and its rank (0 is the worst; cells and
// grid positions sort worst first and take the worst verdict's colour).
type verdictInfo struct {
	Class, Word, Symbol string
	Rank                int
}

// verdicts is the table of known verdicts.
var verdicts = map[flows.Verdict]verdictInfo{
	flows.Unexpected:   {"unexpected", "UNEXPECTED", "❌", 0},
	flows.Allowed:      {"allowed", "allowed (unexpected, covered by an allowance)", "⚠️", 1},
	flows.Interrupted:  {"interrupted", "interrupted (not run)", "⏸️", 2},
	flows.ExpectedFail: {"xfail", "expected failure", "🔷", 3},
	flows.ExpectedPass: {"pass", "expected pass", "✅", 4},
	flows.Skipped:      {"na", "not applicable", "➖", 5},
}

// verdictOrder lists the verdicts worst first, for tallies and legends.
var verdictOrder = []flows.Verdict{flows.Unexpected, flows.Allowed, flows.Interrupted, flows.ExpectedFail, flows.ExpectedPass, flows.Skipped}

// info returns v's entry; a verdict this renderer does not know is shown
// as it is and ranked as bad as an unexpected one (never hidden as a pass).
func info(v flows.Verdict) verdictInfo {
	if i, ok := verdicts[v]; ok {
		return i
	}
	return verdictInfo{"unexpected", "unknown verdict " + string(v), "❓", 0}
}

// verdictClass is the CSS class of a verdict.
func verdictClass(v flows.Verdict) string { return info(v).Class }

// verdictWord is how the report names a verdict.
func verdictWord(v flows.Verdict) string { return info(v).Word }

// failing reports whether a cell needs a person's attention first.
func failing(c *flows.Cell) bool { return info(c.Verdict).Rank == 0 }

// flowGrid is one flow (or runbook group) laid out as producers (rows) ×
// consumers (columns).
type flowGrid struct {
	Flow      int
	Title     string
	Seed      string
	Anchor    string
	Producers []string
	Consumers []string
	// Rows[i][j] is the position of producer i and consumer j.
	Rows [][]*gridCell
	// Positions are the non-empty positions, worst first.
	Positions []*gridCell
	Tally     map[flows.Verdict]int
	Worst     flows.Verdict
}

// gridCell is one grid position: its cells (worst first) and the colour
// the worst of them gives it.
type gridCell struct {
	Producer, Consumer string
	Cells              []*flows.Cell
	Worst              flows.Verdict
	Class              string
	Label              string
	Anchor             string
	StandIn            bool
}

// Open reports whether the position's panel starts open.
func (g *gridCell) Open() bool { return g.Class == "unexpected" }

// groupKey is what one grid gathers: a flow (or runbook) by number and title.
type groupKey struct {
	Flow  int
	Title string
}

// grids groups the cells by flow and title, in flow order. Producers and
// consumers follow the report's engine order, then first appearance.
func grids(r *flows.Report) []*flowGrid {
	order := map[string]int{}
	for i, e := range r.Engines {
		order[e.Name] = i
	}
	rank := func(name string) int {
		if i, ok := order[name]; ok {
			return i
		}
		order[name] = len(order)
		return order[name]
	}
	byGroup := map[groupKey][]*flows.Cell{}
	var keys []groupKey
	for i := range r.Cells {
		c := &r.Cells[i]
		k := groupKey{c.Flow, c.FlowTitle}
		if _, ok := byGroup[k]; !ok {
			keys = append(keys, k)
		}
		byGroup[k] = append(byGroup[k], c)
		rank(c.Producer)
		rank(c.Consumer)
	}
	sort.SliceStable(keys, func(i, j int) bool { return keys[i].Flow < keys[j].Flow })
	anchors := map[string]int{}
	out := make([]*flowGrid, 0, len(keys))
	for _, k := range keys {
		cells := byGroup[k]
		g := &flowGrid{Flow: k.Flow, Title: k.Title, Seed: cells[0].Seed, Tally: map[flows.Verdict]int{}, Worst: flows.Skipped}
		g.Anchor = fmt.Sprintf("flow-%d", k.Flow)
		if n := anchors[g.Anchor]; n > 0 {
			anchors[g.Anchor]++
			g.Anchor = fmt.Sprintf("%s-%d", g.Anchor, n+1)
		} else {
			anchors[g.Anchor] = 1
		}
		seenP, seenC := map[string]bool{}, map[string]bool{}
		for _, c := range cells {
			if !seenP[c.Producer] {
				seenP[c.Producer] = true
				g.Producers = append(g.Producers, c.Producer)
			}
			if !seenC[c.Consumer] {
				seenC[c.Consumer] = true
				g.Consumers = append(g.Consumers, c.Consumer)
			}
		}
		sort.SliceStable(g.Producers, func(i, j int) bool { return order[g.Producers[i]] < order[g.Producers[j]] })
		sort.SliceStable(g.Consumers, func(i, j int) bool { return order[g.Consumers[i]] < order[g.Consumers[j]] })
		pi, ci := index(g.Producers), index(g.Consumers)
		g.Rows = make([][]*gridCell, len(g.Producers))
		for i := range g.Rows {
			g.Rows[i] = make([]*gridCell, len(g.Consumers))
		}
		for _, c := range cells {
			i, j := pi[c.Producer], ci[c.Consumer]
			gc := g.Rows[i][j]
			if gc == nil {
				gc = &gridCell{Producer: c.Producer, Consumer: c.Consumer, Anchor: g.Anchor + "-" + anchorSafe(c.Producer) + "-" + anchorSafe(c.Consumer)}
				g.Rows[i][j] = gc
				g.Positions = append(g.Positions, gc)
			}
			gc.Cells = append(gc.Cells, c)
			gc.StandIn = gc.StandIn || c.StandIn
			g.Tally[c.Verdict]++
		}
		for _, gc := range g.Positions {
			sortCells(gc.Cells)
			gc.Worst = gc.Cells[0].Verdict
			n := 0
			for _, c := range gc.Cells {
				if c.Verdict == gc.Worst {
					n++
				}
			}
			gc.Class = verdictClass(gc.Worst)
			gc.Label = fmt.Sprintf("%d/%d %s", n, len(gc.Cells), shortWord(gc.Worst))
			if info(gc.Worst).Rank < info(g.Worst).Rank {
				g.Worst = gc.Worst
			}
		}
		sort.SliceStable(g.Positions, func(i, j int) bool {
			return info(g.Positions[i].Worst).Rank < info(g.Positions[j].Worst).Rank
		})
		out = append(out, g)
	}
	return out
}

// shortWord is a verdict's word in a grid label.
func shortWord(v flows.Verdict) string {
	switch v {
	case flows.Allowed:
		return "allowed"
	case flows.Interrupted:
		return "interrupted"
	}
	return verdictWord(v)
}

// sortCells orders cells worst verdict first, keeping the run's order
// within a verdict.
func sortCells(cs []*flows.Cell) {
	sort.SliceStable(cs, func(i, j int) bool { return info(cs[i].Verdict).Rank < info(cs[j].Verdict).Rank })
}

func index(names []string) map[string]int {
	m := make(map[string]int, len(names))
	for i, n := range names {
		m[n] = i
	}
	return m
}

// anchorSafe keeps letters, digits, '.', '_' and '-' of s (others become
// '_'), for ids built from engine names.
func anchorSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			return r
		}
		return '_'
	}, s)
}

// shortEngine is an engine's name in the compact overview (its full name
// is in the title): the version of a container engine ("openssl-3.5" →
// "3.5"), the directory naming a host binary ("host:/opt/openssl-3.2/bin/
// openssl" → "host:openssl-3.2"), at most 14 characters.
func shortEngine(name string) string {
	if v, ok := strings.CutPrefix(name, "openssl-"); ok && v != "" {
		return v
	}
	if p, ok := strings.CutPrefix(name, "host:"); ok {
		dir := path.Dir(p)
		if b := path.Base(dir); b == "bin" || b == "sbin" {
			dir = path.Dir(dir)
		}
		name = "host:" + path.Base(dir)
	}
	if r := []rune(name); len(r) > 14 {
		name = string(r[:13]) + "…"
	}
	return name
}

// tally counts cells by verdict.
func tally(cells []flows.Cell) map[flows.Verdict]int {
	t := map[flows.Verdict]int{}
	for i := range cells {
		t[cells[i].Verdict]++
	}
	return t
}

// standIns names the stand-in engines of r.
func standIns(r *flows.Report) map[string]bool {
	m := map[string]bool{}
	for _, e := range r.Engines {
		if e.StandIn {
			m[e.Name] = true
		}
	}
	return m
}

// runStatus is the one-line verdict of the run: INTERRUPTED, FAILED or
// PASSED, and its CSS class.
func runStatus(r *flows.Report) (string, string) {
	t := tally(r.Cells)
	if r.Interrupted {
		planned := r.Planned
		if planned < len(r.Cells) {
			planned = len(r.Cells)
		}
		ran := len(r.Cells) - t[flows.Interrupted]
		s := fmt.Sprintf("INTERRUPTED: %d of %d cells ran", ran, planned)
		if n := t[flows.Unexpected]; n > 0 {
			s += fmt.Sprintf("; %d unexpected", n)
		}
		return s, "interrupted"
	}
	bad := 0
	for v, n := range t {
		if info(v).Rank == 0 {
			bad += n
		}
	}
	if bad > 0 {
		return fmt.Sprintf("FAILED: %d unexpected of %d cells", bad, len(r.Cells)), "unexpected"
	}
	s := fmt.Sprintf("PASSED: %d cells, 0 unexpected", len(r.Cells))
	if n := t[flows.Allowed]; n > 0 {
		s += fmt.Sprintf(" (%d allowed)", n)
	}
	return s, "pass"
}

// counts is the tally of r in verdict order, for the header.
func counts(cells []flows.Cell) []countItem {
	t := tally(cells)
	var out []countItem
	for _, v := range verdictOrder {
		if t[v] > 0 || v == flows.Unexpected {
			out = append(out, countItem{N: t[v], Word: shortWord(v), Class: verdictClass(v)})
		}
	}
	for v, n := range t {
		if _, ok := verdicts[v]; !ok {
			out = append(out, countItem{N: n, Word: verdictWord(v), Class: "unexpected"})
		}
	}
	return out
}

// countItem is one verdict's count.
type countItem struct {
	N           int
	Word, Class string
}

// blame is how many failing cells one engine takes part in, in one role.
type blame struct {
	Role, Engine string
	N            int
}

// blameOf lists the engines (as producer or consumer) that take part in
// the most failing cells, at most three, most first: the broken engine
// pair at a glance.
func blameOf(bad []*flows.Cell) []blame {
	count := map[blame]int{}
	for _, c := range bad {
		count[blame{Role: "producer", Engine: c.Producer}]++
		count[blame{Role: "consumer", Engine: c.Consumer}]++
	}
	var out []blame
	for b, n := range count {
		b.N = n
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].N != out[j].N {
			return out[i].N > out[j].N
		}
		return out[i].Role+out[i].Engine < out[j].Role+out[j].Engine
	})
	if len(out) > 3 {
		out = out[:3]
	}
	return out
}
