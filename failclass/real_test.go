package failclass_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/kmsconform/kmsconform/engine"
	// The openssl-LINE engines: real openssl builds in containers.
	"github.com/kmsconform/kmsconform/engine/container"

	"github.com/kmsconform/kmsconform/failclass"
	"github.com/kmsconform/kmsconform/images"
	"github.com/kmsconform/kmsconform/oracle"
)

// line is one openssl line under test and the facts the scenarios pin.
type line struct {
	name    string
	e       engine.OpenSSL
	prof    oracle.Profile
	real    bool // a real binary (host, container), not the oracle
	major   int  // of a real binary's version
	minor   int
	version string
}

// atLeast reports whether l is a real binary of version major.minor or later.
func (l line) atLeast(major, minor int) bool {
	return l.real && (l.major > major || l.major == major && l.minor >= minor)
}

// scenario is a failing command. fails says on which lines it fails (nil:
// all); on the others it must succeed, which pins the difference.
type scenario struct {
	name  string
	args  []string
	want  failclass.Class
	fails func(line) bool
}

var scenarios = []scenario{
	{"wrong password", []string{"enc", "-d", "-aes-256-cbc", "-md", "sha256", "-nosalt", "-pass", "pass:wrong", "-in", "data.enc", "-out", "out"}, failclass.BadDecrypt, nil},
	{"no Salted__ header", []string{"enc", "-d", "-aes-256-cbc", "-md", "sha256", "-pass", "pass:x", "-in", "rnd", "-out", "out"}, failclass.BadMagic, nil},
	{"OAEP with the wrong key", []string{"pkeyutl", "-decrypt", "-inkey", "b.pem", "-pkeyopt", "rsa_padding_mode:oaep", "-in", "ct", "-out", "out"}, failclass.InvalidCiphertext, nil},
	{"OAEP past the limit", []string{"pkeyutl", "-encrypt", "-pubin", "-inkey", "apub.pem", "-pkeyopt", "rsa_padding_mode:oaep", "-in", "big", "-out", "out"}, failclass.DataTooLarge, nil},
	{"no such command", []string{"nosuchcommand"}, failclass.UnknownCommand, nil},
	{"kdf before 3.0", []string{"kdf", "-keylen", "16", "-kdfopt", "digest:SHA256", "-kdfopt", "key:secret", "-binary", "-out", "out", "HKDF"}, failclass.UnknownCommand,
		func(l line) bool { return !l.prof.KDFCommand }},
	{"unknown enc option", []string{"enc", "-aes-256-cbc", "-nosuchoption", "-pass", "pass:x", "-in", "data", "-out", "out"}, failclass.UnknownOption, nil},
	{"unknown pkeyutl option", []string{"pkeyutl", "-encrypt", "-nosuchoption", "-pubin", "-inkey", "apub.pem", "-in", "data", "-out", "out"}, failclass.UnknownOption, nil},
	// -saltlen came with 3.5; the oracle has it on no profile.
	{"enc -saltlen before 3.5", []string{"enc", "-aes-256-cbc", "-saltlen", "16", "-md", "sha256", "-pass", "pass:x", "-in", "data", "-out", "out"}, failclass.UnknownOption,
		func(l line) bool { return !l.atLeast(3, 5) }},
	{"rsa_oaep_md before rsa_padding_mode", []string{"pkeyutl", "-encrypt", "-pubin", "-inkey", "apub.pem", "-pkeyopt", "rsa_oaep_md:sha256", "-in", "data", "-out", "out"}, failclass.ParameterRefused,
		func(l line) bool { return l.prof.OAEPMDNeedsOAEPMode || !l.prof.PkeyutlOAEPMD }},
	{"unknown padding mode", []string{"pkeyutl", "-encrypt", "-pubin", "-inkey", "apub.pem", "-pkeyopt", "rsa_padding_mode:nosuch", "-in", "data", "-out", "out"}, failclass.ParameterRefused, nil},
	{"DER key without -keyform", []string{"pkeyutl", "-encrypt", "-pubin", "-inkey", "apub.der", "-in", "data", "-out", "out"}, failclass.KeyUnreadable,
		func(l line) bool { return !l.prof.KeyformAutodetect }},
	{"garbage key file", []string{"pkeyutl", "-encrypt", "-pubin", "-inkey", "rnd", "-in", "data", "-out", "out"}, failclass.KeyUnreadable, nil},
	{"missing input file", []string{"enc", "-aes-256-cbc", "-md", "sha256", "-pass", "pass:x", "-in", "nosuchfile", "-out", "out"}, failclass.FileNotFound, nil},
	{"binary input to enc -a", []string{"enc", "-d", "-a", "-aes-256-cbc", "-md", "sha256", "-pass", "pass:x", "-in", "rnd", "-out", "out"}, failclass.Base64Invalid, nil},
}

