package partner

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kmsconform/kmsconform/failclass"
	"github.com/kmsconform/kmsconform/internal/cli"
)

// goodTool is a correct RSAES_OAEP_SHA_256 tool in shell: openssl pkeyutl.
const goodTool = "#!/bin/sh\nexec openssl pkeyutl -encrypt -pubin -inkey \"$1\" -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -in \"$2\" -out \"$3\"\n"

// writeTool writes an executable (mode) script into dir/rel.
func writeTool(t *testing.T, dir, rel, body string, mode os.FileMode) {
	t.Helper()
	p := filepath.Join(dir, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), mode); err != nil {
		t.Fatal(err)
	}
}

// check runs Run on one RSA_2048 key against the in-process fake.
func check(t *testing.T, o Options) *Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if o.Algorithm == "" && o.Encrypt != "" {
		o.Algorithm = "RSAES_OAEP_SHA_256"
	}
	if o.KeySpecs == nil && o.Encrypt != "" {
		o.KeySpecs = []string{"RSA_2048"}
	}
	if o.Timeout == 0 {
		o.Timeout = 30 * time.Second
	}
	res, err := Run(ctx, o)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return res
}

// TestToolThatCannotRunFailsUpFront: a missing program, a script that is
// not executable, a relative path from another directory and a script
// whose own command is missing all fail before any case, with exit 1 and
// the shell's message; none passes the over-limit case by "refusing" it.
func TestToolThatCannotRunFailsUpFront(t *testing.T) {
	dir := t.TempDir()
	writeTool(t, dir, "bin/good.sh", goodTool, 0o755)
	writeTool(t, dir, "bin/noexec.sh", goodTool, 0o644)
	writeTool(t, dir, "bin/inner-missing.sh", "#!/bin/sh\nkmsconform-no-such-encryptor \"$@\"\n", 0o755)
	other := t.TempDir()
	for _, tc := range []struct {
		name, cmd, dir, class, stderr string
	}{
		{"missing program", "/nonexistent/partner-tool {pubkey_pem} {in} {out}", dir, string(failclass.ToolNotRunnable), "not found"},
		{"not executable", "./bin/noexec.sh {pubkey_pem} {in} {out}", dir, string(failclass.ToolNotRunnable), "ermission denied"},
		{"relative path from another directory", "./bin/good.sh {pubkey_pem} {in} {out}", other, string(failclass.ToolNotRunnable), "not found"},
		{"missing command inside the script", "./bin/inner-missing.sh {pubkey_pem} {in} {out}", dir, string(failclass.ToolNotRunnable), "not found"},
		{"missing script for the interpreter", "python3 ./no-such-tool.py {pubkey_pem} {in} {out}", dir, string(failclass.ToolNotRunnable), "No such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := check(t, Options{Encrypt: tc.cmd, Dir: tc.dir})
			if res.Pass || res.Problem == nil || len(res.Cases) != 0 {
				t.Fatalf("pass=%v problem=%+v cases=%d; want an up-front failure and no case", res.Pass, res.Problem, len(res.Cases))
			}
			if res.Problem.Class != tc.class || !strings.Contains(res.Problem.Stderr, tc.stderr) {
				t.Errorf("problem %+v, want class %s and stderr with %q", res.Problem, tc.class, tc.stderr)
			}
			var out bytes.Buffer
			if code := Print(&out, res); code != cli.ExitFailure {
				t.Errorf("Print = %d, want 1", code)
			}
			if !strings.Contains(out.String(), "kmsconform: error: ") || !strings.Contains(out.String(), "kmsconform: hint: ") || !strings.Contains(out.String(), "| ") {
				t.Errorf("Print lacks the error, the hint or the tool's stderr:\n%s", out.String())
			}
		})
	}
}

// TestRelativePathResolvesAgainstTheCallersDirectory: a tool named by a
// relative path runs from the caller's current directory (Dir unset).
func TestRelativePathResolvesAgainstTheCallersDirectory(t *testing.T) {
	dir := t.TempDir()
	writeTool(t, dir, "bin/good.sh", goodTool, 0o755)
	t.Chdir(dir)
	res := check(t, Options{Encrypt: "./bin/good.sh {pubkey_pem} {in} {out}"})
	if !res.Pass || res.Problem != nil {
		var out bytes.Buffer
		Print(&out, res)
		t.Fatalf("a correct tool by relative path failed:\n%s", out.String())
	}
	if res.Dir != dir {
		t.Errorf("ran in %q, want %q", res.Dir, dir)
	}
}

