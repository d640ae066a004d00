package partner

import (
	"time"

	"github.com/kmsconform/kmsconform/flows"
	"github.com/kmsconform/kmsconform/gate"
)

// ApplyGate applies a gate file to r: a failing case whose name a live
// allowance matches is allowed (CaseResult.Allowance says why and until
// when) and no longer fails the check; r.Pass is recomputed. A tool that
// could not be checked at all (r.Problem) is never allowed. It returns the
// stale allowances. A nil f changes nothing.
func ApplyGate(r *Result, f *gate.File, now time.Time) []gate.Stale {
	if f == nil || r == nil {
		return nil
	}
	cells := make([]flows.Cell, len(r.Cases))
	for i, c := range r.Cases {
		cells[i] = flows.Cell{ID: c.Name, Verdict: flows.ExpectedPass}
		if !c.Pass {
			cells[i].Verdict = flows.Unexpected
		}
	}
	stale := f.Apply(cells, now)
	for i := range r.Cases {
		if cells[i].Verdict == flows.Allowed {
			r.Cases[i].Allowance = cells[i].Allowance
		} else if !r.Cases[i].Pass && cells[i].Message != "" {
			r.Cases[i].Detail += "; " + cells[i].Message
		}
	}
	r.summarise()
	return stale
}

// failing reports whether c fails the check: it did not pass and no gate
// allowance covers it.
func (c *CaseResult) failing() bool { return !c.Pass && c.Allowance == "" }
