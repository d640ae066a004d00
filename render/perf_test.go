package render

import (
	"bytes"
	"encoding/json"
	"io"
	"testing"
	"time"
)

// Limits of the full matrix (1608 cells): report.html must stay small
// enough to open (5 MB), report.md within GitHub's step summary (1 MiB), and
// rendering everything must take under a second.
const (
	maxHTML   = 5_000_000
	maxMD     = 1 << 20
	maxRender = time.Second
)

func TestFullMatrixSizesAndTime(t *testing.T) {
	for _, broken := range []string{"", "openssl-3.5", "all"} {
		r := fullMatrix(broken)
		if broken == "all" {
			// Every cell fails: the worst case for size.
			for i := range r.Cells {
				breakCell(&r.Cells[i])
			}
		}
		if n := len(r.Cells); n < 1500 {
			t.Errorf("the synthetic full matrix has %d cells, want about 1608", n)
		}
		best := time.Hour
		var h, m, j bytes.Buffer
		for range 3 {
			h.Reset()
			m.Reset()
			j.Reset()
			start := time.Now()
			if err := HTML(&h, r); err != nil {
				t.Fatal(err)
			}
			if err := Markdown(&m, r); err != nil {
				t.Fatal(err)
			}
			if err := WriteJUnit(&j, r); err != nil {
				t.Fatal(err)
			}
			if err := json.NewEncoder(io.Discard).Encode(r); err != nil {
				t.Fatal(err)
			}
			best = min(best, time.Since(start))
		}
		t.Logf("broken=%q: %d cells, %d unexpected; report.html %d bytes, report.md %d bytes, junit.xml %d bytes; all formats rendered in %s",
			broken, len(r.Cells), r.Unexpected(), h.Len(), m.Len(), j.Len(), best.Round(time.Millisecond))
		if h.Len() > maxHTML {
			t.Errorf("report.html is %d bytes, over %d", h.Len(), maxHTML)
		}
		if m.Len() > maxMD {
			t.Errorf("report.md is %d bytes, over GitHub's step summary limit %d", m.Len(), maxMD)
		}
		if best > maxRender {
			t.Errorf("rendering took %s, over %s", best, maxRender)
		}
	}
}

// BenchmarkRenderFullMatrix renders all four formats of the full matrix
// with one broken engine (make bench: bench-render).
func BenchmarkRenderFullMatrix(b *testing.B) {
	r := fullMatrix("openssl-3.5")
	var buf, md bytes.Buffer
	html := 0
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		md.Reset()
		if err := HTML(&buf, r); err != nil {
			b.Fatal(err)
		}
		html = buf.Len()
		if err := Markdown(&md, r); err != nil {
			b.Fatal(err)
		}
		if err := WriteJUnit(&buf, r); err != nil {
			b.Fatal(err)
		}
		if err := json.NewEncoder(&buf).Encode(r); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(r.Cells)), "cells")
	b.ReportMetric(float64(html), "html_bytes")
	b.ReportMetric(float64(md.Len()), "md_bytes")
}
