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

	"github.com/kmsconform/kmsconform/failclass"
	"github.com/kmsconform/kmsconform/internal/proc"
)

// Placeholders a tool's command may use, by mode.
var Placeholders = map[Mode][]string{
	ModeEncrypt:    {"{pubkey_pem}", "{pubkey_der}", "{in}", "{out}"},
	ModeHybrid:     {"{pubkey_pem}", "{pubkey_der}", "{data_in}", "{data_out}", "{key_out}"},
	ModeDerive:     {"{kms_pubkey_pem}", "{kms_pubkey_der}", "{pubkey_out}", "{secret_out}"},
	ModeDecrypt:    {"{privkey_pem}", "{privkey_der}", "{in}", "{out}"},
	ModeWrapImport: {"{wrapping_pubkey_der}", "{wrapping_pubkey_pem}", "{material_in}", "{out}"},
}

// fileNames are the names the placeholders stand for in a case's
// temporary directory.
var fileNames = map[string]string{
	"{pubkey_pem}": "pubkey.pem", "{pubkey_der}": "pubkey.der", "{in}": "input.bin", "{out}": "output.bin",
	"{data_in}": "data.bin", "{data_out}": "data.enc", "{key_out}": "key.enc",
	"{kms_pubkey_pem}": "kms-pubkey.pem", "{kms_pubkey_der}": "kms-pubkey.der",
	"{pubkey_out}": "tool-pubkey.out", "{secret_out}": "secret.out",
	"{privkey_pem}": "privkey.pem", "{privkey_der}": "privkey.der",
	"{wrapping_pubkey_der}": "wrapping-pubkey.der", "{wrapping_pubkey_pem}": "wrapping-pubkey.pem", "{material_in}": "material.bin",
}

// run is one execution of the partner's command.
type run struct {
	Command     string        // after substitution
	ExitCode    int           // -1 when it did not exit (timeout, not started)
	Stdout      string        // first KiB
	StdoutBytes int           // how much it wrote to stdout in all
	Stderr      string        // first 4 KiB
	Duration    time.Duration // wall time
	TimedOut    bool
}

// notRunnable reports whether the run failed because the program could
// not be started: the shell's exit 126/127 or its "not found" message.
func (r run) notRunnable() bool {
	if r.ExitCode == 0 || r.TimedOut {
		return false
	}
	if failclass.Stderr(r.ExitCode, r.Stderr) == failclass.ToolNotRunnable {
		return true
	}
	for _, m := range notFoundMessages {
		if strings.Contains(r.Stderr, m) {
			return true
		}
	}
	return false
}

// notFoundMessages are what shells and interpreters print when the
// program or script named on the command line does not exist.
var notFoundMessages = []string{
	"command not found", ": not found", // sh, bash
	"can't open file",                   // python3 missing.py
	"Cannot find module",                // node missing.js
	"Could not find or load main class", // java Missing
	"Source file not found",             // java Missing.java
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

// unknownPlaceholders lists {words} in tmpl that are not placeholders of
// the mode.
func unknownPlaceholders(tmpl string, known []string) []string {
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
		for _, p := range known {
			ok = ok || p == w
		}
		if !ok && !strings.ContainsAny(w, " \t\n$") && len(w) > 2 {
			bad = append(bad, w)
		}
		i += j
	}
	return bad
}

// runTool runs cmdline with sh -c the way the user would: in dir (the
// caller's directory, so relative paths resolve as typed), with the
// caller's environment and stdin at /dev/null, in its own process group
// killed whole on timeout.
func runTool(ctx context.Context, dir, cmdline string, timeout time.Duration) run {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", cmdline)
	cmd.Dir = dir
	cmd.Stdin = nil // /dev/null: a tool waiting for input ends at once
	proc.Group(cmd, syscall.SIGKILL, 5*time.Second)
	var stdout, stderr limitedBuffer
	stdout.max, stderr.max = 1024, 4096
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	r := run{Command: cmdline, Stdout: stdout.String(), StdoutBytes: stdout.total, Stderr: stderr.String(), Duration: time.Since(start)}
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

// limitedBuffer keeps the first max bytes written to it and counts all.
// It has no ReadFrom (an embedded bytes.Buffer's would let io.Copy
// bypass the limit and the count).
type limitedBuffer struct {
	buf   bytes.Buffer
	max   int
	total int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	b.total += len(p)
	if room := b.max - b.buf.Len(); room > 0 {
		b.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (b *limitedBuffer) String() string { return b.buf.String() }

// shellQuote quotes s for sh.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
