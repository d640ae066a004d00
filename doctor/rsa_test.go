package doctor

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kmsconform/kmsconform/internal/kmstarget"
)

// rsaKeys writes an RSA-2048 and an RSA-3072 key pair made by the real
// openssl into dir.
func rsaKeys(t *testing.T, dir string) {
	t.Helper()
	for _, bits := range []string{"2048", "3072"} {
		opensslRun(t, dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:"+bits, "-out", "priv"+bits+".pem")
		opensslRun(t, dir, "pkey", "-in", "priv"+bits+".pem", "-pubout", "-out", "pub"+bits+".pem")
	}
}

func TestDiagnoseRSAWithPrivateKey(t *testing.T) {
	dir := t.TempDir()
	rsaKeys(t, dir)
	write(t, dir, "key.bin", "0123456789abcdef0123456789abcdef\n")
	priv, err := ParseRSAPrivateKey(read(t, dir, "priv2048.pem"))
	if err != nil {
		t.Fatal(err)
	}
	enc := func(pub string, opts ...string) []byte {
		args := append([]string{"pkeyutl", "-encrypt", "-pubin", "-inkey", pub, "-in", "key.bin", "-out", "ct.bin"}, opts...)
		opensslRun(t, dir, args...)
		return read(t, dir, "ct.bin")
	}
	oaep := []string{"-pkeyopt", "rsa_padding_mode:oaep"}
	cases := []struct {
		name    string
		ct      []byte
		want    string
		ok      bool
		alg     string
		cause   string
		noFound string // a note expected when nothing is found
	}{
		{name: "OAEP SHA-256 as KMS wants", ct: enc("pub2048.pem", append(oaep, "-pkeyopt", "rsa_oaep_md:sha256")...), want: AlgOAEPSHA256, ok: true, alg: AlgOAEPSHA256, cause: "KMS decrypts as RSAES_OAEP_SHA_256"},
		{name: "MGF1-SHA-1 under SHA-256 (SunJCE default)", ct: enc("pub2048.pem", append(oaep, "-pkeyopt", "rsa_oaep_md:sha256", "-pkeyopt", "rsa_mgf1_md:sha1")...), want: AlgOAEPSHA256, cause: "MGF1 with SHA-1"},
		{name: "SHA-1 where SHA-256 promised", ct: enc("pub2048.pem", oaep...), want: AlgOAEPSHA256, alg: AlgOAEPSHA1, cause: "OAEP with sha1"},
		{name: "PKCS#1 v1.5 (rsa_oaep_md without padding mode)", ct: enc("pub2048.pem", "-pkeyopt", "rsa_oaep_md:sha256"), want: AlgOAEPSHA256, cause: "PKCS#1 v1.5"},
		{name: "OAEP SHA-384", ct: enc("pub2048.pem", append(oaep, "-pkeyopt", "rsa_oaep_md:sha384")...), cause: "label hash sha384 and MGF1 hash sha384"},
		{name: "OAEP SHA-512 label, SHA-224 MGF1", ct: enc("pub2048.pem", append(oaep, "-pkeyopt", "rsa_oaep_md:sha512", "-pkeyopt", "rsa_mgf1_md:sha224")...), cause: "label hash sha512 and MGF1 hash sha224"},
		{name: "base64 text instead of bytes", ct: []byte(base64.StdEncoding.EncodeToString(enc("pub2048.pem", append(oaep, "-pkeyopt", "rsa_oaep_md:sha256")...)) + "\n"), alg: AlgOAEPSHA256, cause: "sent as base64 text"},
		{name: "encrypted to another key size", ct: enc("pub3072.pem", append(oaep, "-pkeyopt", "rsa_oaep_md:sha256")...), noFound: "it was encrypted to an RSA_3072 key"},
		{name: "truncated", ct: enc("pub2048.pem", oaep...)[:200], noFound: "truncated"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := DiagnoseRSA(context.Background(), RSARequest{Ciphertext: tc.ct, Private: priv, Want: tc.want, Expect: []byte("0123456789abcdef0123456789abcdef\n")})
			if err != nil {
				t.Fatal(err)
			}
			if tc.noFound != "" {
				if rep.Found != nil || len(rep.Notes) == 0 || !strings.Contains(rep.Notes[0], tc.noFound) {
					t.Fatalf("found %+v, notes %q; want no finding and a note with %q", rep.Found, rep.Notes, tc.noFound)
				}
				return
			}
			if rep.Found == nil {
				t.Fatalf("nothing found; tried %q, notes %q", rep.Tried, rep.Notes)
			}
			f := rep.Found
			if f.OK != tc.ok || f.KMSAlgorithm != tc.alg || !strings.Contains(f.Cause, tc.cause) {
				t.Errorf("OK=%v alg=%q cause %q; want OK=%v alg=%q cause with %q", f.OK, f.KMSAlgorithm, f.Cause, tc.ok, tc.alg, tc.cause)
			}
		})
	}
}

