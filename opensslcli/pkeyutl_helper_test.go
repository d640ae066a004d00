package opensslcli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/kmsconform/kmsconform/oracle"
)

// pkRun is the outcome of one openssl invocation.
type pkRun struct {
	stdout []byte
	stderr string
	code   int
	files  map[string][]byte // every file in the directory afterwards
}

// pkReal runs the host's real openssl in dir.
func pkReal(t *testing.T, dir string, stdin []byte, args ...string) pkRun {
	t.Helper()
	bin, err := exec.LookPath("openssl")
	if err != nil {
		t.Fatalf("these tests compare with the real openssl: %v (apt-get install openssl)", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr, cmd.Stdin = &out, &errb, bytes.NewReader(stdin)
	code := 0
	if err := cmd.Run(); err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("openssl %v: %v", args, err)
		}
		code = ee.ExitCode()
	}
	return pkRun{out.Bytes(), errb.String(), code, pkFiles(t, dir)}
}

// pkOurs runs `kmsconform openssl` in-process in dir with a compat profile.
func pkOurs(t *testing.T, dir string, stdin []byte, compat string, args ...string) pkRun {
	t.Helper()
	var out, errb bytes.Buffer
	if compat != "" {
		args = append([]string{"--compat", compat}, args...)
	}
	code := Main(args, Env{Dir: dir, Stdin: bytes.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }})
	return pkRun{out.Bytes(), errb.String(), code, pkFiles(t, dir)}
}

func pkFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		m[e.Name()] = b
	}
	return m
}

// pkDirs makes two directories holding the same files: one for the real
// openssl, one for kmsconform.
func pkDirs(t *testing.T, files map[string][]byte) (string, string) {
	t.Helper()
	a, b := t.TempDir(), t.TempDir()
	for name, data := range files {
		for _, d := range []string{a, b} {
			if err := os.WriteFile(filepath.Join(d, name), data, 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	return a, b
}

// pkMust fails the test unless r exited 0.
func pkMust(t *testing.T, who string, r pkRun) pkRun {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("%s: exit %d: %s", who, r.code, r.stderr)
	}
	return r
}

// pkFixture holds keys generated once by the real openssl.
type pkFixture struct {
	rsaPriv, rsaPub, rsaPubDER []byte
	ecA, ecB, ecBPub           []byte
}

var pkFix *pkFixture

func pkFixtures(t *testing.T) *pkFixture {
	t.Helper()
	if pkFix != nil {
		return pkFix
	}
	d := t.TempDir()
	f := &pkFixture{}
	f.rsaPriv = pkMust(t, "genpkey", pkReal(t, d, nil, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048")).stdout
	if err := os.WriteFile(filepath.Join(d, "k.pem"), f.rsaPriv, 0o600); err != nil {
		t.Fatal(err)
	}
	f.rsaPub = pkMust(t, "rsa -pubout", pkReal(t, d, nil, "rsa", "-in", "k.pem", "-pubout")).stdout
	f.rsaPubDER = pkMust(t, "rsa -pubout DER", pkReal(t, d, nil, "rsa", "-in", "k.pem", "-pubout", "-outform", "DER")).stdout
	f.ecA = pkMust(t, "ecparam", pkReal(t, d, nil, "ecparam", "-name", "prime256v1", "-genkey")).stdout
	f.ecB = pkMust(t, "genpkey ec", pkReal(t, d, nil, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256")).stdout
	if err := os.WriteFile(filepath.Join(d, "b.pem"), f.ecB, 0o600); err != nil {
		t.Fatal(err)
	}
	f.ecBPub = pkMust(t, "ec -pubout", pkReal(t, d, nil, "ec", "-in", "b.pem", "-pubout")).stdout
	if _, err := oracle.ParsePrivateKey(f.rsaPriv); err != nil {
		t.Fatal(err)
	}
	pkFix = f
	return f
}
