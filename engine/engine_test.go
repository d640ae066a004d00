package engine_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kmsconform/kmsconform/engine"
)

func TestOpenUnknownListsKnown(t *testing.T) {
	_, err := engine.Open("nosuch")
	if err == nil || !strings.Contains(err.Error(), "host") || !strings.Contains(err.Error(), "oracle") {
		t.Fatalf("Open(nosuch) = %v, want an error listing the known engines", err)
	}
	for _, bad := range []string{"host:", "oracle@", "oracle@9.9", "oraclex"} {
		if _, err := engine.Open(bad); err == nil {
			t.Errorf("Open(%q) succeeded, want an error", bad)
		}
	}
}

func TestHostVersionAndProfile(t *testing.T) {
	e, err := engine.Open("host")
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	v, err := e.Version(context.Background())
	if err != nil || !strings.HasPrefix(v, "OpenSSL ") {
		t.Fatalf("Version = %q, %v", v, err)
	}
	p, err := engine.ProfileOf(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := engine.ProfileFromVersion(v)
	if p.Name != want.Name {
		t.Fatalf("profile %s, want %s", p.Name, want.Name)
	}
}

func TestHostRunsInDirWithStdinAndEnv(t *testing.T) {
	e, err := engine.Open("host")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	r, err := e.Run(context.Background(), engine.Command{
		Dir:   dir,
		Args:  []string{"enc", "-aes-128-cbc", "-pbkdf2", "-pass", "env:KMSCONFORM_T", "-out", "x.enc"},
		Stdin: []byte("hello"),
		Env:   []string{"KMSCONFORM_T=secret"},
	})
	if err != nil || r.ExitCode != 0 {
		t.Fatalf("run: %v exit %d stderr %s", err, r.ExitCode, r.Stderr)
	}
	r, err = e.Run(context.Background(), engine.Command{Dir: dir, Args: []string{"enc", "-d", "-aes-128-cbc", "-pbkdf2", "-pass", "pass:secret", "-in", "x.enc"}})
	if err != nil || r.ExitCode != 0 || string(r.Stdout) != "hello" {
		t.Fatalf("decrypt: %v exit %d out %q stderr %s", err, r.ExitCode, r.Stdout, r.Stderr)
	}
	// A failing command is an exit code, not an error.
	r, err = e.Run(context.Background(), engine.Command{Dir: dir, Args: []string{"enc", "-d", "-aes-128-cbc", "-pbkdf2", "-pass", "pass:wrong", "-in", "x.enc"}})
	if err != nil || r.ExitCode == 0 && string(r.Stdout) == "hello" {
		t.Fatalf("wrong password: %v exit %d", err, r.ExitCode)
	}
}

func TestHostTimeoutKillsProcess(t *testing.T) {
	e, err := engine.Open("host:/bin/sleep")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = e.Run(context.Background(), engine.Command{Args: []string{"30"}, Timeout: 200 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "timed out") {
		t.Fatalf("err = %v, want a timeout", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("timeout took %s", d)
	}
}

func TestOracleUnknownCommandAndProfile(t *testing.T) {
	e, err := engine.Open("oracle@1.0.2")
	if err != nil {
		t.Fatal(err)
	}
	p, err := engine.ProfileOf(context.Background(), e)
	if err != nil || p.EncDefaultMD != "md5" {
		t.Fatalf("profile %+v, %v", p, err)
	}
	r, err := e.Run(context.Background(), engine.Command{Args: []string{"nosuchcmd"}})
	if err != nil || r.ExitCode != 1 || !strings.Contains(string(r.Stderr), "Invalid command 'nosuchcmd'") {
		t.Fatalf("run: %v exit %d stderr %q", err, r.ExitCode, r.Stderr)
	}
}

func TestProfileFromVersion(t *testing.T) {
	for v, want := range map[string]string{
		"OpenSSL 1.1.1w  11 Sep 2023": "1.1.1",
		"OpenSSL 3.0.19 27 Jan 2026":  "3.0",
		"OpenSSL 3.5.7 9 Jun 2026":    "3.0",
		"OpenSSL 4.0.3 29 Sep 2026":   "4.0",
		"OpenSSL 1.0.2u  20 Dec 2019": "1.0.2",
		"LibreSSL 2.8.3":              "libressl-2.8",
	} {
		p, err := engine.ProfileFromVersion(v)
		if err != nil || p.Name != want {
			t.Errorf("ProfileFromVersion(%q) = %s, %v; want %s", v, p.Name, err, want)
		}
	}
	if _, err := engine.ProfileFromVersion("garbage"); err == nil {
		t.Error("garbage version accepted")
	}
}

func TestParseList(t *testing.T) {
	got := engine.ParseList(" host, oracle,,host ")
	if strings.Join(got, "|") != "host|oracle" {
		t.Fatalf("ParseList = %q", got)
	}
}
