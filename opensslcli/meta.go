package opensslcli

import (
	"fmt"
	"io"
	"runtime"
	"sort"
	"strings"

	"github.com/kmsconform/kmsconform/internal/buildinfo"
	"github.com/kmsconform/kmsconform/oracle"
)

// The commands about openssl itself: help, version and list, as OpenSSL
// 3.0 prints them (help and option errors on stderr, lists and versions on
// stdout, exit 0 or 1), listing only what the oracle implements.

func init() {
	register("help", helpCmd)
	register("version", versionCmd)
	register("list", listCmd)
}

// available lists the commands the selected profile's openssl has
// (`kdf` is 3.0+), sorted.
func available(p oracle.Profile) []string {
	var out []string
	for _, c := range Commands() {
		if c == "kdf" && !p.KDFCommand {
			continue
		}
		out = append(out, c)
	}
	return out
}

// columns prints names as openssl's help and list do: in columns of the
// longest name plus two, as many as fit 79 characters, row by row.
func columns(w io.Writer, names []string) {
	width := 0
	for _, n := range names {
		width = max(width, len(n)+2)
	}
	per := max(1, 79/max(width, 1))
	for i, n := range names {
		fmt.Fprintf(w, "%-*s", width, n)
		if (i+1)%per == 0 || i == len(names)-1 {
			fmt.Fprintln(w)
		}
	}
}

// helpCmd is `openssl help [COMMAND]`: the command list on stderr, or
// COMMAND's -help.
func helpCmd(env *Env, args []string) int {
	if len(args) > 0 {
		if c, ok := commands[args[0]]; ok && args[0] != "help" {
			return c(env, []string{"-help"})
		}
		if args[0] != "help" {
			env.Errorf("Invalid command '%s'; type \"help\" for a list.\n", args[0])
			return 1
		}
	}
	env.Errorf("help:\n\nStandard commands\n")
	columns(env.Stderr, available(env.Profile))
	env.Errorf("\nkmsconform openssl: the Go reference of openssl (compat %s: %s); no digest or cipher commands\n", env.Profile.Name, env.Profile.Description)
	return 0
}

// versionField is one of `openssl version`'s options and the lines that
// have it (in 1.1.1 there is no -m or -c; 4.0 dropped engines, so -e).
type versionField struct {
	opt, help string
	in        func(p oracle.Profile) bool
}

func always(oracle.Profile) bool { return true }

// threeX reports whether p is a profile of OpenSSL 3.0 or later.
func threeX(p oracle.Profile) bool { return p.Name == "3.0" || p.Name == "4.0" }

// versionFields are `openssl version`'s options in the order openssl
// prints their lines, whatever the order given.
var versionFields = []versionField{
	{"v", "Show library version", always},
	{"b", "Show build date", always},
	{"p", "Show target build platform", always},
	{"o", "Show some internal datatype options", always},
	{"f", "Show compiler flags used", always},
	{"d", "Show configuration directory", always},
	{"e", "Show engines directory", func(p oracle.Profile) bool { return p.Name != "4.0" }},
	{"m", "Show modules directory", threeX},
	{"r", "Show random seeding options", always},
	{"c", "Show CPU settings info", threeX},
}

// unknownOption prints openssl's message for an option it does not have:
// 3.x "Unknown option: -x", 1.1.1 "Option unknown option -x".
func unknownOption(env *Env, prog, arg string) {
	if threeX(env.Profile) {
		env.Errorf("%s: Unknown option: %s\n%s: Use -help for summary.\n", prog, arg, prog)
		return
	}
	env.Errorf("%s: Option unknown option %s\n%s: Use -help for summary.\n", prog, arg, prog)
}

// VersionLine is what `kmsconform openssl --compat P version` prints: the
// library and line the profile describes, then what really runs, e.g.
// "OpenSSL 3.0 (kmsconform oracle v1.2.0, compat 3.0: OpenSSL 3.x (3.0 to 3.6))".
// It starts like openssl's so that scripts reading the version still work.
func VersionLine(p oracle.Profile) string {
	lib, ver := "OpenSSL", p.Name
	if v, ok := strings.CutPrefix(p.Name, "libressl-"); ok {
		lib, ver = "LibreSSL", v
	}
	return fmt.Sprintf("%s %s (kmsconform oracle %s, compat %s: %s)", lib, ver, buildinfo.Short(), p.Name, p.Description)
}

