package container

import (
	"os"
	"path/filepath"
	"strings"
)

// systemDirs are never bind-mounted: they would hide the image's own files.
var systemDirs = []string{"/", "/bin", "/boot", "/dev", "/etc", "/lib", "/lib64", "/proc", "/root", "/run", "/sbin", "/sys", "/usr", "/var"}

// shareRoots returns the host directories bind-mounted at the same path in
// every container: os.TempDir(), the current directory and the entries of
// $KMSCONFORM_CONTAINER_MOUNTS (colon-separated), made absolute with
// symlinks resolved, nested ones dropped and system directories refused.
func shareRoots() []string {
	cands := []string{os.TempDir()}
	if wd, err := os.Getwd(); err == nil {
		cands = append(cands, wd)
	}
	cands = append(cands, filepath.SplitList(os.Getenv("KMSCONFORM_CONTAINER_MOUNTS"))...)
	var roots []string
	for _, c := range cands {
		if c == "" {
			continue
		}
		abs, err := filepath.Abs(c)
		if err != nil {
			continue
		}
		if r, err := filepath.EvalSymlinks(abs); err == nil {
			abs = r
		}
		if isSystemDir(abs) {
			continue
		}
		roots = append(roots, abs)
	}
	// Drop roots inside other roots.
	var out []string
	for i, r := range roots {
		nested := false
		for j, o := range roots {
			if i != j && (under(r, o) && r != o || r == o && j < i) {
				nested = true
				break
			}
		}
		if !nested {
			out = append(out, r)
		}
	}
	return out
}

func isSystemDir(p string) bool {
	for _, s := range systemDirs {
		if p == s {
			return true
		}
	}
	return false
}

// under reports whether path p is root or inside it.
func under(p, root string) bool {
	return p == root || strings.HasPrefix(p, strings.TrimSuffix(root, "/")+"/")
}

// shared reports whether dir (resolved) is inside one of roots.
func shared(dir string, roots []string) bool {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return false
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		abs = r
	}
	for _, r := range roots {
		if under(abs, r) {
			return true
		}
	}
	return false
}
