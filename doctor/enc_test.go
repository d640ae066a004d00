package doctor

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// opensslRun runs the host openssl (never mocked) with a timeout.
func opensslRun(t *testing.T, dir string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "openssl", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("openssl %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}

// shRun runs a printed command line with sh, in dir, and returns stdout.
func shRun(t *testing.T, dir, line string, env ...string) ([]byte, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", line)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Logf("sh -c %q: %v\n%s", line, err, stderr.String())
	}
	return out, err
}

const plain = "Quarterly ledger export\nid,amount\n1,100.00\n2,250.50\n"

type encCase struct {
	name string
	// produce: openssl enc arguments for the producer (the password is
	// given separately through producerPass).
	produce []string
	// producerKey is the content of the producer's key file.
	producerKey string
	// consumerKey is the content of the key file the doctor is given.
	consumerKey string
	salt        string
	expect      bool
	// post is a shell command run on data.enc after openssl wrote it
	// (e.g. base64 with other line lengths).
	post string
	// want checks the finding.
	want func(t *testing.T, p EncParams)
}

func TestDiagnoseEncFindsProducerMistakes(t *testing.T) {
	cases := []encCase{
		{name: "md5 legacy (1.0.2 / LibreSSL default)", produce: []string{"-aes-256-cbc", "-md", "md5"},
			producerKey: "s3cret\n", consumerKey: "s3cret\n", expect: true,
			want: func(t *testing.T, p EncParams) { wantParams(t, p, "aes-256-cbc", "md5", false, 0, "as given") }},
		{name: "CRLF key file on the producer side", produce: []string{"-aes-256-cbc", "-pbkdf2"},
			producerKey: "s3cret\r\n", consumerKey: "s3cret\n", expect: true,
			want: func(t *testing.T, p EncParams) {
				wantParams(t, p, "aes-256-cbc", "sha256", true, 10000, "with a trailing CR")
			}},
		{name: "CRLF key file on the consumer side", produce: []string{"-aes-256-cbc", "-pbkdf2"},
			producerKey: "s3cret\n", consumerKey: "s3cret\r\n", expect: true,
			want: func(t *testing.T, p EncParams) {
				wantParams(t, p, "aes-256-cbc", "sha256", true, 10000, "without the trailing CR")
			}},
		{name: "no -pbkdf2 on the producer side", produce: []string{"-aes-256-cbc"},
			producerKey: "s3cret\n", consumerKey: "s3cret\n",
			want: func(t *testing.T, p EncParams) { wantParams(t, p, "aes-256-cbc", "sha256", false, 0, "as given") }},
		{name: "pbkdf2 600000 iterations, sha512", produce: []string{"-aes-256-cbc", "-pbkdf2", "-iter", "600000", "-md", "sha512"},
			producerKey: "s3cret\n", consumerKey: "s3cret\n", expect: true,
			want: func(t *testing.T, p EncParams) { wantParams(t, p, "aes-256-cbc", "sha512", true, 600000, "as given") }},
		{name: "base64 one line, aes-128-cbc, iter 1000", produce: []string{"-aes-128-cbc", "-pbkdf2", "-iter", "1000", "-a", "-A"},
			producerKey: "s3cret\n", consumerKey: "s3cret\n", expect: true,
			want: func(t *testing.T, p EncParams) {
				wantParams(t, p, "aes-128-cbc", "sha256", true, 1000, "as given")
				if !p.Base64 || !p.Base64OneLine {
					t.Errorf("base64 framing not found: %+v", p)
				}
			}},
		{name: "base64 with line breaks, sha1", produce: []string{"-aes-192-cbc", "-md", "sha1", "-a"},
			producerKey: "s3cret\n", consumerKey: "s3cret\n",
			want: func(t *testing.T, p EncParams) {
				wantParams(t, p, "aes-192-cbc", "sha1", false, 0, "as given")
				if !p.Base64 || p.Base64OneLine {
					t.Errorf("multi-line base64 framing not found: %+v", p)
				}
			}},
		{name: "-S salt without header (3.x)", produce: []string{"-aes-256-cbc", "-pbkdf2", "-S", "0102030405060708"},
			producerKey: "s3cret\n", consumerKey: "s3cret\n", salt: "0102030405060708", expect: true,
			want: func(t *testing.T, p EncParams) {
				wantParams(t, p, "aes-256-cbc", "sha256", true, 10000, "as given")
				if p.ExplicitSalt == nil {
					t.Errorf("explicit salt not used: %+v", p)
				}
			}},
		{name: "-nosalt ctr mode", produce: []string{"-aes-256-ctr", "-pbkdf2", "-nosalt"},
			producerKey: "s3cret\n", consumerKey: "s3cret\n", expect: true,
			want: func(t *testing.T, p EncParams) {
				wantParams(t, p, "aes-256-ctr", "sha256", true, 10000, "as given")
				if !p.NoSalt {
					t.Errorf("nosalt not found: %+v", p)
				}
			}},
		{name: "coreutils base64 (76 columns)", produce: []string{"-aes-256-cbc", "-pbkdf2"}, post: "base64 data.enc > data.b64 && mv data.b64 data.enc",
			producerKey: "s3cret\n", consumerKey: "s3cret\n", expect: true,
			want: func(t *testing.T, p EncParams) {
				wantParams(t, p, "aes-256-cbc", "sha256", true, 10000, "as given")
				if !p.Base64 || p.Base64OneLine {
					t.Errorf("multi-line base64 framing not found: %+v", p)
				}
			}},
		{name: "base64 with 2000-column lines and a CRLF key file", produce: []string{"-aes-256-cbc", "-pbkdf2"}, post: "base64 -w 2000 data.enc > data.b64 && mv data.b64 data.enc",
			producerKey: "s3cret\r\n", consumerKey: "s3cret\n", expect: true,
			want: func(t *testing.T, p EncParams) {
				wantParams(t, p, "aes-256-cbc", "sha256", true, 10000, "with a trailing CR")
				if !p.Base64 || p.Base64OneLine {
					t.Errorf("multi-line base64 framing not found: %+v", p)
				}
			}},
		{name: "whole CRLF file used as password (Python read())", produce: []string{"-aes-256-cbc", "-pbkdf2", "-K"},
			producerKey: "s3cret\r\n", consumerKey: "s3cret\n", expect: true,
			want: func(t *testing.T, p EncParams) {
				wantParams(t, p, "aes-256-cbc", "sha256", true, 10000, "with a trailing CRLF")
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, "plain.txt", tc.plain())
			write(t, dir, "producer.key", tc.producerKey)
			write(t, dir, "consumer.key", tc.consumerKey)
			args := append([]string{"enc", "-e"}, tc.produce...)
			if args[len(args)-1] == "-K" {
				// A producer tool that used the whole key file as the
				// password: derive key and IV from it ourselves.
				args = args[:len(args)-1]
				km := pbkdf2Key(mustHash(t, "sha256"), []byte(tc.producerKey), []byte("fixedsal"), 10000, 48)
				raw := opensslRun(t, dir, append(args[:len(args)-1], "-nosalt", "-K", hexs(km[:32]), "-iv", hexs(km[32:48]), "-in", "plain.txt")...)
				write(t, dir, "data.enc", "Salted__fixedsal"+string(raw))
			} else {
				opensslRun(t, dir, append(args, "-in", "plain.txt", "-out", "data.enc", "-pass", "file:producer.key")...)
			}
			if tc.post != "" {
				if _, err := shRun(t, dir, tc.post); err != nil {
					t.Fatal(err)
				}
			}
			data := read(t, dir, "data.enc")
			src, err := ReadPassSpec("file:" + filepath.Join(dir, "consumer.key"))
			if err != nil {
				t.Fatal(err)
			}
			req := EncRequest{Data: data, InPath: "data.enc", Pass: src}
			src.Spec = "file:consumer.key"
			req.Pass = src
			if tc.expect {
				req.Expect = []byte(tc.plain())
			}
			if tc.salt != "" {
				req.Salt = unhex(t, tc.salt)
			}
			rep, err := DiagnoseEnc(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Found == nil {
				var b bytes.Buffer
				PrintEnc(&b, req, rep)
				t.Fatalf("no cause found:\n%s", b.String())
			}
			f := rep.Found
			tc.want(t, f.Params)
			if !bytes.Equal(f.Plaintext, []byte(tc.plain())) {
				t.Errorf("plaintext %q", f.Plaintext)
			}
			if tc.expect != f.Certain {
				t.Errorf("Certain = %v, want %v", f.Certain, tc.expect)
			}
			if !tc.expect && f.Plausible == "" {
				t.Errorf("no plausibility reason given")
			}
			out, err := shRun(t, dir, f.Command)
			if err != nil || string(out) != tc.plain() {
				t.Errorf("printed command does not decrypt with the real openssl:\n  %s\n  got %q (err %v)", f.Command, out, err)
			}
			var b bytes.Buffer
			if code := PrintEnc(&b, req, rep); code != 1 || !f.Fault {
				t.Errorf("PrintEnc exit %d, fault %v; want 1 (a diagnosed producer mistake is a failure)", code, f.Fault)
			}
			if !strings.HasPrefix(f.Summary, "consistent with ") {
				t.Errorf("summary %q", f.Summary)
			}
			msg := b.String()
			for _, w := range []string{"kmsconform: error: data.enc was encrypted with", "kmsconform: hint: this command decrypts it", "kmsconform: hint: fix: "} {
				if !strings.Contains(msg, w) {
					t.Errorf("output lacks %q:\n%s", w, msg)
				}
			}
			t.Logf("\n%s", msg)
		})
	}
}

// plain is the producer's data: long enough for base64 lines of 2000
// characters to wrap when the case post-processes the file.
func (tc encCase) plain() string {
	if tc.post != "" {
		return strings.Repeat(plain, 60)
	}
	return plain
}

func wantParams(t *testing.T, p EncParams, cipher, md string, pb bool, iter int, variant string) {
	t.Helper()
	if p.Cipher != cipher || p.MD != md || p.PBKDF2 != pb || p.Iter != iter || p.PasswordVariant != variant {
		t.Errorf("found %s -md %s pbkdf2=%v iter=%d password %q; want %s -md %s pbkdf2=%v iter=%d password %q",
			p.Cipher, p.MD, p.PBKDF2, p.Iter, p.PasswordVariant, cipher, md, pb, iter, variant)
	}
}

// TestOpenSSLBase64LineLimit pins the fact behind maxBase64Line with the
// real openssl: `enc -d -a` reads lines of maxBase64Line characters and
// fails on lines of 1500, which need -A (all on one line).
func TestOpenSSLBase64LineLimit(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "plain.txt", strings.Repeat(plain, 80))
	opensslRun(t, dir, "enc", "-aes-256-cbc", "-pbkdf2", "-pass", "pass:pw", "-in", "plain.txt", "-out", "data.enc")
	for _, w := range []struct {
		cols int
		ok   bool
	}{{64, true}, {maxBase64Line, true}, {1500, false}} {
		line := fmt.Sprintf("base64 -w %d data.enc > w.b64 && openssl enc -d -aes-256-cbc -pbkdf2 -pass pass:pw -a -in w.b64", w.cols)
		out, err := shRun(t, dir, line)
		got := err == nil && string(out) == strings.Repeat(plain, 80)
		if got != w.ok {
			t.Errorf("openssl enc -d -a on %d-column base64: decrypts=%v, want %v", w.cols, got, w.ok)
		}
	}
}
