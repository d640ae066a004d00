package doctor

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// DiagnoseFiles on files a failing cell would keep, made by the real
// openssl: one line per verdict.
func TestDiagnoseFiles(t *testing.T) {
	dir := t.TempDir()
	p := func(n string) string { return filepath.Join(dir, n) }
	write(t, dir, "plain.txt", "cell plaintext\n")
	write(t, dir, "pass.txt", "s3cret\n")
	opensslRun(t, dir, "enc", "-aes-256-cbc", "-md", "md5", "-pass", "file:pass.txt", "-in", "plain.txt", "-out", "md5.enc")
	opensslRun(t, dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "priv.pem")
	opensslRun(t, dir, "pkey", "-in", "priv.pem", "-pubout", "-out", "pub.pem")
	opensslRun(t, dir, "pkeyutl", "-encrypt", "-pubin", "-inkey", "pub.pem", "-pkeyopt", "rsa_padding_mode:oaep", "-in", "plain.txt", "-out", "sha1.bin")
	ctx := context.Background()
	for _, c := range []struct {
		name string
		in   DiagnoseInput
		want string
	}{
		{"enc md5", DiagnoseInput{EncFile: p("md5.enc"), PassFile: p("pass.txt"), ExpectFile: p("plain.txt")},
			"consistent with -md md5 without -pbkdf2 (legacy EVP_BytesToKey) on the producer"},
		{"enc near miss", DiagnoseInput{EncFile: p("md5.enc"), PassSpec: "pass:s3cret", Expect: []byte("cell plaintext")},
			"consistent with -md md5 without -pbkdf2 (legacy EVP_BytesToKey) on the producer; near miss: decrypts cleanly but the plaintext differs only by a trailing newline"},
		{"rsa sha1 for sha256", DiagnoseInput{RSACiphertext: p("sha1.bin"), PrivateKeyPEM: p("priv.pem"), Algorithm: AlgOAEPSHA256},
			"OAEP SHA-1 used where SHA-256 was asked"},
		{"both", DiagnoseInput{EncFile: p("md5.enc"), PassFile: p("pass.txt"), RSACiphertext: p("sha1.bin"), PrivateKeyPEM: p("priv.pem"), Algorithm: AlgOAEPSHA1, ExpectFile: p("plain.txt")},
			"enc: consistent with -md md5 without -pbkdf2 (legacy EVP_BytesToKey) on the producer; rsa: no fault: OAEP SHA-1 (RSAES_OAEP_SHA_1)"},
		{"rsa truncated", DiagnoseInput{RSACiphertext: p("plain.txt"), PrivateKeyPEM: p("priv.pem")},
			"not explained: the ciphertext is 15 bytes but the key is RSA_2048"},
	} {
		t.Run(c.name, func(t *testing.T) {
			v, err := DiagnoseFiles(ctx, c.in)
			if err != nil || !strings.HasPrefix(v, c.want) || strings.Contains(v, "\n") {
				t.Errorf("verdict %q (err %v); want it to start with %q, on one line", v, err, c.want)
			}
		})
	}
	for _, bad := range []DiagnoseInput{{}, {EncFile: p("md5.enc")}, {EncFile: p("nope"), PassSpec: "pass:x"}, {RSACiphertext: p("sha1.bin"), PrivateKeyPEM: p("plain.txt")}, {RSACiphertext: p("sha1.bin")}} {
		if v, err := DiagnoseFiles(ctx, bad); err == nil {
			t.Errorf("DiagnoseFiles(%+v) = %q, want an error", bad, v)
		}
	}
}
