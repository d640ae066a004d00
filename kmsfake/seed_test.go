package kmsfake

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
)

func TestSeedFile(t *testing.T) {
	dir := t.TempDir()
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalECPrivateKey(ec)
	pemKey := string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}))
	runOpenSSL(t, dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa.pem")
	rsaPEM, _ := os.ReadFile(filepath.Join(dir, "rsa.pem"))
	sym := bytes.Repeat([]byte{7}, 32)
	seed := "keys:\n" +
		"  - id: 11111111-2222-3333-4444-555555555555\n    description: shared\n    aliases: [alias/shared]\n    symmetricKey: " + base64.StdEncoding.EncodeToString(sym) + "\n" +
		"  - id: 22222222-2222-3333-4444-555555555555\n    spec: ECC_NIST_P256\n    usage: KEY_AGREEMENT\n    privateKeyPem: |\n" + indent(pemKey, "      ") +
		"  - id: 33333333-2222-3333-4444-555555555555\n    spec: RSA_2048\n    usage: ENCRYPT_DECRYPT\n    region: eu-west-1\n    account: \"111122223333\"\n    tags: {team: crypto}\n    privateKeyPem: |\n" + indent(string(rsaPEM), "      ")
	path := writeFile(t, dir, "seed.yaml", []byte(seed))
	e := newEnv(t, Options{SeedFile: path})
	d, err := e.kms.DescribeKey(ctx(t), &kms.DescribeKeyInput{KeyId: aws.String("alias/shared")})
	if err != nil || *d.KeyMetadata.KeyId != "11111111-2222-3333-4444-555555555555" || *d.KeyMetadata.Description != "shared" {
		t.Fatalf("seeded alias: %v", err)
	}
	// A second server from the same seed decrypts the first one's blobs.
	enc, err := e.kms.Encrypt(ctx(t), &kms.EncryptInput{KeyId: aws.String("alias/shared"), Plaintext: []byte("deterministic")})
	if err != nil {
		t.Fatal(err)
	}
	e2 := newEnv(t, Options{SeedFile: path})
	dec, err := e2.kms.Decrypt(ctx(t), &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
	if err != nil || string(dec.Plaintext) != "deterministic" {
		t.Fatalf("second seeded server: %v", err)
	}
	pk, err := e.kms.GetPublicKey(ctx(t), &kms.GetPublicKeyInput{KeyId: aws.String("22222222-2222-3333-4444-555555555555")})
	want, _ := x509.MarshalPKIXPublicKey(&ec.PublicKey)
	if err != nil || !bytes.Equal(pk.PublicKey, want) {
		t.Fatalf("seeded EC public key: %v", err)
	}
	west := newClient(e.hs.URL, "eu-west-1", "111122223333", "x")
	pk, err = west.GetPublicKey(ctx(t), &kms.GetPublicKeyInput{KeyId: aws.String("33333333-2222-3333-4444-555555555555")})
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "kmspub.der", pk.PublicKey)
	runOpenSSL(t, dir, "pkey", "-in", "rsa.pem", "-pubout", "-outform", "DER", "-out", "pub.der")
	opub, _ := os.ReadFile(filepath.Join(dir, "pub.der"))
	if !bytes.Equal(opub, pk.PublicKey) {
		t.Fatal("seeded RSA key's public key differs from openssl's")
	}
	for _, bad := range []string{
		"keys:\n  - id: not-a-uuid\n",
		"keys:\n  - id: 11111111-2222-3333-4444-555555555555\n    spec: RSA_2048\n",
		"keys:\n  - id: 11111111-2222-3333-4444-555555555555\n    spec: ECC_NIST_P384\n    usage: SIGN_VERIFY\n    privateKeyPem: |\n" + indent(pemKey, "      "),
		"keys:\n  - id: 11111111-2222-3333-4444-555555555555\n    symmetricKey: AAAA\n",
		"keys:\n  - id: 11111111-2222-3333-4444-555555555555\n    unknownField: 1\n",
		"{\"keys\": [{\"id\": \"11111111-2222-3333-4444-555555555555\", \"aliases\": [\"nope\"]}]}",
		"keys: [",
	} {
		p := writeFile(t, dir, "bad.yaml", []byte(bad))
		if _, err := New(Options{SeedFile: p}); err == nil || !strings.Contains(err.Error(), "seed file") {
			t.Errorf("seed %q: error %v", bad, err)
		}
	}
	// JSON works too.
	p := writeFile(t, dir, "seed.json", []byte(`{"keys":[{"id":"44444444-2222-3333-4444-555555555555","spec":"ECC_SECG_P256K1","usage":"SIGN_VERIFY"}]}`))
	e3 := newEnv(t, Options{SeedFile: p})
	if _, err := e3.kms.Sign(ctx(t), &kms.SignInput{KeyId: aws.String("44444444-2222-3333-4444-555555555555"), Message: []byte("m"), SigningAlgorithm: "ECDSA_SHA_256"}); err != nil {
		t.Fatalf("JSON seed: %v", err)
	}
}

func indent(s, pre string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		b.WriteString(pre + l + "\n")
	}
	return b.String()
}
