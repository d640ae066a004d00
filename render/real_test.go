package render

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kmsconform/kmsconform/flows"
)

// TestRendersARealRun runs flow 4 ("bad decrypt" across versions) with the
// host openssl and the oracle against the in-process KMS fake, renders the
// result and checks that every cell is in both files.
func TestRendersARealRun(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	k, err := flows.OpenKMS(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	f, ok := flows.Lookup(4)
	if !ok {
		t.Fatal("flow 4 is not registered")
	}
	cells := flows.Plan([]*flows.Flow{f}, []string{"host", "oracle"})
	rep, err := flows.Run(ctx, flows.Options{Cells: cells, KMS: k, Parallel: 4})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Cells) == 0 {
		t.Fatal("flow 4 produced no cells")
	}
	dir := t.TempDir()
	if err := Write(dir, rep); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	html, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "## Flow 4: "+rep.Cells[0].FlowTitle) {
		t.Errorf("report.md has no section for flow 4:\n%s", md)
	}
	for _, e := range rep.Engines {
		if !strings.Contains(string(md), e.Version) || !strings.Contains(string(html), htmlEscape(e.Version)) {
			t.Errorf("engine %s version %q missing from the header", e.Name, e.Version)
		}
	}
	for _, c := range rep.Cells {
		if !strings.Contains(string(html), `id="cell-`+htmlEscape(c.ID)+`"`) {
			t.Errorf("report.html lacks cell %s", c.ID)
		}
	}
	if n := strings.Count(string(html), `<table class="grid"`); n != 1 {
		t.Errorf("%d grids for one flow", n)
	}
}

// htmlEscape escapes s as html/template does in text and attributes.
func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;", "+", "&#43;").Replace(s)
}
