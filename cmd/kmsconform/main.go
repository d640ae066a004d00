// Command kmsconform is the conformance harness's one binary: a thin layer
// of flag parsing and error printing over the library packages.
//
//	kmsconform openssl [--compat V] CMD ...   drop-in openssl (the oracle)
//	kmsconform kms serve ...                  the KMS fake as a server
//	kmsconform run ...                        run the documented flows
package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
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

func usage() {
	fmt.Fprintln(os.Stderr, "usage: kmsconform COMMAND [ARGS...]")
	names := make([]string, 0, len(subcommands))
	for n := range subcommands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(os.Stderr, "  %-10s %s\n", n, subcommands[n].summary)
	}
}

func main() {
	if len(os.Args) < 2 || os.Args[1] == "-h" || os.Args[1] == "--help" || os.Args[1] == "help" {
		usage()
		if len(os.Args) < 2 {
			os.Exit(2)
		}
		return
	}
	sc, ok := subcommands[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "kmsconform: error: unknown command %q\n", os.Args[1])
		fmt.Fprintf(os.Stderr, "kmsconform: hint: run `kmsconform help` for the list (%s)\n", strings.Join(keys(), ", "))
		os.Exit(2)
	}
	os.Exit(sc.run(os.Args[2:]))
}

func keys() []string {
	var k []string
	for n := range subcommands {
		k = append(k, n)
	}
	sort.Strings(k)
	return k
}
