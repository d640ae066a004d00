package container

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/kmsconform/kmsconform/images"
)

// testLines are the images these tests need (built if missing, cached).
var testLines = []string{"1.1.1", "3.5"}

// TestMain makes sure Docker and the images are there. Without Docker the
// tests are skipped with one loud line, unless KMSCONFORM_REQUIRE_DOCKER=1
// makes that a failure.
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		runChild()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	err := images.DockerAvailable(ctx)
	if err == nil {
		var lines []images.Line
		for _, n := range testLines {
			l, _ := images.LookupLine(n)
			lines = append(lines, l)
		}
		_, err = images.Build(ctx, images.BuildOptions{Lines: lines, Log: os.Stderr})
	}
	cancel()
	if err != nil {
		if os.Getenv("KMSCONFORM_REQUIRE_DOCKER") == "1" {
			fmt.Fprintf(os.Stderr, "FAIL: engine/container needs Docker and its images (KMSCONFORM_REQUIRE_DOCKER=1): %v\n", err)
			os.Exit(1)
		}
		dockerMissing = err.Error()
		fmt.Fprintf(os.Stderr, "!!!!! SKIPPING every engine/container test: no Docker: %v (set KMSCONFORM_REQUIRE_DOCKER=1 to fail instead)\n", err)
	}
	code := m.Run()
	ctx, cancel = context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if dockerMissing == "" {
		if err := CleanupAll(ctx); err != nil {
			fmt.Fprintln(os.Stderr, "cleanup:", err)
			code = 1
		}
	}
	os.Exit(code)
}

// dockerMissing says why Docker cannot be used ("" when it can).
var dockerMissing string

// needDocker skips t (with the reason) when Docker is missing.
func needDocker(t testing.TB) {
	t.Helper()
	if dockerMissing != "" {
		t.Skip("no Docker: " + dockerMissing)
	}
}

// openT opens the engine name and closes it when t ends.
func openT(t testing.TB, name string) *Engine {
	t.Helper()
	needDocker(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	e, err := Open(ctx, name)
	if err != nil {
		t.Fatalf("Open(%s): %v", name, err)
	}
	t.Cleanup(func() {
		if err := e.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return e
}
