package render

import (
	"bufio"
	"fmt"
	"html"
	"net/url"
	"strings"
	"time"

	"github.com/kmsconform/kmsconform/flows"
)

// sectionWriter writes the flow sections of report.html: per flow its
// grid, then its positions as full-width panels (worst first, failing ones
// open), each listing its cells and every command as it can be pasted. It
// is plain Go rather than a template: the full matrix has ~15,000 steps
// and this part must render in well under a second.
type sectionWriter struct {
	w       *bufio.Writer
	rp      *replayer
	standIn map[string]bool
}

// esc is text escaped for HTML content and quoted attribute values.
func esc(s string) string { return html.EscapeString(s) }

// frag is "#" + id as an href: percent-encoded, then HTML-escaped.
func frag(id string) string { return "#" + esc(url.PathEscape(id)) }

func (sw *sectionWriter) s(parts ...string) {
	for _, p := range parts {
		sw.w.WriteString(p)
	}
}

func dur(d flows.Duration) string { return time.Duration(d).Round(time.Millisecond).String() }

const siBadge = `<span class="badge si" title="a compat profile stands in: no real binary of this line ran">stand-in</span>`

func (sw *sectionWriter) engine(name string) string {
	if sw.standIn[name] {
		return esc(name) + siBadge
	}
	return esc(name)
}

// flow writes one flow's section.
func (sw *sectionWriter) flow(g *flowGrid) {
	sw.s("<section class=\"flow\" id=\"", esc(g.Anchor), "\">\n<h2>Flow ", fmt.Sprint(g.Flow), ": ", esc(g.Title), "</h2>\n<p class=\"muted\">")
	if g.Seed != "" {
		sw.s("Seed ", esc(g.Seed), ". ")
	}
	sw.s(`<span class="counts">`)
	for _, v := range verdictOrder {
		if n := g.Tally[v]; n > 0 {
			sw.s(`<span><span class="dot `, verdictClass(v), `"></span>`, fmt.Sprint(n), " ", esc(shortWord(v)), "</span>")
		}
	}
	sw.s("</span></p>\n<table class=\"grid\" data-flow=\"", fmt.Sprint(g.Flow), "\">\n<thead><tr><th>producer \\ consumer</th>")
	for _, c := range g.Consumers {
		sw.s("<th>", sw.engine(c), "</th>")
	}
	sw.s("</tr></thead>\n<tbody>\n")
	for i, row := range g.Rows {
		sw.s("<tr><th>", sw.engine(g.Producers[i]), "</th>")
		for _, gc := range row {
			if gc == nil {
				sw.s(`<td class="empty">—</td>`)
				continue
			}
			sw.s(`<td class="`, gc.Class, `"><a href="`, frag(gc.Anchor), `">`, esc(gc.Label), "</a></td>")
		}
		sw.s("</tr>\n")
	}
	sw.s("</tbody></table>\n<div class=\"panels\">\n")
	for _, gc := range g.Positions {
		sw.position(gc)
	}
	sw.s("</div>\n</section>\n")
}

// position writes one grid position's panel and its cells.
func (sw *sectionWriter) position(gc *gridCell) {
	open := ""
	if gc.Open() {
		open = " open"
	}
	sw.s(`<details class="pos `, gc.Class, `" id="`, esc(gc.Anchor), `"`, open, "><summary><b>", esc(gc.Producer), " → ", esc(gc.Consumer), "</b>: ", esc(gc.Label))
	if gc.StandIn {
		sw.s(siBadge)
	}
	sw.s("</summary>\n")
	for _, c := range gc.Cells {
		sw.cell(c)
	}
	sw.s("</details>\n")
}

