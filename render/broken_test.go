package render

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kmsconform/kmsconform/diagnose"
	"github.com/kmsconform/kmsconform/flows"
)

// TestBrokenOpenSSLEndToEnd runs flow 3 (enc variants) with the host
// openssl and a deliberately broken one — a wrapper whose enc derives
// legacy keys with md5 whatever -md says — keeping failing cells' files, lets the
// doctor diagnose them, renders the report and opens it in chromium: the
// first screen must show the unexpected cells and name the broken engine,
// the failing cells must carry the doctor's verdict, and the commands name
// the broken binary by its path.
func TestBrokenOpenSSLEndToEnd(t *testing.T) {
	real, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("no host openssl")
	}
	bin := filepath.Join(t.TempDir(), "broken")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(bin, "openssl")
	// Without -pbkdf2 it derives enc keys with md5 whatever -md says.
	script := "#!/bin/sh\ncase \"$1 $*\" in\n\"enc \"*-pbkdf2*) ;;\n\"enc \"*) exec " + real + " \"$@\" -md md5 ;;\nesac\nexec " + real + " \"$@\"\n"
	if err := os.WriteFile(broken, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	k, err := flows.OpenKMS(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	f, ok := flows.Lookup(3)
	if !ok {
		t.Fatal("flow 3 is not registered")
	}
	name := "host:" + broken
	dir := filepath.Join(t.TempDir(), "report")
	rep, err := flows.Run(ctx, flows.Options{Cells: flows.Plan([]*flows.Flow{f}, []string{"host", name}), KMS: k, Parallel: 2, KeepWork: dir})
	if err != nil {
		t.Fatal(err)
	}
	bad := rep.Unexpected()
	if bad == 0 {
		t.Fatal("the broken openssl made no cell fail")
	}
	n := diagnose.CellsWith(ctx, rep, dir, diagnose.Options{KMS: k.Client, Max: 3})
	if n == 0 {
		t.Error("the doctor diagnosed no failing cell")
	}
	if err := Write(dir, rep); err != nil {
		t.Fatal(err)
	}
	html, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	h := string(html)
	for _, want := range []string{"md5", `class="diag"`, esc(flows.ShellQuote(broken)) + " enc", "kept files"} {
		if !strings.Contains(h, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	for _, c := range rep.Cells {
		if c.Verdict == flows.Unexpected && c.Work != "" {
			if st, err := os.Stat(filepath.Join(dir, c.Work)); err != nil || !st.IsDir() {
				t.Errorf("cell %s: kept files %s missing: %v", c.ID, c.Work, err)
			}
		}
	}
	if shot := os.Getenv("KMSCONFORM_E2E_SCREENSHOT"); shot != "" {
		chromium(t, []string{"--screenshot=" + shot}, "file://"+filepath.Join(dir, "report.html"))
		for _, c := range rep.Cells {
			if c.Verdict == flows.Unexpected && c.Diagnosis != "" {
				chromium(t, []string{"--screenshot=" + strings.TrimSuffix(shot, ".png") + "-cell.png"}, "file://"+filepath.Join(dir, "report.html")+frag("cell-"+c.ID))
				t.Logf("cell %s: %s", c.ID, c.Diagnosis)
				break
			}
		}
		for _, c := range rep.Cells {
			if c.Verdict == flows.Unexpected {
				t.Logf("DIAG %s: %q", c.ID, c.Diagnosis)
			}
		}
	}
	l, dom, _ := probe(t, rep)
	firstScreen(t, l, 1)
	if l.FailingCells != bad || l.OpenFailing != bad {
		t.Errorf("%d failing cells in the DOM, %d open; the run has %d", l.FailingCells, l.OpenFailing, bad)
	}
	if l.FirstItem == nil || l.FirstItem.Bottom > float64(l.VH) {
		t.Errorf("the first unexpected cell is not on the first screen: %+v", l.FirstItem)
	}
	if !strings.Contains(dom, "Involved most: <b>") || !strings.Contains(dom, esc(name)+"</b>") {
		t.Error("the unexpected list does not name the broken engine")
	}
	t.Logf("%d cells, %d unexpected, %d diagnosed; first diagnosis: %s", len(rep.Cells), bad, n, firstDiagnosis(rep))
}

func firstDiagnosis(r *flows.Report) string {
	for _, c := range r.Cells {
		if c.Diagnosis != "" {
			return c.ID + ": " + c.Diagnosis
		}
	}
	return ""
}
