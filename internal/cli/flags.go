package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"reflect"
	"sort"
	"strings"
)

// Flags is a subcommand's flag set keeping the CLI contract:
//
//   - -h, -help, --help print the usage on stdout; Parse says exit 0;
//   - an unknown flag prints "kmsconform: error: unknown flag --X" and a
//     "did you mean --Y?" hint over the defined flags; a bad value or a
//     missing argument prints the error and a pointer to --help; Parse says
//     exit 2;
//   - the usage lists every flag as "--name PLACEHOLDER" followed by its
//     text verbatim (no backquote magic, which garbles usage texts that quote
//     commands), and its default when it is not the zero value.
//
// Use it as:
//
//	fs := cli.NewFlags("kmsconform images build", "[--versions LINES] [--force]")
//	force := fs.Bool("force", false, "rebuild lines that already have an image")
//	fs.Meta("versions", "LINES")
//	if code, stop := fs.ParseArgs(args); stop {
//		return code
//	}
type Flags struct {
	*flag.FlagSet
	// Command is the full command, e.g. "kmsconform images build".
	Command string
	// Synopsis follows Command on the usage line, e.g. "[--force] FILE...".
	Synopsis string
	// Extra is printed after the flags (examples, notes); may be empty.
	Extra string
	// Stdout receives the usage for --help; Stderr the errors. They
	// default to os.Stdout and os.Stderr.
	Stdout, Stderr io.Writer

	meta map[string]string
}

// NewFlags returns an empty flag set for command (e.g. "kmsconform run")
// whose usage line is "usage: COMMAND SYNOPSIS".
func NewFlags(command, synopsis string) *Flags {
	fs := flag.NewFlagSet(command, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f := &Flags{FlagSet: fs, Command: command, Synopsis: synopsis, meta: map[string]string{}}
	fs.Usage = func() {}
	return f
}

// Meta sets the placeholder shown after --name in the usage (default: N for
// numbers, DURATION for durations, VALUE for others, nothing for booleans).
func (f *Flags) Meta(name, placeholder string) { f.meta[name] = placeholder }

func (f *Flags) stdout() io.Writer {
	if f.Stdout != nil {
		return f.Stdout
	}
	return os.Stdout
}

func (f *Flags) stderr() io.Writer {
	if f.Stderr != nil {
		return f.Stderr
	}
	return os.Stderr
}

// PrintUsage writes the usage line, the flags and Extra to w.
func (f *Flags) PrintUsage(w io.Writer) {
	line := "usage: " + f.Command
	if f.Synopsis != "" {
		line += " " + f.Synopsis
	}
	fmt.Fprintln(w, line)
	type row struct{ left, text string }
	var rows []row
	width := 0
	f.VisitAll(func(fl *flag.Flag) {
		left := "  --" + fl.Name
		if m := f.placeholder(fl); m != "" {
			left += " " + m
		}
		text := fl.Usage
		if d := fl.DefValue; d != "" && !isZeroDefault(fl) {
			text += fmt.Sprintf(" (default %s)", d)
		}
		rows = append(rows, row{left, text})
		width = max(width, len(left))
	})
	if len(rows) > 0 {
		fmt.Fprintln(w, "\nflags:")
	}
	col := min(width, 28) + 4 // where the texts start
	for _, r := range rows {
		lines := wrap(r.text, max(UsageWidth-col, 30))
		if len(r.left) > col-4 {
			fmt.Fprintln(w, r.left)
		} else {
			fmt.Fprintf(w, "%-*s", col, r.left)
			fmt.Fprintln(w, lines[0])
			lines = lines[1:]
		}
		for _, l := range lines {
			fmt.Fprintf(w, "%*s%s\n", col, "", l)
		}
	}
	if f.Extra != "" {
		fmt.Fprintln(w)
		fmt.Fprintln(w, strings.TrimRight(f.Extra, "\n"))
	}
}

// UsageWidth is the width flag texts are wrapped to in a usage.
const UsageWidth = 100

// wrap splits s into lines of at most width characters at spaces (a longer
// word stays whole).
func wrap(s string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		if line != "" && len(line)+1+len(word) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	return append(lines, line)
}

// placeholder names the value of fl in the usage.
func (f *Flags) placeholder(fl *flag.Flag) string {
	if m, ok := f.meta[fl.Name]; ok {
		return m
	}
	if b, ok := fl.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
		return ""
	}
	switch reflect.TypeOf(fl.Value).String() {
	case "*flag.intValue", "*flag.int64Value", "*flag.uintValue", "*flag.uint64Value":
		return "N"
	case "*flag.durationValue":
		return "DURATION"
	case "*flag.float64Value":
		return "X"
	}
	return "VALUE"
}

// isZeroDefault reports whether fl's default is its type's zero value
// (not worth printing).
func isZeroDefault(fl *flag.Flag) bool {
	switch fl.DefValue {
	case "", "0", "false", "0s", "[]":
		return true
	}
	return false
}

// Names lists the defined flags' names, sorted.
func (f *Flags) Names() []string {
	var out []string
	f.VisitAll(func(fl *flag.Flag) { out = append(out, fl.Name) })
	sort.Strings(out)
	return out
}

// Given reports whether the flag name was given on the command line (as
// opposed to holding its default), e.g. so that a gate file's setting
// applies only where no flag says otherwise.
func (f *Flags) Given(name string) bool {
	given := false
	f.Visit(func(fl *flag.Flag) {
		if fl.Name == name {
			given = true
		}
	})
	return given
}

// ParseArgs parses args. When it returns stop=true the command must return
// code at once: 0 after --help (the usage is printed on stdout), 2 after a
// usage error (printed on stderr with a hint).
func (f *Flags) ParseArgs(args []string) (code int, stop bool) {
	err := f.FlagSet.Parse(args)
	if err == nil {
		return ExitOK, false
	}
	if errors.Is(err, flag.ErrHelp) {
		f.PrintUsage(f.stdout())
		return ExitOK, true
	}
	return Print(f.stderr(), f.UsageError(err)), true
}

// UsageError turns an error of flag.FlagSet.Parse into a usage *Error
// (exit 2) with "did you mean" for a mistyped flag.
func (f *Flags) UsageError(err error) *Error {
	help := "see `" + f.Command + " --help`"
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		name = strings.TrimLeft(name, "-")
		hint := help
		if s := Suggest(name, f.Names()); s != "" {
			hint = "did you mean --" + s + "? (" + help + ")"
		}
		return Usage("unknown flag --"+name, hint)
	}
	msg = strings.Replace(msg, "for flag -", "for flag --", 1)
	msg = strings.Replace(msg, "needs an argument: -", "needs an argument: --", 1)
	return Usage(msg, help)
}

// Unexpected is the usage error for a positional argument a command does
// not take.
func (f *Flags) Unexpected(arg string) *Error {
	return Usage(fmt.Sprintf("unexpected argument %q", arg), "see `"+f.Command+" --help`")
}
