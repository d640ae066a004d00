package render

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/kmsconform/kmsconform/flows"
)

// Change is one cell whose verdict differs between two reports. Old or New
// is empty when the cell is only in the other report.
type Change struct {
	ID       string
	Old, New flows.Verdict
	// Why is the new cell's failure in one line (empty unless it fails).
	Why string
}

// Diff is what changed between two reports, cell by cell.
type Diff struct {
	// Worse are cells that now fail (unexpected) and did not before, new
	// cells that fail included; Better are cells that failed and no longer do.
	Worse, Better []Change
	// Other are the remaining verdict changes (e.g. expected-pass → n/a,
	// → interrupted); Added and Gone the other cells in one report only.
	Other, Added, Gone []Change
	// Same counts the cells whose verdict did not change.
	Same int
}

// Compare compares the cells of old and new by ID.
func Compare(old, new *flows.Report) Diff {
	var d Diff
	before := make(map[string]*flows.Cell, len(old.Cells))
	for i := range old.Cells {
		before[old.Cells[i].ID] = &old.Cells[i]
	}
	seen := make(map[string]bool, len(new.Cells))
	for i := range new.Cells {
		c := &new.Cells[i]
		seen[c.ID] = true
		ch := Change{ID: c.ID, New: c.Verdict}
		if failing(c) {
			ch.Why = cellWhy(c)
		}
		o, ok := before[c.ID]
		switch {
		case !ok && failing(c):
			d.Worse = append(d.Worse, ch)
		case !ok:
			d.Added = append(d.Added, ch)
		case o.Verdict == c.Verdict:
			d.Same++
		default:
			ch.Old = o.Verdict
			switch {
			case failing(c) && !failing(o):
				d.Worse = append(d.Worse, ch)
			case failing(o) && !failing(c) && c.Verdict != flows.Interrupted:
				d.Better = append(d.Better, ch)
			default:
				d.Other = append(d.Other, ch)
			}
		}
	}
	for i := range old.Cells {
		if c := &old.Cells[i]; !seen[c.ID] {
			d.Gone = append(d.Gone, Change{ID: c.ID, Old: c.Verdict})
		}
	}
	for _, l := range [][]Change{d.Worse, d.Better, d.Other, d.Added, d.Gone} {
		sort.SliceStable(l, func(i, j int) bool { return l[i].ID < l[j].ID })
	}
	return d
}

// diffListMax caps each Markdown list of WriteDiff.
const diffListMax = 500

// WriteDiff writes d as Markdown: a summary line, then tables of the cells
// that got worse, better, changed otherwise, appeared and disappeared.
func WriteDiff(w io.Writer, oldName string, old *flows.Report, newName string, new *flows.Report, d Diff) error {
	ew := &errWriter{w: w}
	p := func(format string, a ...any) { fmt.Fprintf(ew, format, a...) }
	desc := func(name string, r *flows.Report) string {
		s, _ := runStatus(r)
		if r.Started.IsZero() {
			return fmt.Sprintf("`%s` (%s)", mdCode(name), s)
		}
		return fmt.Sprintf("`%s` (started %s: %s)", mdCode(name), r.Started.UTC().Format(time.RFC3339), s)
	}
	p("# kmsconform report diff\n\n- Old: %s\n- New: %s\n\n", desc(oldName, old), desc(newName, new))
	if len(d.Worse)+len(d.Better)+len(d.Other)+len(d.Added)+len(d.Gone) == 0 {
		p("**No verdict changed** (%d cells compared).\n", d.Same)
		return ew.err
	}
	p("**%d worse, %d better, %d changed otherwise, %d new, %d gone; %d unchanged.**\n", len(d.Worse), len(d.Better), len(d.Other), len(d.Added), len(d.Gone), d.Same)
	table := func(title string, l []Change, why bool) {
		if len(l) == 0 {
			return
		}
		p("\n## %s (%d)\n\n| cell | old | new |%s\n|---|---|---|%s\n", title, len(l), cond(why, " why |", ""), cond(why, "---|", ""))
		for i, c := range l {
			if i == diffListMax {
				p("\n… and %d more.\n", len(l)-diffListMax)
				break
			}
			p("| `%s` | %s | %s |", mdCode(c.ID), verdictCell(c.Old), verdictCell(c.New))
			if why {
				p(" %s |", mdText(c.Why))
			}
			p("\n")
		}
	}
	table("Worse", d.Worse, true)
	table("Better", d.Better, false)
	table("Changed otherwise", d.Other, false)
	table("New cells", d.Added, false)
	table("Gone cells", d.Gone, false)
	return ew.err
}

func verdictCell(v flows.Verdict) string {
	if v == "" {
		return "—"
	}
	s := info(v).Symbol + " " + shortWord(v)
	if failing(&flows.Cell{Verdict: v}) {
		s = "**" + strings.TrimSpace(s) + "**"
	}
	return s
}

func cond(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}
