package render

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kmsconform/kmsconform/failclass"
	"github.com/kmsconform/kmsconform/flows"
)

// Markdown budget: GitHub's step summary takes at most 1 MiB. The overview,
// the list of unexpected cells and the grids are always written; the full
// details of unexpected cells stop once the page reaches mdDetailBudget.
const (
	mdDetailBudget  = 600 << 10
	mdListMax       = 400
	mdStderrMaxLine = 12
	mdStderrMaxLen  = 1500
)

// Markdown writes the report as Markdown (GitHub step summary friendly):
// the status line and header, the overview of every flow as one table,
// the unexpected cells (in full while the size budget lasts), then one
// grid per flow.
func Markdown(w io.Writer, r *flows.Report) error {
	ew := &errWriter{w: w}
	p := func(format string, a ...any) { fmt.Fprintf(ew, format, a...) }
	rp := newReplayer(r)
	status, _ := runStatus(r)
	si := standIns(r)
	p("# kmsconform report\n\n**%s**\n\n", status)
	p("- Started: %s, took %s\n", r.Started.UTC().Format(time.RFC3339), time.Duration(r.Duration).Round(time.Millisecond))
	if r.Tool != "" {
		p("- Tool: %s\n", mdText(r.Tool))
	}
	p("- KMS endpoint: %s\n", mdText(r.KMS))
	p("- Replay: %s\n", mdText(rp.note()))
	if r.Shard != "" {
		p("- Shard: %s\n", r.Shard)
	}
	var cs []string
	for _, c := range counts(r.Cells) {
		cs = append(cs, fmt.Sprintf("%d %s", c.N, c.Word))
	}
	p("- Cells: %d (%s)\n\n", len(r.Cells), strings.Join(cs, ", "))
	p("| Engine | Version | Profile | Evidence |\n|---|---|---|---|\n")
	for _, e := range r.Engines {
		name := mdText(e.Name)
		if e.StandIn {
			name += " † stand-in"
		}
		p("| %s | %s | %s | %s |\n", name, mdText(e.Version), mdText(e.Profile), mdText(evidence(e)))
	}
	gs := grids(r)
	writeOverview(p, r, gs, si)
	var bad, allowed []*flows.Cell
	for i := range r.Cells {
		c := &r.Cells[i]
		switch {
		case failing(c):
			bad = append(bad, c)
		case c.Verdict == flows.Allowed:
			allowed = append(allowed, c)
		}
	}
	p("\n## Unexpected cells (%d)\n\n", len(bad))
	if len(bad) == 0 {
		p("None.\n")
	}
	if bl := blameOf(bad); len(bl) > 0 {
		var parts []string
		for _, b := range bl {
			parts = append(parts, fmt.Sprintf("**%s %s** in %d", b.Role, mdText(b.Engine), b.N))
		}
		p("Involved most: %s of %d.\n\n", strings.Join(parts, ", "), len(bad))
	}
	for i, c := range bad {
		if i == mdListMax {
			p("- … and %d more (see report.html or results.json)\n", len(bad)-mdListMax)
			break
		}
		p("- `%s`%s — %s\n", mdCode(c.ID), standInMark(c), mdText(cellWhy(c)))
	}
	if len(allowed) > 0 {
		p("\nAllowed (unexpected, covered by an allowance; not failures):\n\n")
		for _, c := range allowed {
			p("- `%s` — %s\n", mdCode(c.ID), mdText(c.Allowance))
		}
	}
	for _, g := range gs {
		p("\n## Flow %d: %s\n\n", g.Flow, mdText(g.Title))
		if g.Seed != "" {
			p("Seed: %s. ", mdText(g.Seed))
		}
		var ts []string
		for _, v := range verdictOrder {
			if n := g.Tally[v]; n > 0 {
				ts = append(ts, fmt.Sprintf("%d %s", n, shortWord(v)))
			}
		}
		p("%s.\n\n", strings.Join(ts, ", "))
		p("| producer \\ consumer | %s |\n|---|%s\n", strings.Join(mdEngines(g.Consumers, si), " | "), strings.Repeat("---|", len(g.Consumers)))
		for i, prod := range g.Producers {
			cols := make([]string, len(g.Consumers))
			for j, gc := range g.Rows[i] {
				cols[j] = mdCell(gc)
			}
			p("| %s | %s |\n", mdEngine(prod, si), strings.Join(cols, " | "))
		}
	}
	if len(bad) > 0 {
		p("\n## Unexpected cells in full\n")
		for i, c := range bad {
			if ew.n > mdDetailBudget {
				p("\n%d more unexpected cells are in report.html and results.json (this page stays under GitHub's 1 MiB summary limit).\n", len(bad)-i)
				break
			}
			writeCellDetail(p, rp, c)
		}
	}
	return ew.err
}

