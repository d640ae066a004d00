package kmstarget

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"
)

// child is a server started as a process in its own process group.
type child struct {
	cmd  *exec.Cmd
	done chan struct{}
	err  error // Wait's result, valid once done is closed

	mu   sync.Mutex
	tail []string // last lines of output, for error messages
}

// startChild starts name args in a new process group. Every line it writes
// on stdout or stderr is kept (the last 40) and passed to onLine.
func startChild(name string, args []string, env []string, dir string, onLine func(string)) (*child, error) {
	cmd := exec.Command(name, args...)
	cmd.Env = env
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("kmstarget: starting %s: %w", name, err)
	}
	c := &child{cmd: cmd, done: make(chan struct{})}
	var wg sync.WaitGroup
	read := func(r io.Reader) {
		defer wg.Done()
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			line := sc.Text()
			c.mu.Lock()
			c.tail = append(c.tail, line)
			if len(c.tail) > 40 {
				c.tail = c.tail[1:]
			}
			c.mu.Unlock()
			if onLine != nil {
				onLine(line)
			}
		}
		_, _ = io.Copy(io.Discard, r)
	}
	wg.Add(2)
	go read(stdout)
	go read(stderr)
	go func() {
		wg.Wait()
		c.err = cmd.Wait()
		close(c.done)
	}()
	return c, nil
}

// output returns the last lines the child printed.
func (c *child) output() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return strings.Join(c.tail, "\n")
}

// stop sends SIGTERM to the process group, then SIGKILL after grace, and
// waits for the process.
func (c *child) stop(grace time.Duration) error {
	select {
	case <-c.done:
		return nil
	default:
	}
	pgid := c.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-c.done:
	case <-time.After(grace):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-c.done
	}
	return nil
}

// exited reports a process that ended before it became ready.
func (c *child) exited() error {
	return fmt.Errorf("exited early (%v); its output:\n%s", c.err, c.output())
}

// freePort asks the kernel for a free loopback TCP port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitTCP waits until addr accepts a TCP connection, the child exits, or
// the timeout passes.
func waitTCP(ctx context.Context, c *child, addr string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			conn.Close()
			return nil
		}
		select {
		case <-c.done:
			return c.exited()
		case <-ctx.Done():
			return fmt.Errorf("not listening on %s after %v; its output:\n%s", addr, timeout, c.output())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// listenRE finds the endpoint in `kmsconform kms serve`'s ready line.
var listenRE = regexp.MustCompile(`listening on (https?://[^\s]+)`)

// waitLine waits for the child to send a URL on ch.
func waitLine(ctx context.Context, c *child, ch <-chan string, timeout time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	select {
	case u := <-ch:
		return u, nil
	case <-c.done:
		return "", c.exited()
	case <-ctx.Done():
		return "", fmt.Errorf("no %q line after %v; its output:\n%s", "listening on", timeout, c.output())
	}
}
