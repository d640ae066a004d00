package runbook_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kmsconform/kmsconform/runbook"
)

// Bad input is refused with FILE:LINE and a hint, before anything runs.
func TestBadInputIsRefusedWithFileLine(t *testing.T) {
	cases := []struct {
		name, file, src string
		line            int
		want            string
	}{
		{"no role", "a.sh", "openssl version\n", 1, "no role directive"},
		{"unknown directive", "a.sh", "# kmsconform: role partner\n# kmsconform: rol owner\nopenssl version\n", 2, `unknown directive "rol"`},
		{"key spec", "a.sh", "# kmsconform: key kid RSA_1024 ENCRYPT_DECRYPT\n# kmsconform: role owner\necho\n", 1, `no key spec "RSA_1024"`},
		{"same never appears", "a.sh", "# kmsconform: role owner\nopenssl rand -out x.bin 16\n# kmsconform: same x.bin y.bin\n", 3, `file "y.bin" never appears`},
		{"unknown class", "a.md", "<!-- kmsconform: role owner -->\n```bash\necho hi\n```\n<!-- kmsconform: expect fail bad-decrpyt — why -->\n", 5, `unknown failure class "bad-decrpyt"`},
		{"markdown line numbers", "b.md", "# T\n\ntext\n\n<!-- kmsconform: role owner -->\n\n```sh\necho\n```\n<!-- kmsconform: file D lots -->\n", 10, `file size "lots"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := runbook.Parse(c.file, []byte(c.src))
			var ie *runbook.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("Parse: got %v, want an InputError", err)
			}
			p := ie.Problems[0]
			if p.Line != c.line || !strings.Contains(p.Msg, c.want) || p.File != c.file {
				t.Errorf("got %s, want %s:%d: ...%s...", p, c.file, c.line, c.want)
			}
			if p.Hint == "" {
				t.Errorf("%s: no hint", p)
			}
		})
	}
}

// The CLI exits 2 with FILE:LINE on bad input, and no cell runs.
func TestCLIBadInputExits2(t *testing.T) {
	f := filepath.Join(t.TempDir(), "bad.sh")
	if err := os.WriteFile(f, []byte("# kmsconform: role partner\n# kmsconform: key k RSA_999 ENCRYPT_DECRYPT\nopenssl version\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "runbook", "--engines", "host", f)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 {
		t.Fatalf("exit: %v, want 2; stderr:\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), f+":2: ") || !strings.Contains(stderr.String(), "kmsconform: hint: ") {
		t.Errorf("stderr lacks FILE:LINE or a hint:\n%s", stderr.String())
	}
}

// Markdown: only bash/sh/shell/untagged blocks run, in order, with line
// numbers as in FILE and <NAME> placeholders replaced.
func TestMarkdownCompilesLineForLine(t *testing.T) {
	src := "# Title\n<!-- kmsconform: key kid RSA_2048 ENCRYPT_DECRYPT -->\n<!-- kmsconform: role owner -->\n```bash\naws kms get-public-key --key-id <kid>\n```\n```json\n{\"not\": \"run\"}\n```\n```\necho untagged\n```\n"
	rb, err := runbook.Parse("x.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(rb.Compile(), "\n")
	want := map[int]string{3: "__kc_role owner 3", 5: "aws kms get-public-key --key-id ${kid}", 8: "", 11: "echo untagged"}
	for n, w := range want {
		if lines[n-1] != w {
			t.Errorf("line %d: got %q, want %q", n, lines[n-1], w)
		}
	}
	if rb.Title != "Title" {
		t.Errorf("title %q", rb.Title)
	}
}

// Exit codes of the contract: 2 for an unknown engine, 3 for a KMS that
// does not answer — both before any cell runs.
func TestCLIExitCodes(t *testing.T) {
	f := filepath.Join(t.TempDir(), "ok.sh")
	if err := os.WriteFile(f, []byte("# kmsconform: role partner\nopenssl rand -hex 4\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--engines", "nosuch"}, 2, `unknown engine "nosuch"`},
		{[]string{"--kms-endpoint", "http://127.0.0.1:1"}, 3, "127.0.0.1:1"},
		{[]string{"--engines", "host"}, 0, ""},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		cmd := exec.CommandContext(ctx, bin, append(append([]string{"runbook"}, c.args...), f)...)
		cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=x", "AWS_SECRET_ACCESS_KEY=x", "AWS_REGION=us-east-1")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		cancel()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		}
		if code != c.code || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%v: exit %d, want %d; stderr:\n%s", c.args, code, c.code, stderr.String())
		}
	}
}
