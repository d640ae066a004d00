package kmscompat

// Plain Go tests of `kmsconform kms check` as a process against real
// endpoints: the fake as a process, moto, a closed port and HTTP servers
// that are not KMS.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kmsconform/kmsconform/flows"
	"github.com/kmsconform/kmsconform/internal/kmstarget"
	"github.com/kmsconform/kmsconform/kmsspec"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// kmsconformBin is $KMSCONFORM_BIN, else a binary built once for the tests.
func kmsconformBin(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		if b := os.Getenv(kmstarget.EnvBinary); b != "" {
			binPath = b
			return
		}
		dir, err := os.MkdirTemp("", "kmscheck-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "kmsconform")
		root, err := kmstarget.ModuleRoot()
		if err != nil {
			binErr = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "go", "build", "-o", binPath, "./cmd/kmsconform")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = errors.New(string(out))
		}
	})
	if binErr != nil {
		t.Fatalf("building kmsconform: %v", binErr)
	}
	return binPath
}

// check runs `kmsconform kms check ARGS` and returns its exit code and
// output.
func check(t *testing.T, env []string, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, kmsconformBin(t), append([]string{"kms", "check"}, args...)...)
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, out.String()
	case errors.As(err, &ee):
		return ee.ExitCode(), out.String()
	}
	t.Fatalf("kms check %v: %v\n%s", args, err, out.String())
	return -1, ""
}

func readReport(t *testing.T, dir string) *flows.Report {
	t.Helper()
	for _, f := range []string{"junit.xml", "results.json", "report.md", "report.html"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s missing or empty: %v", f, err)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep flows.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	return &rep
}

func verdicts(rep *flows.Report) map[string]flows.Cell {
	m := map[string]flows.Cell{}
	for _, c := range rep.Cells {
		m[c.ID] = c
	}
	return m
}

func startTarget(t *testing.T, k kmstarget.Kind) *kmstarget.Target {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	tg, err := kmstarget.Start(ctx, kmstarget.Options{Kind: k, Binary: kmsconformBin(t), ServeArgs: []string{"--quiet"}})
	if err != nil {
		t.Fatalf("starting %s: %v", k, err)
	}
	t.Cleanup(func() { tg.Close() })
	return tg
}

// TestKMSCheckFakeProcess: every spec passes against `kms serve`.
func TestKMSCheckFakeProcess(t *testing.T) {
	tg := startTarget(t, kmstarget.FakeProcess)
	dir := t.TempDir()
	start := time.Now()
	code, out := check(t, tg.Env(), "--endpoint", tg.Endpoint, "--report", dir)
	t.Logf("kms check against the fake: %v\n%s", time.Since(start).Round(time.Millisecond), out)
	if code != 0 {
		t.Fatalf("exit %d, want 0", code)
	}
	rep := readReport(t, dir)
	if len(rep.Cells) != len(kmsspec.Specs()) || len(rep.Cells) < 150 || rep.Unexpected() != 0 {
		t.Errorf("%d cells (%d specs), %d unexpected", len(rep.Cells), len(kmsspec.Specs()), rep.Unexpected())
	}
	for _, c := range rep.Cells {
		if c.Verdict == flows.Skipped && !strings.Contains(c.Actual.Reason, "--with-clients") {
			t.Errorf("%s not applicable: %s", c.ID, c.Actual.Reason)
		}
	}
	if rep.KMSServer == "" || rep.Tool == "" {
		t.Errorf("evidence missing: server %q tool %q", rep.KMSServer, rep.Tool)
	}
}

// motoSpecs are a few specs moto 5.2.1 passes and fails for known reasons.
const motoSpecs = `^(GenerateRandom/12|Decrypt/symmetric/KeyId-of-another-key|DeriveSharedSecret/ECC_NIST_P256/symmetric-between-two-keys|Encrypt/RSA_2048/ciphertext-is-RSA)$`

// TestKMSCheckMotoAndGate: moto's real failures exit 1; a gate file allows
// them until a date and stops allowing them after it.
func TestKMSCheckMotoAndGate(t *testing.T) {
	if err := exec.Command("python3", "-c", "import moto.server").Run(); err != nil {
		t.Skip("moto is not installed (pip install 'moto[server]'; scripts/setup.sh does it)")
	}
	tg := startTarget(t, kmstarget.Moto)
	dir := t.TempDir()
	code, out := check(t, tg.Env(), "--endpoint", tg.Endpoint, "--run", motoSpecs, "--report", dir, "--name", "moto")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, out)
	}
	v := verdicts(readReport(t, dir))
	want := map[string]flows.Verdict{
		"GenerateRandom/12":                                           flows.ExpectedPass,
		"Decrypt/symmetric/KeyId-of-another-key":                      flows.Unexpected, // getmoto/moto#9907
		"DeriveSharedSecret/ECC_NIST_P256/symmetric-between-two-keys": flows.Unexpected,
		"Encrypt/RSA_2048/ciphertext-is-RSA":                          flows.Unexpected, // moto's own blob format
	}
	for id, w := range want {
		if v[id].Verdict != w {
			t.Errorf("%s: %s (%s), want %s", id, v[id].Verdict, v[id].Actual.Reason, w)
		}
	}
	if !strings.Contains(out, "FAIL     Decrypt/symmetric/KeyId-of-another-key") {
		t.Errorf("the failure is not printed:\n%s", out)
	}

	gateBody := func(until string) string {
		return "allow:\n" +
			"  - id: \"DeriveSharedSecret/*\"\n    reason: moto lacks ECDH\n    until: 2999-01-01\n" +
			"  - id: Decrypt/symmetric/KeyId-of-another-key\n    reason: getmoto/moto#9907\n    until: " + until + "\n" +
			"  - id: \"Encrypt/RSA_*\"\n    reason: moto's own RSA blob\n    until: 2999-01-01\n" +
			"  - id: \"GenerateRandom/*\"\n    reason: stale on purpose\n    until: 2999-01-01\n"
	}
	gf := filepath.Join(t.TempDir(), "kmsconform.yaml")
	os.WriteFile(gf, []byte(gateBody("2999-01-01")), 0o600)
	code, out = check(t, tg.Env(), "--endpoint", tg.Endpoint, "--run", motoSpecs, "--gate", gf, "--report", dir)
	if code != 0 || !strings.Contains(out, "allowed  Decrypt/symmetric/KeyId-of-another-key: getmoto/moto#9907 (until 2999-01-01)") ||
		!strings.Contains(out, `allowance "GenerateRandom/*" (line 11) matches only passing cells (1)`) {
		t.Errorf("with live allowances: exit %d, want 0 with allowed and stale lines\n%s", code, out)
	}
	if code, out = check(t, tg.Env(), "--endpoint", tg.Endpoint, "--run", motoSpecs, "--gate", gf, "--strict"); code != 1 {
		t.Errorf("--strict with a stale allowance: exit %d, want 1\n%s", code, out)
	}
	os.WriteFile(gf, []byte(gateBody("2020-01-31")), 0o600)
	code, out = check(t, tg.Env(), "--endpoint", tg.Endpoint, "--run", motoSpecs, "--gate", gf, "--report", dir)
	if code != 1 {
		t.Errorf("with an expired allowance: exit %d, want 1\n%s", code, out)
	}
	if c := verdicts(readReport(t, dir))["Decrypt/symmetric/KeyId-of-another-key"]; c.Verdict != flows.Unexpected || !strings.HasPrefix(c.Message, "allowance expired on 2020-01-31") {
		t.Errorf("expired allowance: %s %q", c.Verdict, c.Message)
	}
}

