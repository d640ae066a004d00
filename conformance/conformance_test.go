package conformance_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kmsconform/kmsconform/conformance"
	"github.com/kmsconform/kmsconform/flows"
	"github.com/kmsconform/kmsconform/internal/kmstarget"
	"github.com/kmsconform/kmsconform/kmsspec"
)

// TestKMSOnTheFake: the reference passes every spec.
func TestKMSOnTheFake(t *testing.T) {
	endpoint, stop, err := conformance.StartFake()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	conformance.TestKMS(t, endpoint)
}

// TestKMSGate: a gate file turns a failure into a skip, and an unknown
// endpoint fails before any spec.
func TestRunKMSGateAndNoKMS(t *testing.T) {
	if _, err := conformance.RunKMS(context.Background(), "http://127.0.0.1:9", conformance.WithRun("^GenerateRandom/12$")); err == nil ||
		!strings.Contains(err.Error(), "no KMS answers at http://127.0.0.1:9") {
		t.Errorf("closed port: %v", err)
	}
}

// TestOpenSSLOracle runs flow 1 with the oracle on both sides.
func TestOpenSSLOracle(t *testing.T) {
	conformance.TestOpenSSL(t, "oracle", conformance.WithFlows(1))
}

// TestOpenSSLHost runs flow 1 with the host openssl against the oracle.
func TestOpenSSLHost(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("no openssl on PATH")
	}
	conformance.TestOpenSSL(t, "host", conformance.WithFlows(1))
}

// TestFromAnotherModule writes a module that requires this one (replace
// directive), whose test calls conformance.TestKMS, and checks that its
// `go test -v` shows one subtest per spec, none failing.
func TestFromAnotherModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds another module")
	}
	root, err := kmstarget.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/mykms\n\ngo 1.26.0\n\nrequire github.com/kmsconform/kmsconform v0.0.0\n\nreplace github.com/kmsconform/kmsconform => "+root+"\n")
	write("mykms_test.go", `package mykms

import (
	"testing"

	"github.com/kmsconform/kmsconform/conformance"
)

func TestMyKMS(t *testing.T) {
	endpoint, stop, err := conformance.StartFake() // a real project starts its own KMS here
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	conformance.TestKMS(t, endpoint)
}
`)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "test", "-v", "-count=1", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go test in another module: %v\n%s", err, tail(string(out), 200))
	}
	sub := regexp.MustCompile(`(?m)^\s+--- (PASS|SKIP|FAIL): TestMyKMS/(\S+)`).FindAllStringSubmatch(string(out), -1)
	seen := map[string]bool{}
	for _, m := range sub {
		if m[1] == "FAIL" {
			t.Errorf("subtest %s failed", m[2])
		}
		seen[m[2]] = true
	}
	for _, s := range kmsspec.Specs() {
		if !seen[s.ID] {
			t.Errorf("no subtest for spec %s", s.ID)
		}
	}
	t.Logf("%d subtests in the other module's go test -v", len(sub))
}

func tail(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// ExampleTestKMS shows the test a KMS implementation adds to its own
// module (compiled, not run: it needs a *testing.T).
func ExampleTestKMS() {
	_ = func(t *testing.T) {
		conformance.TestKMS(t, "http://127.0.0.1:4566", conformance.WithGate("kmsconform.yaml"))
	}
}

// ExampleTestOpenSSL shows the test for an openssl build or image.
func ExampleTestOpenSSL() {
	_ = func(t *testing.T) {
		conformance.TestOpenSSL(t, "image:registry.example.com/base:2026.11", conformance.WithFlows(1, 2, 3))
	}
}

// ExampleRunKMS checks the GenerateRandom specs against the fake outside
// a test.
func ExampleRunKMS() {
	endpoint, stop, err := conformance.StartFake()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer stop()
	rep, err := conformance.RunKMS(context.Background(), endpoint, conformance.WithRun(`^GenerateRandom/`))
	if err != nil {
		fmt.Println(err)
		return
	}
	pass := 0
	for _, c := range rep.Cells {
		if c.Verdict == flows.ExpectedPass {
			pass++
		}
	}
	fmt.Printf("%d of %d GenerateRandom specs pass\n", pass, len(rep.Cells))
	// Output: 9 of 9 GenerateRandom specs pass
}
