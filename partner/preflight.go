package partner

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kmsconform/kmsconform/failclass"
	"github.com/kmsconform/kmsconform/internal/cli"
	"github.com/kmsconform/kmsconform/internal/preflight"
)

// preflight checks with internal/preflight that the KMS answers ListKeys
// with the credentials in use, before any key is created or any case
// runs; it returns a warning when the endpoint answers unlike AWS KMS.
func (k *kmsConn) preflight(ctx context.Context) (string, error) {
	info, err := preflight.KMS(ctx, k.client, k.endpoint)
	if err == nil {
		return info.Warning, nil
	}
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		return "", ctx.Err()
	}
	hint := "start the KMS (e.g. kmsconform kms serve), fix --kms-endpoint, or check the AWS credentials and region"
	var pe *preflight.Error
	if errors.As(err, &pe) && pe.Hint != "" {
		hint = pe.Hint
	}
	return "", cli.Setup(err, hint+"; no case was run")
}

// smokeTest runs the tool once on an in-limit input. It returns why the
// tool cannot be checked (it did not start, failed, timed out or wrote
// none of its outputs), or nil, and the time the tool took.
func (o *Options) smokeTest(ctx context.Context, inv invocation) (*ToolProblem, time.Duration) {
	inv.watchCaller = true
	e, err := o.execute(ctx, inv)
	if err != nil {
		return &ToolProblem{Class: "setup", Message: "could not prepare the tool's files: " + err.Error(), Hint: "check that the temporary directory ($TMPDIR) is writable"}, 0
	}
	p := &ToolProblem{Command: e.Command, ExitCode: e.ExitCode, Stderr: e.Stderr}
	first := strings.Fields(o.command)
	prog := ""
	if len(first) > 0 {
		prog = first[0]
	}
	switch {
	case e.TimedOut:
		p.Class = string(failclass.Timeout)
		p.Message = fmt.Sprintf("the tool did not finish within %s on an input well within its limits", o.Timeout)
		p.Hint = "raise --timeout if the tool is slow to start (a JVM, a container); stdin is /dev/null, so a tool must not wait for input"
	case e.notRunnable():
		p.Class = string(failclass.ToolNotRunnable)
		p.Message = fmt.Sprintf("the tool cannot run (exit %d): %s", e.ExitCode, firstLine(e.Stderr, "no message"))
		p.Hint = fmt.Sprintf("check that %q exists and is executable, or that its interpreter is installed; relative paths resolve against %s", prog, o.Dir)
	case e.ExitCode != 0:
		p.Class = "tool-failed"
		p.Message = fmt.Sprintf("the tool fails (exit %d) on an input well within its limits: %s", e.ExitCode, firstLine(failclass.ErrorLine(e.Stderr), "no message on stderr"))
		p.Hint = "run the command shown by hand (the cases below show how the tool fails; none passes by refusing its input)"
	case e.outputProblem() != "":
		p.Class = "no-output"
		p.Message = e.outputProblem()
		p.Hint = "placeholders are replaced by absolute file names; the tool must create each output file named by its placeholder"
	default:
		return nil, e.Duration
	}
	return p, e.Duration
}

func firstLine(s, none string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return none
}
