// Package proc runs child processes in a process group of their own, so
// that cancelling one ends everything it started (a shell wrapper's
// openssl, a tool's JVM) and leaves nothing behind.
package proc

import (
	"os/exec"
	"syscall"
	"time"
)

// Group makes cmd, not yet started, the leader of a new process group.
// When cmd's context is done the whole group gets sig, and Wait stops
// waiting for the group's output pipes waitDelay later.
func Group(cmd *exec.Cmd, sig syscall.Signal, waitDelay time.Duration) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		if cmd.Process != nil {
			_ = syscall.Kill(-cmd.Process.Pid, sig)
		}
		return nil
	}
	cmd.WaitDelay = waitDelay
}

// KillGroup sends SIGKILL to the process group of a started cmd: what a
// finished command left running does not outlive it.
func KillGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
