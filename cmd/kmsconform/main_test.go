package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The contract tests run kmsconform as a real process: the test binary
// re-executes itself with KMSCONFORM_TEST_MAIN=1 and runs main's dispatch,
// so exit codes and streams are the process's own.
func TestMain(m *testing.M) {
	if os.Getenv("KMSCONFORM_TEST_MAIN") == "1" {
		os.Exit(dispatch(os.Args[1:]))
	}
	os.Exit(m.Run())
}

type ran struct {
	code           int
	stdout, stderr string
}

func (r ran) all() string { return r.stdout + r.stderr }

// kmsconform runs the binary with args (30 s at most).
func kmsconform(t *testing.T, args ...string) ran {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = append(os.Environ(), "KMSCONFORM_TEST_MAIN=1")
	cmd.Dir = t.TempDir()
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	err := cmd.Run()
	var ee *exec.ExitError
	code := 0
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("kmsconform %v: %v", args, err)
	}
	return ran{code, so.String(), se.String()}
}

// leaves are the commands that take flags, with a mistyped flag and the
// suggestion it must get ("" when the command has no flags to suggest).
var leaves = []struct {
	cmd, typo, want string
}{
	{"version", "--shrt", "--short"},
	{"images build", "--version", "--versions"},
	{"images list", "--verbose", ""},
	{"images prune", "--force", ""},
	{"run", "--engine", "--engines"},
	{"runbook", "--engine", "--engines"},
	{"runbook lint", "--formt", "--format"},
	{"partner", "--algoritm", "--algorithm"},
	{"doctor enc", "--expected", "--expect"},
	{"doctor rsa", "--privat-key", "--private-key"},
	{"kms serve", "--listn", "--listen"},
	{"kms check", "--endpont", "--endpoint"},
	{"report merge", "--ou", "--out"},
}

// groups are commands whose first argument is a subcommand.
var groups = []string{"images", "doctor", "kms", "report"}

// flagLine is a flag in a usage: "  --name PLACEHOLDER    text" or flag's
// own "  -name type" (text on the next line).
var flagLine = regexp.MustCompile(`^ {1,4}--?([a-z][\w-]*)(?: (.*?))?(?:  +.*)?$`)

// checkPlaceholders fails on a flag placeholder that is more than one
// unquoted word, which is what flag.PrintDefaults makes of a `quoted`
// phrase in the usage text (e.g. "-hybrid openssl enc"); a quoted example
// ("--encrypt 'openssl pkeyutl ...'") is deliberate.
func checkPlaceholders(t *testing.T, cmd, usage string) {
	t.Helper()
	if strings.Contains(usage, "%!") {
		t.Errorf("%s --help: a formatting error in the usage:\n%s", cmd, usage)
	}
	for _, ln := range strings.Split(usage, "\n") {
		m := flagLine.FindStringSubmatch(ln)
		if m == nil || m[2] == "" {
			continue
		}
		ph := strings.TrimSpace(m[2])
		if strings.Contains(ph, " ") && !strings.HasPrefix(ph, "'") && !strings.HasPrefix(ph, `"`) {
			t.Errorf("%s --help: garbled placeholder %q for --%s:\n%s", cmd, m[2], m[1], ln)
		}
	}
}

func TestHelpExitsZeroEverywhere(t *testing.T) {
	var cmds []string
	for _, l := range leaves {
		cmds = append(cmds, l.cmd)
	}
	cmds = append(cmds, groups...)
	for _, c := range cmds {
		for _, h := range []string{"--help", "-h"} {
			t.Run(c+" "+h, func(t *testing.T) {
				r := kmsconform(t, append(strings.Fields(c), h)...)
				if r.code != 0 || !strings.Contains(strings.ToLower(r.stdout), "usage:") {
					t.Fatalf("exit %d, want 0 and a usage on stdout; stdout %q stderr %q", r.code, r.stdout, r.stderr)
				}
				checkPlaceholders(t, c, r.stdout)
			})
		}
	}
}

func TestUnknownFlagSaysDidYouMean(t *testing.T) {
	for _, l := range leaves {
		t.Run(l.cmd+" "+l.typo, func(t *testing.T) {
			r := kmsconform(t, append(strings.Fields(l.cmd), l.typo)...)
			if r.code != 2 || !strings.Contains(r.stderr, "kmsconform: error:") {
				t.Fatalf("exit %d, want 2 with a kmsconform: error line; stderr %q", r.code, r.stderr)
			}
			if l.want != "" && !strings.Contains(r.stderr, "did you mean "+l.want) {
				t.Errorf("stderr lacks \"did you mean %s\": %q", l.want, r.stderr)
			}
			if strings.Contains(r.stdout, "usage:") {
				t.Errorf("a usage error printed the usage on stdout: %q", r.stdout)
			}
		})
	}
}

