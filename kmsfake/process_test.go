package kmsfake

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sync"
	"testing"
	"time"
)

// The real kmsconform binary, built once per test run (or taken from
// KMSCONFORM_BIN).
var (
	binOnce sync.Once
	binPath string
	binErr  error
	binDir  string
)

func realBinary(t testing.TB) string {
	t.Helper()
	binOnce.Do(func() {
		if p := os.Getenv("KMSCONFORM_BIN"); p != "" {
			binPath = p
			return
		}
		binDir, binErr = os.MkdirTemp("", "kmsfake-bin-")
		if binErr != nil {
			return
		}
		c, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		binPath = filepath.Join(binDir, "kmsconform")
		cmd := exec.CommandContext(c, "go", "build", "-o", binPath, "./cmd/kmsconform")
		cmd.Dir = ".."
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build ./cmd/kmsconform: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	bad, used := checkSentErrors()
	for _, b := range bad {
		fmt.Fprintln(os.Stderr, "kmsfake: error answer without provenance:", b)
	}
	if len(bad) > 0 && code == 0 {
		code = 1
	}
	if testing.Verbose() {
		fmt.Fprintf(os.Stderr, "kmsfake: tests exercised %d of %d Answers entries\n", len(used), len(Answers))
	}
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

var listenLine = regexp.MustCompile(`^kmsconform kms: listening on (http://127\.0\.0\.1:[0-9]+)$`)

// serveProcess is a running `kmsconform kms serve`.
type serveProcess struct {
	cmd    *exec.Cmd
	url    string
	cancel context.CancelFunc
}

// startServe starts the binary and waits for its listening line. The key
// pool is off unless args ask for it (it would make RSA keys for seconds
// in the background of every test).
func startServe(t testing.TB, bin string, args ...string) *serveProcess {
	t.Helper()
	if !slices.Contains(args, "--key-pool") {
		args = append([]string{"--key-pool", "0"}, args...)
	}
	c, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	cmd := exec.CommandContext(c, bin, append([]string{"kms", "serve", "--listen", "127.0.0.1:0", "--quiet"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	p := &serveProcess{cmd: cmd, cancel: cancel}
	t.Cleanup(p.kill)
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := listenLine.FindStringSubmatch(sc.Text()); m != nil {
				urls <- m[1]
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	select {
	case p.url = <-urls:
	case <-time.After(30 * time.Second):
		t.Fatal("kms serve printed no listening line within 30s")
	}
	return p
}

// kill sends SIGKILL and reaps the process.
func (p *serveProcess) kill() {
	if p.cmd.ProcessState == nil {
		p.cmd.Process.Kill()
		p.cmd.Wait()
	}
	p.cancel()
}
