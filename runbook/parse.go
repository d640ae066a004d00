package runbook

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// Format is how a runbook file is read.
type Format string

// The formats Parse knows.
const (
	Shell    Format = "shell"
	Markdown Format = "markdown"
)

// Runbook is a parsed runbook: its directives and the bash script it
// compiles to, line for line (script line N is FILE line N, so bash's
// LINENO is the line as written in FILE).
type Runbook struct {
	// File is the path as given; Name its base name.
	File, Name string
	// Format is shell or markdown.
	Format Format
	// Title is the first Markdown heading or the file name.
	Title string
	// Script holds one bash line per FILE line (prose and fences blank).
	Script []string
	// Code marks the FILE lines (1-based index) that are commands.
	Code []bool
	// Keys, Files, Roles, Same and Expect are the directives, in order.
	Keys   []KeyDecl
	Files  []FileDecl
	Roles  []RoleDecl
	Same   []SameDecl
	Expect []ExpectDecl
	// start maps a line to the first line of the logical command holding it
	// (backslash continuations).
	start []int
}

// Problem is one thing wrong with a runbook's input, at FILE:LINE.
type Problem struct {
	File string
	Line int
	Msg  string
	Hint string
}

func (p Problem) String() string { return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg) }

// InputError lists every problem found in a runbook before anything runs.
type InputError struct{ Problems []Problem }

func (e *InputError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// Hint is the first problem's hint.
func (e *InputError) Hint() string {
	for _, p := range e.Problems {
		if p.Hint != "" {
			return p.Hint
		}
	}
	return ""
}

var (
	shellDirective = regexp.MustCompile(`^\s*#\s*kmsconform:\s*(.*?)\s*$`)
	mdDirective    = regexp.MustCompile(`^\s*<!--\s*kmsconform:\s*(.*?)\s*-->\s*$`)
	fenceRE        = regexp.MustCompile("^ {0,3}(```+|~~~+)\\s*([^\\s`]*)")
	headingRE      = regexp.MustCompile(`^#{1,6}\s+(.+?)\s*#*\s*$`)
)

// runTags are the fence info strings whose blocks run; "" is untagged.
var runTags = map[string]bool{"": true, "bash": true, "sh": true, "shell": true, "console": false}

// ParseFile reads and parses the runbook at path.
func ParseFile(path string) (*Runbook, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, &InputError{[]Problem{{File: path, Line: 0, Msg: fmt.Sprintf("cannot read the runbook: %v", err), Hint: "give the path of a shell script or a Markdown file"}}}
	}
	return Parse(path, src)
}

// FormatOf tells the format from the file name: .md and .markdown are
// Markdown, anything else is shell.
func FormatOf(path string) Format {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".md", ".markdown", ".mdown":
		return Markdown
	}
	return Shell
}

// Parse parses src as the runbook file path and checks it. Every problem
// is returned at once in an *InputError.
func Parse(path string, src []byte) (*Runbook, error) {
	text := strings.ReplaceAll(string(src), "\r\n", "\n")
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	rb := &Runbook{File: path, Name: filepath.Base(path), Format: FormatOf(path), Title: filepath.Base(path),
		Script: make([]string, len(lines)), Code: make([]bool, len(lines)+1)}
	var probs []Problem
	type raw struct {
		line int
		text string
	}
	var directives []raw
	if rb.Format == Markdown {
		inFence, fence, runs := false, "", false
		for i, l := range lines {
			n := i + 1
			if inFence && closesFence(l, fence) {
				inFence = false
				continue
			}
			if m := fenceRE.FindStringSubmatch(l); m != nil && !inFence {
				inFence, fence, runs = true, m[1], runTags[strings.ToLower(m[2])]
				continue
			}
			switch {
			case inFence && runs:
				if d := shellDirective.FindStringSubmatch(l); d != nil {
					directives = append(directives, raw{n, d[1]})
					continue
				}
				rb.Script[i] = l
				rb.Code[n] = true
			case inFence:
			default:
				if d := mdDirective.FindStringSubmatch(l); d != nil {
					directives = append(directives, raw{n, d[1]})
				} else if h := headingRE.FindStringSubmatch(l); h != nil && rb.Title == rb.Name {
					rb.Title = h[1]
				}
			}
		}
	} else {
		for i, l := range lines {
			n := i + 1
			if d := shellDirective.FindStringSubmatch(l); d != nil {
				directives = append(directives, raw{n, d[1]})
				continue
			}
			rb.Script[i] = l
			t := strings.TrimSpace(l)
			rb.Code[n] = t != "" && !strings.HasPrefix(t, "#")
			if c, ok := strings.CutPrefix(t, "# "); ok && rb.Title == rb.Name && n <= 5 {
				// The first comment names the runbook, up to a colon or full stop.
				if j := strings.IndexAny(c, ":."); j > 0 {
					c = c[:j]
				}
				rb.Title = strings.TrimSpace(c)
			}
		}
	}
	for _, d := range directives {
		if p := rb.directive(d.line, d.text); p != nil {
			probs = append(probs, *p)
		}
	}
	rb.computeStarts()
	probs = append(probs, rb.check()...)
	if len(probs) > 0 {
		return rb, &InputError{Problems: probs}
	}
	return rb, nil
}

