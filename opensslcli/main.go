// Package opensslcli is `kmsconform openssl`: a drop-in for the openssl
// command line (enc, rand, rsa, ec, ecparam, genpkey, pkeyutl, rsautl, kdf)
// built on the oracle package. It takes the same flags and files, exits with
// the same codes and prints the same key messages on stderr as openssl, so
// that every runbook command runs unchanged with `openssl` replaced by
// `kmsconform openssl`.
package opensslcli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kmsconform/kmsconform/internal/cli"
	"github.com/kmsconform/kmsconform/oracle"
)

// Env is the process environment one invocation runs in. The zero value of
// each field falls back to the real process's (os.Stdin, os.Getenv, ...), so
// the same code serves the kmsconform binary and in-process engines.
type Env struct {
	// Dir is the working directory that relative file names resolve in.
	// Empty means the process's current directory.
	Dir string
	// Stdin, Stdout and Stderr are the standard streams.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Getenv looks up environment variables (for -pass env:VAR).
	Getenv func(string) string
	// Files maps file descriptor numbers to open files (for -pass fd:N).
	// When nil, fd:N opens the process's own descriptor N.
	Files map[int]*os.File
	// Profile is the version behaviour selected by --compat.
	Profile oracle.Profile
}

// Path resolves name against e.Dir. Absolute names are returned unchanged.
func (e *Env) Path(name string) string {
	if e.Dir == "" || filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(e.Dir, name)
}

// Env returns the value of an environment variable.
func (e *Env) Env(key string) string {
	if e.Getenv != nil {
		return e.Getenv(key)
	}
	return os.Getenv(key)
}

// Errorf prints an openssl-style message on stderr.
func (e *Env) Errorf(format string, args ...any) {
	fmt.Fprintf(e.Stderr, format, args...)
}

// command runs one openssl subcommand with its arguments (after the
// subcommand name) and returns the exit code.
type command func(env *Env, args []string) int

// commands is filled by the init functions of each subcommand's file.
var commands = map[string]command{}

func register(name string, c command) {
	if _, dup := commands[name]; dup {
		panic("opensslcli: duplicate command " + name)
	}
	commands[name] = c
}

// Commands lists the subcommands that are implemented, sorted.
func Commands() []string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Main runs `openssl args...` and returns its exit code. args may start with
// `--compat NAME` (or `--compat=NAME`) to select version behaviour.
func Main(args []string, env Env) int {
	if env.Stdin == nil {
		env.Stdin = os.Stdin
	}
	if env.Stdout == nil {
		env.Stdout = os.Stdout
	}
	if env.Stderr == nil {
		env.Stderr = os.Stderr
	}
	compat := ""
	for len(args) > 0 && strings.HasPrefix(args[0], "--compat") {
		switch {
		case strings.HasPrefix(args[0], "--compat="):
			compat = strings.TrimPrefix(args[0], "--compat=")
			args = args[1:]
		case args[0] == "--compat" && len(args) > 1:
			compat = args[1]
			args = args[2:]
		default:
			env.Errorf("kmsconform openssl: --compat needs a value (one of %s)\n", strings.Join(oracle.ProfileNames(), ", "))
			return 1
		}
	}
	p, err := oracle.LookupProfile(compat)
	if err != nil {
		env.Errorf("kmsconform openssl: %v\n", err)
		return 1
	}
	env.Profile = p
	if p.StandIn {
		env.Errorf("kmsconform: note: --compat %s is the harness's stand-in for %s, not a real binary\n", p.Name, p.Description)
	}
	if len(args) == 0 {
		// openssl would start its interactive prompt; the wrapper has none.
		wrapperUsage(env.Stderr)
		return 2
	}
	if args[0] == "-help" || args[0] == "--help" || args[0] == "-h" {
		wrapperUsage(env.Stderr)
		fmt.Fprintln(env.Stderr)
		return helpCmd(&env, nil)
	}
	c, ok := commands[args[0]]
	if !ok {
		env.Errorf("Invalid command '%s'; type \"help\" for a list.\n", args[0])
		if s := cli.Suggest(args[0], available(env.Profile)); s != "" {
			env.Errorf("kmsconform: hint: did you mean '%s'?\n", s)
		}
		return 1
	}
	return c(&env, args[1:])
}

// wrapperUsage is the usage of `kmsconform openssl` itself.
func wrapperUsage(w io.Writer) {
	fmt.Fprintf(w, "usage: kmsconform openssl [--compat PROFILE] COMMAND [OPTIONS...]\n"+
		"  a drop-in openssl run by the Go reference; PROFILE is one of %s (default 3.0)\n"+
		"  `kmsconform openssl help` lists the commands, `kmsconform openssl COMMAND -help` their options\n",
		strings.Join(oracle.ProfileNames(), ", "))
}
