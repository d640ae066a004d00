package container

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/moby/moby/api/pkg/stdcopy"
	dcontainer "github.com/moby/moby/api/types/container"
	"github.com/testcontainers/testcontainers-go"
	tcexec "github.com/testcontainers/testcontainers-go/exec"
	tclog "github.com/testcontainers/testcontainers-go/log"

	"github.com/kmsconform/kmsconform/engine"
	"github.com/kmsconform/kmsconform/images"
)

// Engine runs openssl in one long-lived container of one image.
type Engine struct {
	name     string
	image    images.Image
	binary   string // the openssl command in the container: "openssl" (PATH's) or an absolute path
	roots    []string
	stdinDir string // private control directory (under a shared root): agent FIFO, jobs, stdin files
	mode     ExecMode

	reqMu sync.Mutex
	req   *os.File // the agent's request FIFO

	mu     sync.Mutex
	ctr    *testcontainers.DockerContainer
	closed bool
	seq    int

	// StartElapsed is how long starting the container took.
	StartElapsed time.Duration
}

var _ engine.OpenSSL = (*Engine)(nil)

// start runs the container of im and waits until it answers.
func start(ctx context.Context, name string, im images.Image, binary string) (*Engine, error) {
	ctx, cancel := context.WithTimeout(ctx, StartTimeout)
	defer cancel()
	roots := shareRoots()
	if len(roots) == 0 {
		return nil, fmt.Errorf("engine %s: no host directory to share with the container (set TMPDIR or KMSCONFORM_CONTAINER_MOUNTS)", name)
	}
	mode, err := defaultMode()
	if err != nil {
		return nil, fmt.Errorf("engine %s: %w", name, err)
	}
	stdinDir, err := os.MkdirTemp(os.TempDir(), ctlDirPrefix())
	if err != nil {
		return nil, fmt.Errorf("engine %s: %w", name, err)
	}
	reqPath := filepath.Join(stdinDir, "req")
	if err := syscall.Mkfifo(reqPath, 0o600); err != nil {
		_ = os.RemoveAll(stdinDir)
		return nil, fmt.Errorf("engine %s: %w", name, err)
	}
	// O_RDWR: never blocks, and the FIFO keeps what is written before the
	// agent opens it.
	req, err := os.OpenFile(reqPath, os.O_RDWR, 0)
	if err != nil {
		_ = os.RemoveAll(stdinDir)
		return nil, fmt.Errorf("engine %s: %w", name, err)
	}
	t0 := time.Now()
	ctr, err := testcontainers.Run(ctx, im.Ref,
		testcontainers.WithLogger(tclog.NewNoopLogger()),
		testcontainers.WithCmd("sh", "-c", agentScript, "agent", stdinDir),
		testcontainers.WithConfigModifier(func(cfg *dcontainer.Config) {
			cfg.User = fmt.Sprintf("%d:%d", os.Getuid(), os.Getgid())
		}),
		testcontainers.WithLabels(containerLabels(im)),
		testcontainers.WithHostConfigModifier(func(hc *dcontainer.HostConfig) {
			for _, r := range roots {
				hc.Binds = append(hc.Binds, r+":"+r)
			}
			hc.NetworkMode = "none"
			init := true
			hc.Init = &init
		}),
	)
	if err != nil {
		_ = req.Close()
		_ = os.RemoveAll(stdinDir)
		if ctr != nil {
			_ = removeContainer(ctr.GetContainerID())
		}
		return nil, fmt.Errorf("engine %s: cannot start a container of %s: %w", name, im.Ref, err)
	}
	if binary == "" {
		binary = "openssl"
	}
	e := &Engine{name: name, image: im, binary: binary, roots: roots, stdinDir: stdinDir, mode: mode, req: req, ctr: ctr, StartElapsed: time.Since(t0)}
	track(e)
	return e, nil
}

// Name is the engine name, e.g. "openssl-3.5".
func (e *Engine) Name() string { return e.name }

// Image is the image the engine runs.
func (e *Engine) Image() images.Image { return e.image }

// Version is what `openssl version` prints in the image (recorded at
// build for kmsconform's images, asked when an image:REF engine opens).
func (e *Engine) Version(context.Context) (string, error) { return e.image.VersionString, nil }

// Binary is the openssl command run in the container: "openssl" (the
// image's PATH) or the path given as image:REF@/path/to/openssl.
func (e *Engine) Binary() string { return e.binary }

// ContainerID is the id of the engine's container ("" once closed).
func (e *Engine) ContainerID() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.ctr == nil {
		return ""
	}
	return e.ctr.GetContainerID()
}