// cell writes one cell: what was expected, what happened, the doctor's
// diagnosis, the kept files and every step.
func (sw *sectionWriter) cell(c *flows.Cell) {
	cls := verdictClass(c.Verdict)
	open := ""
	if failing(c) {
		open = " open"
	}
	sw.s(`<details class="cell `, cls, `" id="cell-`, esc(c.ID), `"`, open, "><summary>", esc(c.Case), " — ", esc(verdictWord(c.Verdict)))
	if c.Actual.Class != "" {
		sw.s(" (", esc(string(c.Actual.Class)), ")")
	}
	if c.StandIn {
		sw.s(siBadge)
	}
	sw.s(` <span class="muted">`, dur(c.Duration), "</span></summary>\n<div class=\"body\">\n")
	sw.s(`<p><span class="k">cell</span><code>`, esc(c.ID), "</code>")
	if len(c.Params) > 0 {
		sw.s(` <span class="muted">`)
		for _, p := range c.Params {
			sw.s(esc(p.Name), "=", esc(p.Value), " ")
		}
		sw.s("</span>")
	}
	sw.s("</p>\n<p><span class=\"k\">expected</span>", esc(string(c.Expected.Outcome)))
	if len(c.Expected.Classes) > 0 {
		cs := make([]string, len(c.Expected.Classes))
		for i, k := range c.Expected.Classes {
			cs[i] = string(k)
		}
		sw.s(" (", esc(strings.Join(cs, " or ")), ")")
	}
	if c.Expected.Why != "" {
		sw.s(": ", esc(c.Expected.Why))
	}
	actual := string(c.Actual.Outcome)
	if actual == "" {
		actual = string(c.Verdict) // an interrupted cell that never started
	}
	sw.s("</p>\n<p><span class=\"k\">actual</span>", esc(actual))
	if c.Actual.Class != "" {
		sw.s(" <b>", esc(string(c.Actual.Class)), "</b>")
	}
	if c.Actual.Reason != "" {
		sw.s(": ", esc(c.Actual.Reason))
	}
	if c.Actual.FixOutcome != "" {
		sw.s("; documented fix: ", esc(string(c.Actual.FixOutcome)))
		if c.Actual.FixReason != "" {
			sw.s(" (", esc(c.Actual.FixReason), ")")
		}
	}
	sw.s("</p>\n")
	if c.Message != "" {
		sw.s(`<p><span class="k">why</span>`, esc(c.Message), "</p>\n")
	}
	if c.Allowance != "" {
		sw.s(`<p><span class="k">allowance</span>`, esc(c.Allowance), "</p>\n")
	}
	if c.Diagnosis != "" {
		sw.s(`<p class="diag"><span class="k">doctor</span>`, esc(c.Diagnosis), "</p>\n")
	}
	if c.Work != "" {
		sw.s(`<p><span class="k">kept files</span><a href="`, esc(workHref(c.Work)), `">`, esc(c.Work), "/</a> — the commands below run in that directory</p>\n")
	}
	for i := range c.Steps {
		sw.step(&c.Steps[i])
	}
	if c.Diff != "" {
		sw.s(`<pre class="diff">`, esc(c.Diff), "</pre>\n")
	}
	sw.s("</div></details>\n")
}

// step writes one command: who ran it, its exit code and class, the line
// to paste (the page's script adds its copy button), stderr and error.
func (sw *sectionWriter) step(s *flows.Step) {
	if s.ExitCode != 0 || s.Error != "" {
		sw.s(`<div class="st fail"><div class="w">`)
	} else {
		sw.s(`<div class="st"><div class="w">`)
	}
	sw.s(esc(stepWho(*s)), " · exit ", fmt.Sprint(s.ExitCode))
	if s.Class != "" {
		sw.s(" · <b>", esc(string(s.Class)), "</b>")
	}
	if s.Expected != "" {
		sw.s(" · meant to be refused: ", esc(s.Expected))
	}
	sw.s(" · ", dur(s.Duration), "</div><code>", esc(sw.rp.line(*s)), "</code>")
	if s.Stderr != "" {
		sw.s(`<pre class="err">`, esc(s.Stderr), "</pre>")
	}
	if s.Error != "" {
		sw.s(`<pre class="err">error: `, esc(s.Error), "</pre>")
	}
	sw.s("</div>\n")
}

// workHref is the link to a kept work directory: relative, percent-encoded
// per path segment; anything that is not a plain relative path is not linked.
func workHref(work string) string {
	if strings.Contains(work, ":") || strings.HasPrefix(work, "/") || strings.Contains(work, "..") {
		return "#"
	}
	segs := strings.Split(work, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/") + "/"
}
