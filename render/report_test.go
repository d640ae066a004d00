package render

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kmsconform/kmsconform/failclass"
	"github.com/kmsconform/kmsconform/flows"
)

// sample is a run with two flows, every verdict, stderr holding markup and
// a hex diff.
func sample() *flows.Report {
	step := func(role flows.Role, engine, cmd string, code int, stderr string) flows.Step {
		return flows.Step{Role: role, Engine: engine, Phase: "run", Command: cmd, ExitCode: code, Stderr: stderr, Duration: flows.Duration(3 * time.Millisecond)}
	}
	diff := flows.HexDiff("expected", []byte("0123456789abcdef0123"), "got", []byte("0123456789abcdeX0123"))
	return &flows.Report{
		Started:  time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC),
		Duration: flows.Duration(4 * time.Second),
		Engines: []flows.EngineInfo{
			{Name: "host", Version: "OpenSSL 3.0.19 27 Jan 2026", Profile: "3.0"},
			{Name: "oracle", Version: "kmsconform oracle", Profile: "1.0.2"},
		},
		KMS: "in-process kmsconform fake",
		Cells: []flows.Cell{
			{ID: "1/RSA_2048/host>oracle", Flow: 1, FlowTitle: "rsautl OAEP hybrid", Seed: "000", Case: "RSA_2048", Producer: "host", Consumer: "oracle",
				Expected: flows.Expectation{Outcome: flows.Pass}, Actual: flows.Actual{Outcome: flows.Pass}, Verdict: flows.ExpectedPass,
				Steps: []flows.Step{step(flows.Producer, "host", "openssl rsautl -encrypt -oaep -pubin -inkey pub.pem -in key.bin -out key.enc", 0, "The command rsautl was deprecated in version 3.0.")}},
			{ID: "1/RSA_4096/host>oracle", Flow: 1, FlowTitle: "rsautl OAEP hybrid", Seed: "000", Case: "RSA_4096", Producer: "host", Consumer: "oracle",
				Expected: flows.Expectation{Outcome: flows.Pass}, Actual: flows.Actual{Outcome: flows.Fail, Reason: "plaintext mismatch", Class: failclass.Mismatch}, Verdict: flows.Unexpected,
				Message: "the plaintext differs at offset 15", Diff: diff, Work: "work/1_RSA_4096_host_oracle", Diagnosis: "OAEP SHA-1 used where SHA-256 was asked",
				Steps: []flows.Step{step(flows.KMSRole, "", "aws kms decrypt --key-id k --encryption-algorithm RSAES_OAEP_SHA_1", 0, "<script>alert(1)</script>")}},
			{ID: "1/RSA_2048/oracle>host", Flow: 1, FlowTitle: "rsautl OAEP hybrid", Seed: "000", Case: "RSA_2048", Producer: "oracle", Consumer: "host",
				Expected: flows.Expectation{Outcome: flows.NotApplicable, Why: "no such engine"}, Actual: flows.Actual{Outcome: flows.NotApplicable}, Verdict: flows.Skipped},
			{ID: "4/md5/host>oracle", Flow: 4, FlowTitle: "bad decrypt across versions", Seed: "003", Case: "md5 default", Producer: "host", Consumer: "oracle",
				Expected: flows.Expectation{Outcome: flows.Fail, Classes: []failclass.Class{failclass.BadDecrypt}}, Actual: flows.Actual{Outcome: flows.Fail, Reason: "bad decrypt", Class: failclass.BadDecrypt, FixOutcome: flows.Pass}, Verdict: flows.ExpectedFail,
				Steps: []flows.Step{step(flows.Consumer, "oracle", "openssl enc -d -aes-256-cbc -in data.enc -pass file:key.bin", 1, "bad decrypt\nerror:1C800064:Provider routines::bad decrypt")}},
		},
	}
}

func writeSample(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "out")
	if err := Write(dir, sample()); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestMarkdownHasOverviewGridsAndUnexpectedDetails(t *testing.T) {
	md, err := os.ReadFile(filepath.Join(writeSample(t), "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(md)
	for _, want := range []string{
		"**FAILED: 1 unexpected of 4 cells**",
		"| host | OpenSSL 3.0.19 27 Jan 2026 | 3.0 |",
		"- KMS endpoint: in-process kmsconform fake",
		"## Overview",
		"| flow | producer | host | oracle |",
		"| **1** rsautl OAEP hybrid | host |  | ❌ 1/2 |",
		"|  | oracle | ➖ |  |",
		"| **4** bad decrypt across versions | host |  | 🔷 |",
		"## Unexpected cells (1)",
		"- `1/RSA_4096/host>oracle` — mismatch: the plaintext differs at offset 15",
		"## Flow 1: rsautl OAEP hybrid",
		"## Flow 4: bad decrypt across versions",
		"| producer \\ consumer | host | oracle |",
		"| host | — | **1/2 UNEXPECTED** |",
		"| oracle | 1/1 not applicable | — |",
		"1/1 expected failure",
		"### 1/RSA_4096/host>oracle",
		"- Actual: fail **mismatch**: plaintext mismatch",
		"- Doctor: OAEP SHA-1 used where SHA-256 was asked",
		"- Kept files: `work/1_RSA_4096_host_oracle/`",
		"first difference at offset 15",
		"aws --endpoint-url " + ServeEndpoint + " --region us-east-1 kms decrypt",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("report.md lacks %q\n%s", want, s)
		}
	}
	// The overview comes before any flow section and the unexpected list too.
	if o, u, f := strings.Index(s, "## Overview"), strings.Index(s, "## Unexpected cells"), strings.Index(s, "## Flow "); !(o < u && u < f) {
		t.Errorf("order: overview at %d, unexpected at %d, first flow at %d", o, u, f)
	}
}

func TestHTMLIsSelfContainedAndEscaped(t *testing.T) {
	html, err := os.ReadFile(filepath.Join(writeSample(t), "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	checkStatic(t, string(html), 2)
}

// checkStatic checks the page source: one inline script and nothing
// loaded or sent anywhere, the markup in stderr escaped, one grid per flow,
// the overview and the unexpected list before the first flow section.
func checkStatic(t *testing.T, s string, flowsWanted int) {
	t.Helper()
	if regexp.MustCompile(`(?i)<link|src=|@import|url\(|fetch\(|XMLHttpRequest|https?://[a-z]`).MatchString(strings.ReplaceAll(s, ServeEndpoint, "")) {
		for _, m := range regexp.MustCompile(`(?i).{30}(<link|src=|@import|url\(|fetch\(|XMLHttpRequest|https?://[a-z]).{30}`).FindAllString(s, 3) {
			t.Errorf("report.html loads or sends something: %q", m)
		}
	}
	if n := strings.Count(s, "<script"); n != 1 {
		t.Errorf("%d script elements, want the one inline script", n)
	}
	if strings.Contains(s, "alert(1)") && !strings.Contains(s, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("stderr markup is not escaped")
	}
	if n := strings.Count(s, `<table class="grid"`); n != flowsWanted {
		t.Errorf("%d grids, want %d (one per flow)", n, flowsWanted)
	}
	o, u, f := strings.Index(s, `id="overview"`), strings.Index(s, `id="unexpected"`), strings.Index(s, `<section class="flow"`)
	if o < 0 || u < 0 || !(o < u && (f < 0 || u < f)) {
		t.Errorf("order: overview at %d, unexpected at %d, first flow section at %d", o, u, f)
	}
}