// Run runs `openssl ARGS` in the container, in c.Dir (which must be under
// a shared root), with c.Stdin and c.Env. The timeout is enforced twice:
// by `timeout -s KILL` inside the container (a docker exec is not killed
// when its client goes away) and by the context here.
func (e *Engine) Run(ctx context.Context, c engine.Command) (engine.Result, error) {
	res := engine.Result{Engine: e.name, Args: c.Args, ExitCode: -1}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = engine.DefaultTimeout
	}
	line := "openssl " + strings.Join(c.Args, " ")
	e.mu.Lock()
	ctr, closed := e.ctr, e.closed
	e.seq++
	seq := e.seq
	e.mu.Unlock()
	if closed || ctr == nil {
		return res, fmt.Errorf("engine %s: `%s`: engine is closed", e.name, line)
	}
	dir := c.Dir
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return res, fmt.Errorf("engine %s: %w", e.name, err)
		}
		dir = wd
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return res, fmt.Errorf("engine %s: %w", e.name, err)
	}
	if !shared(dir, e.roots) {
		return res, fmt.Errorf("engine %s: work directory %s is not shared with the container (shared: %s); use a directory under %s or add it to KMSCONFORM_CONTAINER_MOUNTS",
			e.name, dir, strings.Join(e.roots, ", "), os.TempDir())
	}
	if e.mode == ModeAgent {
		return e.runAgent(ctx, seq, dir, c, timeout)
	}
	return e.runDocker(ctx, ctr, seq, dir, c, timeout)
}

// runDocker runs one command with `docker exec` (testcontainers Exec),
// reading stdout and stderr apart from the multiplexed stream.
func (e *Engine) runDocker(ctx context.Context, ctr *testcontainers.DockerContainer, seq int, dir string, c engine.Command, timeout time.Duration) (engine.Result, error) {
	res := engine.Result{Engine: e.name, Args: c.Args, ExitCode: -1}
	line := "openssl " + strings.Join(c.Args, " ")
	stdin := "/dev/null"
	if len(c.Stdin) > 0 {
		stdin = filepath.Join(e.stdinDir, "stdin-"+strconv.Itoa(seq))
		if err := os.WriteFile(stdin, c.Stdin, 0o600); err != nil {
			return res, fmt.Errorf("engine %s: writing stdin: %w", e.name, err)
		}
		defer os.Remove(stdin)
	}
	secs := int(math.Ceil(timeout.Seconds()))
	argv := append([]string{"sh", "-c", `f=$1; shift; exec timeout -s KILL "$@" <"$f"`, "sh", stdin, strconv.Itoa(secs), e.binary}, c.Args...)
	env := append([]string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=" + e.stdinDir}, c.Env...)

	ctx, cancel := context.WithTimeout(ctx, timeout+5*time.Second)
	defer cancel()
	t0 := time.Now()
	code, reader, err := ctr.Exec(ctx, argv,
		tcexec.WithWorkingDir(dir),
		tcexec.WithEnv(env),
		tcexec.WithUser(fmt.Sprintf("%d:%d", os.Getuid(), os.Getgid())))
	res.Elapsed = time.Since(t0)
	if err != nil {
		if ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return res, fmt.Errorf("engine %s: `%s` timed out after %s", e.name, line, timeout)
		}
		return res, fmt.Errorf("engine %s: `%s`: docker exec failed: %w", e.name, line, err)
	}
	var stdout, stderr bytes.Buffer
	if _, err := stdcopy.StdCopy(&stdout, &stderr, reader); err != nil {
		return res, fmt.Errorf("engine %s: `%s`: reading output: %w", e.name, line, err)
	}
	res.Stdout, res.Stderr, res.ExitCode = stdout.Bytes(), stderr.Bytes(), code
	return res, exitError(e, line, code, res.Stderr, timeout)
}

// Close removes the container and the engine's temporary files. It is safe
// to call more than once.
func (e *Engine) Close() error {
	e.mu.Lock()
	ctr := e.ctr
	e.ctr, e.closed = nil, true
	e.mu.Unlock()
	untrack(e)
	if ctr != nil {
		_ = e.req.Close()
	}
	_ = os.RemoveAll(e.stdinDir)
	if ctr == nil {
		return nil
	}
	if err := removeContainer(ctr.GetContainerID()); err != nil {
		return fmt.Errorf("engine %s: removing container %s: %w", e.name, ctr.GetContainerID(), err)
	}
	return nil
}

// removeContainer force-removes a container by id (no stop timeout: the
// container only runs sleep).
func removeContainer(id string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := dockerOut(ctx, "rm", "--force", "--volumes", id)
	return err
}

// dockerOut runs the docker CLI (at most a minute, less if ctx says so)
// and returns its stdout.
func dockerOut(ctx context.Context, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "docker", args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("docker %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	return out.String(), nil
}