// TestClassesOfRealStderr runs each scenario on every openssl line at hand
// (the host's, the oracle under each compat profile, each container image)
// and checks the class of its real stderr, and that ErrorLine names it.
func TestClassesOfRealStderr(t *testing.T) {
	dir := t.TempDir()
	writeInputs(t, dir)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	names := append([]string{"host", "oracle"}, oracleProfiles()...)
	if os.Getenv(engine.EnvBinary) != "" {
		names = append(names, engine.BinaryName) // `kmsconform openssl` as a process
	} else {
		t.Run(engine.BinaryName, func(t *testing.T) {
			t.Skip("set " + engine.EnvBinary + " to a built kmsconform to run `kmsconform openssl` as a process too (the same code as the oracle engines)")
		})
	}
	var lines []line
	for _, n := range names {
		lines = append(lines, openLine(ctx, t, n))
	}
	if why := containersMissing(ctx); why != "" {
		t.Run("containers", func(t *testing.T) { t.Skip("the openssl container lines cannot run: " + why) })
	} else {
		for _, n := range container.Names() {
			l := openLine(ctx, t, n)
			defer l.e.Close()
			lines = append(lines, l)
		}
	}
	for _, l := range lines {
		t.Run(l.name, func(t *testing.T) {
			// data.enc, made by this line (deterministic: -nosalt).
			mustRun(ctx, t, l, dir, "enc", "-aes-256-cbc", "-md", "sha256", "-nosalt", "-pass", "pass:right", "-in", "data", "-out", "data.enc")
			for _, s := range scenarios {
				fails := s.fails == nil || s.fails(l)
				r, err := l.e.Run(ctx, engine.Command{Dir: dir, Args: s.args})
				if err != nil {
					t.Fatalf("%s: %v", s.name, err)
				}
				if !fails {
					if r.ExitCode != 0 {
						t.Errorf("%s: expected to work on %s (%s), but exit %d:\n%s", s.name, l.name, l.version, r.ExitCode, r.Stderr)
					}
					continue
				}
				got := failclass.Stderr(r.ExitCode, string(r.Stderr))
				if r.ExitCode == 0 || got != s.want {
					t.Errorf("%s: exit %d, class %s, want %s; stderr:\n%s", s.name, r.ExitCode, got, s.want, r.Stderr)
				}
				if el := failclass.ErrorLine(string(r.Stderr)); el == "" || regexp.MustCompile(`^kmsconform: (note|hint):`).MatchString(el) {
					t.Errorf("%s: ErrorLine = %q; stderr:\n%s", s.name, el, r.Stderr)
				}
			}
		})
	}
}

// TestToolNotRunnable: the shell's exit 127 and 126 with their real stderr.
func TestToolNotRunnable(t *testing.T) {
	dir := t.TempDir()
	noexec := filepath.Join(dir, "tool")
	if err := os.WriteFile(noexec, []byte("#!/bin/sh\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, script := range []string{"nosuchtool-kmsconform --version", noexec} {
		cmd := exec.Command("sh", "-c", script)
		out, err := cmd.CombinedOutput()
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("%s: %v", script, err)
		}
		if got := failclass.Stderr(ee.ExitCode(), string(out)); got != failclass.ToolNotRunnable {
			t.Errorf("%s: exit %d %q: class %s", script, ee.ExitCode(), out, got)
		}
	}
}

