package images

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// BuildOptions configures Build. The zero value builds every missing line
// from the machine's apt mirror, three at a time.
type BuildOptions struct {
	// Lines to build; empty means all Lines.
	Lines []Line
	// Mirror is the Debian mirror; empty means MirrorFromApt().
	Mirror string
	// CacheDir keeps the downloaded .deb files between builds; empty
	// means $XDG_CACHE_HOME/kmsconform (or ~/.cache/kmsconform).
	CacheDir string
	// TempDir holds the rootfs while it is built; empty means os.TempDir().
	TempDir string
	// Parallel bounds the concurrent debootstraps (default 3).
	Parallel int
	// Force rebuilds lines that already have an image.
	Force bool
	// Log receives one line per step; nil discards.
	Log io.Writer
}

// Built is the outcome for one line.
type Built struct {
	// Line is the openssl line.
	Line Line
	// Image is the image (new or cached).
	Image Image
	// Cached is true when the image existed and nothing was built.
	Cached bool
	// Elapsed is the time this line took.
	Elapsed time.Duration
}

// Build makes sure an image exists for every requested line, building the
// missing ones concurrently, and returns one Built per line in order. A
// line that already has an image costs one `docker images` call. The
// temporary rootfs is removed on success, failure and cancellation.
func Build(ctx context.Context, o BuildOptions) ([]Built, error) {
	lines := o.Lines
	if len(lines) == 0 {
		lines = Lines
	}
	logf := func(format string, a ...any) {
		if o.Log != nil {
			fmt.Fprintf(o.Log, format+"\n", a...)
		}
	}
	existing, err := List(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Built, len(lines))
	var todo []int
	for i, l := range lines {
		out[i].Line = l
		found := false
		for _, im := range existing {
			if im.Line == l.Name && !o.Force {
				out[i].Image, out[i].Cached, found = im, true, true
				logf("openssl %s: cached %s", l.Name, im.Ref)
				break
			}
		}
		if !found {
			todo = append(todo, i)
		}
	}
	if len(todo) == 0 {
		return out, nil
	}
	if err := checkBuildTools(); err != nil {
		return out, fmt.Errorf("images: %w", err)
	}
	if o.Mirror == "" {
		o.Mirror = MirrorFromApt()
	}
	if o.CacheDir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			base = os.TempDir()
		}
		o.CacheDir = filepath.Join(base, "kmsconform")
	}
	if o.Parallel <= 0 {
		o.Parallel = 3
	}
	sem := make(chan struct{}, o.Parallel)
	errs := make([]error, len(lines))
	var wg sync.WaitGroup
	for _, i := range todo {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				errs[i] = ctx.Err()
				return
			}
			defer func() { <-sem }()
			start := time.Now()
			logf("openssl %s: building from Debian %s (%s)", lines[i].Name, lines[i].Suite, o.Mirror)
			im, err := buildLine(ctx, lines[i], o)
			out[i].Image, out[i].Elapsed = im, time.Since(start)
			if err != nil {
				errs[i] = fmt.Errorf("images: openssl %s: %w", lines[i].Name, err)
				logf("openssl %s: FAILED after %s", lines[i].Name, out[i].Elapsed.Round(time.Second))
				return
			}
			logf("openssl %s: built %s in %s", lines[i].Name, im.Ref, out[i].Elapsed.Round(time.Second))
			// A forced rebuild replaces the line's previous images.
			for _, old := range existing {
				if old.Line == lines[i].Name {
					_, _ = run(ctx, runSpec{name: "docker", args: []string{"rmi", old.ID}, timeout: time.Minute})
				}
			}
		}(i)
	}
	wg.Wait()
	var msgs []string
	for _, e := range errs {
		if e != nil {
			msgs = append(msgs, e.Error())
		}
	}
	if len(msgs) > 0 {
		return out, fmt.Errorf("%s", strings.Join(msgs, "\n"))
	}
	return out, nil
}

