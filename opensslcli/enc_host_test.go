package opensslcli

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// encErrorQueueLine matches openssl's error-queue lines ("40571189D87F0000:error:...")
// which carry addresses and source lines; tests compare the key lines only.
var encErrorQueueLine = regexp.MustCompile(`(?m)^[0-9A-F]{8,}:error:.*\n`)

// encKeyLines drops openssl's error-queue lines and kmsconform's own lines.
func encKeyLines(stderr []byte) string {
	return encOwnLine.ReplaceAllString(encErrorQueueLine.ReplaceAllString(string(stderr), ""), "")
}

// encOwnLine matches the lines kmsconform adds (notes, errors, hints).
var encOwnLine = regexp.MustCompile(`(?m)^kmsconform: .*\n`)

type encRunOut struct {
	stdout, stderr []byte
	code           int
}

// encRunHost runs the host's real openssl in dir.
func encRunHost(t *testing.T, dir string, stdin []byte, env []string, args ...string) encRunOut {
	t.Helper()
	bin, err := exec.LookPath("openssl")
	if err != nil {
		t.Fatalf("these tests compare against the host's openssl: %v (apt-get install openssl)", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(stdin)
	cmd.Env = append(os.Environ(), env...)
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	err = cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("openssl %v: %v", args, err)
	}
	return encRunOut{so.Bytes(), se.Bytes(), code}
}

// encRunOracle runs Main in-process with the same inputs.
func encRunOracle(dir string, stdin []byte, env []string, args ...string) encRunOut {
	vars := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	var so, se bytes.Buffer
	code := Main(args, Env{
		Dir: dir, Stdin: bytes.NewReader(stdin), Stdout: &so, Stderr: &se,
		Getenv: func(k string) string {
			if v, ok := vars[k]; ok {
				return v
			}
			return os.Getenv(k)
		},
	})
	return encRunOut{so.Bytes(), se.Bytes(), code}
}

func encWriteFile(t *testing.T, dir, name string, data []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestEncMessagesMatchHost pins each enc message, exit code and (where
// deterministic) stdout against the real host openssl.
func TestEncMessagesMatchHost(t *testing.T) {
	dir := t.TempDir()
	encWriteFile(t, dir, "p.txt", []byte("hello\n"))
	encWriteFile(t, dir, "crlf.pw", []byte("pw\r\nsecond line\n"))
	encWriteFile(t, dir, "crlf2.pw", []byte("pw\r\r\n"))
	encWriteFile(t, dir, "nonl.pw", []byte("pw"))
	encWriteFile(t, dir, "nul.pw", []byte("pw\x00xy\n"))
	encWriteFile(t, dir, "empty.pw", nil)
	encWriteFile(t, dir, "nl.pw", []byte("\n"))
	encWriteFile(t, dir, "long.pw", bytes.Repeat([]byte("a"), 2000))
	encWriteFile(t, dir, "notsalted", []byte("not salted data 1234567890\n"))
	encWriteFile(t, dir, "trunc", []byte("Salted__abc"))
	encWriteFile(t, dir, "hdronly", []byte("Salted__12345678"))
	encWriteFile(t, dir, "seventeen", bytes.Repeat([]byte{7}, 17))
	// a file encrypted by the host with password "x"
	enc := encRunHost(t, dir, nil, nil, "enc", "-aes-256-cbc", "-pbkdf2", "-k", "x", "-in", "p.txt")
	encWriteFile(t, dir, "x.enc", enc.stdout)
	b64 := encRunHost(t, dir, nil, nil, "enc", "-aes-256-cbc", "-pbkdf2", "-k", "x", "-in", "p.txt", "-a", "-A")
	encWriteFile(t, dir, "x.b64nonl", b64.stdout)
	encWriteFile(t, dir, "x.b64nl", append(b64.stdout, '\n'))
	const key = "000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f"
	const iv = "0f0e0d0c0b0a09080706050403020100"
	cases := []struct {
		name   string
		args   []string
		stdin  string
		env    []string
		stdout bool // compare stdout too
	}{
		{"bad decrypt", []string{"enc", "-d", "-aes-256-cbc", "-pbkdf2", "-k", "y", "-in", "x.enc"}, "", nil, false},
		{"good decrypt", []string{"enc", "-d", "-aes-256-cbc", "-pbkdf2", "-k", "x", "-in", "x.enc"}, "", nil, true},
		{"bad magic number", []string{"enc", "-d", "-aes-256-cbc", "-k", "y", "-in", "notsalted"}, "", nil, true},
		{"truncated header", []string{"enc", "-d", "-aes-256-cbc", "-k", "y", "-in", "trunc"}, "", nil, true},
		{"header only", []string{"enc", "-d", "-aes-256-cbc", "-k", "y", "-in", "hdronly"}, "", nil, true},
		{"empty input decrypt", []string{"enc", "-d", "-aes-256-cbc", "-k", "y"}, "", nil, true},
		{"deprecated kdf warning", []string{"enc", "-aes-128-cbc", "-k", "pw", "-nosalt", "-in", "p.txt"}, "", nil, true},
		{"-P nosalt", []string{"enc", "-aes-256-cbc", "-k", "pw", "-nosalt", "-P"}, "", nil, true},
		{"-P explicit salt", []string{"enc", "-aes-256-cbc", "-k", "x", "-S", "0102", "-P"}, "", nil, true},
		{"-p explicit salt", []string{"enc", "-aes-256-cbc", "-k", "x", "-S", "0102", "-p", "-in", "p.txt"}, "", nil, true},
		{"-P pbkdf2 iter md", []string{"enc", "-aes-192-ctr", "-k", "x", "-nosalt", "-pbkdf2", "-iter", "5", "-md", "sha512", "-P"}, "", nil, true},
		{"-P md5", []string{"enc", "-aes-128-cbc", "-md", "md5", "-k", "x", "-nosalt", "-P"}, "", nil, true},
		{"-P ecb", []string{"enc", "-aes-256-ecb", "-k", "x", "-nosalt", "-P"}, "", nil, true},
		{"ecb with -iv", []string{"enc", "-aes-128-ecb", "-k", "pw", "-nosalt", "-iv", "00", "-P"}, "", nil, true},
		{"hex too short", []string{"enc", "-aes-256-cbc", "-K", "0011", "-iv", "00", "-in", "p.txt"}, "", nil, true},
		{"hex too long", []string{"enc", "-aes-256-cbc", "-K", key + "00", "-iv", iv, "-in", "p.txt"}, "", nil, true},
		{"hex odd", []string{"enc", "-aes-128-ecb", "-K", "abc", "-in", "p.txt"}, "", nil, true},
		{"non-hex key", []string{"enc", "-aes-256-cbc", "-K", "zz", "-iv", "00", "-in", "p.txt"}, "", nil, true},
		{"non-hex iv", []string{"enc", "-aes-256-cbc", "-K", key, "-iv", "zz", "-in", "p.txt"}, "", nil, true},
		{"non-hex salt", []string{"enc", "-aes-128-cbc", "-k", "x", "-S", "zz", "-P"}, "", nil, true},
		{"iv undefined", []string{"enc", "-aes-256-cbc", "-K", key, "-in", "p.txt"}, "", nil, true},
		{"-K -iv encrypt", []string{"enc", "-aes-256-cbc", "-K", key, "-iv", iv, "-in", "p.txt"}, "", nil, true},
		{"nopad bad encrypt", []string{"enc", "-aes-256-cbc", "-nopad", "-K", key, "-iv", iv, "-in", "p.txt"}, "", nil, true},
		{"nopad partial decrypt", []string{"enc", "-d", "-aes-256-cbc", "-nopad", "-K", key, "-iv", iv, "-in", "seventeen"}, "", nil, true},
		{"partial block decrypt", []string{"enc", "-d", "-aes-256-cbc", "-K", key, "-iv", iv, "-in", "seventeen"}, "", nil, true},
		{"pass file CRLF keeps CR", []string{"enc", "-aes-128-cbc", "-nosalt", "-pass", "file:crlf.pw", "-P"}, "", nil, true},
		{"pass file no newline", []string{"enc", "-aes-128-cbc", "-nosalt", "-pass", "file:nonl.pw", "-P"}, "", nil, true},
		{"pass file NUL ends password", []string{"enc", "-aes-128-cbc", "-nosalt", "-pass", "file:nul.pw", "-P"}, "", nil, true},
		{"pass file empty", []string{"enc", "-aes-128-cbc", "-nosalt", "-pass", "file:empty.pw", "-P"}, "", nil, true},
		{"pass file only newline", []string{"enc", "-aes-128-cbc", "-nosalt", "-pass", "file:nl.pw", "-P"}, "", nil, true},
		{"pass file 1023 bytes max", []string{"enc", "-aes-128-cbc", "-nosalt", "-pass", "file:long.pw", "-P"}, "", nil, true},
		{"pass file missing", []string{"enc", "-aes-128-cbc", "-nosalt", "-pass", "file:nonexist", "-P"}, "", nil, true},
		{"pass env", []string{"enc", "-aes-128-cbc", "-nosalt", "-pass", "env:KMSC_PW", "-P"}, "", []string{"KMSC_PW=secret"}, true},
		{"pass env missing", []string{"enc", "-aes-128-cbc", "-nosalt", "-pass", "env:KMSC_NOPE", "-P"}, "", nil, true},
		{"pass fd not open", []string{"enc", "-aes-128-cbc", "-nosalt", "-pass", "fd:99", "-P"}, "", nil, true},
		{"pass fd not a number", []string{"enc", "-aes-128-cbc", "-nosalt", "-pass", "fd:x", "-P"}, "", nil, true},
		{"pass fd negative", []string{"enc", "-aes-128-cbc", "-nosalt", "-pass", "fd:-1", "-P"}, "", nil, true},
		{"pass fd 0 is stdin", []string{"enc", "-aes-128-cbc", "-nosalt", "-pass", "fd:0", "-P"}, "pw\n", nil, true},
		{"pass stdin", []string{"enc", "-aes-128-cbc", "-nosalt", "-pass", "stdin", "-P"}, "pw\r\nmore", nil, true},
		{"pass without prefix", []string{"enc", "-aes-128-cbc", "-nosalt", "-pass", "pw", "-P"}, "", nil, true},
		{"-k wins over -pass", []string{"enc", "-aes-128-cbc", "-nosalt", "-pass", "pass:a", "-k", "b", "-P"}, "", nil, true},
		{"kfile strips CRLF", []string{"enc", "-aes-128-cbc", "-nosalt", "-kfile", "crlf.pw", "-P"}, "", nil, true},
		{"kfile strips all CR", []string{"enc", "-aes-128-cbc", "-nosalt", "-kfile", "crlf2.pw", "-P"}, "", nil, true},
		{"kfile 127 bytes max", []string{"enc", "-aes-128-cbc", "-nosalt", "-kfile", "long.pw", "-P"}, "", nil, true},
		{"kfile empty", []string{"enc", "-aes-128-cbc", "-nosalt", "-kfile", "empty.pw", "-P"}, "", nil, true},
		{"kfile zero length", []string{"enc", "-aes-128-cbc", "-nosalt", "-kfile", "nl.pw", "-P"}, "", nil, true},
		{"kfile missing", []string{"enc", "-aes-128-cbc", "-nosalt", "-kfile", "nonexist", "-P"}, "", nil, true},
		{"in missing", []string{"enc", "-aes-128-cbc", "-k", "x", "-in", "nonexist"}, "", nil, true},
		{"out unwritable", []string{"enc", "-aes-128-cbc", "-k", "x", "-in", "p.txt", "-out", "nodir/x"}, "", nil, true},
		{"iter zero", []string{"enc", "-aes-128-cbc", "-k", "x", "-iter", "0", "-P"}, "", nil, true},
		{"iter not a number", []string{"enc", "-aes-128-cbc", "-k", "x", "-iter", "abc", "-P"}, "", nil, true},
		{"missing value", []string{"enc", "-aes-128-cbc", "-k"}, "", nil, true},
		{"unknown digest", []string{"enc", "-aes-128-cbc", "-md", "bogus", "-k", "x"}, "", nil, true},
		{"unknown option", []string{"enc", "-aes-128-cbc", "-bogusopt", "-k", "x"}, "", nil, true},
		{"AEAD refused", []string{"enc", "-aes-256-gcm", "-k", "x", "-P"}, "", nil, true},
		{"extra argument", []string{"enc", "-aes-128-cbc", "-k", "pw", "-nosalt", "-P", "extra"}, "", nil, true},
		{"last of -e -d wins", []string{"enc", "-e", "-d", "-aes-128-cbc", "-k", "x", "-nosalt", "-P"}, "", nil, true},
		{"no password", []string{"enc", "-aes-128-cbc", "-in", "p.txt"}, "", nil, true},
		{"no cipher copies", []string{"enc", "-in", "p.txt"}, "", nil, true},
		{"no cipher base64", []string{"enc", "-a", "-in", "p.txt"}, "", nil, true},
		{"base64 decode only", []string{"enc", "-d", "-base64"}, "aGVsbG8K\n", nil, true},
		{"base64 -A no newline", []string{"enc", "-aes-256-ctr", "-K", key, "-iv", iv, "-a", "-A", "-in", "long.pw"}, "", nil, true},
		{"base64 wrapped", []string{"enc", "-aes-256-ctr", "-K", key, "-iv", iv, "-a", "-in", "long.pw"}, "", nil, true},
		{"base64 empty", []string{"enc", "-aes-256-ctr", "-K", key, "-iv", iv, "-a"}, "", nil, true},
		{"base64 one line without newline", []string{"enc", "-d", "-a", "-aes-256-cbc", "-k", "x", "-in", "x.b64nonl"}, "", nil, true},
		{"base64 one line with newline", []string{"enc", "-d", "-a", "-aes-256-cbc", "-pbkdf2", "-k", "x", "-in", "x.b64nl"}, "", nil, true},
		{"seed typo: -in -out", []string{"enc", "-aes-256-cbc", "-in", "-out", "-pass", "file:./crlf.pw"}, "", nil, true},
		{"seed typo: extra argument", []string{"enc", "-d", "-aes-256-cbc", "-in", "-out", "decrypted.file", "-pass", "file:./crlf.pw"}, "", nil, true},
		{"-p order with a binary header", []string{"enc", "-aes-128-cbc", "-k", "x", "-p", "-in", "p.txt"}, "", nil, false},
		{"-p order with base64", []string{"enc", "-aes-128-cbc", "-k", "x", "-p", "-a", "-in", "p.txt"}, "", nil, false},
		{"-K with a password keeps the derived iv", []string{"enc", "-aes-256-cbc", "-k", "x", "-nosalt", "-K", key, "-P"}, "", nil, true},
		{"-iv with a password keeps the derived key", []string{"enc", "-aes-256-cbc", "-k", "x", "-S", "01", "-iv", iv, "-P"}, "", nil, true},
		{"-K with a password encrypts", []string{"enc", "-aes-256-cbc", "-k", "x", "-S", "0a0b", "-K", key, "-in", "p.txt"}, "", nil, true},
		{"-p with -K only prints a zero salt line", []string{"enc", "-aes-128-ctr", "-K", "00", "-iv", "00", "-nosalt", "-p", "-in", "p.txt"}, "", nil, true},
		{"verbose counts", []string{"enc", "-aes-128-cbc", "-k", "pw", "-nosalt", "-in", "p.txt", "-v"}, "", nil, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := encRunHost(t, dir, []byte(c.stdin), c.env, c.args...)
			o := encRunOracle(dir, []byte(c.stdin), c.env, c.args...)
			if h.code != o.code {
				t.Errorf("exit code: openssl %d, oracle %d\nopenssl stderr:\n%s\noracle stderr:\n%s", h.code, o.code, h.stderr, o.stderr)
			}
			if hs, os := encKeyLines(h.stderr), encKeyLines(o.stderr); hs != os {
				t.Errorf("stderr differs for openssl %s\nopenssl:\n%q\noracle:\n%q", strings.Join(c.args, " "), hs, os)
			}
			if !c.stdout && strings.Contains(c.name, "-p order") {
				// random salt: compare the shape (where the key lines sit)
				if encShape(h.stdout) != encShape(o.stdout) {
					t.Errorf("stdout layout differs for openssl %s\nopenssl: %q\noracle:  %q", strings.Join(c.args, " "), h.stdout, o.stdout)
				}
			}
			if c.stdout && !bytes.Equal(h.stdout, o.stdout) {
				t.Errorf("stdout differs for openssl %s\nopenssl: %x\noracle:  %x", strings.Join(c.args, " "), h.stdout, o.stdout)
			}
		})
	}
}

// TestEncPassFD reads -pass fd:N from an open descriptor: the first line,
// "\r" kept, as with file:.
func TestEncPassFD(t *testing.T) {
	dir := t.TempDir()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := w.Write([]byte("pw\r\nnext\n")); err != nil {
		t.Fatal(err)
	}
	w.Close()
	var so, se bytes.Buffer
	code := Main([]string{"enc", "-aes-128-cbc", "-nosalt", "-pass", "fd:3", "-P"},
		Env{Dir: dir, Stdout: &so, Stderr: &se, Files: map[int]*os.File{3: r}})
	want := encRunHost(t, dir, nil, nil, "enc", "-aes-128-cbc", "-nosalt", "-pass", "pass:pw\r", "-P")
	if code != 0 || !bytes.Equal(so.Bytes(), want.stdout) {
		t.Errorf("fd:3 gave code %d %q (stderr %q); want %q", code, so.Bytes(), se.Bytes(), want.stdout)
	}
}

// encShape describes where the -p lines sit in an output with a random
// salt: after a binary "Salted__" header, or first.
func encShape(b []byte) string {
	if bytes.HasPrefix(b, []byte("Salted__")) && len(b) >= 21 {
		return "Salted__<salt>" + string(b[16:21])
	}
	return string(b[:min(5, len(b))])
}

// TestEncList: `enc -list` has openssl's layout, and every cipher the
// oracle lists is one the host openssl lists too.
func TestEncList(t *testing.T) {
	dir := t.TempDir()
	h := encRunHost(t, dir, nil, nil, "enc", "-list")
	o := encRunOracle(dir, nil, nil, "enc", "-list")
	if o.code != 0 || !bytes.HasPrefix(o.stdout, []byte("Supported ciphers:\n-aes-128-cbc               -aes-128-cfb ")) {
		t.Fatalf("enc -list: code %d, %q", o.code, o.stdout)
	}
	hostNames := map[string]bool{}
	for _, f := range strings.Fields(string(h.stdout)) {
		hostNames[f] = true
	}
	for _, f := range strings.Fields(string(o.stdout))[2:] {
		if !hostNames[f] {
			t.Errorf("the oracle lists %s, the host openssl does not", f)
		}
	}
}

// TestEncHelp: -help prints a usage summary on stderr and exits 0, as openssl.
func TestEncHelp(t *testing.T) {
	dir := t.TempDir()
	for _, cmd := range []string{"enc", "rand"} {
		h := encRunHost(t, dir, nil, nil, cmd, "-help")
		o := encRunOracle(dir, nil, nil, cmd, "-help")
		first := func(b []byte) string { l, _, _ := strings.Cut(string(b), "\n"); return l }
		if h.code != o.code || len(o.stdout) != 0 || first(h.stderr) != first(o.stderr) {
			t.Errorf("%s -help: openssl code %d first line %q; oracle code %d first line %q stdout %q",
				cmd, h.code, first(h.stderr), o.code, first(o.stderr), o.stdout)
		}
	}
}

// TestEncBase64FirstLineLimit pins openssl's -a quirk: the first newline
// must come at byte 1023 or earlier, later lines may be long. Where openssl
// decodes correctly the oracle gives the same bytes; where openssl silently
// garbles, the oracle refuses with an explanation (exit 1).
func TestEncBase64FirstLineLimit(t *testing.T) {
	dir := t.TempDir()
	data := bytes.Repeat([]byte{0x5a, 0x00, 0xff}, 500) // 1500 bytes
	b64 := base64.StdEncoding.EncodeToString(data)      // 2000 characters
	pad := func(n int) string { return strings.Repeat(" ", n) }
	cases := []struct {
		name, text string
		good       bool // openssl decodes it correctly
	}{
		{"first newline at 1023", "WlpB" + pad(1019) + "\n" + b64 + "\n", true},
		{"blank first line, long second", "\n" + b64 + "\n", true},
		{"64 columns", encWrap(b64, 64), true},
		{"1000 columns", encWrap(b64, 1000), true},
		{"first newline at 1024", "WlpB" + pad(1020) + "\n" + b64 + "\n", false},
		{"1100 columns", encWrap(b64, 1100), false},
		{"one 2000-character line", b64 + "\n", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			encWriteFile(t, dir, "in.b64", []byte(c.text))
			want, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(c.text), ""))
			if err != nil {
				t.Fatal(err)
			}
			h := encRunHost(t, dir, nil, nil, "enc", "-d", "-a", "-in", "in.b64")
			o := encRunOracle(dir, nil, nil, "enc", "-d", "-a", "-in", "in.b64")
			if hostGood := h.code == 0 && bytes.Equal(h.stdout, want); hostGood != c.good {
				t.Fatalf("the host openssl no longer behaves as pinned: decoded correctly = %v (code %d, %d bytes)", hostGood, h.code, len(h.stdout))
			}
			if c.good && (o.code != 0 || !bytes.Equal(o.stdout, want)) {
				t.Errorf("oracle: code %d, %d bytes, stderr %q; want the %d bytes openssl decodes", o.code, len(o.stdout), o.stderr, len(want))
			}
			if !c.good && (o.code != 1 || !strings.Contains(string(o.stderr), "kmsconform: error: bad base64 input")) {
				t.Errorf("oracle must refuse what openssl garbles: code %d stderr %q", o.code, o.stderr)
			}
		})
	}
}

func encWrap(s string, n int) string {
	var b strings.Builder
	for len(s) > n {
		b.WriteString(s[:n] + "\n")
		s = s[n:]
	}
	b.WriteString(s + "\n")
	return b.String()
}
