package container

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/kmsconform/kmsconform/engine"
)

// The agent is the container's main process: a POSIX shell loop reading job
// names from a FIFO in the engine's private control directory (on a shared
// root, so the same path on both sides). Each job is a directory holding a
// script, its stdin file and a "done" FIFO; the agent runs the script with
// stdout and stderr to files, writes the exit code, and opens "done" to
// wake the host. A job costs a fork in the container instead of a `docker
// exec` round trip through the daemon (see BenchmarkExec), which is what
// makes the full matrix fit its time budget. Every job runs under
// `timeout -s KILL`; jobs run concurrently, double-forked so that the
// container's init reaps them. The job script is sourced in a subshell
// rather than run by a new sh, and "done" is the only signal (the host
// reads rc after it), so a job costs no exec but timeout and openssl:
// every exec in the container goes through its storage driver, which is
// slow where that is fuse-overlayfs.
const agentScript = `ctl=$1
exec 3<>"$ctl/req"
while read -r job <&3; do
  case "$job" in *[!a-z0-9-]*|'') continue ;; esac
  d="$ctl/$job"
  ( ( ( . "$d/run.sh" ) <"$d/in" >"$d/out" 2>"$d/err"; echo $? >"$d/rc"; : >"$d/done" ) & )
done
`

// ExecMode selects how commands reach the container: "agent" (default,
// the FIFO agent) or "docker" (a `docker exec` per command, stdout and
// stderr demultiplexed from the exec stream). $KMSCONFORM_CONTAINER_EXEC
// sets it for a whole run.
type ExecMode string

// The two ExecModes.
const (
	ModeAgent  ExecMode = "agent"
	ModeDocker ExecMode = "docker"
)

// defaultMode reads $KMSCONFORM_CONTAINER_EXEC.
func defaultMode() (ExecMode, error) {
	switch v := os.Getenv("KMSCONFORM_CONTAINER_EXEC"); v {
	case "", "agent":
		return ModeAgent, nil
	case "docker":
		return ModeDocker, nil
	default:
		return "", fmt.Errorf("KMSCONFORM_CONTAINER_EXEC=%q: want agent or docker", v)
	}
}

// shQuote quotes s for a POSIX shell.
func shQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// jobScript is the script of one command: cd, environment, then openssl
// under a KILL timeout.
func jobScript(dir string, env []string, timeout time.Duration, binary string, args []string) string {
	var b strings.Builder
	b.WriteString("cd " + shQuote(dir) + " || exit 126\n")
	for _, kv := range env {
		if k, _, ok := strings.Cut(kv, "="); ok && validEnvName(k) {
			b.WriteString("export " + shQuote(kv) + "\n")
		}
	}
	b.WriteString("exec timeout -s KILL " + strconv.Itoa(int(math.Ceil(timeout.Seconds()))) + " " + shQuote(binary))
	for _, a := range args {
		b.WriteString(" " + shQuote(a))
	}
	b.WriteString("\n")
	return b.String()
}

