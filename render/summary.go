package render

import (
	"github.com/kmsconform/kmsconform/flows"

	"fmt"
	"io"
	"sort"
	"time"
)

// Tally counts a flow's cells by verdict.
type Tally struct {
	ExpectedPass, ExpectedFail, Unexpected, NotApplicable int
	// Allowed are unexpected cells an allowance covers; Interrupted did not finish.
	Allowed, Interrupted int
}

// Tallies counts the cells of r per flow.
func Tallies(r *flows.Report) map[int]*Tally {
	out := map[int]*Tally{}
	for _, c := range r.Cells {
		t := out[c.Flow]
		if t == nil {
			t = &Tally{}
			out[c.Flow] = t
		}
		switch c.Verdict {
		case flows.ExpectedPass:
			t.ExpectedPass++
		case flows.ExpectedFail:
			t.ExpectedFail++
		case flows.Skipped:
			t.NotApplicable++
		case flows.Allowed:
			t.Allowed++
		case flows.Interrupted:
			t.Interrupted++
		default:
			t.Unexpected++
		}
	}
	return out
}

// WriteSummary prints the one-screen summary of r: one line per flow with
// its cells expected-pass / expected-fail / unexpected / n/a, then the
// unexpected cells by ID.
func WriteSummary(w io.Writer, r *flows.Report) {
	ts := Tallies(r)
	ids := make([]int, 0, len(ts))
	titles := map[int]string{}
	for _, c := range r.Cells {
		titles[c.Flow] = c.FlowTitle
	}
	for id := range ts {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	kms := r.KMS
	if r.KMSServer != "" {
		kms += "; server: " + r.KMSServer
	}
	fmt.Fprintf(w, "kmsconform run: %d cells in %s; KMS: %s\n", len(r.Cells), time.Duration(r.Duration).Round(time.Millisecond), kms)
	if r.Interrupted {
		status, _ := runStatus(r)
		fmt.Fprintln(w, status)
	}
	for _, e := range r.Engines {
		mark := ""
		if e.StandIn {
			mark = " [stand-in: no real binary of this line ran]"
		}
		fmt.Fprintf(w, "  engine %-14s %s (profile %s)%s\n", e.Name, e.Version, e.Profile, mark)
	}
	fmt.Fprintf(w, "%-5s %-50s %6s %6s %6s %5s\n", "flow", "title", "pass", "fail*", "UNEXP", "n/a")
	var all Tally
	for _, id := range ids {
		t := ts[id]
		title := titles[id]
		if len(title) > 50 {
			title = title[:47] + "..."
		}
		fmt.Fprintf(w, "%-5d %-50s %6d %6d %6d %5d\n", id, title, t.ExpectedPass, t.ExpectedFail, t.Unexpected, t.NotApplicable)
		all.ExpectedPass += t.ExpectedPass
		all.ExpectedFail += t.ExpectedFail
		all.Unexpected += t.Unexpected
		all.NotApplicable += t.NotApplicable
		all.Allowed += t.Allowed
		all.Interrupted += t.Interrupted
	}
	fmt.Fprintf(w, "%-5s %-50s %6d %6d %6d %5d\n", "all", "(fail* = failed as expected, fix verified)", all.ExpectedPass, all.ExpectedFail, all.Unexpected, all.NotApplicable)
	if all.Allowed > 0 || all.Interrupted > 0 {
		fmt.Fprintf(w, "      %d allowed (unexpected, covered by an allowance), %d interrupted (not finished)\n", all.Allowed, all.Interrupted)
	}
	n := 0
	for _, c := range r.Cells {
		if c.Verdict == flows.Unexpected {
			if n == 10 {
				fmt.Fprintf(w, "  ... and %d more unexpected cells (see results.json)\n", all.Unexpected-10)
				break
			}
			fmt.Fprintf(w, "UNEXPECTED %s: %s\n", c.ID, c.Message)
			n++
		}
	}
}
