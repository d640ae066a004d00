// Package wycheproof reads Project Wycheproof's test vector files, fetched
// by version through the Go module proxy, so tests are reproducible and run
// offline after one download. Files are decoded strictly: an unreadable or
// malformed file is an error, never a reason to skip.
package wycheproof

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Module and Version pin the Wycheproof vectors kmsconform is tested with.
const (
	Module  = "github.com/c2sp/wycheproof"
	Version = "v0.0.0-20260902155932-3fa63dd0344a"
)

// downloadTimeout bounds `go mod download` (a cold fetch is a few MB).
const downloadTimeout = 5 * time.Minute

// Download makes sure the pinned module is in the module cache, with
// `go mod download -json Module@Version`, and returns the directory of its
// vector files (testvectors_v1). It fails with the go command's own words
// when the module cannot be had (no network and an empty cache).
func Download(ctx context.Context) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, downloadTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", Module+"@"+Version)
	// Run outside any module so the main go.mod is neither read nor changed.
	cmd.Dir = os.TempDir()
	cmd.Env = append(os.Environ(), "GO111MODULE=on", "GOWORK=off")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.WaitDelay = 5 * time.Second
	runErr := cmd.Run()
	var info struct {
		Dir   string
		Error string
	}
	if err := json.Unmarshal(out.Bytes(), &info); err != nil {
		return "", fmt.Errorf("go mod download %s@%s: %v: %s%s (hint: the Go module proxy must be reachable once, or the module already in GOMODCACHE)",
			Module, Version, runErr, strings.TrimSpace(errb.String()), strings.TrimSpace(out.String()))
	}
	if info.Error != "" || runErr != nil {
		return "", fmt.Errorf("go mod download %s@%s: %s %v (hint: the Go module proxy must be reachable once, or the module already in GOMODCACHE)", Module, Version, info.Error, runErr)
	}
	dir := filepath.Join(info.Dir, "testvectors_v1")
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return "", fmt.Errorf("%s@%s has no testvectors_v1 directory at %s", Module, Version, dir)
	}
	return dir, nil
}
