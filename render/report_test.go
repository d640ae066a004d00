package render

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

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
				Expected: flows.Expectation{Outcome: flows.Pass}, Actual: flows.Actual{Outcome: flows.Fail, Reason: "plaintext mismatch"}, Verdict: flows.Unexpected,
				Message: "the plaintext differs at offset 15", Diff: diff,
				Steps: []flows.Step{step(flows.KMSRole, "", "aws kms decrypt --key-id k --encryption-algorithm RSAES_OAEP_SHA_1", 0, "<script>alert(1)</script>")}},
			{ID: "1/RSA_2048/oracle>host", Flow: 1, FlowTitle: "rsautl OAEP hybrid", Seed: "000", Case: "RSA_2048", Producer: "oracle", Consumer: "host",
				Expected: flows.Expectation{Outcome: flows.NotApplicable, Why: "no such engine"}, Actual: flows.Actual{Outcome: flows.NotApplicable}, Verdict: flows.Skipped},
			{ID: "4/md5/host>oracle", Flow: 4, FlowTitle: "bad decrypt across versions", Seed: "003", Case: "md5 default", Producer: "host", Consumer: "oracle",
				Expected: flows.Expectation{Outcome: flows.Fail, Reasons: []string{"bad decrypt"}}, Actual: flows.Actual{Outcome: flows.Fail, Reason: "bad decrypt", FixOutcome: flows.Pass}, Verdict: flows.ExpectedFail,
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

func TestMarkdownHasGridsAndUnexpectedDetails(t *testing.T) {
	md, err := os.ReadFile(filepath.Join(writeSample(t), "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(md)
	for _, want := range []string{
		"| host | OpenSSL 3.0.19 27 Jan 2026 | 3.0 |",
		"- KMS endpoint: in-process kmsconform fake",
		"## Flow 1: rsautl OAEP hybrid",
		"## Flow 4: bad decrypt across versions",
		"| producer \\ consumer | oracle | host |",
		"| host | **1/2 UNEXPECTED** | — |",
		"| oracle | — | 1/1 not applicable |",
		"1/1 expected failure",
		"### 1/RSA_4096/host>oracle",
		"first difference at offset 15",
		"[kms] $ aws kms decrypt",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("report.md lacks %q\n%s", want, s)
		}
	}
}

func TestHTMLIsSelfContainedAndEscaped(t *testing.T) {
	html, err := os.ReadFile(filepath.Join(writeSample(t), "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	checkStatic(t, string(html))
}

// checkStatic checks the page source: no script, no external resource,
// the markup in stderr escaped, one grid per flow.
func checkStatic(t *testing.T, s string) {
	t.Helper()
	if regexp.MustCompile(`(?i)<script|<link|src=|@import|url\(`).MatchString(s) {
		t.Errorf("report.html loads or runs something external")
	}
	if !strings.Contains(s, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("stderr markup is not escaped")
	}
	if n := strings.Count(s, `<table class="grid"`); n != 2 {
		t.Errorf("%d grids, want 2 (one per flow)", n)
	}
}

// TestHTMLRendersInHeadlessChromium loads report.html in Debian's chromium
// and reads the DOM it built: the grids, their coloured cells and the
// drill-down of every cell must be there.
func TestHTMLRendersInHeadlessChromium(t *testing.T) {
	dir := writeSample(t)
	page := filepath.Join(dir, "report.html")
	src, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	checkStatic(t, string(src))
	browser := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			browser = p
			break
		}
	}
	if browser == "" {
		if os.Getenv("KMSCONFORM_REQUIRE_BROWSER") == "1" {
			t.Fatal("no chromium found and KMSCONFORM_REQUIRE_BROWSER=1: install it (apt-get install chromium)")
		}
		t.Log("no chromium found: only the page source was checked (set KMSCONFORM_REQUIRE_BROWSER=1 to require the browser)")
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	profile := t.TempDir()
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--no-first-run", "--user-data-dir="+profile, "--dump-dom", "file://"+page)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	dom, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s --dump-dom: %v\n%s", browser, err, stderr.String())
	}
	d := string(dom)
	for _, want := range []string{
		`<table class="grid" data-flow="1">`,
		`<table class="grid" data-flow="4">`,
		`<td class="unexpected"><details><summary>1/2 UNEXPECTED</summary>`,
		`<td class="xfail">`,
		`<td class="na">`,
		`id="cell-1/RSA_4096/host&gt;oracle"`,
		`first difference at offset 15`,
		`OpenSSL 3.0.19 27 Jan 2026`,
		`<strong id="kms-endpoint">in-process kmsconform fake</strong>`,
	} {
		if !strings.Contains(d, want) {
			t.Errorf("the DOM chromium built lacks %q", want)
		}
	}
	if strings.Contains(d, "<script") {
		t.Errorf("the DOM holds a script element: stderr was not escaped")
	}
	if t.Failed() {
		t.Logf("DOM:\n%s", d)
	}
}
