package vectors_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kmsconform/kmsconform/oracle"
	"github.com/kmsconform/kmsconform/vectors"
)

// A sample of every file re-checked against the host's real openssl: the
// first test of each group and every non-valid test (the pitfalls). This
// proves the committed answers are still openssl's own on this machine.

type hostOpenSSL struct {
	t   *testing.T
	bin string
	dir string
}

func newHost(t *testing.T) *hostOpenSSL {
	t.Helper()
	bin, err := exec.LookPath("openssl")
	if err != nil {
		t.Fatalf("no openssl on PATH: %v (install openssl 3.x: apt-get install openssl)", err)
	}
	return &hostOpenSSL{t: t, bin: bin, dir: t.TempDir()}
}

// file writes data to a 0600 file of the test's temp dir and returns its path.
func (h *hostOpenSSL) file(name string, data []byte) string {
	h.t.Helper()
	p := filepath.Join(h.dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		h.t.Fatal(err)
	}
	return p
}

// run runs openssl with a timeout and returns stdout and whether it exited 0.
func (h *hostOpenSSL) run(args ...string) ([]byte, bool, string) {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, h.bin, args...)
	cmd.Dir = h.dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		h.t.Fatalf("openssl %s: timed out", strings.Join(args, " "))
	}
	if _, isExit := err.(*exec.ExitError); err != nil && !isExit {
		h.t.Fatalf("openssl %s: %v", strings.Join(args, " "), err)
	}
	return out.Bytes(), err == nil, errb.String()
}

// sampled reports whether the i-th test of a group (with result r) is in the sample.
func sampled(i int, r vectors.Result) bool { return i == 0 || r != vectors.Valid }

func hostVerdict(t *testing.T, c vectors.Case, cmd string, got []byte, ok bool, stderr string, want []byte) {
	t.Helper()
	matched := ok && bytes.Equal(got, want)
	switch c.Result {
	case vectors.Valid:
		if !matched {
			t.Errorf("tcId %d (%s): host `openssl %s` = %x (exit ok %v, stderr %q); the vector says %x", c.TcID, c.Comment, cmd, got, ok, stderr, want)
		}
	case vectors.Invalid:
		if matched {
			t.Errorf("tcId %d (%s): host `openssl %s` gave the expected output of an invalid case", c.TcID, c.Comment, cmd)
		}
	case vectors.Acceptable:
		if ok && !matched {
			t.Errorf("tcId %d (%s): host `openssl %s` = %x; the vector says %x", c.TcID, c.Comment, cmd, got, want)
		}
	}
}

func TestEncSampleAgainstHostOpenSSL(t *testing.T) {
	for _, name := range []string{vectors.FileEnc, vectors.FileEnc111} {
		t.Run(name, func(t *testing.T) { checkEncOnHost(t, load[vectors.EncGroup](t, name)) })
	}
}

// checkEncOnHost runs the sample of f on the host openssl (3.x). Groups of
// another compat run as that version would (its default digest; for 1.1.1,
// -S reading the header).
func checkEncOnHost(t *testing.T, f *vectors.File[vectors.EncGroup]) {
	h := newHost(t)
	n := 0
	for _, g := range f.TestGroups {
		prof, err := oracle.LookupProfile(g.Compat)
		if err != nil {
			t.Fatal(err)
		}
		args, err := g.OpenSSLArgs(prof.EncDefaultMD, prof.EncHeaderWithExplicitSalt)
		if err != nil {
			t.Fatal(err)
		}
		for i, tc := range g.Tests {
			if !sampled(i, tc.Result) {
				continue
			}
			if bytes.ContainsRune(tc.Password, '\n') {
				t.Fatalf("tcId %d: a password with a newline cannot go through -pass file:", tc.TcID)
			}
			pw := h.file("pw.txt", append(append([]byte{}, tc.Password...), '\n'))
			ct := h.file("ct.bin", tc.Ct)
			full := append(append([]string{}, args...), "-pass", "file:"+pw, "-in", ct)
			got, ok, stderr := h.run(full...)
			hostVerdict(t, tc.Case, strings.Join(args, " "), got, ok, stderr, tc.Msg)
			n++
		}
	}
	t.Logf("%d enc cases re-checked against the host openssl", n)
}

func TestRSASampleAgainstHostOpenSSL(t *testing.T) {
	h := newHost(t)
	n := 0
	for _, g := range load[vectors.RSAGroup](t, vectors.FileRSA).TestGroups {
		key := h.file("key.pem", []byte(g.PrivateKeyPem))
		for i, tc := range g.Tests {
			if !sampled(i, tc.Result) {
				continue
			}
			ct := h.file("ct.bin", tc.Ct)
			args := g.OpenSSLArgs(key, tc.Label)
			got, ok, stderr := h.run(append(args, "-in", ct)...)
			hostVerdict(t, tc.Case, strings.Join(args, " "), got, ok, stderr, tc.Msg)
			n++
		}
	}
	t.Logf("%d RSA cases re-checked against the host openssl", n)
}

func TestECDHSampleAgainstHostOpenSSL(t *testing.T) {
	h := newHost(t)
	n := 0
	for _, g := range load[vectors.ECDHGroup](t, vectors.FileECDH).TestGroups {
		for i, tc := range g.Tests {
			if !sampled(i, tc.Result) {
				continue
			}
			priv := h.file("priv.der", tc.Private)
			peer := h.file("peer.der", tc.Public)
			got, ok, stderr := h.run("pkeyutl", "-derive", "-inkey", priv, "-keyform", "DER", "-peerkey", peer, "-peerform", "DER")
			hostVerdict(t, tc.Case, "pkeyutl -derive", got, ok, stderr, tc.Shared)
			n++
		}
	}
	t.Logf("%d ECDH cases re-checked against the host openssl", n)
}

func TestKDFSampleAgainstHostOpenSSL(t *testing.T) {
	h := newHost(t)
	n := 0
	for _, g := range load[vectors.KDFGroup](t, vectors.FileKDF).TestGroups {
		for i, tc := range g.Tests {
			if !sampled(i, tc.Result) {
				continue
			}
			args := g.OpenSSLArgs(&tc)
			got, ok, stderr := h.run(args...)
			hostVerdict(t, tc.Case, strings.Join(args, " "), got, ok, stderr, tc.Out)
			n++
		}
	}
	t.Logf("%d KDF cases re-checked against the host openssl", n)
}