func validEnvName(k string) bool {
	if k == "" {
		return false
	}
	for i, r := range k {
		if !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// runAgent runs one command through the agent.
func (e *Engine) runAgent(ctx context.Context, seq int, dir string, c engine.Command, timeout time.Duration) (engine.Result, error) {
	res := engine.Result{Engine: e.name, Args: c.Args, ExitCode: -1}
	line := "openssl " + strings.Join(c.Args, " ")
	for _, kv := range c.Env {
		if k, _, ok := strings.Cut(kv, "="); !ok || !validEnvName(k) {
			return res, fmt.Errorf("engine %s: `%s`: environment entry %q is not NAME=value with a shell-safe NAME", e.name, line, kv)
		}
	}
	env := append([]string{"HOME=" + e.stdinDir}, c.Env...)
	res, err := e.agentJob(ctx, seq, jobScript(dir, env, timeout, e.binary, c.Args), c.Stdin, timeout, line)
	res.Args = c.Args
	return res, err
}

// agentJob runs script (a POSIX shell script, sourced in a subshell) through
// the agent with stdin, and returns its streams and exit code; line names
// the command in errors.
func (e *Engine) agentJob(ctx context.Context, seq int, script string, stdin []byte, timeout time.Duration, line string) (engine.Result, error) {
	res := engine.Result{Engine: e.name, ExitCode: -1}
	job := fmt.Sprintf("j%d", seq)
	jd := filepath.Join(e.stdinDir, job)
	if err := os.Mkdir(jd, 0o700); err != nil {
		return res, fmt.Errorf("engine %s: %w", e.name, err)
	}
	defer os.RemoveAll(jd)
	if err := os.WriteFile(filepath.Join(jd, "run.sh"), []byte(script), 0o600); err != nil {
		return res, fmt.Errorf("engine %s: %w", e.name, err)
	}
	if err := os.WriteFile(filepath.Join(jd, "in"), stdin, 0o600); err != nil {
		return res, fmt.Errorf("engine %s: writing stdin: %w", e.name, err)
	}
	done := filepath.Join(jd, "done")
	if err := syscall.Mkfifo(done, 0o600); err != nil {
		return res, fmt.Errorf("engine %s: %w", e.name, err)
	}
	woke := make(chan error, 1)
	go func() {
		f, err := os.Open(done) // blocks until the agent opens it for writing
		if err == nil {
			f.Close()
		}
		woke <- err
	}()
	t0 := time.Now()
	e.reqMu.Lock()
	_, err := e.req.WriteString(job + "\n")
	e.reqMu.Unlock()
	if err != nil {
		return res, fmt.Errorf("engine %s: `%s`: cannot reach the container's agent: %w", e.name, line, err)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout+5*time.Second)
	defer cancel()
	select {
	case err = <-woke:
	case <-ctx.Done():
		// Unblock the reader goroutine, then report.
		if f, err := os.OpenFile(done, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
		res.Elapsed = time.Since(t0)
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return res, fmt.Errorf("engine %s: `%s` timed out after %s (no answer from the container)", e.name, line, timeout)
		}
		return res, fmt.Errorf("engine %s: `%s` cancelled: %w", e.name, line, ctx.Err())
	}
	res.Elapsed = time.Since(t0)
	if err != nil {
		return res, fmt.Errorf("engine %s: `%s`: %w", e.name, line, err)
	}
	rc, err := os.ReadFile(filepath.Join(jd, "rc"))
	if err != nil {
		return res, fmt.Errorf("engine %s: `%s`: no exit code from the container: %w", e.name, line, err)
	}
	code, err := strconv.Atoi(strings.TrimSpace(string(rc)))
	if err != nil {
		return res, fmt.Errorf("engine %s: `%s`: bad exit code %q", e.name, line, rc)
	}
	if res.Stdout, err = os.ReadFile(filepath.Join(jd, "out")); err != nil {
		return res, fmt.Errorf("engine %s: `%s`: %w", e.name, line, err)
	}
	if res.Stderr, err = os.ReadFile(filepath.Join(jd, "err")); err != nil {
		return res, fmt.Errorf("engine %s: `%s`: %w", e.name, line, err)
	}
	res.ExitCode = code
	return res, exitError(e, line, code, res.Stderr, timeout)
}

// exitError turns the exit codes of `timeout` and the shell into errors:
// 137 (killed by the timeout), 126/127 (openssl could not run).
func exitError(e *Engine, line string, code int, stderr []byte, timeout time.Duration) error {
	switch code {
	case 137:
		return fmt.Errorf("engine %s: `%s` timed out after %s (killed in the container)", e.name, line, timeout)
	case 126, 127:
		return fmt.Errorf("engine %s: `%s`: cannot run openssl in %s (exit %d): %s", e.name, line, e.image.Ref, code, strings.TrimSpace(string(stderr)))
	}
	return nil
}
