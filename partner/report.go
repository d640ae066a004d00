package partner

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/kmsconform/kmsconform/internal/cli"
)

// WriteReport writes dir/partner.json, dir/partner.md and dir/partner.html.
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
	if err := os.WriteFile(filepath.Join(dir, "partner.md"), []byte(b.String()), 0o644); err != nil {
		return err
	}
	var h strings.Builder
	if err := writeHTML(&h, r); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "partner.html"), []byte(h.String()), 0o644)
}

func writeMarkdown(w io.Writer, r *Result) {
	verdict := "PASS"
	if !r.Pass {
		verdict = "FAIL"
	}
	fmt.Fprintf(w, "# Partner tool check: %s\n\n", verdict)
	fmt.Fprintf(w, "- Mode: %s\n- Tool: `%s`\n- Run in: `%s`\n", r.Mode, r.Tool, r.Dir)
	if r.Algorithm != "" {
		fmt.Fprintf(w, "- Promised algorithm: %s\n", r.Algorithm)
	}
	if r.KDF != "" {
		fmt.Fprintf(w, "- Promised secret: %s\n", r.KDF)
	}
	if r.WrappingAlgorithm != "" {
		fmt.Fprintf(w, "- Wrapping algorithm: %s\n", r.WrappingAlgorithm)
	}
	fmt.Fprintf(w, "- KMS: %s\n- Time: %d ms wall; %d ms in the tool, summed over its runs\n\n", r.Endpoint, r.TotalMS, r.ToolMS)
	if p := r.Problem; p != nil {
		fmt.Fprintf(w, "## The tool could not be checked (%s)\n\n%s.\n\n- Command: `%s` (exit %d)\n- Hint: %s\n", p.Class, p.Message, p.Command, p.ExitCode, p.Hint)
		if p.Stderr != "" {
			fmt.Fprintf(w, "- Stderr:\n\n```\n%s\n```\n", strings.TrimRight(p.Stderr, "\n"))
		}
		return
	}
	if p := r.SmokeFailure; p != nil {
		fmt.Fprintf(w, "## The first in-limit run failed\n\n%s.\n\n- Command: `%s` (exit %d)\n\n", p.Message, p.Command, p.ExitCode)
	}
	if len(r.Diagnoses) > 0 {
		fmt.Fprintln(w, "## Diagnosis")
		for i, d := range r.Diagnoses {
			fmt.Fprintf(w, "- %s.\n  - Fix: %s.\n", d, r.Fixes[i])
		}
		fmt.Fprintln(w)
	}
	for _, fp := range r.Fingerprints {
		fmt.Fprintf(w, "## Consistent with: %s\n\n| Stack | Call with this behaviour | Fix |\n|---|---|---|\n", fp.Observed)
		for _, s := range fp.Stacks {
			fmt.Fprintf(w, "| %s | `%s` | `%s` |\n", s.Stack, mdCell(s.Call), mdCell(s.Fix))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "## Cases\n\n| Case | Verdict | Class | Detail |\n|---|---|---|---|")
	for _, c := range r.Cases {
		v := "pass"
		switch {
		case c.Allowance != "":
			v = "allowed: " + mdCell(c.Allowance)
		case !c.Pass:
			v = "**FAIL**"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", c.Name, v, c.Class, mdCell(c.Detail))
	}
	for _, c := range r.Cases {
		if c.Pass {
			continue
		}
		fmt.Fprintf(w, "\n### %s\n\n- Command: `%s` (exit %d, %d ms)\n", c.Name, c.Command, c.ExitCode, c.DurationMS)
		if c.Diagnosis != "" {
			fmt.Fprintf(w, "- Diagnosis: %s\n- Fix: %s\n", c.Diagnosis, c.Fix)
		}
		if c.Fingerprint != nil {
			fmt.Fprintf(w, "- Fingerprint: %s\n", c.Fingerprint.Observed)
		}
		for _, call := range c.Calls {
			fmt.Fprintf(w, "- KMS: %s\n", call)
		}
		if c.InputHex != "" {
			fmt.Fprintf(w, "- Expected: `%s`\n- Got:      `%s`\n", c.InputHex, c.OutputHex)
		}
		if c.Stderr != "" {
			fmt.Fprintf(w, "- Stderr:\n\n```\n%s\n```\n", strings.TrimRight(c.Stderr, "\n"))
		}
	}
}

func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

// Print writes the verdict in kmsconform's error/hint style: the failing
// cases with the tool's stderr, the diagnosis, the stacks consistent with
// the behaviour and their fixes. It returns the exit code: 0 only when
// the tool ran and every case passed, else 1.
func Print(w io.Writer, r *Result) int {
	if r.KMSWarning != "" {
		cli.Warnf(w, "%s", r.KMSWarning)
	}
	if p := r.Problem; p != nil {
		cli.Errorf(w, "%s", p.Message)
		if p.Command != "" {
			cli.Errorf(w, "  command: %s (exit %d)", p.Command, p.ExitCode)
		}
		printStderr(w, p.Stderr)
		cli.Hintf(w, "%s", p.Hint)
		cli.Hintf(w, "no case was run: a tool must complete one in-limit run before any case can pass")
		return cli.ExitFailure
	}
	if p := r.SmokeFailure; p != nil {
		cli.Errorf(w, "%s", p.Message)
		cli.Errorf(w, "  command: %s (exit %d)", p.Command, p.ExitCode)
		printStderr(w, p.Stderr)
	}
	failed := 0
	allowed := 0
	for _, c := range r.Cases {
		if c.failing() {
			failed++
		} else if !c.Pass {
			allowed++
		}
	}
	what := r.Algorithm
	switch r.Mode {
	case ModeDerive:
		what = "ECDH, " + r.KDF
	case ModeWrapImport:
		what = "ImportKeyMaterial, " + r.WrappingAlgorithm
	}
	for _, c := range r.Cases {
		if c.Allowance != "" {
			cli.Warnf(w, "  %s: allowed: %s — %s", c.Name, c.Allowance, c.Detail)
		}
	}
	if failed == 0 && allowed > 0 {
		fmt.Fprintf(w, "%s: partner tool passes %d of %d cases with %s; %d failing case(s) allowed by the gate file\n", cli.Prog, len(r.Cases)-allowed, len(r.Cases), what, allowed)
		return cli.ExitOK
	}
	if failed == 0 {
		fmt.Fprintf(w, "%s: partner tool passes all %d cases with %s (%s; %d ms wall, %d ms in the tool summed over runs)\n", cli.Prog, len(r.Cases), what, r.Endpoint, r.TotalMS, r.ToolMS)
		return cli.ExitOK
	}
	cli.Errorf(w, "the partner tool fails %d of %d cases with %s", failed, len(r.Cases), what)
	for _, c := range r.Cases {
		if !c.failing() {
			continue
		}
		cli.Errorf(w, "  %s: %s", c.Name, c.Detail)
		printStderr(w, c.Stderr)
	}
	for i, d := range r.Diagnoses {
		cli.Hintf(w, "%s.", d)
		if r.Fixes[i] != "" {
			cli.Hintf(w, "fix: %s.", r.Fixes[i])
		}
	}
	for _, fp := range r.Fingerprints {
		if len(fp.Stacks) == 0 {
			continue
		}
		cli.Hintf(w, "observed: %s; consistent with (not proof of) these stacks, each with its fix:", fp.Observed)
		for _, s := range fp.Stacks {
			if s.Call != "" {
				cli.Hintf(w, "  - %s, %s → %s", s.Stack, s.Call, s.Fix)
			} else {
				cli.Hintf(w, "  - %s → %s", s.Stack, s.Fix)
			}
		}
	}
	return cli.ExitFailure
}

// printStderr shows the first lines of a tool's stderr, indented.
func printStderr(w io.Writer, stderr string) {
	lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
	if strings.TrimSpace(stderr) == "" {
		return
	}
	const max = 6
	for i, l := range lines {
		if i == max {
			fmt.Fprintf(w, "    | ... (%d more lines in the report)\n", len(lines)-max)
			break
		}
		fmt.Fprintf(w, "    | %s\n", l)
	}
}
