package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// goTestJSON runs `go test -json` on a throwaway module with a passing, a
// failing and a skipped test, so the input is the real go command's.
func goTestJSON(t *testing.T) []byte {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"go.mod": "module x\n\ngo 1.21\n",
		"a/a_test.go": `package a
import "testing"
func TestOK(t *testing.T)   {}
func TestBad(t *testing.T)  { t.Log("context line"); t.Fatal("boom") }
func TestSkip(t *testing.T) { t.Skip("no Docker: daemon down") }
`,
	}
	for name, body := range files {
		writeFile(t, dir, name, body)
	}
	cmd := exec.Command("go", "test", "-json", "-count=1", "./...")
	cmd.Dir = dir
	out, _ := cmd.Output() // exits 1: a test fails
	if !bytes.Contains(out, []byte(`"Action":"fail"`)) {
		t.Fatalf("go test -json gave no failure: %s", out)
	}
	return out
}

func TestSummarizeRealGoTest(t *testing.T) {
	var out bytes.Buffer
	lines, ok := summarize(bytes.NewReader(goTestJSON(t)), &out)
	if ok {
		t.Error("a failing test summarized as ok")
	}
	if len(lines) != 2 || lines[0] != "test: 1 passed, 1 failed, 1 skipped" ||
		lines[1] != "skipped: 1 of 3 because no Docker: daemon down (x/a 1)" {
		t.Errorf("closing lines %q", lines)
	}
	for _, want := range []string{"context line", "boom", "--- FAIL: TestBad", "FAIL\tx/a"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "TestOK") {
		t.Errorf("a passing test's output is shown:\n%s", out.String())
	}
}

// TestSummarizeGinkgo: a Ginkgo suite counts by spec, with the suite's
// SKIPPING line as the reason.
func TestSummarizeGinkgo(t *testing.T) {
	var in bytes.Buffer
	enc := json.NewEncoder(&in)
	p := "github.com/kmsconform/kmsconform/suites/crossversion"
	for _, ev := range []event{
		{Action: "output", Package: p, Test: "TestCrossVersion", Output: "!!!!! crossversion: SKIPPING every container spec: no Docker: daemon down (set X)\n"},
		{Action: "output", Package: p, Test: "TestCrossVersion", Output: "\x1b[38;5;10m\x1b[1mSUCCESS!\x1b[0m -- \x1b[1m2 Passed\x1b[0m | \x1b[1m0 Failed\x1b[0m | \x1b[1m0 Pending\x1b[0m | \x1b[1m1708 Skipped\x1b[0m\n"},
		{Action: "pass", Package: p, Test: "TestCrossVersion"},
		{Action: "pass", Package: p},
	} {
		_ = enc.Encode(ev)
	}
	lines, ok := summarize(&in, &bytes.Buffer{})
	if !ok || len(lines) != 2 || lines[0] != "test: 2 passed, 0 failed, 1708 skipped" ||
		lines[1] != "skipped: 1708 of 1710 because no Docker: daemon down (set X) (suites/crossversion 1708)" {
		t.Errorf("ok %v lines %q", ok, lines)
	}
}

func writeFile(t *testing.T, dir, name, body string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}