// TestKMSCheckNoKMS: a closed port, an HTML page and a 404 are exit 3
// before any spec, naming what answered.
func TestKMSCheckNoKMS(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()
	html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Server", "nginx/1.25.3")
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><head><title>Welcome to nginx!</title></head><body>Welcome</body></html>"))
	}))
	defer html.Close()
	notFound := httptest.NewServer(http.NotFoundHandler())
	defer notFound.Close()
	for _, c := range []struct {
		name, endpoint string
		want           []string
	}{
		{"closed port", closed, []string{"no KMS answers at " + closed, "connection refused"}},
		{"HTML page", html.URL, []string{html.URL + " answered, but not as AWS KMS: HTTP 200", "nginx/1.25.3", "text/html"}},
		{"404", notFound.URL, []string{notFound.URL + " answered, but not as AWS KMS: HTTP 404"}},
	} {
		dir := filepath.Join(t.TempDir(), "r")
		code, out := check(t, os.Environ(), "--endpoint", c.endpoint, "--report", dir)
		if code != 3 {
			t.Errorf("%s: exit %d, want 3\n%s", c.name, code, out)
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: output lacks %q:\n%s", c.name, w, out)
			}
		}
		if strings.Contains(out, "specs against") {
			t.Errorf("%s: specs ran:\n%s", c.name, out)
		}
	}
}

// TestKMSCheckUsage: bad flags, bad regexps and bad gate files are exit 2.
func TestKMSCheckUsage(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("allow:\n  - id: x\n    reason: r\n    untill: 2027-01-01\n"), 0o600)
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "no KMS endpoint given"},
		{[]string{"--endpoint", "127.0.0.1:4566"}, "is not an http:// or https:// URL"},
		{[]string{"--endpoint", "http://127.0.0.1:1", "--run", "("}, "is not a regular expression"},
		{[]string{"--endpoint", "http://127.0.0.1:1", "--run", "NoSuchSpec"}, "matches no spec id"},
		{[]string{"--endpoint", "http://127.0.0.1:1", "--gate", bad}, bad + `:4: unknown key "untill"`},
		{[]string{"--nope"}, "unknown flag --nope"},
		{[]string{"--endpont", "http://127.0.0.1:1"}, "did you mean --endpoint?"},
	} {
		code, out := check(t, os.Environ(), c.args...)
		if code != 2 || !strings.Contains(out, c.want) {
			t.Errorf("kms check %v: exit %d, want 2 with %q\n%s", c.args, code, c.want, out)
		}
	}
	code, out := check(t, os.Environ(), "--list")
	if code != 0 || strings.Count(out, "\n") != len(kmsspec.Specs()) {
		t.Errorf("--list: exit %d, %d lines", code, strings.Count(out, "\n"))
	}
}

// TestKMSCheckInterrupted: SIGINT during the run ends it with exit 130,
// the unfinished specs marked interrupted, and the keys cleaned up.
func TestKMSCheckInterrupted(t *testing.T) {
	tg := startTarget(t, kmstarget.FakeProcess)
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, kmsconformBin(t), "kms", "check", "--endpoint", tg.Endpoint, "--report", dir)
	cmd.Env = tg.Env()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second)
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 || !strings.Contains(out.String(), "interrupted") {
		t.Fatalf("exit %v, want 130 with \"interrupted\"\n%s", err, out.String())
	}
	rep := readReport(t, dir)
	if !rep.Interrupted || rep.Unexpected() != 0 {
		t.Errorf("report: interrupted %v, %d unexpected (want none: an interrupted spec says nothing)", rep.Interrupted, rep.Unexpected())
	}
}
