package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/kmsconform/kmsconform/flows"
)

// Write writes every report format of r into dir, creating it:
// junit.xml, results.json, report.md and report.html.
func Write(dir string, r *flows.Report) error {
	if r == nil {
		return fmt.Errorf("render: no results to render")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	var junit, results, md, html bytes.Buffer
	if err := WriteJUnit(&junit, r); err != nil {
		return err
	}
	enc := json.NewEncoder(&results)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	if err := Markdown(&md, r); err != nil {
		return err
	}
	if err := HTML(&html, r); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		b    *bytes.Buffer
	}{{"junit.xml", &junit}, {"results.json", &results}, {"report.md", &md}, {"report.html", &html}} {
		if err := os.WriteFile(filepath.Join(dir, f.name), f.b.Bytes(), 0o644); err != nil {
			return fmt.Errorf("render: %w", err)
		}
	}
	return nil
}
