package partner

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"sort"
	"strings"
	"syscall"
	"time"
)

// Placeholders a --encrypt command may use.
var Placeholders = []string{"{pubkey_pem}", "{pubkey_der}", "{in}", "{out}", "{data_in}", "{data_out}", "{key_out}"}

// run is one execution of the partner's command.
type run struct {
	Command  string        // after substitution
	ExitCode int           // -1 when it did not exit (timeout, not started)
	Stdout   string        // first KiB
	Stderr   string        // first 4 KiB
	Duration time.Duration // wall time
	TimedOut bool
}

// expand replaces the placeholders of tmpl with shell-quoted values.
func expand(tmpl string, vals map[string]string) string {
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var pairs []string
	for _, k := range keys {
		pairs = append(pairs, k, shellQuote(vals[k]))
	}
	return strings.NewReplacer(pairs...).Replace(tmpl)
}

// unknownPlaceholders lists {words} in tmpl that are not placeholders.
func unknownPlaceholders(tmpl string) []string {
	var bad []string
	for i := 0; i < len(tmpl); i++ {
		if tmpl[i] != '{' || (i > 0 && tmpl[i-1] == '$') {
			continue // ${VAR} is the shell's
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			break
		}
		w := tmpl[i : i+j+1]
		ok := false
		for _, p := range Placeholders {
			ok = ok || p == w
		}
		if !ok && !strings.ContainsAny(w, " \t\n$") && len(w) > 2 {
			bad = append(bad, w)
		}
		i += j
	}
	return bad
}

// runTool runs cmdline with sh -c in dir, in its own process group killed
// whole on timeout.
func runTool(ctx context.Context, dir, cmdline string, timeout time.Duration) run {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", cmdline)
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr limitedBuffer
	stdout.max, stderr.max = 1024, 4096
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	r := run{Command: cmdline, Stdout: stdout.String(), Stderr: stderr.String(), Duration: time.Since(start)}
	var ee *exec.ExitError
	switch {
	case err == nil:
		r.ExitCode = 0
	case ctx.Err() != nil:
		r.ExitCode, r.TimedOut = -1, true
	case errors.As(err, &ee):
		r.ExitCode = ee.ExitCode()
	default:
		r.ExitCode = -1
		r.Stderr += err.Error()
	}
	return r
}

// limitedBuffer keeps the first max bytes written to it.
type limitedBuffer struct {
	bytes.Buffer
	max int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); room > 0 {
		if len(p) > room {
			b.Buffer.Write(p[:room])
		} else {
			b.Buffer.Write(p)
		}
	}
	return len(p), nil
}

// shellQuote quotes s for sh.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