func TestTopLevel(t *testing.T) {
	cases := []struct {
		args []string
		code int
		out  string // in stdout
		err  string // in stderr
	}{
		{nil, 2, "", "usage: kmsconform COMMAND"},
		{[]string{"help"}, 0, "exit codes:", ""},
		{[]string{"-h"}, 0, "usage: kmsconform COMMAND", ""},
		{[]string{"--help"}, 0, "130  interrupted", ""},
		{[]string{"help", "run"}, 0, "usage: kmsconform run", ""},
		{[]string{"rnu"}, 2, "", "did you mean `kmsconform run`?"},
		{[]string{"reprot"}, 2, "", "did you mean `kmsconform report`?"},
		{[]string{"zzzzzz"}, 2, "", `unknown command "zzzzzz"`},
		{[]string{"--verbose"}, 2, "", "unknown flag"},
		{[]string{"--version"}, 0, "go:       go1.", ""},
		{[]string{"version"}, 0, "revision:", ""},
		{[]string{"images", "biuld"}, 2, "", "did you mean `kmsconform images build`?"},
		{[]string{"images", "build", "--versions", "3.55"}, 2, "", "did you mean 3.5?"},
		{[]string{"images", "list", "extra"}, 2, "", `unexpected argument "extra"`},
	}
	for _, c := range cases {
		r := kmsconform(t, c.args...)
		if r.code != c.code || !strings.Contains(r.stdout, c.out) || !strings.Contains(r.stderr, c.err) {
			t.Errorf("kmsconform %q: exit %d stdout %q stderr %q; want exit %d, %q on stdout, %q on stderr",
				c.args, r.code, r.stdout, r.stderr, c.code, c.out, c.err)
		}
	}
	if v := kmsconform(t, "version", "--short"); v.code != 0 || strings.Count(v.stdout, "\n") != 1 {
		t.Errorf("version --short: %d %q", v.code, v.stdout)
	}
}

// TestOpenSSLWrapper: `kmsconform openssl help|version|list` keep openssl's
// exit codes and streams; the wrapper's own --help exits 0.
func TestOpenSSLWrapper(t *testing.T) {
	cases := []struct {
		args []string
		code int
		out  string
		err  string
	}{
		{[]string{"openssl", "help"}, 0, "", "Standard commands"},
		{[]string{"openssl", "--help"}, 0, "", "usage: kmsconform openssl"},
		{[]string{"openssl", "version"}, 0, "OpenSSL 3.0 (kmsconform oracle", ""},
		{[]string{"openssl", "--compat", "1.1.1", "version", "-a"}, 0, "OPENSSLDIR:", ""},
		{[]string{"openssl", "list", "-commands"}, 0, "pkeyutl", ""},
		{[]string{"openssl", "list"}, 1, "", "list: Use -help for summary."},
		{[]string{"openssl", "ecn"}, 1, "", "Invalid command 'ecn'"},
		{[]string{"openssl"}, 2, "", "usage: kmsconform openssl"},
	}
	for _, c := range cases {
		r := kmsconform(t, c.args...)
		if r.code != c.code || !strings.Contains(r.stdout, c.out) || !strings.Contains(r.stderr, c.err) {
			t.Errorf("kmsconform %q: exit %d stdout %q stderr %q; want exit %d, %q on stdout, %q on stderr",
				c.args, r.code, r.stdout, r.stderr, c.code, c.out, c.err)
		}
	}
}

// TestVersionOfABuiltBinary builds kmsconform as `make build` does
// (-buildvcs=auto) and checks that --version names the module, the commit
// this checkout is at, and the Go version.
func TestVersionOfABuiltBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	rev, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("not a git checkout (or no git), so there is no revision to check: %v", err)
	}
	bin := t.TempDir() + "/kmsconform"
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "go", "build", "-buildvcs=auto", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.CommandContext(ctx, bin, "--version").Output()
	if err != nil {
		t.Fatalf("--version: %v", err)
	}
	for _, want := range []string{"module:   github.com/kmsconform/kmsconform", "revision: " + strings.TrimSpace(string(rev)), "go:       go1."} {
		if !strings.Contains(string(out), want) {
			t.Errorf("--version lacks %q:\n%s", want, out)
		}
	}
}
