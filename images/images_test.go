package images

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestParseVersion(t *testing.T) {
	for in, want := range map[string]string{
		"OpenSSL 1.1.1w  11 Sep 2023":                                    "1.1.1w",
		"OpenSSL 3.5.7 9 Jun 2026 (Library: OpenSSL 3.5.7 9 Jun 2026)\n": "3.5.7",
		"OpenSSL 4.0.3 29 Sep 2026 (Library: OpenSSL 4.0.3 29 Sep 2026)": "4.0.3",
	} {
		got, err := ParseVersion(in)
		if err != nil || got != want {
			t.Errorf("ParseVersion(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "LibreSSL 2.8.3", "openssl: not found"} {
		if _, err := ParseVersion(bad); err == nil {
			t.Errorf("ParseVersion(%q): want an error", bad)
		}
	}
}

func TestParseLines(t *testing.T) {
	ls, err := ParseLines("4.0, openssl-3.5,1.1,3.5")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range ls {
		names = append(names, l.Name)
	}
	if strings.Join(names, ",") != "1.1.1,3.5,4.0" {
		t.Fatalf("ParseLines = %v, want 1.1.1,3.5,4.0 (ordered, deduplicated)", names)
	}
	if all, _ := ParseLines(""); len(all) != 5 {
		t.Fatalf("ParseLines(\"\") = %d lines, want all 5", len(all))
	}
	if _, err := ParseLines("3.5,2.0"); err == nil || !strings.Contains(err.Error(), "known: 1.1.1, 3.0, 3.5, 3.6, 4.0") {
		t.Fatalf("unknown line: %v", err)
	}
	if l, _ := LookupLine("4.0"); !l.Experimental || l.Suite != "sid" {
		t.Fatalf("4.0 comes from experimental on sid: %+v", l)
	}
}

func TestDebianMirror(t *testing.T) {
	for u, want := range map[string]bool{
		"http://deb.debian.org/debian":               true,
		"http://deb.debian.org/debian-security":      false,
		"http://azure.archive.ubuntu.com/ubuntu/":    false,
		"http://snapshot.debian.org/archive/debian/": true,
	} {
		if debianMirror(u) != want {
			t.Errorf("debianMirror(%q) = %v", u, !want)
		}
	}
}

// TestRemoveTreeUnmounts: a rootfs with something still mounted inside
// (as after a killed debootstrap) is unmounted, then removed, and what was
// mounted there is untouched.
func TestRemoveTreeUnmounts(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("!!!!! not root: cannot mount; removeTree's unmount path is tested only as root (as the image build runs)")
	}
	outside := t.TempDir()
	keep := filepath.Join(outside, "keep")
	if err := os.WriteFile(keep, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "root fs")
	mnt := filepath.Join(dir, "proc")
	if err := os.MkdirAll(mnt, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount(outside, mnt, "", syscall.MS_BIND, ""); err != nil {
		t.Fatalf("bind mount: %v", err)
	}
	if err := removeTree(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("%s still exists: %v", dir, err)
	}
	if _, err := os.Stat(keep); err != nil {
		t.Fatalf("removeTree went through the mount: %v", err)
	}
	if err := removeTree("/"); err == nil {
		t.Fatal("removeTree(/) must refuse")
	}
}

// TestRunTimeoutKillsGroup: a subprocess past its timeout is stopped, with
// its children, and the error says so.
func TestRunTimeoutKillsGroup(t *testing.T) {
	start := time.Now()
	_, err := run(context.Background(), runSpec{name: "sh", args: []string{"-c", "sleep 30 & sleep 30"}, timeout: 300 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "timed out") {
		t.Fatalf("want a timeout error, got %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("took %s", d)
	}
	out, _ := exec.Command("pgrep", "-f", "^sleep 30$").Output()
	if strings.TrimSpace(string(out)) != "" {
		t.Fatalf("children left running: %s", out)
	}
}

// TestBuildWarm: with the images present (Docker required, as in CI), a
// second build does nothing and takes well under 5 s.
func TestBuildWarm(t *testing.T) {
	ctx := context.Background()
	if err := DockerAvailable(ctx); err != nil {
		if os.Getenv("KMSCONFORM_REQUIRE_DOCKER") == "1" {
			t.Fatal(err)
		}
		t.Skip("no Docker: " + err.Error())
	}
	l, _ := LookupLine("3.5")
	if _, err := Build(ctx, BuildOptions{Lines: []Line{l}}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	built, err := Build(ctx, BuildOptions{Lines: []Line{l}})
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); !built[0].Cached || d > 5*time.Second {
		t.Fatalf("warm build: cached=%v in %s", built[0].Cached, d)
	}
	if !strings.HasPrefix(built[0].Image.Version, "3.5.") || built[0].Image.Ref != Repository+":"+built[0].Image.Version {
		t.Fatalf("image %+v", built[0].Image)
	}
	im, ok, err := Find(ctx, "3.5")
	if err != nil || !ok || im.Suite != "trixie" || !strings.HasPrefix(im.VersionString, "OpenSSL 3.5.") {
		t.Fatalf("Find(3.5) = %+v %v %v", im, ok, err)
	}
}

// TestLockLine: a second holder waits for the first and gives up with a
// clear error when its context ends.
func TestLockLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	unlock, err := lockLine(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
	defer cancel()
	if _, err := lockLine(ctx, path); err == nil || !strings.Contains(err.Error(), "another build") {
		t.Fatalf("second lock while held: %v", err)
	}
	unlock()
	unlock2, err := lockLine(context.Background(), path)
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	unlock2()
}