// writeOverview writes every flow as rows of one table: flow and producer
// by consumer, each position the symbol of its worst verdict.
func writeOverview(p func(string, ...any), r *flows.Report, gs []*flowGrid, si map[string]bool) {
	var cols []string
	seen := map[string]bool{}
	for _, e := range r.Engines {
		if !seen[e.Name] {
			seen[e.Name] = true
			cols = append(cols, e.Name)
		}
	}
	for _, g := range gs {
		for _, c := range g.Consumers {
			if !seen[c] {
				seen[c] = true
				cols = append(cols, c)
			}
		}
	}
	p("\n## Overview\n\n")
	var legend []string
	for _, v := range verdictOrder {
		legend = append(legend, info(v).Symbol+" "+shortWord(v))
	}
	p("%s; † stand-in engine. Producer in rows, consumer in columns; `n/m` counts the cases of the worst verdict.\n\n", strings.Join(legend, " · "))
	short := make([]string, len(cols))
	for i, c := range cols {
		short[i] = mdText(shortEngine(c))
		if si[c] {
			short[i] += " †"
		}
	}
	p("| flow | producer | %s |\n|---|---|%s\n", strings.Join(short, " | "), strings.Repeat(":-:|", len(cols)))
	for _, g := range gs {
		ci := index(g.Consumers)
		for i, prod := range g.Producers {
			flow := ""
			if i == 0 {
				title := g.Title
				if len(title) > 38 {
					title = title[:37] + "…"
				}
				flow = fmt.Sprintf("**%d** %s", g.Flow, mdText(title))
			}
			row := make([]string, len(cols))
			for j, c := range cols {
				if k, ok := ci[c]; ok {
					row[j] = mdSymbol(g.Rows[i][k])
				}
			}
			p("| %s | %s | %s |\n", flow, mdEngine(shortEngine(prod), map[string]bool{shortEngine(prod): si[prod]}), strings.Join(row, " | "))
		}
	}
}

// writeCellDetail writes one unexpected cell: expectation, outcome,
// diagnosis, kept files and every command as it can be pasted.
func writeCellDetail(p func(string, ...any), rp *replayer, c *flows.Cell) {
	p("\n### %s%s\n\n", mdText(c.ID), standInMark(c))
	p("- Expected: %s%s\n- Actual: %s%s%s\n", c.Expected.Outcome, classesSuffix(c.Expected.Classes), c.Actual.Outcome, classSuffix(c.Actual.Class), textSuffix(c.Actual.Reason))
	if c.Message != "" {
		p("- %s\n", mdText(c.Message))
	}
	if c.Diagnosis != "" {
		p("- Doctor: %s\n", mdText(c.Diagnosis))
	}
	if c.Work != "" {
		p("- Kept files: `%s/` (run the commands there)\n", mdCode(c.Work))
	}
	p("\n```sh\n")
	for _, s := range c.Steps {
		p("# %s (exit %d)\n%s\n", stepWho(s), s.ExitCode, fence(rp.line(s)))
		if s.Stderr != "" {
			p("#   stderr: %s\n", strings.ReplaceAll(fence(clip(s.Stderr)), "\n", "\n#           "))
		}
		if s.Error != "" {
			p("#   error: %s\n", strings.ReplaceAll(fence(clip(s.Error)), "\n", "\n#          "))
		}
	}
	p("```\n")
	if c.Diff != "" {
		p("\n```\n%s\n```\n", fence(strings.TrimRight(c.Diff, "\n")))
	}
}