// TestToolThatWritesElsewhereIsNamed: ciphertext on stdout, in a file of
// the caller's directory, or nowhere.
func TestToolThatWritesElsewhereIsNamed(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, cmd, want string
	}{
		{"stdout", "openssl pkeyutl -encrypt -pubin -inkey {pubkey_pem} -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -in {in} # {out}", "printed 256 bytes to stdout"},
		{"a file of its own", "openssl pkeyutl -encrypt -pubin -inkey {pubkey_pem} -pkeyopt rsa_padding_mode:oaep -in {in} -out ciphertext.bin # {out}", filepath.Join(dir, "ciphertext.bin")},
		{"nothing", "true {pubkey_pem} {in} {out}", "wrote nothing at all"},
		{"an empty file", ": > {out} # {pubkey_pem} {in}", "{out} (left empty)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := check(t, Options{Encrypt: tc.cmd, Dir: dir})
			if res.Pass || res.Problem == nil || res.Problem.Class != "no-output" || !strings.Contains(res.Problem.Message, tc.want) {
				t.Fatalf("problem %+v, want no-output naming %q", res.Problem, tc.want)
			}
		})
	}
}

// TestCorrectToolPasses is the control: the same harness passes a tool
// that does the job, and records its command, exit code and time.
func TestCorrectToolPasses(t *testing.T) {
	dir := t.TempDir()
	writeTool(t, dir, "good.sh", goodTool, 0o755)
	res := check(t, Options{Encrypt: "./good.sh {pubkey_pem} {in} {out}", Dir: dir})
	var out bytes.Buffer
	if code := Print(&out, res); code != 0 || !res.Pass {
		t.Fatalf("exit %d:\n%s", code, out.String())
	}
	for _, c := range res.Cases {
		if c.Kind == "over-limit" && !strings.Contains(c.Detail, "refused") {
			t.Errorf("over-limit case: %s", c.Detail)
		}
		if !strings.HasPrefix(c.Command, "./good.sh ") || !strings.Contains(c.Command, caseDirLabel) {
			t.Errorf("command recorded as %q", c.Command)
		}
	}
}

// TestUnreachableKMSIsASetupError: exit 3 and the tool never runs.
func TestUnreachableKMSIsASetupError(t *testing.T) {
	dir := t.TempDir()
	marker := filepath.Join(dir, "ran")
	t.Setenv("AWS_ACCESS_KEY_ID", "kmsconformtest")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "kmsconformtest")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	// A listener that hangs up on every connection: nothing answers there.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err = Run(ctx, Options{Encrypt: "touch " + marker + " # {pubkey_pem} {in} {out}", Algorithm: "RSAES_OAEP_SHA_256", KMSEndpoint: "http://" + l.Addr().String(), Dir: dir})
	if cli.Code(err) != cli.ExitSetup || !strings.Contains(err.Error(), "ListKeys") {
		t.Fatalf("err %v (exit %d), want a setup error (exit 3) naming ListKeys", err, cli.Code(err))
	}
	if _, serr := os.Stat(marker); serr == nil {
		t.Error("the tool ran although the KMS did not answer")
	}
}

// TestToolThatAlwaysFailsPassesNothing: a tool that runs but refuses
// every input (exit 1) does not pass the over-limit and empty cases by
// "refusing" them; its stderr is in the result.
func TestToolThatAlwaysFailsPassesNothing(t *testing.T) {
	res := check(t, Options{Encrypt: "echo 'tool: boom' >&2; exit 1 # {pubkey_pem} {in} {out}", Dir: t.TempDir()})
	if res.Pass || res.SmokeFailure == nil || len(res.Cases) == 0 {
		t.Fatalf("pass=%v smoke=%+v cases=%d; want the cases run and failed", res.Pass, res.SmokeFailure, len(res.Cases))
	}
	for _, c := range res.Cases {
		if c.Pass {
			t.Errorf("case %q passed: %s", c.Name, c.Detail)
		}
		if !strings.Contains(c.Stderr, "tool: boom") {
			t.Errorf("case %q lost the tool's stderr: %q", c.Name, c.Stderr)
		}
	}
	var out bytes.Buffer
	if Print(&out, res) != 1 || !strings.Contains(out.String(), "    | tool: boom") {
		t.Errorf("Print does not show the tool's stderr:\n%s", out.String())
	}
}
