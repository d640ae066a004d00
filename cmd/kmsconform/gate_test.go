package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kmsconform/kmsconform/flows"
)

// TestRunGate runs `kmsconform run --gate FILE` for real: the gate file's
// engines and flows select the cells, a stale allowance is a warning, and
// an error with --strict; a bad gate file is a usage error naming its line.
func TestRunGate(t *testing.T) {
	dir := t.TempDir()
	gatePath := filepath.Join(dir, "kmsconform.yaml")
	if err := os.WriteFile(gatePath, []byte(`engines: [oracle]
flows: ["7"]
allow:
  - id: "7/no-such-case/*"
    reason: "covers nothing"
    until: 2099-12-31
`), 0o644); err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(dir, "report")
	r := kmsconform(t, "run", "--gate", gatePath, "--report", report)
	if r.code != 0 || !strings.Contains(r.stderr, "matches no spec or cell") {
		t.Fatalf("run --gate: exit %d, want 0 with a stale warning\n%s", r.code, r.all())
	}
	b, err := os.ReadFile(filepath.Join(report, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep flows.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Cells) == 0 {
		t.Fatal("no cells ran")
	}
	for _, c := range rep.Cells {
		if c.Flow != 7 || c.Producer != "oracle" {
			t.Fatalf("cell %s: the gate file's engines and flows were not applied", c.ID)
		}
	}

	if r := kmsconform(t, "run", "--gate", gatePath, "--strict"); r.code != 1 || !strings.Contains(r.stderr, "stale allowances") {
		t.Fatalf("run --gate --strict: exit %d, want 1 naming the stale allowance\n%s", r.code, r.all())
	}

	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("allow:\n  - id: x\n    reasn: typo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := kmsconform(t, "run", "--gate", bad); r.code != 2 || !strings.Contains(r.stderr, "bad.yaml:3") {
		t.Fatalf("run with a bad gate file: exit %d, want 2 naming bad.yaml:3\n%s", r.code, r.all())
	}
}
