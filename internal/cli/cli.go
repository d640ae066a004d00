// Package cli is the one command-line contract every kmsconform command
// keeps: its exit codes, its error and hint printer, and "did you mean".
//
//	0   success
//	1   a conformance failure (an unexpected cell, a failing spec, a partner
//	    tool that fails, a doctor diagnosis of a fault)
//	2   a usage error (bad flags, arguments or input files)
//	3   an environment or setup error (KMS unreachable, Docker missing,
//	    report directory not writable) — found before any cell runs
//	130 interrupted (SIGINT or SIGTERM)
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// The exit codes of every kmsconform command.
const (
	ExitOK          = 0
	ExitFailure     = 1
	ExitUsage       = 2
	ExitSetup       = 3
	ExitInterrupted = 130
)

// Prog is the name every message starts with.
const Prog = "kmsconform"

// Error is an error with the exit code it maps to and a hint saying what to
// do next.
type Error struct {
	Code int
	Msg  string
	Hint string
	Err  error
}

func (e *Error) Error() string {
	if e.Err != nil && e.Msg == "" {
		return e.Err.Error()
	}
	if e.Err != nil {
		return e.Msg + ": " + e.Err.Error()
	}
	return e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

// Usage is a usage error (exit 2).
func Usage(msg, hint string) *Error { return &Error{Code: ExitUsage, Msg: msg, Hint: hint} }

// Setup is an environment or setup error (exit 3).
func Setup(err error, hint string) *Error { return &Error{Code: ExitSetup, Err: err, Hint: hint} }

// Failure is a conformance failure (exit 1).
func Failure(msg, hint string) *Error { return &Error{Code: ExitFailure, Msg: msg, Hint: hint} }

// Code returns the exit code err maps to: 0 for nil, 130 for a cancelled
// context, the Error's code, else 1.
func Code(err error) int {
	var e *Error
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &e):
		return e.Code
	case errors.Is(err, context.Canceled):
		return ExitInterrupted
	}
	return ExitFailure
}

// Print writes err to w as "kmsconform: error: ..." and, when it has one,
// "kmsconform: hint: ...", and returns its exit code. A nil err prints
// nothing and returns 0.
func Print(w io.Writer, err error) int {
	if err == nil {
		return ExitOK
	}
	code := Code(err)
	msg := err.Error()
	if code == ExitInterrupted {
		msg = "interrupted"
	}
	Errorf(w, "%s", msg)
	var e *Error
	if errors.As(err, &e) && e.Hint != "" {
		Hintf(w, "%s", e.Hint)
	}
	return code
}

// Exit prints err to stderr (see Print) and exits with its code.
func Exit(err error) {
	os.Exit(Print(os.Stderr, err))
}

// Errorf prints one "kmsconform: error: ..." line.
func Errorf(w io.Writer, format string, a ...any) {
	fmt.Fprintf(w, "%s: error: %s\n", Prog, strings.TrimRight(fmt.Sprintf(format, a...), "\n"))
}

// Warnf prints one "kmsconform: warning: ..." line.
func Warnf(w io.Writer, format string, a ...any) {
	fmt.Fprintf(w, "%s: warning: %s\n", Prog, strings.TrimRight(fmt.Sprintf(format, a...), "\n"))
}

// Hintf prints one "kmsconform: hint: ..." line.
func Hintf(w io.Writer, format string, a ...any) {
	fmt.Fprintf(w, "%s: hint: %s\n", Prog, strings.TrimRight(fmt.Sprintf(format, a...), "\n"))
}

// Suggest returns the candidate closest to got when it is close enough to
// be a typo (edit distance at most a third of its length, at least 1), or "".
func Suggest(got string, candidates []string) string {
	best, bestD := "", 1<<30
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted)
	for _, c := range sorted {
		if d := distance(strings.ToLower(got), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" || bestD > max(1, len(got)/3) {
		return ""
	}
	return best
}

// DidYouMean is Suggest phrased as a hint fragment: ` (did you mean "X"?)`, or "".
func DidYouMean(got string, candidates []string) string {
	if s := Suggest(got, candidates); s != "" {
		return fmt.Sprintf("did you mean %q?", s)
	}
	return ""
}

// distance is the Levenshtein distance of a and b.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
