package container

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// childEnv makes the test binary act as a child process that opens two
// engines, prints "ready", and waits to be signalled.
const childEnv = "KMSCONFORM_CONTAINER_CHILD"

// runChild is the child's whole life (called from TestMain).
func runChild() {
	ExitGrace = 0
	for _, n := range []string{"openssl-1.1.1", "openssl-3.5"} {
		if _, err := Open(context.Background(), n); err != nil {
			fmt.Println("error:", err)
			os.Exit(3)
		}
	}
	fmt.Println("ready")
	time.Sleep(2 * time.Minute)
	os.Exit(4)
}

// startChild runs the helper and waits for it to have its containers.
func startChild(t *testing.T) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "ready") || strings.HasPrefix(sc.Text(), "error") {
				line <- sc.Text()
				return
			}
		}
		line <- "child ended"
	}()
	select {
	case l := <-line:
		if l != "ready" {
			t.Fatalf("child: %s", l)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("child never became ready")
	}
	if n := childContainers(t, cmd.Process.Pid); n != 2 {
		t.Fatalf("child should have 2 containers, has %d", n)
	}
	return cmd
}

func childContainers(t *testing.T, pid int) int {
	t.Helper()
	out, err := exec.Command("docker", "ps", "-aq", "--filter", "label="+LabelPID+"="+strconv.Itoa(pid)).Output()
	if err != nil {
		t.Fatal(err)
	}
	return len(strings.Fields(string(out)))
}

// TestSignalCleanup: SIGINT and SIGTERM to a process holding engines leave
// no container behind, and the process exits 130 / 143.
func TestSignalCleanup(t *testing.T) {
	needDocker(t)
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			cmd := startChild(t)
			pid := cmd.Process.Pid
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case <-done:
			case <-time.After(time.Minute):
				t.Fatal("child did not exit after the signal")
			}
			if code := cmd.ProcessState.ExitCode(); code != tc.code {
				t.Errorf("exit code %d, want %d", code, tc.code)
			}
			if n := childContainers(t, pid); n != 0 {
				t.Fatalf("%d containers left after %v", n, tc.sig)
			}
		})
	}
}

// TestOrphansReaped: a process killed with SIGKILL cannot clean up; the
// next Open on the host removes its containers.
func TestOrphansReaped(t *testing.T) {
	needDocker(t)
	cmd := startChild(t)
	pid := cmd.Process.Pid
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	if n := childContainers(t, pid); n != 2 {
		t.Fatalf("after SIGKILL the child's 2 containers should still be there, found %d", n)
	}
	openT(t, "openssl-3.5")
	if n := childContainers(t, pid); n != 0 {
		t.Fatalf("%d orphan containers left after the next Open", n)
	}
}
