package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/kmsconform/kmsconform/internal/proc"
)

// execEngine runs an openssl command line as a child process: path, then
// prefix arguments (e.g. "openssl --compat 1.0.2" for the kmsconform
// binary), then the command's own arguments. Every run has a context
// timeout and its own process group, killed as a whole on cancel.
type execEngine struct {
	name    string
	path    string
	prefix  []string
	profile string // compat profile for oracle-bin; "" for host

	verOnce sync.Once
	ver     string
	verErr  error
}

func (e *execEngine) Name() string { return e.name }

func (e *execEngine) Close() error { return nil }

// Version runs `openssl version` once and caches what it printed.
func (e *execEngine) Version(ctx context.Context) (string, error) {
	e.verOnce.Do(func() {
		r, err := e.Run(ctx, Command{Args: []string{"version"}, Timeout: 10 * time.Second})
		switch {
		case err != nil:
			e.verErr = err
		case r.ExitCode != 0:
			e.verErr = fmt.Errorf("engine %s: `openssl version` exited %d: %s", e.name, r.ExitCode, strings.TrimSpace(string(r.Stderr)))
		default:
			e.ver = strings.TrimSpace(string(r.Stdout))
		}
	})
	return e.ver, e.verErr
}

func (e *execEngine) Run(ctx context.Context, c Command) (Result, error) {
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	args := append(append([]string{}, e.prefix...), c.Args...)
	cmd := exec.CommandContext(ctx, e.path, args...)
	cmd.Dir = c.Dir
	cmd.Env = append(os.Environ(), c.Env...)
	cmd.Stdin = bytes.NewReader(c.Stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// Kill the whole process group: openssl may have children (e.g. a
	// shell wrapper around it).
	proc.Group(cmd, syscall.SIGKILL, 2*time.Second)
	start := time.Now()
	err := cmd.Run()
	res := Result{Engine: e.name, Args: c.Args, Stdout: stdout.Bytes(), Stderr: stderr.Bytes(), Elapsed: time.Since(start)}
	if ctx.Err() != nil {
		res.ExitCode = -1
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return res, fmt.Errorf("engine %s: `openssl %s` timed out after %s", e.name, strings.Join(c.Args, " "), timeout)
		}
		return res, fmt.Errorf("engine %s: `openssl %s` cancelled: %w", e.name, strings.Join(c.Args, " "), ctx.Err())
	}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		res.ExitCode = exit.ExitCode()
	default:
		res.ExitCode = -1
		return res, fmt.Errorf("engine %s: cannot run %s: %w", e.name, e.path, err)
	}
	return res, nil
}
