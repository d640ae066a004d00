package runbook_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/kmsconform/kmsconform/flows"
	"github.com/kmsconform/kmsconform/render"
)

// writeReport writes rep with render.Write and checks that results.json
// reads back with the same cells.
func writeReport(t *testing.T, dir string, rep *flows.Report) {
	t.Helper()
	if err := render.Write(dir, rep); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var back flows.Report
	if err := json.Unmarshal(b, &back); err != nil || len(back.Cells) != len(rep.Cells) {
		t.Fatalf("results.json: %v, %d cells", err, len(back.Cells))
	}
}