// TestDiagnoseRSAThroughKMS asks the in-process KMS fake, as `doctor rsa
// --key-id` does: SHA-1 OAEP from rsautl where SHA-256 was promised.
func TestDiagnoseRSAThroughKMS(t *testing.T) {
	tg, err := kmstarget.Start(context.Background(), kmstarget.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tg.Close() })
	client := tg.Client
	ctx := context.Background()
	ck, err := client.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: types.KeySpecRsa2048, KeyUsage: types.KeyUsageTypeEncryptDecrypt})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(ck.KeyMetadata.KeyId)
	pub, err := client.GetPublicKey(ctx, &kms.GetPublicKeyInput{KeyId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := x509.ParsePKIXPublicKey(pub.PublicKey); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "pub.pem"), pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub.PublicKey}), 0o600); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "key.bin", "a 32-byte key for the data......")
	opensslRun(t, dir, "pkeyutl", "-encrypt", "-pubin", "-inkey", "pub.pem", "-pkeyopt", "rsa_padding_mode:oaep", "-in", "key.bin", "-out", "ct.bin")
	key := &KMSKey{Client: client, KeyID: id}
	rep, err := DiagnoseRSA(ctx, RSARequest{Ciphertext: read(t, dir, "ct.bin"), KMS: key, Want: AlgOAEPSHA256})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Found == nil || rep.Found.KMSAlgorithm != AlgOAEPSHA1 || rep.Found.OK || !strings.Contains(rep.Found.Cause, "where RSAES_OAEP_SHA_256 was promised") {
		t.Fatalf("finding %+v, tried %q", rep.Found, rep.Tried)
	}
	if string(rep.Found.Plaintext) != "a 32-byte key for the data......" {
		t.Errorf("plaintext %q", rep.Found.Plaintext)
	}
	// PKCS#1 v1.5 is beyond KMS: without the private key nothing decrypts.
	opensslRun(t, dir, "pkeyutl", "-encrypt", "-pubin", "-inkey", "pub.pem", "-in", "key.bin", "-out", "ct1.bin")
	rep, err = DiagnoseRSA(ctx, RSARequest{Ciphertext: read(t, dir, "ct1.bin"), KMS: key})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Found != nil || len(rep.Tried) != 2 {
		t.Fatalf("finding %+v, tried %q; want nothing after the two KMS algorithms", rep.Found, rep.Tried)
	}
}

