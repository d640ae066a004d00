package flows

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

func secs(d Duration) string { return fmt.Sprintf("%.3f", time.Duration(d).Seconds()) }

// WriteJUnit writes r as JUnit XML: one testsuite per flow, one testcase
// per cell; unexpected cells are failures (with the commands, stderr and
// diff), not-applicable cells are skipped with their reason.
func WriteJUnit(w io.Writer, r *Report) error {
	top := junitSuites{Time: secs(r.Duration)}
	idx := map[int]int{}
	for _, c := range r.Cells {
		i, ok := idx[c.Flow]
		if !ok {
			i = len(top.Suites)
			idx[c.Flow] = i
			top.Suites = append(top.Suites, junitSuite{Name: fmt.Sprintf("flow %d: %s", c.Flow, c.FlowTitle)})
		}
		s := &top.Suites[i]
		jc := junitCase{Name: c.ID, Classname: fmt.Sprintf("kmsconform.flow%d", c.Flow), Time: secs(c.Duration)}
		switch c.Verdict {
		case Unexpected:
			jc.Failure = &junitFailure{Message: c.Message, Type: "unexpected", Text: Explain(&c)}
			s.Failures++
		case Skipped:
			jc.Skipped = &junitSkipped{Message: c.Expected.Why}
			s.Skipped++
		default:
			jc.SystemOut = string(c.Verdict)
		}
		s.Tests++
		s.Cases = append(s.Cases, jc)
	}
	for _, s := range top.Suites {
		top.Tests += s.Tests
		top.Failures += s.Failures
		top.Skipped += s.Skipped
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(top); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// Explain renders a cell for a person: verdict, expectation, every step
// with its command line, exit code and stderr, and the hex diff.
func Explain(c *Cell) string {
	var b strings.Builder
	fmt.Fprintf(&b, "cell %s: %s", c.ID, c.Verdict)
	if c.Message != "" {
		fmt.Fprintf(&b, " — %s", c.Message)
	}
	fmt.Fprintf(&b, "\nexpected: %s", c.Expected.Outcome)
	if len(c.Expected.Reasons) > 0 {
		fmt.Fprintf(&b, " with %s", strings.Join(c.Expected.Reasons, " or "))
	}
	if c.Expected.Why != "" {
		fmt.Fprintf(&b, " (%s)", c.Expected.Why)
	}
	fmt.Fprintf(&b, "\nactual: %s", c.Actual.Outcome)
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
