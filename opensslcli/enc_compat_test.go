package opensslcli

import (
	"bytes"
	"strings"
	"testing"
)

// TestEncCompatProfiles checks the version behaviour that the stand-in
// profiles carry, against the host openssl 3.0 given the matching flags.
func TestEncCompatProfiles(t *testing.T) {
	dir := t.TempDir()
	encWriteFile(t, dir, "p.txt", []byte("hello compat\n"))

	// 1.0.2 and LibreSSL 2.8 have no -pbkdf2: openssl's unknown option, exit 1.
	for _, prof := range []string{"1.0.2", "libressl-2.8"} {
		o := encRunOracle(dir, nil, nil, "--compat", prof, "enc", "-aes-256-cbc", "-pbkdf2", "-k", "x", "-in", "p.txt")
		if o.code != 1 || !strings.Contains(string(o.stderr), "unknown option '-pbkdf2'") || len(o.stdout) != 0 {
			t.Errorf("--compat %s -pbkdf2: code %d stderr %q stdout %d bytes; want unknown option, exit 1, no output", prof, o.code, o.stderr, len(o.stdout))
		}
		if !strings.Contains(string(o.stderr), "stand-in") {
			t.Errorf("--compat %s must say it is a stand-in: %q", prof, o.stderr)
		}
		// md5 is their default digest: same output as the host given -md md5.
		args := []string{"enc", "-aes-256-cbc", "-k", "x", "-nosalt", "-in", "p.txt"}
		h := encRunHost(t, dir, nil, nil, append(args, "-md", "md5")...)
		o = encRunOracle(dir, nil, nil, append([]string{"--compat", prof}, args...)...)
		if o.code != 0 || !bytes.Equal(h.stdout, o.stdout) {
			t.Errorf("--compat %s default md: oracle %x (code %d), host -md md5 %x", prof, o.stdout, o.code, h.stdout)
		}
		if strings.Contains(string(o.stderr), "deprecated key derivation") {
			t.Errorf("--compat %s prints no deprecation warning (it has no -pbkdf2): %q", prof, o.stderr)
		}
	}

	// -S: 3.0 writes no header, 1.1.1 writes "Salted__" + salt.
	args := []string{"enc", "-aes-128-cbc", "-k", "x", "-S", "0102030405060708", "-in", "p.txt"}
	h := encRunHost(t, dir, nil, nil, args...)
	o3 := encRunOracle(dir, nil, nil, args...)
	if !bytes.Equal(h.stdout, o3.stdout) || bytes.HasPrefix(o3.stdout, []byte("Salted__")) {
		t.Errorf("3.0 -S: oracle %x, host %x; want identical and no header", o3.stdout, h.stdout)
	}
	o1 := encRunOracle(dir, nil, nil, append([]string{"--compat", "1.1.1"}, args...)...)
	want := append([]byte("Salted__\x01\x02\x03\x04\x05\x06\x07\x08"), h.stdout...)
	if !bytes.Equal(o1.stdout, want) {
		t.Errorf("1.1.1 -S: got %x, want header + 3.0's ciphertext %x", o1.stdout, want)
	}
	// The host (3.0) decrypts 1.1.1's -S output without -S: the header carries the salt.
	encWriteFile(t, dir, "s111.enc", o1.stdout)
	d := encRunHost(t, dir, nil, nil, "enc", "-d", "-aes-128-cbc", "-k", "x", "-in", "s111.enc")
	if d.code != 0 || string(d.stdout) != "hello compat\n" {
		t.Errorf("host decrypt of 1.1.1 -S output: code %d out %q stderr %s", d.code, d.stdout, d.stderr)
	}
}

// LibreSSL 2.9.1 and later (libressl-3.3) have -pbkdf2 and sha256 as the
// default digest: the host decrypts what the profile writes.
func TestEncCompatLibreSSL3(t *testing.T) {
	dir := t.TempDir()
	encWriteFile(t, dir, "p.txt", []byte("hello libressl\n"))
	for _, extra := range [][]string{{"-pbkdf2"}, {}} {
		args := append([]string{"--compat", "libressl-3.3", "enc", "-aes-256-cbc", "-k", "x", "-in", "p.txt", "-out", "l.enc"}, extra...)
		if o := encRunOracle(dir, nil, nil, args...); o.code != 0 {
			t.Fatalf("%v: exit %d: %s", args, o.code, o.stderr)
		}
		d := encRunHost(t, dir, nil, nil, append([]string{"enc", "-d", "-aes-256-cbc", "-md", "sha256", "-k", "x", "-in", "l.enc"}, extra...)...)
		if d.code != 0 || string(d.stdout) != "hello libressl\n" {
			t.Errorf("host decrypt of libressl-3.3 %v output: code %d out %q stderr %s", extra, d.code, d.stdout, d.stderr)
		}
	}
}