// evidence is an engine's evidence in one line.
func evidence(e flows.EngineInfo) string {
	var parts []string
	if e.SHA256 != "" {
		parts = append(parts, "sha256 "+e.SHA256)
	}
	if e.Image != "" {
		parts = append(parts, "image "+e.Image)
	}
	if e.ImageID != "" {
		parts = append(parts, e.ImageID)
	}
	if e.Warning != "" {
		parts = append(parts, "warning: "+e.Warning)
	}
	return strings.Join(parts, "; ")
}

// cellWhy is a failing cell's reason in one line.
func cellWhy(c *flows.Cell) string {
	why := c.Message
	if why == "" {
		why = c.Actual.Reason
	}
	if c.Actual.Class != "" {
		why = string(c.Actual.Class) + ": " + why
	}
	return why
}

func standInMark(c *flows.Cell) string {
	if c.StandIn {
		return " († stand-in)"
	}
	return ""
}

// stepWho is "role engine[, fix]".
func stepWho(s flows.Step) string {
	who := string(s.Role)
	if s.Engine != "" {
		who += " " + s.Engine
	}
	if s.Phase == "fix" {
		who += ", fix"
	}
	return who
}

// fence keeps s from closing a Markdown code fence.
func fence(s string) string { return strings.ReplaceAll(s, "```", "'''") }

// clip shortens stderr for the Markdown page.
func clip(s string) string {
	s = strings.TrimRight(s, "\n")
	lines := strings.Split(s, "\n")
	if len(lines) > mdStderrMaxLine {
		s = strings.Join(lines[:mdStderrMaxLine], "\n") + fmt.Sprintf("\n… %d more lines", len(lines)-mdStderrMaxLine)
	}
	if len(s) > mdStderrMaxLen {
		s = s[:mdStderrMaxLen] + "…"
	}
	return s
}

func classesSuffix(cs []failclass.Class) string {
	if len(cs) == 0 {
		return ""
	}
	ss := make([]string, len(cs))
	for i, c := range cs {
		ss[i] = string(c)
	}
	return " (" + mdText(strings.Join(ss, " or ")) + ")"
}

func classSuffix(c failclass.Class) string {
	if s := string(c); s != "" {
		return " **" + s + "**"
	}
	return ""
}

func textSuffix(s string) string {
	if s == "" {
		return ""
	}
	return ": " + mdText(s)
}

// mdCell is a grid position in a flow's grid.
func mdCell(gc *gridCell) string {
	switch {
	case gc == nil:
		return "—"
	case gc.Class == "unexpected":
		return "**" + gc.Label + "**"
	}
	return gc.Label
}

// mdSymbol is a grid position in the overview: the worst verdict's symbol,
// with n/m when the position's cases do not all share it.
func mdSymbol(gc *gridCell) string {
	if gc == nil {
		return ""
	}
	s := info(gc.Worst).Symbol
	n := 0
	for _, c := range gc.Cells {
		if c.Verdict == gc.Worst {
			n++
		}
	}
	if n != len(gc.Cells) {
		s += fmt.Sprintf(" %d/%d", n, len(gc.Cells))
	}
	return s
}

func mdEngine(name string, si map[string]bool) string {
	if si[name] {
		return mdText(name) + " †"
	}
	return mdText(name)
}

func mdEngines(ns []string, si map[string]bool) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = mdEngine(n, si)
	}
	return out
}

// mdText makes s safe inside a Markdown table cell or list item.
func mdText(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	s = strings.ReplaceAll(s, "\n", " ")
	return s
}

// mdCode makes s safe inside `code`.
func mdCode(s string) string { return strings.ReplaceAll(mdText(s), "`", "'") }

// errWriter remembers the first write error and counts the bytes written.
type errWriter struct {
	w   io.Writer
	n   int
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	e.n += len(p)
	if e.err != nil {
		return len(p), nil
	}
	_, e.err = e.w.Write(p)
	return len(p), nil
}
