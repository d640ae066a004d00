package images

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"github.com/kmsconform/kmsconform/internal/proc"
)

// runSpec is one subprocess: every one has a timeout and its own process
// group, sent SIGTERM on cancel (so debootstrap can unmount what it
// mounted) and SIGKILL if it has not exited 10 s later.
type runSpec struct {
	name    string
	args    []string
	stdin   io.Reader
	stdout  io.Writer // nil: captured
	env     []string
	timeout time.Duration
}

// run runs s and returns its captured stdout. On failure the error carries
// the command line and the tail of its stderr.
func run(ctx context.Context, s runSpec) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, s.name, s.args...)
	cmd.Stdin = s.stdin
	var out, errb bytes.Buffer
	cmd.Stdout = &out
	if s.stdout != nil {
		cmd.Stdout = s.stdout
	}
	cmd.Stderr = &errb
	if s.env != nil {
		cmd.Env = s.env
	}
	proc.Group(cmd, syscall.SIGTERM, 10*time.Second)
	err := cmd.Run()
	proc.KillGroup(cmd) // leave no stray children of the group behind
	line := s.name + " " + strings.Join(s.args, " ")
	if ctx.Err() != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return out.Bytes(), fmt.Errorf("`%s` timed out after %s", line, s.timeout)
		}
		return out.Bytes(), fmt.Errorf("`%s` cancelled: %w", line, ctx.Err())
	}
	if err != nil {
		return out.Bytes(), fmt.Errorf("`%s` failed: %w: %s", line, err, tail(errb.String(), 800))
	}
	return out.Bytes(), nil
}

// tail returns the last n bytes of s, trimmed.
func tail(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) > n {
		s = "..." + s[len(s)-n:]
	}
	return s
}
