package kmstarget

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// ModuleRoot returns the directory holding kmsconform's go.mod, searched
// upwards from the working directory.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("kmstarget: no go.mod above the working directory; set KMSCONFORM_BIN to a built kmsconform binary")
		}
		dir = parent
	}
}

// BuildBinary builds ./cmd/kmsconform into a new temporary directory (with
// a 5-minute timeout) and returns the binary and a function that removes it.
func BuildBinary(ctx context.Context) (bin string, remove func() error, err error) {
	root, err := ModuleRoot()
	if err != nil {
		return "", nil, err
	}
	dir, err := os.MkdirTemp("", "kmstarget-bin-")
	if err != nil {
		return "", nil, err
	}
	remove = func() error { return os.RemoveAll(dir) }
	bin = filepath.Join(dir, "kmsconform")
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/kmsconform")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		remove()
		return "", nil, fmt.Errorf("kmstarget: go build ./cmd/kmsconform: %w\n%s", err, out)
	}
	return bin, remove, nil
}