// computeStarts records, for every line, where its logical command starts.
func (rb *Runbook) computeStarts() {
	rb.start = make([]int, len(rb.Script)+2)
	cur := 0
	for i, l := range rb.Script {
		n := i + 1
		if cur == 0 {
			cur = n
		}
		rb.start[n] = cur
		if !strings.HasSuffix(strings.TrimRight(l, " \t"), `\`) {
			cur = 0
		}
	}
}

// CommandStart returns the first line of the command that holds line.
func (rb *Runbook) CommandStart(line int) int {
	if line > 0 && line < len(rb.start) && rb.start[line] > 0 {
		return rb.start[line]
	}
	return line
}

// Line returns FILE's line n as written (for messages), or "".
func (rb *Runbook) Line(n int) string {
	if n < 1 || n > len(rb.Script) {
		return ""
	}
	return rb.Script[n-1]
}

// RoleAt returns the role in force at line n ("" before any role directive).
func (rb *Runbook) RoleAt(n int) string {
	role := ""
	for _, r := range rb.Roles {
		if r.Line <= n {
			role = r.Role
		}
	}
	return role
}

// check finds the problems that need the whole runbook: no role, a `same`
// naming a file that never appears.
func (rb *Runbook) check() []Problem {
	var probs []Problem
	if len(rb.Roles) == 0 {
		hint := "add `# kmsconform: role partner` above the partner's commands and `# kmsconform: role owner` above yours"
		if rb.Format == Markdown {
			hint = "add `<!-- kmsconform: role partner -->` above the partner's steps and `<!-- kmsconform: role owner -->` above yours"
		}
		probs = append(probs, Problem{File: rb.File, Line: 1, Msg: "no role directive: kmsconform cannot tell the partner's commands from the owner's", Hint: hint})
	}
	code := rb.codeText()
	for _, s := range rb.Same {
		for _, f := range []string{s.A, s.B} {
			if rb.declaresFile(f) || mentions(code, f) {
				continue
			}
			probs = append(probs, Problem{File: rb.File, Line: s.Line, Msg: fmt.Sprintf("same: file %q never appears in the runbook's commands", f),
				Hint: "name files the commands write, as they are spelled there (relative to the work directory)" + didYouMean(f, rb.words())})
		}
	}
	return probs
}

func (rb *Runbook) declaresFile(name string) bool {
	for _, f := range rb.Files {
		if f.Name == name {
			return true
		}
	}
	return false
}

func (rb *Runbook) codeText() string {
	var b strings.Builder
	for i, l := range rb.Script {
		if rb.Code[i+1] {
			b.WriteString(l)
			b.WriteString("\n")
		}
	}
	return b.String()
}

var wordRE = regexp.MustCompile(`[A-Za-z0-9_./-]+`)

// words lists the file-like words of the commands (for "did you mean").
func (rb *Runbook) words() []string {
	seen := map[string]bool{}
	var out []string
	for _, w := range wordRE.FindAllString(rb.codeText(), -1) {
		w = strings.TrimPrefix(w, "./")
		if !seen[w] && !strings.HasPrefix(w, "-") {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// mentions reports whether name occurs in code as a whole word (./name too).
func mentions(code, name string) bool {
	re := regexp.MustCompile(`(^|[^A-Za-z0-9_.-])(\./)?` + regexp.QuoteMeta(strings.TrimPrefix(name, "./")) + `($|[^A-Za-z0-9_-])`)
	return re.MatchString(code)
}

// closesFence reports whether l closes a fence opened with fence: only
// fence characters, at least as many.
func closesFence(l, fence string) bool {
	t := strings.TrimSpace(l)
	return len(t) >= len(fence) && strings.Trim(t, fence[:1]) == ""
}
