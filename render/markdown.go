package render

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kmsconform/kmsconform/flows"
)

// Markdown writes the report as Markdown: the header, one grid per flow,
// then every unexpected cell in full.
func Markdown(w io.Writer, r *flows.Report) error {
	ew := &errWriter{w: w}
	p := func(format string, a ...any) { fmt.Fprintf(ew, format, a...) }
	total, unexpected := len(r.Cells), r.Unexpected()
	p("# kmsconform report\n\n")
	p("- Started: %s, took %s\n", r.Started.UTC().Format(time.RFC3339), time.Duration(r.Duration).Round(time.Millisecond))
	p("- KMS endpoint: %s\n", mdText(r.KMS))
	if r.Shard != "" {
		p("- Shard: %s\n", r.Shard)
	}
	p("- Cells: %d, unexpected: %d\n\n", total, unexpected)
	p("| Engine | Version | Profile |\n|---|---|---|\n")
	for _, e := range r.Engines {
		p("| %s | %s | %s |\n", mdText(e.Name), mdText(e.Version), mdText(e.Profile))
	}
	p("\nLegend: **pass** = expected pass, **xfail** = expected failure, **UNEXPECTED** = differs from the expectation, n/a = not applicable.\n")
	for _, g := range grids(r) {
		p("\n## Flow %d: %s\n\n", g.Flow, mdText(g.Title))
		if g.Seed != "" {
			p("Seed: %s. ", mdText(g.Seed))
		}
		p("%d expected pass, %d expected failure, %d unexpected, %d n/a.\n\n",
			g.Tally[flows.ExpectedPass], g.Tally[flows.ExpectedFail], g.Tally[flows.Unexpected], g.Tally[flows.Skipped])
		p("| producer \\ consumer | %s |\n|---|%s\n", strings.Join(mdAll(g.Consumers), " | "), strings.Repeat("---|", len(g.Consumers)))
		for i, prod := range g.Producers {
			var cols []string
			for _, gc := range g.Rows[i] {
				cols = append(cols, mdCell(gc))
			}
			p("| %s | %s |\n", mdText(prod), strings.Join(cols, " | "))
		}
	}
	var bad []flows.Cell
	for _, c := range r.Cells {
		if c.Verdict == flows.Unexpected {
			bad = append(bad, c)
		}
	}
	if len(bad) > 0 {
		p("\n## Unexpected results\n")
		for _, c := range bad {
			p("\n### %s\n\n", mdText(c.ID))
			p("- Expected: %s%s\n- Actual: %s%s\n", c.Expected.Outcome, reasonSuffix(c.Expected.Reasons), c.Actual.Outcome, textSuffix(c.Actual.Reason))
			if c.Message != "" {
				p("- %s\n", mdText(c.Message))
			}
			p("\n```\n")
			for _, s := range c.Steps {
				p("%s\n", stepLine(s))
				if s.Stderr != "" {
					p("  stderr: %s\n", strings.ReplaceAll(strings.TrimRight(s.Stderr, "\n"), "\n", "\n          "))
				}
				if s.Error != "" {
					p("  error: %s\n", s.Error)
				}
			}
			p("```\n")
			if c.Diff != "" {
				p("\n```\n%s\n```\n", strings.TrimRight(c.Diff, "\n"))
			}
		}
	}
	return ew.err
}

// stepLine is one step as "[role engine] $ command (exit N)".
func stepLine(s flows.Step) string {
	who := string(s.Role)
	if s.Engine != "" {
		who += " " + s.Engine
	}
	if s.Phase == "fix" {
		who += ", fix"
	}
	return fmt.Sprintf("[%s] $ %s   (exit %d)", who, strings.ReplaceAll(s.Command, "```", "'''"), s.ExitCode)
}

func reasonSuffix(rs []string) string {
	if len(rs) == 0 {
		return ""
	}
	return " (" + mdText(strings.Join(rs, " or ")) + ")"
}

func textSuffix(s string) string {
	if s == "" {
		return ""
	}
	return " (" + mdText(s) + ")"
}

func mdCell(gc gridCell) string {
	switch gc.Class {
	case "unexpected":
		return "**" + gc.Label + "**"
	case "empty":
		return gc.Label
	}
	return gc.Label
}

// mdText makes s safe inside a Markdown table cell.
func mdText(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	s = strings.ReplaceAll(s, "\n", " ")
	return s
}

func mdAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = mdText(s)
	}
	return out
}

// errWriter remembers the first write error.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return len(p), nil
	}
	_, e.err = e.w.Write(p)
	return len(p), nil
}