// versionCmd is `openssl version [-a] [-v] [-b] ...`.
func versionCmd(env *Env, args []string) int {
	want := map[string]bool{}
	for _, a := range args {
		name := strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
		switch {
		case !strings.HasPrefix(a, "-") || a == "-":
			env.Errorf("version: Use -help for summary.\n")
			return 1
		case name == "help":
			env.Errorf("Usage: version [options]\n\nGeneral options:\n -help  Display this summary\n\nOutput options:\n -a     Show all data\n")
			for _, f := range versionFields {
				if f.in(env.Profile) {
					env.Errorf(" -%s     %s\n", f.opt, f.help)
				}
			}
			return 0
		case name == "a":
			for _, f := range versionFields {
				want[f.opt] = f.in(env.Profile)
			}
		default:
			known := false
			for _, f := range versionFields {
				known = known || f.opt == name && f.in(env.Profile)
			}
			if !known {
				unknownOption(env, "version", a)
				return 1
			}
			want[name] = true
		}
	}
	if len(want) == 0 {
		want["v"] = true
	}
	bi := buildinfo.Get()
	built := bi.Time
	if built == "" {
		built = "unknown (built without VCS information)"
	}
	lines := map[string]string{
		"v": VersionLine(env.Profile),
		"b": "built on: " + built,
		"p": "platform: " + runtime.GOOS + "-" + runtime.GOARCH,
		"o": "options:  Go crypto (standard library)",
		"f": "compiler: " + bi.GoVersion + " (" + runtime.Compiler + "), " + bi.Module + " " + bi.Version + " rev " + orUnknown(bi.Revision),
		"d": `OPENSSLDIR: "none (kmsconform oracle)"`,
		"e": `ENGINESDIR: "none (kmsconform oracle)"`,
		"m": `MODULESDIR: "none (kmsconform oracle)"`,
		"r": "Seeding source: Go crypto/rand (os-specific)",
		"c": "CPUINFO: N/A",
	}
	for _, f := range versionFields {
		if want[f.opt] {
			fmt.Fprintln(env.Stdout, lines[f.opt])
		}
	}
	return 0
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// listOpts are the `openssl list` options the oracle answers, with what
// each lists (nil: accepted, changes nothing).
var listOpts = map[string]func(p oracle.Profile) []string{
	"commands":              available,
	"standard-commands":     available,
	"digest-commands":       func(oracle.Profile) []string { return nil },
	"cipher-commands":       func(oracle.Profile) []string { return nil },
	"digest-algorithms":     func(oracle.Profile) []string { return digestNames() },
	"cipher-algorithms":     func(oracle.Profile) []string { return oracle.EncCiphers() },
	"public-key-algorithms": func(oracle.Profile) []string { return []string{"EC", "RSA", "RSA-PSS (keys only)"} },
	"1":                     nil,
	"verbose":               nil,
}

// digestNames lists the digests -md, rsa_oaep_md and kdf accept.
func digestNames() []string {
	out := []string{"MD5 (enc -md only)"}
	for _, n := range []string{"sha1", "sha224", "sha256", "sha384", "sha512", "sha512-224", "sha512-256"} {
		if h, err := oracle.HashByName(n); err == nil {
			out = append(out, oracle.HashName(h))
		}
	}
	return out
}

// listCmd is `openssl list -commands` and its cheap siblings.
func listCmd(env *Env, args []string) int {
	one := false
	var picked []string
	for _, a := range args {
		name := strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
		if !strings.HasPrefix(a, "-") || a == "-" {
			env.Errorf("list: Use -help for summary.\n")
			return 1
		}
		if name == "help" {
			env.Errorf("Usage: list [options]\n\nGeneral options:\n -help                     Display this summary\n\nOutput options:\n")
			var names []string
			for n := range listOpts {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				env.Errorf(" -%s\n", n)
			}
			return 0
		}
		f, ok := listOpts[name]
		if !ok {
			unknownOption(env, "list", a)
			return 1
		}
		switch {
		case name == "1":
			one = true
		case f != nil:
			picked = append(picked, name)
		}
	}
	if len(picked) == 0 {
		env.Errorf("list: Use -help for summary.\n")
		return 1
	}
	for _, name := range picked {
		names := listOpts[name](env.Profile)
		switch {
		case strings.HasSuffix(name, "commands") && !one:
			columns(env.Stdout, names)
		case strings.HasSuffix(name, "commands"):
			for _, n := range names {
				fmt.Fprintln(env.Stdout, n)
			}
		default:
			for _, n := range names {
				fmt.Fprintln(env.Stdout, "  "+n)
			}
		}
	}
	return 0
}
