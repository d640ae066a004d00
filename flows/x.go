package flows

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kmsconform/kmsconform/engine"
	"github.com/kmsconform/kmsconform/failclass"
)

// X is the running cell a flow's steps talk to. Errors are sticky: after
// the first failure every further step is skipped, so a flow reads like its
// runbook, top to bottom, and ends with the first thing that went wrong.
type X struct {
	ctx      context.Context
	dir      string
	producer engine.OpenSSL
	consumer engine.OpenSSL
	kms      *KMS
	phase    string
	steps    []Step
	fail     string          // first failure's reason; "" while all is well
	class    failclass.Class // first failure's class
	diff     string
}

// Dir is the cell's working directory, shared by producer and consumer.
func (x *X) Dir() string { return x.dir }

// Failed reports whether a step has failed.
func (x *X) Failed() bool { return x.fail != "" }

// failf records the first failure, a flow error (class Other) unless a
// step already named its class through failc.
func (x *X) failf(format string, a ...any) { x.failc(failclass.Other, format, a...) }

// failc records the first failure with its class.
func (x *X) failc(class failclass.Class, format string, a ...any) {
	if x.fail == "" {
		x.fail = fmt.Sprintf(format, a...)
		if x.fail == "" {
			x.fail = "failed"
		}
		x.class = class
	}
}

// engineErrorClass names an engine error (the command could not run to
// its end): cancelled with the run, past its deadline, or not runnable.
func engineErrorClass(ctx context.Context, err error) failclass.Class {
	switch {
	case ctx.Err() != nil || errors.Is(err, context.Canceled):
		return failclass.Interrupted
	case errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "timed out"):
		return failclass.Timeout
	}
	return failclass.ToolNotRunnable
}

// Cmd is one openssl command line of a flow.
type Cmd struct {
	// Args follow "openssl".
	Args []string
	// Display replaces Args in the recorded command line when it must not
	// show secrets verbatim (e.g. `hexkey:$(xxd -p -c0 kms.ss)`).
	Display []string
	// Stdin names a file fed to standard input (`< FILE`).
	Stdin string
	// Stdout names a file standard output is written to (`> FILE`).
	Stdout string
}

// Producer runs `openssl args...` on the producer's engine; see Run.
func (x *X) Producer(args ...string) []byte { return x.Run(Producer, Cmd{Args: args}) }

// Consumer runs `openssl args...` on the consumer's engine; see Run.
func (x *X) Consumer(args ...string) []byte { return x.Run(Consumer, Cmd{Args: args}) }

// ProducerTo runs the producer's `openssl args... > out`.
func (x *X) ProducerTo(out string, args ...string) []byte {
	return x.Run(Producer, Cmd{Args: args, Stdout: out})
}

// Run runs c on the engine of role (Producer or Consumer), records the step
// and returns stdout. A non-zero exit fails the cell with openssl's stderr
// as the reason.
func (x *X) Run(role Role, c Cmd) []byte {
	if x.fail != "" {
		return nil
	}
	e := x.producer
	if role == Consumer {
		e = x.consumer
	}
	if e == nil {
		x.failf("flow error: no %s engine in this cell", role)
		return nil
	}
	shown := c.Args
	if c.Display != nil {
		shown = c.Display
	}
	line := CommandPrefix(e) + " " + ShellJoin(shown)
	var stdin []byte
	if c.Stdin != "" {
		line += " < " + ShellQuote(c.Stdin)
		b, err := os.ReadFile(filepath.Join(x.dir, c.Stdin))
		if err != nil {
			x.failf("flow error: %v", err)
			return nil
		}
		stdin = b
	}
	if c.Stdout != "" {
		line += " > " + ShellQuote(c.Stdout)
	}
	res, err := e.Run(x.ctx, engine.Command{Dir: x.dir, Args: c.Args, Stdin: stdin})
	st := Step{Role: role, Engine: e.Name(), Phase: x.phase, Command: line, ExitCode: res.ExitCode,
		Stdout: excerpt(res.Stdout), Stderr: excerpt(res.Stderr), Duration: Duration(res.Elapsed)}
	switch {
	case err != nil:
		st.Error, st.Class = err.Error(), engineErrorClass(x.ctx, err)
		x.failc(st.Class, "engine error: %v", err)
	case res.ExitCode != 0:
		st.Error = fmt.Sprintf("exit code %d", res.ExitCode)
		st.Class = failclass.Stderr(res.ExitCode, string(res.Stderr))
		line := failclass.ErrorLine(string(res.Stderr))
		if line == "" {
			line = fmt.Sprintf("exit code %d with no message on stderr", res.ExitCode)
		}
		x.failc(st.Class, "%s", line)
	case c.Stdout != "":
		if werr := os.WriteFile(filepath.Join(x.dir, c.Stdout), res.Stdout, 0o600); werr != nil {
			st.Error, st.Class = werr.Error(), failclass.Other
			x.failf("flow error: %v", werr)
		}
	}
	x.steps = append(x.steps, st)
	return res.Stdout
}

