package cli

import (
	"bufio"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestMainErrors(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	notDir := filepath.Join(t.TempDir(), "file")
	os.WriteFile(notDir, nil, 0o600)
	for _, c := range []struct {
		args []string
		code int
		err  string
	}{
		{nil, 2, "missing kms command"},
		{[]string{"--help"}, 0, ""},
		{[]string{"serve", "--help"}, 0, ""},
		{[]string{"bogus"}, 2, `unknown kms command "bogus"`},
		{[]string{"serv"}, 2, "did you mean"},
		{[]string{"serve", "--nope"}, 2, "unknown flag --nope"},
		{[]string{"serve", "--idle-timout", "1s"}, 2, "did you mean --idle-timeout"},
		{[]string{"serve", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"serve", "--sigv4", "maybe"}, 2, "SigV4 mode"},
		{[]string{"serve", "--sigv4", "verify"}, 2, "credentials file"},
		{[]string{"serve", "--account", "12"}, 2, "12 digits"},
		{[]string{"serve", "--region", "Mars"}, 2, "region"},
		{[]string{"serve", "--seed", "/nonexistent/seed.yaml"}, 2, "seed"},
		{[]string{"serve", "--listen", "256.0.0.1:1"}, 2, "--listen"},
		{[]string{"serve", "--listen", "nocolon"}, 2, "--listen"},
		{[]string{"serve", "--read-timeout", "0s"}, 2, "must be positive"},
		{[]string{"serve", "--max-conns", "0"}, 2, "--max-conns"},
		{[]string{"serve", "--key-pool", "-1"}, 2, "--key-pool -1: give 0 to 16"},
		{[]string{"serve", "--key-pool", "17"}, 2, "--key-pool 17"},
		{[]string{"serve", "--key-pool", "many"}, 2, "--key-pool"},
		{[]string{"serve", "--listen", busy.Addr().String()}, 3, "listen on"},
		{[]string{"serve", "--data", notDir}, 3, "not a directory"},
		// procfs refuses chmod even to root: a wide directory that cannot be tightened.
		{[]string{"serve", "--data", "/proc/1"}, 3, "is mode 0555 (other users can read the keys) and cannot be made 0700"},
	} {
		var out, errb strings.Builder
		got := run(c.args, &out, &errb, nil)
		if got != c.code || !strings.Contains(errb.String(), c.err) {
			t.Errorf("kms %q = %d, want %d; stderr %q", c.args, got, c.code, errb.String())
		}
		if c.code != 0 && !strings.HasPrefix(errb.String(), "kmsconform: error: ") && !strings.HasPrefix(errb.String(), "usage:") {
			t.Errorf("kms %q: stderr does not start with the error line: %q", c.args, errb.String())
		}
		if c.code == 0 && !strings.HasPrefix(out.String(), "usage: kmsconform kms") {
			t.Errorf("kms %q: help on stdout %q", c.args, out.String())
		}
		if c.code == 0 && len(c.args) == 2 && !strings.Contains(out.String(), "--key-pool N") {
			t.Errorf("kms serve --help does not document --key-pool: %q", out.String())
		}
	}
}

// serveOnce runs `kms serve ARGS` until it prints its listening line, then
// stops it and returns stderr. The key pool is off unless ARGS ask for it
// (its keys take seconds to make).
func serveOnce(t *testing.T, args ...string) (code int, stderr string) {
	t.Helper()
	if !slices.Contains(args, "--key-pool") {
		args = append([]string{"--key-pool", "0"}, args...)
	}
	pr, pw := io.Pipe()
	var errb syncBuilder
	stop := make(chan struct{})
	done := make(chan int, 1)
	go func() { done <- run(append([]string{"serve", "--quiet"}, args...), pw, &errb, stop); pw.Close() }()
	line, err := bufio.NewReader(pr).ReadString('\n')
	go io.Copy(io.Discard, pr)
	if err == nil && !strings.HasPrefix(line, "kmsconform kms: listening on http://") {
		t.Errorf("listening line %q", line)
	}
	close(stop)
	select {
	case code = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("kms serve did not stop")
	}
	return code, errb.String()
}

type syncBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuilder) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuilder) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestListenWarning: every-interface listening without --sigv4 verify
// warns and names the risk; loopback and verify do not.
func TestListenWarning(t *testing.T) {
	creds := filepath.Join(t.TempDir(), "credentials")
	os.WriteFile(creds, []byte("[default]\naws_access_key_id = AK\naws_secret_access_key = SK\n"), 0o600)
	for _, c := range []struct {
		args []string
		warn bool
	}{
		{[]string{"--listen", "127.0.0.1:0"}, false},
		{[]string{"--listen", "localhost:0"}, false},
		{[]string{"--listen", ":0"}, true},
		{[]string{"--listen", "0.0.0.0:0"}, true},
		{[]string{"--listen", ":0", "--sigv4", "verify", "--credentials", creds}, false},
	} {
		code, stderr := serveOnce(t, c.args...)
		warned := strings.Contains(stderr, "kmsconform: warning: ") && strings.Contains(stderr, "anyone who can reach this port can use, export and delete the keys")
		if code != 0 || warned != c.warn {
			t.Errorf("serve %q: exit %d, warned %v (want %v)\n%s", c.args, code, warned, c.warn, stderr)
		}
	}
}

// TestDataDirTightened: a data directory (and key files) other users can
// read are made 0700/0600 with a warning.
func TestDataDirTightened(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if code, stderr := serveOnce(t, "--listen", "127.0.0.1:0", "--data", dir); code != 0 || stderr != "kmsconform kms: stopped\n" {
		t.Fatalf("new data dir: %d %q", code, stderr)
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Fatalf("new data dir mode %v", fi.Mode())
	}
	keys := filepath.Join(dir, "000000000000", "us-east-1", "keys")
	os.MkdirAll(keys, 0o755)
	os.Chmod(dir, 0o755)
	os.Chmod(keys, 0o755)
	os.WriteFile(filepath.Join(keys, "leftover.txt"), []byte("x"), 0o644)
	code, stderr := serveOnce(t, "--listen", "127.0.0.1:0", "--data", dir)
	if code != 0 || !strings.Contains(stderr, "kmsconform: warning: data directory "+dir+" was mode 0755") || !strings.Contains(stderr, "now 0600/0700") {
		t.Fatalf("wide data dir: %d %q", code, stderr)
	}
	for p, want := range map[string]os.FileMode{dir: 0o700, keys: 0o700, filepath.Join(keys, "leftover.txt"): 0o600} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v (%v)", p, fi.Mode().Perm(), want, err)
		}
	}
}
