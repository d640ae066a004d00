package runbook

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/kmsconform/kmsconform/failclass"
	"github.com/kmsconform/kmsconform/flows"
)

// record is one line of a cell's trace file: D (a runbook command, before
// it runs), E (the command that failed), R (a role switch), O (an openssl
// run by the wrapper), A (an aws CLI call).
type record struct {
	kind byte
	f    []string
}

type trace []record

func readTrace(path string) trace {
	fh, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer fh.Close()
	var t trace
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	// bash runs the DEBUG trap again in a pipeline's subshells: keep one D
	// record per command text while the line stays the same.
	dLine, seen := "", map[string]bool{}
	for sc.Scan() {
		l := sc.Text()
		if len(l) < 2 || l[1] != '\t' {
			continue
		}
		r := record{kind: l[0], f: strings.Split(l[2:], "\t")}
		if r.kind == 'D' {
			if r.get(0) != dLine {
				dLine, seen = r.get(0), map[string]bool{}
			}
			if seen[r.get(1)] {
				continue
			}
			seen[r.get(1)] = true
		}
		t = append(t, r)
	}
	return t
}

func atoi(s string) int { n, _ := strconv.Atoi(strings.TrimSpace(s)); return n }

func (r record) get(i int) string {
	if i < len(r.f) {
		return r.f[i]
	}
	return ""
}

// line is the runbook line a record belongs to.
func (r record) line() int { return atoi(r.get(0)) }

func isTool(cmd string) bool {
	first := strings.Fields(cmd)
	return len(first) > 0 && (first[0] == "openssl" || first[0] == "aws")
}

// excerpt reads at most 2 KiB of a stderr file.
func excerpt(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	if len(b) > 2048 {
		b = append(b[:2048], "…"...)
	}
	return string(b)
}

// secretRE finds secrets written on command lines (passwords, raw keys,
// key material given to a KDF); reports show them as ***.
var secretRE = regexp.MustCompile(`(pass:|-K |-k |hexkey:|hexsecret:|hexpass:|key:|secret:)('[^']*'|"[^"]*"|\S+)`)

// redact hides secrets in a recorded command line.
func redact(s string) string { return secretRE.ReplaceAllString(s, "${1}***") }

var roleOf = map[string]flows.Role{RolePartner: flows.Producer, RoleOwner: flows.Consumer}

// steps turns the trace into flows.Steps: every openssl and aws run (role,
// engine, exit code, stderr) and every other command of the runbook as a
// harness step. Each command ends with `# FILE:LINE`.
func (t trace) steps(rb *Runbook) []flows.Step {
	var out []flows.Step
	for _, r := range t {
		where := fmt.Sprintf("  # %s:%d", rb.Name, rb.CommandStart(r.line()))
		switch r.kind {
		case 'D':
			if isTool(r.get(1)) {
				continue // its O or A record follows
			}
			out = append(out, flows.Step{Role: flows.Harness, Phase: "run", Command: redact(r.get(1)) + where})
		case 'O':
			s := flows.Step{Role: roleOf[r.get(1)], Engine: r.get(2), Phase: "run", Command: redact(r.get(6)) + where,
				ExitCode: atoi(r.get(3)), Stderr: excerpt(r.get(5)), Duration: flows.Duration(time.Duration(atoi(r.get(4))) * time.Microsecond)}
			if s.ExitCode != 0 {
				s.Class = failclass.Stderr(s.ExitCode, s.Stderr)
			}
			out = append(out, s)
		case 'A':
			s := flows.Step{Role: flows.KMSRole, Phase: "run", Command: redact(r.get(5)) + where,
				ExitCode: atoi(r.get(2)), Stderr: excerpt(r.get(4)), Duration: flows.Duration(time.Duration(atoi(r.get(3))) * time.Microsecond)}
			if s.ExitCode != 0 {
				s.Class = awsClass(s.ExitCode, s.Stderr)
			}
			out = append(out, s)
		}
	}
	return out
}

// awsClass classifies a failed aws CLI call: a KMS error code in its
// stderr ("An error occurred (InvalidCiphertextException) when calling"),
// a connection failure, else the stderr rules.
func awsClass(exit int, stderr string) failclass.Class {
	if i := strings.Index(stderr, "An error occurred ("); i >= 0 {
		rest := stderr[i+len("An error occurred ("):]
		if j := strings.Index(rest, ")"); j > 0 {
			return failclass.KMS(rest[:j])
		}
	}
	if strings.Contains(stderr, "Could not connect to the endpoint") || strings.Contains(stderr, "Connection refused") {
		return failclass.KMSUnavailable
	}
	return failclass.Stderr(exit, stderr)
}

// lastLine is the line of the last runbook command that started.
func (t trace) lastLine() int {
	for i := len(t) - 1; i >= 0; i-- {
		if t[i].kind == 'D' {
			return t[i].line()
		}
	}
	return 0
}

func (t trace) lastCommand() string {
	for i := len(t) - 1; i >= 0; i-- {
		if t[i].kind == 'D' {
			return t[i].get(1)
		}
	}
	return ""
}

// failure explains a runbook that exited non-zero: the failing line (from
// the ERR trap), the first tool that failed on it, its class and the error
// line of its stderr.
func (t trace) failure(rb *Runbook, exit int, bashStderr string, steps []flows.Step) flows.Actual {
	line, cmd, ps := 0, "", ""
	for i := len(t) - 1; i >= 0; i-- {
		if t[i].kind == 'E' {
			exit, line, cmd, ps = atoi(t[i].get(0)), atoi(t[i].get(1)), t[i].get(2), t[i].get(3)
			break
		}
	}
	if line == 0 {
		line, cmd = t.lastLine(), t.lastCommand()
	}
	start := rb.CommandStart(line)
	// The first openssl or aws run on that line that failed is the cause
	// (with pipefail, a pipeline's status is its last failure; the first
	// is the one that broke it).
	for _, r := range t {
		if (r.kind == 'O' || r.kind == 'A') && rb.CommandStart(r.line()) == start {
			code, errf, command := atoi(r.get(3)), r.get(5), r.get(6)
			if r.kind == 'A' {
				code, errf, command = atoi(r.get(2)), r.get(4), r.get(5)
			}
			if code == 0 {
				continue
			}
			se := excerpt(errf)
			class := failclass.Stderr(code, se)
			if r.kind == 'A' {
				class = awsClass(code, se)
			}
			return flows.Actual{Outcome: flows.Fail, Class: class,
				Reason: fmt.Sprintf("%s:%d: `%s` exited %d: %s", rb.File, start, redact(command), code, failclass.ErrorLine(se))}
		}
	}
	// A harness command: PIPESTATUS says which element of the pipeline
	// failed first; the pipeline's commands are the last D records of the line.
	var ds []string
	for _, r := range t {
		if r.kind == 'D' && rb.CommandStart(r.line()) == start {
			ds = append(ds, r.get(1))
		}
	}
	if st := strings.Fields(ps); len(st) > 1 && len(ds) >= len(st) {
		ds = ds[len(ds)-len(st):]
		for i, s := range st {
			if s != "0" {
				cmd, exit = ds[i], atoi(s)
				break
			}
		}
	}
	se := tail(bashStderr, 10)
	return flows.Actual{Outcome: flows.Fail, Class: failclass.Stderr(exit, se),
		Reason: fmt.Sprintf("%s:%d: `%s` exited %d: %s", rb.File, start, redact(cmd), exit, failclass.ErrorLine(se))}
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	ls := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(ls) > n {
		ls = ls[len(ls)-n:]
	}
	return strings.Join(ls, "\n")
}