// --expect-text that misses the plaintext's trailing newline must not hide
// what the padding says: PKCS#1 v1.5 is still found, with the difference;
// a right OAEP SHA-256 ciphertext is a near miss (exit 1), not "fine".
func TestDiagnoseRSANearMiss(t *testing.T) {
	dir := t.TempDir()
	opensslRun(t, dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "priv.pem")
	opensslRun(t, dir, "pkey", "-in", "priv.pem", "-pubout", "-out", "pub.pem")
	write(t, dir, "key.bin", "0123456789abcdef0123456789abcdef\n")
	priv, err := ParseRSAPrivateKey(read(t, dir, "priv.pem"))
	if err != nil {
		t.Fatal(err)
	}
	enc := func(opts ...string) []byte {
		opensslRun(t, dir, append([]string{"pkeyutl", "-encrypt", "-pubin", "-inkey", "pub.pem", "-in", "key.bin", "-out", "ct.bin"}, opts...)...)
		return read(t, dir, "ct.bin")
	}
	expect := []byte("0123456789abcdef0123456789abcdef") // no newline
	for _, tc := range []struct {
		name, cause, summary string
	}{
		{"PKCS#1 v1.5", "PKCS#1 v1.5", "PKCS#1 v1.5 used where OAEP SHA-256 was asked; near miss: the plaintext differs only by a trailing newline"},
		{"OAEP SHA-256", "which KMS decrypts as RSAES_OAEP_SHA_256", "OAEP SHA-256 (RSAES_OAEP_SHA_256); near miss"},
		{"OAEP SHA-1", "where RSAES_OAEP_SHA_256 was promised", "OAEP SHA-1 used where SHA-256 was asked; near miss"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ct []byte
			switch tc.name {
			case "PKCS#1 v1.5":
				ct = enc("-pkeyopt", "rsa_oaep_md:sha256")
			case "OAEP SHA-256":
				ct = enc("-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256")
			default:
				ct = enc("-pkeyopt", "rsa_padding_mode:oaep")
			}
			rep, err := DiagnoseRSA(context.Background(), RSARequest{Ciphertext: ct, Private: priv, Want: AlgOAEPSHA256, Expect: expect})
			if err != nil {
				t.Fatal(err)
			}
			f := rep.Found
			if f == nil || !f.NearMiss || f.Certain || f.OK {
				t.Fatalf("finding %+v; want a near miss", f)
			}
			var b strings.Builder
			code := PrintRSA(&b, "ct.bin", rep)
			t.Logf("\n%s", b.String())
			if code != 1 || !strings.Contains(f.Cause, tc.cause) || !strings.Contains(f.Cause, "differs only by a trailing newline") {
				t.Errorf("exit %d, cause %q", code, f.Cause)
			}
			if !strings.Contains(f.Summary, tc.summary) {
				t.Errorf("summary %q; want %q", f.Summary, tc.summary)
			}
		})
	}
	// the exact plaintext: OAEP SHA-256 is fine, exit 0
	ct := enc("-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256")
	rep, err := DiagnoseRSA(context.Background(), RSARequest{Ciphertext: ct, Private: priv, Want: AlgOAEPSHA256, Expect: append(expect, '\n')})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if code := PrintRSA(&b, "ct.bin", rep); code != 0 || rep.Found == nil || !rep.Found.OK {
		t.Fatalf("exit %d, finding %+v", code, rep.Found)
	}
	// nothing decrypts: the hint counts what was tried
	rep, err = DiagnoseRSA(context.Background(), RSARequest{Ciphertext: bytes.Repeat([]byte{0x42}, 256), Private: priv, Expect: expect})
	if err != nil {
		t.Fatal(err)
	}
	b.Reset()
	if code := PrintRSA(&b, "ct.bin", rep); code != 1 || !strings.Contains(b.String(), "tried 26 paddings: OAEP with 25 (label hash, MGF1 hash) pairs over sha1, sha256, sha224, sha384, sha512; PKCS#1 v1.5") {
		t.Errorf("exit %d:\n%s", code, b.String())
	}
}

// A KMS that does not answer is an environment problem (ErrKMS, exit 3 in
// the CLI), never "nothing decrypts".
func TestDiagnoseRSAKMSUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // a closed port: connection refused
	client := kms.NewFromConfig(aws.Config{Region: "us-east-1", RetryMaxAttempts: 1, Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: "kmsconformtest", SecretAccessKey: "kmsconformtest"}, nil
	})}, func(o *kms.Options) { o.BaseEndpoint = aws.String("http://" + addr) })
	_, err = DiagnoseRSA(context.Background(), RSARequest{Ciphertext: make([]byte, 256), KMS: &KMSKey{Client: client, KeyID: "alias/x"}})
	if !errors.Is(err, ErrKMS) {
		t.Fatalf("err %v; want ErrKMS", err)
	}
	// size known, Decrypt fails to connect: still ErrKMS
	_, err = DiagnoseRSA(context.Background(), RSARequest{Ciphertext: make([]byte, 256), KMS: &KMSKey{Client: client, KeyID: "alias/x", size: 256}})
	if !errors.Is(err, ErrKMS) {
		t.Fatalf("err %v; want ErrKMS", err)
	}
}

func TestIsKMSRefusal(t *testing.T) {
	for msg, want := range map[string]bool{
		"InvalidCiphertextException":                        true,
		"IncorrectKeyException: the key is not this one":    true,
		"AccessDeniedException: not allowed":                false,
		"NotFoundException":                                 false,
		"dial tcp 127.0.0.1:1: connect: connection refused": false,
	} {
		if got := isKMSRefusal(errors.New(msg)); got != want {
			t.Errorf("isKMSRefusal(%q) = %v, want %v", msg, got, want)
		}
	}
}
