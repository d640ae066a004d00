// Command kmsconform is the conformance harness's one binary: a thin layer
// of flag parsing and error printing over the library packages.
//
//	kmsconform openssl [--compat V] CMD ...   drop-in openssl (the oracle)
//	kmsconform kms serve ...                  the KMS fake as a server
//	kmsconform run ...                        run the documented flows
//
// Every command keeps the contract of package internal/cli: exit 0 success,
// 1 conformance failure, 2 usage error, 3 environment/setup error, 130
// interrupted; `--help` exits 0.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/kmsconform/kmsconform/internal/cli"
)

// subcommand runs one top-level subcommand with its arguments and returns
// the process exit code.
type subcommand struct {
	summary string
	run     func(args []string) int
}

// subcommands is filled by the init functions of the files beside this one.
var subcommands = map[string]subcommand{}

func register(name, summary string, run func(args []string) int) {
	if _, dup := subcommands[name]; dup {
		panic("kmsconform: duplicate subcommand " + name)
	}
	subcommands[name] = subcommand{summary: summary, run: run}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: kmsconform COMMAND [ARGS...]")
	fmt.Fprintln(w, "       kmsconform COMMAND --help    a command's own usage")
	fmt.Fprintln(w, "       kmsconform --version")
	fmt.Fprintln(w, "\ncommands:")
	for _, n := range keys() {
		fmt.Fprintf(w, "  %-10s %s\n", n, subcommands[n].summary)
	}
	fmt.Fprintln(w, `
exit codes:
  0    success
  1    conformance failure (an unexpected cell, a failing spec, a partner
       tool that fails, a doctor diagnosis of a fault)
  2    usage error (bad command, flags, arguments or input files)
  3    environment or setup error (KMS unreachable, Docker missing, ...)
  130  interrupted (SIGINT or SIGTERM)`)
}

func main() { os.Exit(dispatch(os.Args[1:])) }

// dispatch runs the command line args (without the program name) and
// returns the exit code.
func dispatch(args []string) int {
	if len(args) == 0 {
		usage(os.Stderr)
		return cli.ExitUsage
	}
	switch args[0] {
	case "-h", "--help", "-help":
		usage(os.Stdout)
		return cli.ExitOK
	case "help":
		if len(args) > 1 {
			// `kmsconform help run` is `kmsconform run --help`.
			return dispatch([]string{args[1], "--help"})
		}
		usage(os.Stdout)
		return cli.ExitOK
	case "--version", "-version", "-V":
		return runVersion(nil)
	}
	sc, ok := subcommands[args[0]]
	if !ok {
		hint := "run `kmsconform help` for the list of commands"
		if s := suggestCommand(args[0], keys()); s != "" {
			hint = fmt.Sprintf("did you mean `kmsconform %s`? (%s)", s, hint)
		}
		msg := fmt.Sprintf("unknown command %q", args[0])
		if len(args[0]) > 1 && args[0][0] == '-' {
			msg = fmt.Sprintf("unknown flag %q before the command", args[0])
		}
		return cli.Print(os.Stderr, cli.Usage(msg, hint))
	}
	return sc.run(args[1:])
}

// suggestCommand is cli.Suggest, also catching what an edit distance
// misses in short names: swapped letters ("rnu") and a prefix ("rep").
func suggestCommand(got string, names []string) string {
	if s := cli.Suggest(got, names); s != "" {
		return s
	}
	sorted := func(s string) string {
		r := []rune(strings.ToLower(s))
		sort.Slice(r, func(i, j int) bool { return r[i] < r[j] })
		return string(r)
	}
	for _, n := range names {
		if sorted(n) == sorted(got) || len(got) >= 3 && strings.HasPrefix(n, strings.ToLower(got)) {
			return n
		}
	}
	return ""
}

func keys() []string {
	k := make([]string, 0, len(subcommands))
	for n := range subcommands {
		k = append(k, n)
	}
	sort.Strings(k)
	return k
}
