package flows

import (
	"fmt"
	"strings"
)

// Explain renders a cell for a person: verdict, expectation, every step
// with its command line, exit code and stderr, and the hex diff.
func Explain(c *Cell) string {
	var b strings.Builder
	fmt.Fprintf(&b, "cell %s: %s", c.ID, c.Verdict)
	if c.Message != "" {
		fmt.Fprintf(&b, " — %s", c.Message)
	}
	fmt.Fprintf(&b, "\nexpected: %s", c.Expected.Outcome)
	if len(c.Expected.Classes) > 0 {
		fmt.Fprintf(&b, " with %s", classList(c.Expected.Classes))
	}
	if c.Expected.Why != "" {
		fmt.Fprintf(&b, " (%s)", c.Expected.Why)
	}
	fmt.Fprintf(&b, "\nactual: %s", c.Actual.Outcome)
	if c.Actual.Class != "" {
		fmt.Fprintf(&b, " (%s)", c.Actual.Class)
	}
	if c.Actual.Reason != "" {
		fmt.Fprintf(&b, ": %s", c.Actual.Reason)
	}
	if c.Actual.FixOutcome != "" {
		fmt.Fprintf(&b, "; documented fix: %s %s", c.Actual.FixOutcome, c.Actual.FixReason)
	}
	b.WriteString("\nsteps (in the cell's directory):\n")
	for _, s := range c.Steps {
		tag := string(s.Role)
		if s.Engine != "" {
			tag += "=" + s.Engine
		}
		if s.Phase == "fix" {
			tag = "fix " + tag
		}
		fmt.Fprintf(&b, "  [%s] $ %s\n", tag, s.Command)
		if s.Error != "" {
			fmt.Fprintf(&b, "      -> %s", s.Error)
			if s.Class != "" {
				fmt.Fprintf(&b, " [%s]", s.Class)
			}
			if s.Expected != "" {
				fmt.Fprintf(&b, " (refusal expected: %s)", s.Expected)
			}
			b.WriteString("\n")
		}
		if s.Stderr != "" && (s.Error != "" || s.ExitCode != 0) {
			for _, l := range strings.Split(strings.TrimRight(s.Stderr, "\n"), "\n") {
				fmt.Fprintf(&b, "      stderr: %s\n", l)
			}
		}
	}
	if c.Diff != "" {
		b.WriteString("hex diff:\n" + c.Diff)
	}
	return b.String()
}
