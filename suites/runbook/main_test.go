// Package runbook_test runs the project's example runbooks with real
// processes — bash, openssl, the kmsconform binary's oracle, the aws CLI,
// the in-process KMS fake, and openssl containers when Docker has the
// images — and holds lint and run to each other.
package runbook_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// bin is the kmsconform binary built for the suite (oracle engines run it).
var bin string

func TestMain(m *testing.M) {
	if b := os.Getenv("KMSCONFORM_BIN"); b != "" {
		bin = b // a binary built beforehand (make build)
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "kmsconform-runbook-suite-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	bin = filepath.Join(dir, "kmsconform")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/kmsconform/kmsconform/cmd/kmsconform")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	err = cmd.Run()
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "building kmsconform:", err)
		os.RemoveAll(dir)
		os.Exit(3)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// repoRoot is the module root (two levels up from this file).
func repoRoot() string {
	_, f, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(f), "..", "..")
}

func example(name string) string { return filepath.Join(repoRoot(), "examples", "runbooks", name) }
