package oracle

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// pkOpenSSL runs the host's real openssl in dir with a timeout and returns
// stdout, stderr and the exit code. A missing binary fails the test.
func pkOpenSSL(t *testing.T, dir string, stdin []byte, args ...string) ([]byte, string, int) {
	t.Helper()
	bin, err := exec.LookPath("openssl")
	if err != nil {
		t.Fatalf("these tests judge the oracle against the real openssl: %v (apt-get install openssl)", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	err = cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("openssl %v: %v", args, err)
		}
		code = ee.ExitCode()
	}
	return out.Bytes(), errb.String(), code
}

// pkMustOpenSSL is pkOpenSSL that fails the test on a non-zero exit.
func pkMustOpenSSL(t *testing.T, dir string, stdin []byte, args ...string) []byte {
	t.Helper()
	out, stderr, code := pkOpenSSL(t, dir, stdin, args...)
	if code != 0 {
		t.Fatalf("openssl %v: exit %d: %s", args, code, stderr)
	}
	return out
}

func pkWrite(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func pkRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
