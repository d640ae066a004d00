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

func secs(d flows.Duration) string { return fmt.Sprintf("%.3f", time.Duration(d).Seconds()) }

// WriteJUnit writes r as JUnit XML: one testsuite per flow, one testcase
// per cell; unexpected cells are failures (with the commands, stderr and
// diff), not-applicable cells are skipped with their reason.
func WriteJUnit(w io.Writer, r *flows.Report) error {
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
		case flows.Unexpected:
			jc.Failure = &junitFailure{Message: c.Message, Type: "unexpected", Text: flows.Explain(&c)}
			s.Failures++
		case flows.Skipped:
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
