package render

import (
	"github.com/kmsconform/kmsconform/flows"

	"encoding/xml"
	"fmt"
	"io"
	"time"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string          `xml:"name,attr"`
	Tests     int             `xml:"tests,attr"`
	Failures  int             `xml:"failures,attr"`
	Errors    int             `xml:"errors,attr"`
	Skipped   int             `xml:"skipped,attr"`
	Time      string          `xml:"time,attr"`
	Timestamp string          `xml:"timestamp,attr,omitempty"`
	Props     []junitProperty `xml:"properties>property,omitempty"`
	Cases     []junitCase     `xml:"testcase"`
	SystemOut string          `xml:"system-out,omitempty"`

	dur time.Duration
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string          `xml:"name,attr"`
	Classname string          `xml:"classname,attr"`
	Time      string          `xml:"time,attr"`
	Props     []junitProperty `xml:"properties>property,omitempty"`
	Failure   *junitFailure   `xml:"failure,omitempty"`
	Skipped   *junitSkipped   `xml:"skipped,omitempty"`
	SystemOut string          `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

func secs(d flows.Duration) string { return fmt.Sprintf("%.3f", time.Duration(d).Seconds()) }

// WriteJUnit writes r as JUnit XML: one testsuite per flow (its time the
// sum of its cells' times, its timestamp the run's start), one testcase per
// cell. Unexpected cells are failures (with the commands, stderr and diff);
// not-applicable cells are skipped with their reason; interrupted cells are
// <skipped message="interrupted">; allowed cells pass but say so in their
// properties and output; stand-in cells carry the property stand_in=true.
// An interrupted run says "INTERRUPTED: n of N cells ran" in the top name.
func WriteJUnit(w io.Writer, r *flows.Report) error {
	status, _ := runStatus(r)
	top := junitSuites{Name: "kmsconform: " + status, Time: secs(r.Duration)}
	stamp := ""
	if !r.Started.IsZero() {
		stamp = r.Started.UTC().Format("2006-01-02T15:04:05")
	}
	idx := map[groupKey]int{}
	for i := range r.Cells {
		c := &r.Cells[i]
		k := groupKey{c.Flow, c.FlowTitle}
		si, ok := idx[k]
		if !ok {
			si = len(top.Suites)
			idx[k] = si
			top.Suites = append(top.Suites, junitSuite{Name: fmt.Sprintf("flow %d: %s", c.Flow, c.FlowTitle), Timestamp: stamp})
		}
		s := &top.Suites[si]
		s.dur += time.Duration(c.Duration)
		jc := junitCase{Name: c.ID, Classname: fmt.Sprintf("kmsconform.flow%d", c.Flow), Time: secs(c.Duration)}
		jc.Props = append(jc.Props, junitProperty{"verdict", string(c.Verdict)})
		if c.Actual.Class != "" {
			jc.Props = append(jc.Props, junitProperty{"class", string(c.Actual.Class)})
		}
		if c.StandIn {
			jc.Props = append(jc.Props, junitProperty{"stand_in", "true"})
		}
		switch {
		case failing(c):
			jc.Failure = &junitFailure{Message: cellWhy(c), Type: string(c.Verdict), Text: cellText(c)}
			s.Failures++
		case c.Verdict == flows.Interrupted:
			jc.Skipped = &junitSkipped{Message: "interrupted"}
			s.Skipped++
		case c.Verdict == flows.Skipped:
			jc.Skipped = &junitSkipped{Message: c.Expected.Why}
			s.Skipped++
		case c.Verdict == flows.Allowed:
			jc.Props = append(jc.Props, junitProperty{"allowance", c.Allowance})
			jc.SystemOut = "ALLOWED: unexpected, covered by an allowance (" + c.Allowance + ")\n" + cellText(c)
		default:
			jc.SystemOut = string(c.Verdict)
		}
		if c.StandIn && jc.SystemOut != "" {
			jc.SystemOut += " (stand-in engine: a compat profile, no real binary of that line ran)"
		}
		s.Tests++
		s.Cases = append(s.Cases, jc)
	}
	for i := range top.Suites {
		s := &top.Suites[i]
		s.Time = fmt.Sprintf("%.3f", s.dur.Seconds())
		if r.Interrupted {
			s.Props = append(s.Props, junitProperty{"interrupted", "true"})
			s.SystemOut = status
		}
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

// cellText is a cell explained for JUnit: flows.Explain plus the doctor's
// diagnosis and the kept files.
func cellText(c *flows.Cell) string {
	t := flows.Explain(c)
	if c.Diagnosis != "" {
		t += "\ndoctor: " + c.Diagnosis
	}
	if c.Work != "" {
		t += "\nkept files: " + c.Work
	}
	return t
}
