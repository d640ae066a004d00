package doctorcli

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kmsconform/kmsconform/internal/kmstarget"
)

var bin string

func TestMain(m *testing.M) {
	b, remove, err := kmstarget.BuildBinary(context.Background())
	if err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		os.Exit(1)
	}
	bin = b
	code := m.Run()
	remove()
	os.Exit(code)
}

// run runs the binary with a timeout and returns exit code, stdout, stderr.
func run(t *testing.T, dir string, env []string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	if env != nil {
		cmd.Env = env
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	code := 0
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errb.String()
}

func openssl(t *testing.T, dir string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "openssl", args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("openssl %v: %v\n%s", args, err, out)
	}
}

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestDoctorEncExitCodes(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "plain.txt", "hello world\n")
	openssl(t, dir, "enc", "-aes-256-cbc", "-pbkdf2", "-pass", "pass:pw", "-in", "plain.txt", "-out", "usual.enc")
	openssl(t, dir, "enc", "-aes-256-cbc", "-md", "md5", "-pass", "pass:pw", "-in", "plain.txt", "-out", "md5.enc")
	for _, c := range []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr []string
		not    string
	}{
		{"no fault", []string{"doctor", "enc", "--in", "usual.enc", "--pass", "pass:pw", "--expect", "plain.txt"}, 0,
			[]string{"the file is fine"}, nil, "error:"},
		{"near miss: --expect-text without the newline", []string{"doctor", "enc", "--in", "usual.enc", "--pass", "pass:pw", "--expect-text", "hello world"}, 1,
			[]string{"kmsconform: error: usual.enc decrypts cleanly", "differs only by a trailing newline"}, nil, "check that the password"},
		{"near miss: a prefix", []string{"doctor", "enc", "--in", "md5.enc", "--pass", "pass:pw", "--expect-text", "hello"}, 1,
			[]string{"-md md5", "the expected text is a prefix of the plaintext (7 more bytes)"}, nil, "check that the password"},
		{"producer mistake", []string{"doctor", "enc", "--in", "md5.enc", "--pass", "pass:pw"}, 1,
			[]string{"legacy key derivation", "kmsconform: hint: fix: "}, nil, ""},
		{"help", []string{"doctor", "enc", "--help"}, 0, []string{"usage: kmsconform doctor enc", "exit codes:"}, nil, ""},
		{"doctor help", []string{"doctor", "--help"}, 0, []string{"usage: kmsconform doctor enc", "kmsconform doctor rsa"}, nil, ""},
		{"mistyped flag", []string{"doctor", "enc", "--inn", "x"}, 2, nil, []string{"unknown flag --inn", "did you mean --in?"}, ""},
		{"mistyped check", []string{"doctor", "encc"}, 2, nil, []string{"unknown doctor check", "did you mean `kmsconform doctor enc`?"}, ""},
		{"no check", []string{"doctor"}, 2, nil, []string{"doctor needs a check"}, ""},
		{"missing file", []string{"doctor", "enc", "--in", "nope.enc", "--pass", "pass:pw"}, 2, nil, []string{"kmsconform: error:", "check the --in path"}, ""},
		{"both expectations", []string{"doctor", "enc", "--in", "usual.enc", "--pass", "pass:pw", "--expect", "plain.txt", "--expect-text", "x"}, 2, nil, []string{"exclusive"}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := run(t, dir, nil, c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.code, out, errs)
			}
			for _, w := range c.stdout {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			for _, w := range c.stderr {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errs)
				}
			}
			if c.not != "" && strings.Contains(out+errs, c.not) {
				t.Errorf("output has %q:\n%s%s", c.not, out, errs)
			}
		})
	}
}

func TestDoctorRSAExitCodes(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	tg, err := kmstarget.Start(ctx, kmstarget.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tg.Close() })
	ck, err := tg.Client.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: types.KeySpecRsa2048, KeyUsage: types.KeyUsageTypeEncryptDecrypt})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(ck.KeyMetadata.KeyId)
	pub, err := tg.Client.GetPublicKey(ctx, &kms.GetPublicKeyInput{KeyId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "kms.der"), pub.PublicKey, 0o600); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "key.bin", "a 32-byte key for the data......\n")
	openssl(t, dir, "pkeyutl", "-encrypt", "-pubin", "-keyform", "DER", "-inkey", "kms.der", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256", "-in", "key.bin", "-out", "kms256.bin")
	openssl(t, dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "priv.pem")
	openssl(t, dir, "pkeyutl", "-encrypt", "-inkey", "priv.pem", "-pkeyopt", "rsa_oaep_md:sha256", "-in", "key.bin", "-out", "pkcs1.bin")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	kmsEnv := tg.Env()
	for _, c := range []struct {
		name string
		env  []string
		args []string
		code int
		want []string
	}{
		{"through KMS: fine", kmsEnv, []string{"doctor", "rsa", "--in", "kms256.bin", "--key-id", id, "--kms-endpoint", tg.Endpoint, "--algorithm", "RSAES_OAEP_SHA_256", "--expect", "key.bin"}, 0,
			[]string{"kms256.bin is fine"}},
		{"through KMS: near miss", kmsEnv, []string{"doctor", "rsa", "--in", "kms256.bin", "--key-id", id, "--kms-endpoint", tg.Endpoint, "--expect-text", "a 32-byte key for the data......"}, 1,
			[]string{"differs only by a trailing newline"}},
		{"PKCS#1 with --expect-text missing the newline", nil, []string{"doctor", "rsa", "--in", "pkcs1.bin", "--private-key", "priv.pem", "--algorithm", "RSAES_OAEP_SHA_256", "--expect-text", "a 32-byte key for the data......"}, 1,
			[]string{"PKCS#1 v1.5", "differs only by a trailing newline"}},
		{"KMS unreachable", kmsEnv, []string{"doctor", "rsa", "--in", "kms256.bin", "--key-id", id, "--kms-endpoint", closed}, 3,
			[]string{"kmsconform: error: KMS unavailable", "kmsconform: hint: check --kms-endpoint"}},
		{"mistyped algorithm", nil, []string{"doctor", "rsa", "--in", "pkcs1.bin", "--private-key", "priv.pem", "--algorithm", "RSAES_OAEP_SHA256"}, 2,
			[]string{"did you mean RSAES_OAEP_SHA_256?"}},
		{"help", nil, []string{"doctor", "rsa", "--help"}, 0, []string{"usage: kmsconform doctor rsa", "exit codes:"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := run(t, dir, c.env, c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.code, out, errs)
			}
			for _, w := range c.want {
				if !strings.Contains(out+errs, w) {
					t.Errorf("output lacks %q:\n%s%s", w, out, errs)
				}
			}
		})
	}
}
