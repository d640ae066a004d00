package render

import (
	"bytes"
	"encoding/xml"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kmsconform/kmsconform/flows"
)

// interruptedSample is the sample with an allowed cell, a stand-in cell and
// the run cut off: its last cell interrupted.
func interruptedSample() *flows.Report {
	r := sample()
	r.Interrupted, r.Planned = true, 6
	r.Engines = append(r.Engines, flows.EngineInfo{Name: "oracle@1.0.2", Version: "kmsconform oracle --compat 1.0.2", Profile: "1.0.2", StandIn: true})
	r.Cells[3].Producer, r.Cells[3].StandIn = "oracle@1.0.2", true
	r.Cells = append(r.Cells,
		flows.Cell{ID: "4/late/host>oracle", Flow: 4, FlowTitle: "bad decrypt across versions", Case: "late", Producer: "host", Consumer: "oracle", Verdict: flows.Interrupted},
		flows.Cell{ID: "4/allowed/host>oracle", Flow: 4, FlowTitle: "bad decrypt across versions", Case: "allowed", Producer: "host", Consumer: "oracle",
			Verdict: flows.Allowed, Allowance: "known 3.5 regression (until 2027-01-31)"})
	return r
}

func TestEveryFormatSaysInterruptedAllowedAndStandIn(t *testing.T) {
	r := interruptedSample()
	const status = "INTERRUPTED: 5 of 6 cells ran; 1 unexpected"
	var md, h, j bytes.Buffer
	if err := Markdown(&md, r); err != nil {
		t.Fatal(err)
	}
	if err := HTML(&h, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteJUnit(&j, r); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		got  string
		want []string
	}{
		"report.md": {md.String(), []string{"**" + status + "**", "oracle@1.0.2 † stand-in", "⏸️", "known 3.5 regression (until 2027-01-31)", "1 interrupted", "1 allowed"}},
		"report.html": {h.String(), []string{`id="status">` + status + "<", "stand-in</span>", `class="cell interrupted"`, "sq allowed",
			"known 3.5 regression (until 2027-01-31)", "cells were interrupted before they finished"}},
		"junit.xml": {j.String(), []string{`name="kmsconform: ` + status + `"`, `<skipped message="interrupted">`, `<property name="stand_in" value="true">`,
			`<property name="allowance" value="known 3.5 regression (until 2027-01-31)">`, "ALLOWED: unexpected, covered by an allowance", `<property name="interrupted" value="true">`}},
	} {
		for _, w := range c.want {
			if !strings.Contains(c.got, w) {
				t.Errorf("%s lacks %q", name, w)
			}
		}
	}
}

func TestJUnitTimesAndCounts(t *testing.T) {
	r := interruptedSample()
	r.Cells[0].Duration = flows.Duration(1500 * time.Millisecond)
	r.Cells[1].Duration = flows.Duration(250 * time.Millisecond)
	var j bytes.Buffer
	if err := WriteJUnit(&j, r); err != nil {
		t.Fatal(err)
	}
	var top struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Skipped  int `xml:"skipped,attr"`
		Suites   []struct {
			Name      string `xml:"name,attr"`
			Tests     int    `xml:"tests,attr"`
			Failures  int    `xml:"failures,attr"`
			Skipped   int    `xml:"skipped,attr"`
			Time      string `xml:"time,attr"`
			Timestamp string `xml:"timestamp,attr"`
			Cases     []struct {
				Time string `xml:"time,attr"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(j.Bytes(), &top); err != nil {
		t.Fatal(err)
	}
	// Flow 1: one unexpected, one n/a; flow 4: expected failure, interrupted, allowed.
	if top.Tests != 6 || top.Failures != 1 || top.Skipped != 2 || len(top.Suites) != 2 {
		t.Errorf("tests %d failures %d skipped %d suites %d; want 6, 1, 2, 2", top.Tests, top.Failures, top.Skipped, len(top.Suites))
	}
	if top.Suites[0].Time != "1.750" {
		t.Errorf("flow 1's suite time is %s, want the sum of its cells' times 1.750", top.Suites[0].Time)
	}
	num := regexp.MustCompile(`^\d+\.\d{3}$`)
	for _, s := range top.Suites {
		if !num.MatchString(s.Time) || s.Timestamp != "2026-11-23T01:00:00" {
			t.Errorf("suite %q: time %q timestamp %q", s.Name, s.Time, s.Timestamp)
		}
		for _, c := range s.Cases {
			if !num.MatchString(c.Time) {
				t.Errorf("suite %q: a testcase's time is %q", s.Name, c.Time)
			}
		}
	}
}
