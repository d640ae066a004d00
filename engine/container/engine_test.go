package container

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kmsconform/kmsconform/engine"
)

func TestVersionAndStreams(t *testing.T) {
	e := openT(t, "openssl-1.1.1")
	ctx := context.Background()
	r, err := e.Run(ctx, engine.Command{Dir: t.TempDir(), Args: []string{"version"}})
	if err != nil {
		t.Fatal(err)
	}
	if r.ExitCode != 0 || !strings.HasPrefix(string(r.Stdout), "OpenSSL 1.1.1") || len(r.Stderr) != 0 {
		t.Fatalf("openssl version: exit %d stdout %q stderr %q", r.ExitCode, r.Stdout, r.Stderr)
	}
	v, _ := e.Version(ctx)
	if strings.TrimSpace(string(r.Stdout)) != v {
		t.Fatalf("Version() = %q, openssl version printed %q", v, r.Stdout)
	}
	// A failing command: exit 1, the message on stderr only.
	r, err = e.Run(ctx, engine.Command{Dir: t.TempDir(), Args: []string{"enc", "-d", "-aes-256-cbc", "-pass", "pass:x", "-in", "missing.bin"}})
	if err != nil {
		t.Fatal(err)
	}
	if r.ExitCode != 1 || len(r.Stdout) != 0 || !bytes.Contains(r.Stderr, []byte("missing.bin")) {
		t.Fatalf("enc on a missing file: exit %d stdout %q stderr %q", r.ExitCode, r.Stdout, r.Stderr)
	}
}

// TestFilesStdinEnv: files written in Dir by the container are seen by the
// host and the other way round; stdin and env reach openssl; binary output
// is byte exact.
func TestFilesStdinEnv(t *testing.T) {
	for _, mode := range []ExecMode{ModeAgent, ModeDocker} {
		t.Run(string(mode), func(t *testing.T) {
			t.Setenv("KMSCONFORM_CONTAINER_EXEC", string(mode))
			testFilesStdinEnv(t)
		})
	}
}

func testFilesStdinEnv(t *testing.T) {
	e := openT(t, "openssl-3.5")
	ctx := context.Background()
	dir := t.TempDir()
	plain := bytes.Repeat([]byte{0, 1, 2, 0xff, '\n', '\r'}, 50000)
	r, err := e.Run(ctx, engine.Command{Dir: dir, Stdin: plain, Env: []string{`PW=it's a "pw" $HOME`},
		Args: []string{"enc", "-aes-256-cbc", "-pbkdf2", "-pass", "env:PW", "-out", "c t.bin"}})
	if err != nil || r.ExitCode != 0 {
		t.Fatalf("enc: %v exit %d %s", err, r.ExitCode, r.Stderr)
	}
	ct, err := os.ReadFile(filepath.Join(dir, "c t.bin"))
	if err != nil || !bytes.HasPrefix(ct, []byte("Salted__")) {
		t.Fatalf("ct.bin on the host: %v %q", err, ct[:min(16, len(ct))])
	}
	// Decrypt on the host's openssl: the container's file is a real file.
	out, err := exec.Command("openssl", "enc", "-d", "-aes-256-cbc", "-pbkdf2", "-pass", `pass:it's a "pw" $HOME`, "-in", filepath.Join(dir, "c t.bin")).Output()
	if err != nil || !bytes.Equal(out, plain) {
		t.Fatalf("host openssl could not decrypt the container's output: %v", err)
	}
	// And back through the container to stdout.
	r, err = e.Run(ctx, engine.Command{Dir: dir, Args: []string{"enc", "-d", "-aes-256-cbc", "-pbkdf2", "-pass", `pass:it's a "pw" $HOME`, "-in", "c t.bin"}})
	if err != nil || r.ExitCode != 0 || !bytes.Equal(r.Stdout, plain) {
		t.Fatalf("decrypt in the container: %v exit %d, %d bytes out, want %d", err, r.ExitCode, len(r.Stdout), len(plain))
	}
}

func TestTimeoutKillsInContainer(t *testing.T) {
	for _, mode := range []ExecMode{ModeAgent, ModeDocker} {
		t.Run(string(mode), func(t *testing.T) {
			t.Setenv("KMSCONFORM_CONTAINER_EXEC", string(mode))
			testTimeout(t)
		})
	}
}

func testTimeout(t *testing.T) {
	e := openT(t, "openssl-3.5")
	start := time.Now()
	r, err := e.Run(context.Background(), engine.Command{Dir: t.TempDir(), Timeout: time.Second, Args: []string{"speed", "-seconds", "30", "sha256"}})
	if err == nil || !strings.Contains(err.Error(), "timed out") {
		t.Fatalf("want a timeout error, got %v (exit %d)", err, r.ExitCode)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("timeout took %s", d)
	}
	out, _ := exec.Command("docker", "top", e.ContainerID()).CombinedOutput()
	if strings.Contains(string(out), "openssl") {
		t.Fatalf("openssl speed still runs in the container:\n%s", out)
	}
}

func TestDirNotShared(t *testing.T) {
	e := openT(t, "openssl-3.5")
	_, err := e.Run(context.Background(), engine.Command{Dir: "/usr/share", Args: []string{"version"}})
	if err == nil || !strings.Contains(err.Error(), "not shared") {
		t.Fatalf("want a not-shared error, got %v", err)
	}
}

func TestBadEnv(t *testing.T) {
	e := openT(t, "openssl-3.5")
	for _, kv := range []string{"NOEQUALS", "1X=y", "A-B=c", "=v"} {
		_, err := e.Run(context.Background(), engine.Command{Dir: t.TempDir(), Env: []string{kv}, Args: []string{"version"}})
		if err == nil || !strings.Contains(err.Error(), "environment entry") {
			t.Errorf("Env %q: want a clear error, got %v", kv, err)
		}
	}
}

func TestNames(t *testing.T) {
	for _, bad := range []string{"openssl-9.9", "openssl-", "openssl-3.5x"} {
		if _, err := engine.Open(bad); err == nil || !strings.Contains(err.Error(), "known") {
			t.Errorf("engine.Open(%q): want an error listing the known lines, got %v", bad, err)
		}
	}
	if got := strings.Join(Names(), ","); got != "openssl-1.1.1,openssl-3.0,openssl-3.5,openssl-3.6,openssl-4.0" {
		t.Errorf("Names() = %s", got)
	}
}

// TestRegistry: engine.Open finds the container engines by prefix, and
// Close removes the container.
func TestRegistry(t *testing.T) {
	needDocker(t)
	o, err := engine.Open("openssl-1.1.1")
	if err != nil {
		t.Fatal(err)
	}
	id := o.(*Engine).ContainerID()
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	if err := o.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	out, _ := exec.Command("docker", "ps", "-aq", "--no-trunc", "--filter", "id="+id).Output()
	if strings.TrimSpace(string(out)) != "" {
		t.Fatalf("container %s still exists after Close", id)
	}
	if _, err := o.Run(context.Background(), engine.Command{Dir: t.TempDir(), Args: []string{"version"}}); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Fatalf("Run after Close: %v", err)
	}
}