// harness records a step the seed does with shell tools and the harness
// does in Go; shell is its shell equivalent. A failure is a flow error
// (class Other); see harnessClass for one with its own class.
func (x *X) harness(shell string, start time.Time, err error) {
	x.harnessClass(shell, start, err, failclass.Other)
}

// harnessClass is harness with the class of a failure.
func (x *X) harnessClass(shell string, start time.Time, err error, class failclass.Class) {
	st := Step{Role: Harness, Phase: x.phase, Command: shell, Duration: Duration(time.Since(start))}
	if err != nil {
		st.Error, st.Class = err.Error(), class
		st.ExitCode = 1
		x.failc(class, "%v", err)
	}
	x.steps = append(x.steps, st)
}

// WriteFile writes data to name in the cell's directory (mode 0600) and
// records shell as the command a person would run.
func (x *X) WriteFile(name string, data []byte, shell string) {
	if x.fail != "" {
		return
	}
	start := time.Now()
	x.harness(shell, start, os.WriteFile(filepath.Join(x.dir, name), data, 0o600))
}

// RandomFile writes n random bytes to name: `head -c N /dev/urandom > name`.
func (x *X) RandomFile(name string, n int) {
	if x.fail != "" {
		return
	}
	b := make([]byte, n)
	if _, err := randRead(b); err != nil {
		x.failf("flow error: %v", err)
		return
	}
	x.WriteFile(name, b, fmt.Sprintf("head -c %d /dev/urandom > %s", n, ShellQuote(name)))
}

// ReadFile returns the contents of name (nil after a failure).
func (x *X) ReadFile(name string) []byte {
	if x.fail != "" {
		return nil
	}
	b, err := os.ReadFile(filepath.Join(x.dir, name))
	if err != nil {
		x.failf("flow error: %s was not written: %v", name, err)
		return nil
	}
	return b
}

// Exists reports whether name exists in the cell's directory.
func (x *X) Exists(name string) bool {
	_, err := os.Stat(filepath.Join(x.dir, name))
	return err == nil
}

// Same compares files want and got byte for byte (`cmp want got`); a
// difference fails the cell with class Mismatch and a hex diff.
func (x *X) Same(want, got string) {
	if x.fail != "" {
		return
	}
	start := time.Now()
	a, b := x.ReadFile(want), x.ReadFile(got)
	if x.fail != "" {
		return
	}
	if bytes.Equal(a, b) {
		x.harness("cmp "+ShellQuote(want)+" "+ShellQuote(got), start, nil)
		return
	}
	x.diff = HexDiff(want, a, got, b)
	x.harnessClass("cmp "+ShellQuote(want)+" "+ShellQuote(got), start, errors.New(ReasonMismatch+": "+want+" and "+got+" differ"), failclass.Mismatch)
}

// Refused runs fn, whose steps must fail with class (DataTooLarge,
// Validation, ...); the refusal is then recorded as expected and the cell
// goes on. If fn succeeds (class NotRefused), or fails with another class,
// the cell fails.
func (x *X) Refused(class failclass.Class, fn func()) {
	if x.fail != "" {
		return
	}
	n := len(x.steps)
	fn()
	got, gotClass := x.fail, x.class
	x.fail, x.class = "", failclass.None
	for i := n; i < len(x.steps); i++ {
		x.steps[i].Expected = string(class)
	}
	switch {
	case got == "":
		x.failc(failclass.NotRefused, "expected a refusal (%s), but every step succeeded", class)
	case gotClass != class:
		x.failc(gotClass, "expected a refusal (%s), got %s: %s", class, gotClass, got)
	}
}

// excerpt turns output into at most 2 KiB of text, hex when binary.
func excerpt(b []byte) string {
	const max = 2048
	if len(b) == 0 {
		return ""
	}
	if utf8.Valid(b) && !bytes.ContainsAny(b, "\x00") {
		if len(b) > max {
			return string(b[:max]) + fmt.Sprintf("... (%d bytes)", len(b))
		}
		return string(b)
	}
	h := fmt.Sprintf("hex: %x", b)
	if len(h) > max {
		h = h[:max] + fmt.Sprintf("... (%d bytes)", len(b))
	}
	return h
}
