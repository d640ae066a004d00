package container

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/kmsconform/kmsconform/engine"
)

// TestOracleMetaCommandsMatchRealLines: `kmsconform openssl --compat P`
// answers help, version and list like the real openssl of that line: the
// same exit codes and messages, `version -a` with the same fields in the
// same order, and only commands the real line lists.
func TestOracleMetaCommandsMatchRealLines(t *testing.T) {
	ctx := context.Background()
	field := regexp.MustCompile(`(?m)^([A-Za-z ]+):`)
	fields := func(b []byte) string {
		var out []string
		for _, m := range field.FindAllStringSubmatch(string(b), -1) {
			out = append(out, m[1])
		}
		return strings.Join(out, ",")
	}
	for _, c := range []struct{ line, compat string }{{"openssl-1.1.1", "1.1.1"}, {"openssl-3.5", "3.0"}, {"openssl-4.0", "4.0"}} {
		t.Run(c.line, func(t *testing.T) {
			real := openT(t, c.line)
			orc, err := engine.Open("oracle@" + c.compat)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			run := func(e engine.OpenSSL, args ...string) engine.Result {
				r, err := e.Run(ctx, engine.Command{Dir: dir, Args: args})
				if err != nil {
					t.Fatalf("%s %v: %v", e.Name(), args, err)
				}
				return r
			}
			for _, args := range [][]string{{"version", "-m"}, {"version", "-c"}, {"version", "-x"}, {"list"}, {"list", "-foo"}, {"help", "nosuch"}} {
				r, o := run(real, args...), run(orc, args...)
				if r.ExitCode != o.ExitCode || (r.ExitCode != 0 && string(r.Stderr) != string(o.Stderr)) {
					t.Errorf("%v: real exit %d %q; oracle exit %d %q", args, r.ExitCode, r.Stderr, o.ExitCode, o.Stderr)
				}
			}
			for _, args := range [][]string{{"help"}, {"version"}, {"list", "-commands"}} {
				r, o := run(real, args...), run(orc, args...)
				if r.ExitCode != o.ExitCode || (len(r.Stdout) > 0) != (len(o.Stdout) > 0) {
					t.Errorf("%v: real exit %d, %d B stdout; oracle exit %d %q", args, r.ExitCode, len(r.Stdout), o.ExitCode, o.Stdout)
				}
			}
			if r, o := run(real, "version", "-a"), run(orc, "version", "-a"); fields(r.Stdout) != fields(o.Stdout) {
				t.Errorf("version -a fields: real %s; oracle %s", fields(r.Stdout), fields(o.Stdout))
			}
			have := strings.Fields(string(run(real, "list", "-1", "-commands").Stdout))
			for _, cmd := range strings.Fields(string(run(orc, "list", "-1", "-commands").Stdout)) {
				found := false
				for _, h := range have {
					found = found || h == cmd
				}
				if !found {
					t.Errorf("the oracle at %s lists %q, which openssl %s does not have", c.compat, cmd, c.line)
				}
			}
		})
	}
}
