package container

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/kmsconform/kmsconform/images"
)

// Labels on every engine container, besides images.LabelManaged.
const (
	// LabelRole is "engine" on the containers this package starts.
	LabelRole = "org.kmsconform.role"
	// LabelPID is the host process that owns the container.
	LabelPID = "org.kmsconform.pid"
	// LabelHost is the host name of that process.
	LabelHost = "org.kmsconform.host"
	// LabelRun identifies one process's run (random per process).
	LabelRun = "org.kmsconform.run"
)

// RunID identifies this process's containers: every container it starts
// carries LabelRun=RunID.
var RunID = newRunID()

// ExitGrace is how long the signal handler waits after removing the
// containers before it exits the process itself, leaving time for a test
// framework that also handles the signal to finish its report.
var ExitGrace = 3 * time.Second

func newRunID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

var (
	liveMu sync.Mutex
	live   = map[*Engine]bool{}

	signalOnce sync.Once
)

// RunLabel is the KEY=VALUE label selecting this process's containers, for
// `docker ps -a --filter label=...`.
func RunLabel() string { return LabelRun + "=" + RunID }

// containerLabels are the labels of a new engine container.
func containerLabels(im images.Image) map[string]string {
	host, _ := os.Hostname()
	return map[string]string{
		images.LabelManaged: "true",
		images.LabelLine:    im.Line,
		images.LabelOpenSSL: im.Version,
		LabelRole:           "engine",
		LabelPID:            strconv.Itoa(os.Getpid()),
		LabelHost:           host,
		LabelRun:            RunID,
	}
}

func track(e *Engine) {
	liveMu.Lock()
	live[e] = true
	liveMu.Unlock()
	signalOnce.Do(handleSignals)
}

func untrack(e *Engine) {
	liveMu.Lock()
	delete(live, e)
	liveMu.Unlock()
}

// CleanupAll closes every engine this process opened and force-removes any
// container left with this process's run label. Call it at the end of a run
// (the suites do it in AfterSuite, the CLI before exiting).
func CleanupAll(ctx context.Context) error {
	liveMu.Lock()
	var es []*Engine
	for e := range live {
		es = append(es, e)
	}
	liveMu.Unlock()
	var wg sync.WaitGroup
	for _, e := range es {
		wg.Add(1)
		go func(e *Engine) { defer wg.Done(); _ = e.Close() }(e)
	}
	wg.Wait()
	return images.RemoveContainers(ctx, RunLabel())
}

// handleSignals removes this process's containers on SIGINT or SIGTERM,
// then exits with 128+signal after ExitGrace unless the process has ended
// by then (a test framework handling the same signal may exit first).
func handleSignals() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-ch
		liveMu.Lock()
		for e := range live {
			_ = os.RemoveAll(e.stdinDir)
		}
		liveMu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err := images.RemoveContainers(ctx, RunLabel())
		cancel()
		if err != nil {
			fmt.Fprintf(os.Stderr, "kmsconform: error: removing containers on %v: %v\n", sig, err)
			fmt.Fprintf(os.Stderr, "kmsconform: hint: remove them by hand: docker rm -f $(docker ps -aq --filter label=%s)\n", RunLabel())
		}
		time.Sleep(ExitGrace)
		code := 130
		if sig == syscall.SIGTERM {
			code = 143
		}
		os.Exit(code)
	}()
}

// ctlDirPrefix names this process's control directories, so that those of
// a dead process can be found and removed.
func ctlDirPrefix() string { return "kmsconform-ctl-" + strconv.Itoa(os.Getpid()) + "-" }

// reapCtlDirs removes the control directories of dead processes.
func reapCtlDirs() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "kmsconform-ctl-*-*"))
	for _, d := range dirs {
		f := strings.SplitN(strings.TrimPrefix(filepath.Base(d), "kmsconform-ctl-"), "-", 2)
		pid, err := strconv.Atoi(f[0])
		if err != nil || pid <= 0 || pid == os.Getpid() {
			continue
		}
		if syscall.Kill(pid, 0) == syscall.ESRCH {
			_ = os.RemoveAll(d)
		}
	}
}

// reapOrphans removes engine containers on this host whose owning process
// no longer exists (killed with SIGKILL, or crashed before its cleanup).
// It is the reaper's job, done without the reaper's image. Errors are
// ignored: the next run tries again.
func reapOrphans(ctx context.Context) {
	reapCtlDirs()
	host, _ := os.Hostname()
	out, err := dockerOut(ctx, "ps", "-a", "--filter", "label="+LabelRole+"=engine",
		"--filter", "label="+LabelHost+"="+host, "--format", `{{.ID}} {{.Label "`+LabelPID+`"}}`)
	if err != nil {
		return
	}
	var dead []string
	for _, ln := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Fields(ln)
		if len(f) != 2 {
			continue
		}
		pid, err := strconv.Atoi(f[1])
		if err != nil || pid <= 0 || pid == os.Getpid() {
			continue
		}
		if err := syscall.Kill(pid, 0); err == syscall.ESRCH {
			dead = append(dead, f[0])
		}
	}
	if len(dead) > 0 {
		_, _ = dockerOut(ctx, append([]string{"rm", "--force"}, dead...)...)
	}
}
