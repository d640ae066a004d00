package partner

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// WriteReport writes dir/partner.json and dir/partner.md.
func WriteReport(dir string, r *Result) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	js, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "partner.json"), append(js, '\n'), 0o644); err != nil {
		return err
	}
	var b strings.Builder
	writeMarkdown(&b, r)
	return os.WriteFile(filepath.Join(dir, "partner.md"), []byte(b.String()), 0o644)
}

func writeMarkdown(w io.Writer, r *Result) {
	verdict := "PASS"
	if !r.Pass {
		verdict = "FAIL"
	}
	fmt.Fprintf(w, "# Partner tool check: %s\n\n", verdict)
	fmt.Fprintf(w, "- Tool: `%s`\n- Promised algorithm: %s\n- Hybrid: %v\n- KMS: %s\n\n", r.Tool, r.Algorithm, r.Hybrid, r.Endpoint)
	if len(r.Diagnoses) > 0 {
		fmt.Fprintln(w, "## Diagnosis")
		for i, d := range r.Diagnoses {
			fmt.Fprintf(w, "- %s.\n  - Fix: %s.\n", d, r.Fixes[i])
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "## Cases\n\n| Case | Verdict | Detail |\n|---|---|---|")
	for _, c := range r.Cases {
		v := "pass"
		if !c.Pass {
			v = "**FAIL**"
		}
		fmt.Fprintf(w, "| %s | %s | %s |\n", c.Name, v, strings.ReplaceAll(c.Detail, "|", `\|`))
	}
	for _, c := range r.Cases {
		if c.Pass {
			continue
		}
		fmt.Fprintf(w, "\n### %s\n\n- Command: `%s` (exit %d, %d ms)\n", c.Name, c.Command, c.ExitCode, c.DurationMS)
		if c.Diagnosis != "" {
			fmt.Fprintf(w, "- Diagnosis: %s\n", c.Diagnosis)
		}
		for _, call := range c.Calls {
			fmt.Fprintf(w, "- KMS: %s\n", call)
		}
		if c.InputHex != "" {
			fmt.Fprintf(w, "- Input:  `%s`\n- Output: `%s`\n", c.InputHex, c.OutputHex)
		}
		if c.Stderr != "" {
			fmt.Fprintf(w, "- Stderr:\n\n```\n%s\n```\n", strings.TrimRight(c.Stderr, "\n"))
		}
	}
}

// Print writes the verdict in kmsconform's error/hint style: the failing
// cases, the diagnosis and the fix. It returns the exit code (0 only when
// every case passed).
func Print(w io.Writer, r *Result) int {
	failed := 0
	for _, c := range r.Cases {
		if !c.Pass {
			failed++
		}
	}
	if failed == 0 {
		fmt.Fprintf(w, "kmsconform: partner tool passes all %d cases with %s (%s)\n", len(r.Cases), r.Algorithm, r.Endpoint)
		return 0
	}
	fmt.Fprintf(w, "kmsconform: error: the partner tool fails %d of %d cases with %s\n", failed, len(r.Cases), r.Algorithm)
	for _, c := range r.Cases {
		if !c.Pass {
			fmt.Fprintf(w, "kmsconform: error:   %s: %s\n", c.Name, c.Detail)
		}
	}
	for i, d := range r.Diagnoses {
		fmt.Fprintf(w, "kmsconform: hint: %s.\n", d)
		if r.Fixes[i] != "" {
			fmt.Fprintf(w, "kmsconform: hint: fix: %s.\n", r.Fixes[i])
		}
	}
	return 1
}
