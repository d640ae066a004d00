package gate

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kmsconform/kmsconform/flows"
)

// Stale is an allowance that covers no failure: it matches no cell, or only
// cells that pass (or are not applicable).
type Stale struct {
	Allowance Allowance
	// Matched is how many cells the allowance matched (all passing).
	Matched int
}

func (s Stale) String() string {
	if s.Matched == 0 {
		return fmt.Sprintf("allowance %q (line %d) matches no spec or cell", s.Allowance.ID, s.Allowance.Line)
	}
	return fmt.Sprintf("allowance %q (line %d) matches only passing cells (%d): remove it", s.Allowance.ID, s.Allowance.Line, s.Matched)
}

// Apply marks each unexpected cell that a live allowance covers as
// flows.Allowed with Allowance "reason (until DATE)" (the first live
// allowance in file order wins). An unexpected cell covered only by
// expired allowances stays unexpected and its Message says "allowance
// expired on DATE". It returns the stale allowances.
func (f *File) Apply(cells []flows.Cell, now time.Time) []Stale {
	if f == nil {
		return nil
	}
	failing := make([]int, len(f.Allow)) // unexpected cells matched
	matched := make([]int, len(f.Allow))
	for ci := range cells {
		c := &cells[ci]
		var live, expired *Allowance
		for ai := range f.Allow {
			a := &f.Allow[ai]
			if !a.Matches(c.ID) {
				continue
			}
			matched[ai]++
			if c.Verdict != flows.Unexpected {
				continue
			}
			failing[ai]++
			if a.Live(now) {
				if live == nil {
					live = a
				}
			} else if expired == nil {
				expired = a
			}
		}
		switch {
		case live != nil:
			c.Verdict = flows.Allowed
			c.Allowance = fmt.Sprintf("%s (until %s)", live.Reason, live.Date())
		case expired != nil:
			note := fmt.Sprintf("allowance expired on %s (%s)", expired.Date(), expired.Reason)
			if c.Message != "" && !strings.HasPrefix(c.Message, "allowance expired") {
				note += ": " + c.Message
			}
			c.Message = note
		}
	}
	var stale []Stale
	for ai, a := range f.Allow {
		if failing[ai] == 0 {
			stale = append(stale, Stale{Allowance: a, Matched: matched[ai]})
		}
	}
	return stale
}

// ApplyReport is Apply on a report's cells: the one call `run`, `kms
// check`, `runbook` and `partner` make after their cells ran and before
// they write the report. A nil File changes nothing.
func (f *File) ApplyReport(rep *flows.Report, now time.Time) []Stale {
	if f == nil || rep == nil {
		return nil
	}
	return f.Apply(rep.Cells, now)
}

// StaleError is nil without stale allowances, else one error listing them
// (for --strict).
func StaleError(path string, stale []Stale) error {
	if len(stale) == 0 {
		return nil
	}
	var b []string
	for _, s := range stale {
		b = append(b, s.String())
	}
	return errors.New(path + ": stale allowances: " + strings.Join(b, "; "))
}