// buildLine builds the rootfs of one line in a temporary directory and
// imports it. A lock file per line in the cache directory keeps two
// processes (e.g. test packages run in parallel) from building the same
// line at once; the second one then finds the first one's image.
func buildLine(ctx context.Context, l Line, o BuildOptions) (Image, error) {
	unlock, err := lockLine(ctx, filepath.Join(o.CacheDir, "debs", l.Name+".lock"))
	if err != nil {
		return Image{}, err
	}
	defer unlock()
	if !o.Force {
		if im, ok, err := Find(ctx, l.Name); err == nil && ok {
			return im, nil
		}
	}
	tmp, err := os.MkdirTemp(o.TempDir, "kmsconform-rootfs-"+l.Name+"-")
	if err != nil {
		return Image{}, err
	}
	defer func() { _ = removeTree(tmp) }()
	j := rootfsJob{
		line: l, dir: filepath.Join(tmp, "rootfs"), mirror: o.Mirror,
		cacheDir: filepath.Join(o.CacheDir, "debs", l.Name), pool: filepath.Join(o.CacheDir, "debs", "pool"),
	}
	verString, err := j.build(ctx)
	if err != nil {
		return Image{}, err
	}
	ver, err := ParseVersion(verString)
	if err != nil {
		return Image{}, err
	}
	if !strings.HasPrefix(ver, l.VersionPrefix) {
		return Image{}, fmt.Errorf("Debian %s now ships openssl %s, not the %s line (update images.Lines)", l.Suite, ver, l.Name)
	}
	if err := shrink(j.dir); err != nil {
		return Image{}, err
	}
	im := Image{Ref: Repository + ":" + ver, Line: l.Name, Version: ver, Suite: l.Suite, VersionString: verString}
	if err := importRootfs(ctx, j.dir, im); err != nil {
		return Image{}, err
	}
	return im, nil
}

// lockLine takes an exclusive flock on path, waiting (and giving up when
// ctx ends), and returns its release.
func lockLine(ctx context.Context, path string) (func(), error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	for {
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err == nil {
			return func() { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("waiting for another build of the same line (lock %s): %w", path, ctx.Err())
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// importRootfs runs `tar -C dir -c . | docker import --change ... - REF`.
func importRootfs(ctx context.Context, dir string, im Image) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	changes := []string{
		fmt.Sprintf("LABEL %s=true %s=%s %s=%s %s=%s %s=%q", LabelManaged, LabelOpenSSL, im.Version,
			LabelLine, im.Line, LabelSuite, im.Suite, LabelVersionString, im.VersionString),
		`CMD ["sleep", "infinity"]`,
		"ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	}
	args := []string{"import"}
	for _, c := range changes {
		args = append(args, "--change", c)
	}
	args = append(args, "-", im.Ref)
	tar := exec.CommandContext(ctx, "tar", "--numeric-owner", "-C", dir, "-c", ".")
	imp := exec.CommandContext(ctx, "docker", args...)
	for _, c := range []*exec.Cmd{tar, imp} {
		c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		c.WaitDelay = 10 * time.Second
	}
	pipe, err := tar.StdoutPipe()
	if err != nil {
		return err
	}
	imp.Stdin = pipe
	var tarErr, impErr strings.Builder
	tar.Stderr, imp.Stderr = &tarErr, &impErr
	if err := tar.Start(); err != nil {
		return fmt.Errorf("tar: %w", err)
	}
	if err := imp.Run(); err != nil {
		_ = tar.Process.Kill()
		_ = tar.Wait()
		return fmt.Errorf("docker import %s: %w: %s", im.Ref, err, tail(impErr.String(), 800))
	}
	if err := tar.Wait(); err != nil {
		return fmt.Errorf("tar -C %s: %w: %s", dir, err, tail(tarErr.String(), 800))
	}
	if ctx.Err() != nil {
		return fmt.Errorf("docker import %s: %w", im.Ref, ctx.Err())
	}
	return nil
}
