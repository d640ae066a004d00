package render

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/kmsconform/kmsconform/flows"
)

// Write renders r into dir/report.md and dir/report.html, creating dir.
// The run command calls it after writing junit.xml and results.json.
func Write(dir string, r *flows.Report) error {
	if r == nil {
		return fmt.Errorf("render: no results to render")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	var md, html bytes.Buffer
	if err := Markdown(&md, r); err != nil {
		return err
	}
	if err := HTML(&html, r); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "report.md"), md.Bytes(), 0o644); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "report.html"), html.Bytes(), 0o644); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	return nil
}
