package images

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"
)

// DefaultMirror is used when the machine's apt configuration names none.
const DefaultMirror = "http://deb.debian.org/debian"

// aptNoExpiry lets apt read a dated snapshot mirror whose Release files
// have expired.
const aptNoExpiry = "Acquire::Check-Valid-Until=false"

// MirrorFromApt returns the first Debian mirror (not the security one, not
// an Ubuntu archive) named in /etc/apt/sources.list.d/*.sources (deb822 "URIs:") or
// /etc/apt/sources.list ("deb URL ..."), or DefaultMirror.
func MirrorFromApt() string {
	files, _ := filepath.Glob("/etc/apt/sources.list.d/*.sources")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, ln := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(ln), "URIs:"); ok {
				for _, u := range strings.Fields(v) {
					if debianMirror(u) {
						return strings.TrimRight(u, "/")
					}
				}
			}
		}
	}
	if b, err := os.ReadFile("/etc/apt/sources.list"); err == nil {
		for _, ln := range strings.Split(string(b), "\n") {
			f := strings.Fields(ln)
			if len(f) >= 3 && f[0] == "deb" && debianMirror(f[1]) {
				return strings.TrimRight(f[1], "/")
			}
		}
	}
	return DefaultMirror
}

// debianMirror reports whether an apt URI is a Debian archive (not the
// security archive, not Ubuntu's).
func debianMirror(u string) bool {
	return strings.Contains(u, "debian") && !strings.Contains(u, "security") && !strings.Contains(u, "ubuntu")
}

// rootfsJob builds one rootfs for line in dir.
type rootfsJob struct {
	line     Line
	dir      string // the rootfs
	mirror   string
	cacheDir string // this line's debootstrap --cache-dir
	pool     string // .deb files shared between lines
}

// build debootstraps the rootfs, adds experimental's openssl if needed,
// and returns what `openssl version` prints inside.
func (j rootfsJob) build(ctx context.Context) (string, error) {
	if err := os.MkdirAll(j.cacheDir, 0o755); err != nil {
		return "", err
	}
	linkDebs(j.pool, j.cacheDir)
	if _, err := run(ctx, runSpec{name: "debootstrap", args: []string{
		"--variant=minbase", "--include=openssl", "--cache-dir=" + j.cacheDir,
		j.line.Suite, j.dir, j.mirror}, timeout: 10 * time.Minute}); err != nil {
		return "", fmt.Errorf("debootstrap %s: %w", j.line.Suite, err)
	}
	linkDebs(j.cacheDir, j.pool)
	if j.line.Experimental {
		if err := j.addExperimental(ctx); err != nil {
			return "", err
		}
	}
	out, err := run(ctx, runSpec{name: "chroot", args: []string{j.dir, "openssl", "version"}, timeout: 30 * time.Second})
	if err != nil {
		return "", fmt.Errorf("openssl version in the %s rootfs: %w", j.line.Suite, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// addExperimental installs openssl from experimental into the sid rootfs.
func (j rootfsJob) addExperimental(ctx context.Context) error {
	list := filepath.Join(j.dir, "etc/apt/sources.list.d/experimental.list")
	if err := os.WriteFile(list, []byte("deb "+j.mirror+" experimental main\n"), 0o644); err != nil {
		return err
	}
	env := []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "DEBIAN_FRONTEND=noninteractive", "LC_ALL=C"}
	steps := [][]string{
		{"apt-get", "-o", aptNoExpiry, "update"},
		{"apt-get", "-o", aptNoExpiry, "install", "-y", "--no-install-recommends", "-t", "experimental", "openssl"},
		{"apt-get", "clean"},
	}
	for _, s := range steps {
		if _, err := run(ctx, runSpec{name: "chroot", args: append([]string{j.dir}, s...), env: env, timeout: 5 * time.Minute}); err != nil {
			return fmt.Errorf("experimental openssl: %w", err)
		}
	}
	return nil
}

// shrink drops what an openssl image never needs: documentation, man
// pages, locales, apt's lists and caches, logs.
func shrink(dir string) error {
	globs := []string{
		"usr/share/doc/*", "usr/share/man/*", "usr/share/info/*", "usr/share/locale/*",
		"usr/share/lintian/*", "var/lib/apt/lists/*", "var/cache/apt/*.bin",
		"var/cache/apt/archives/*.deb", "var/cache/debconf/*-old", "var/log/*",
		"etc/apt/sources.list.d/experimental.list",
	}
	for _, g := range globs {
		matches, err := filepath.Glob(filepath.Join(dir, g))
		if err != nil {
			return err
		}
		for _, m := range matches {
			if err := os.RemoveAll(m); err != nil {
				return fmt.Errorf("shrink rootfs: %w", err)
			}
		}
	}
	// The build host's resolver means nothing inside the image.
	_ = os.WriteFile(filepath.Join(dir, "etc/resolv.conf"), nil, 0o644)
	return nil
}

// linkDebs hard-links (or copies, across file systems) every .deb of from
// that to lacks. Errors only cost a download later, so they are ignored.
func linkDebs(from, to string) {
	debs, _ := filepath.Glob(filepath.Join(from, "*.deb"))
	_ = os.MkdirAll(to, 0o755)
	for _, d := range debs {
		dst := filepath.Join(to, filepath.Base(d))
		if _, err := os.Stat(dst); err == nil {
			continue
		}
		if err := os.Link(d, dst); err != nil {
			if b, err := os.ReadFile(d); err == nil {
				tmp := dst + ".part"
				if os.WriteFile(tmp, b, 0o644) == nil {
					_ = os.Rename(tmp, dst)
				}
			}
		}
	}
}

// removeTree removes a rootfs safely: it first detaches anything still
// mounted below dir (debootstrap mounts /proc and /sys in the target and
// may have been killed before unmounting), so RemoveAll never walks into
// the host's /proc or /sys.
func removeTree(dir string) error {
	if dir == "" || dir == "/" {
		return fmt.Errorf("refusing to remove %q", dir)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	mounts, err := mountsBelow(abs)
	if err != nil {
		return err
	}
	for _, m := range mounts {
		if err := syscall.Unmount(m, syscall.MNT_DETACH); err != nil {
			return fmt.Errorf("unmount %s before removing %s: %w (unmount it by hand: umount -l %s)", m, abs, err, m)
		}
	}
	return os.RemoveAll(abs)
}

// mountsBelow lists the mount points under dir, deepest first.
func mountsBelow(dir string) ([]string, error) {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 5 {
			continue
		}
		mp := unescapeMount(fields[4])
		if mp == dir || strings.HasPrefix(mp, dir+"/") {
			out = append(out, mp)
		}
	}
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out, sc.Err()
}

// unescapeMount undoes mountinfo's octal escapes (\040 for a space).
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			var v int
			if _, err := fmt.Sscanf(s[i+1:i+4], "%03o", &v); err == nil {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// checkBuildTools says what to install when debootstrap, chroot or tar is
// missing, or when not running as root (debootstrap needs root).
func checkBuildTools() error {
	if os.Geteuid() != 0 {
		return fmt.Errorf("building images runs debootstrap, which needs root: build them once with `sudo kmsconform images build` (or `sudo make images`); later runs find them cached")
	}
	for _, t := range []string{"debootstrap", "chroot", "tar", "docker"} {
		if _, err := exec.LookPath(t); err != nil {
			hint := "install it"
			if t == "debootstrap" {
				hint = "apt-get -o " + aptNoExpiry + " install -y debootstrap"
			}
			return fmt.Errorf("%s is not installed (%s)", t, hint)
		}
	}
	return nil
}