// TestHarnessLinesAreNotClassified: the oracle's hints may name another
// failure's words; only openssl's own text counts.
func TestHarnessLinesAreNotClassified(t *testing.T) {
	stderr := "kmsconform: note: stand-in\nsomething odd\nkmsconform: hint: expected PEM (add -keyform DER for a DER key), bad decrypt\n"
	if got := failclass.Stderr(1, stderr); got != failclass.Other {
		t.Errorf("class %s, want other", got)
	}
	if got := failclass.ErrorLine(stderr); got != "something odd" {
		t.Errorf("ErrorLine %q", got)
	}
}

func oracleProfiles() []string {
	var out []string
	for _, p := range oracle.ProfileNames() {
		out = append(out, "oracle@"+p)
	}
	return out
}

// containersMissing says why the container lines cannot run, or "".
func containersMissing(ctx context.Context) string {
	if err := images.DockerAvailable(ctx); err != nil {
		return err.Error()
	}
	for _, n := range container.Names() {
		l, _ := container.LineOf(n)
		if _, ok, err := images.Find(ctx, l.Name); err != nil || !ok {
			return "no image for openssl " + l.Name + " (kmsconform images build)"
		}
	}
	return ""
}

var versionRE = regexp.MustCompile(`OpenSSL (\d+)\.(\d+)`)

func openLine(ctx context.Context, t *testing.T, name string) line {
	t.Helper()
	e, err := engine.Open(name)
	if err != nil {
		t.Fatalf("open %s: %v", name, err)
	}
	prof, err := engine.ProfileOf(ctx, e)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	v, _ := e.Version(ctx)
	l := line{name: name, e: e, prof: prof, version: v}
	if _, isOracle := e.(engine.Profiled); !isOracle {
		m := versionRE.FindStringSubmatch(v)
		if m == nil {
			t.Fatalf("%s: version %q", name, v)
		}
		l.real = true
		l.major, _ = strconv.Atoi(m[1])
		l.minor, _ = strconv.Atoi(m[2])
	}
	return l
}

func mustRun(ctx context.Context, t *testing.T, l line, dir string, args ...string) {
	t.Helper()
	r, err := l.e.Run(ctx, engine.Command{Dir: dir, Args: args})
	if err != nil || r.ExitCode != 0 {
		t.Fatalf("openssl %v on %s: %v exit %d\n%s", args, l.name, err, r.ExitCode, r.Stderr)
	}
}

// writeInputs writes the scenarios' files: an RSA key pair a (public PEM
// and DER), another private key b, a ciphertext ct under a's key (OAEP
// SHA-1), data, random bytes rnd and an input past the OAEP limit big.
func writeInputs(t *testing.T, dir string) {
	t.Helper()
	a, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	b, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	spki, err := x509.MarshalPKIXPublicKey(&a.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	bder, err := x509.MarshalPKCS8PrivateKey(b)
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("kmsconform failclass\n")
	ct, err := rsa.EncryptOAEP(sha1.New(), rand.Reader, &a.PublicKey, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	rnd := make([]byte, 100)
	big := make([]byte, 300)
	rand.Read(rnd)
	rand.Read(big)
	rnd[0] = 0x80 // neither "Salted__" nor base64 text
	files := map[string][]byte{
		"apub.pem": pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: spki}),
		"apub.der": spki,
		"b.pem":    pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: bder}),
		"ct":       ct,
		"data":     data,
		"rnd":      rnd,
		"big":      big,
	}
	for n, c := range files {
		if err := os.WriteFile(filepath.Join(dir, n), c, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
