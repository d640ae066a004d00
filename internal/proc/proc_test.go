package proc

import (
	"context"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestGroupKillsGrandchildren cancels a shell whose child sleeps and holds
// the output pipe: Run must return promptly and the child must be gone.
func TestGroupKillsGrandchildren(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", "sleep 30 & echo $!; wait")
	var out strings.Builder
	cmd.Stdout = &out
	Group(cmd, syscall.SIGKILL, 2*time.Second)
	start := time.Now()
	_ = cmd.Run()
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("Run took %s after cancellation", d)
	}
	pid := strings.TrimSpace(out.String())
	if pid == "" {
		t.Fatal("the shell printed no child pid")
	}
	deadline := time.Now().Add(2 * time.Second)
	for {
		// Signal 0 probes whether the sleep still exists.
		if err := exec.Command("kill", "-0", pid).Run(); err != nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("child %s of the cancelled group is still running", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
