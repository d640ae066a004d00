package kmsfake

import (
	"bytes"
	"crypto/ecdh"
	"crypto/rand"
	"crypto/x509"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// These tests check the fake's cryptography against the real openssl
// binary on the host.

func TestOpenSSLOAEPInterop(t *testing.T) {
	e := newEnv(t, Options{})
	md := createKey(t, e, "RSA_2048", "ENCRYPT_DECRYPT")
	pk, err := e.kms.GetPublicKey(ctx(t), &kms.GetPublicKeyInput{KeyId: md.KeyId})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeFile(t, dir, "pub.der", pk.PublicKey)
	pt := make([]byte, 190)
	rand.Read(pt)
	writeFile(t, dir, "pt.bin", pt)
	for _, c := range []struct {
		md    string
		alg   types.EncryptionAlgorithmSpec
		wrong types.EncryptionAlgorithmSpec
	}{{"sha1", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"}, {"sha256", "RSAES_OAEP_SHA_256", "RSAES_OAEP_SHA_1"}} {
		runOpenSSL(t, dir, "pkeyutl", "-encrypt", "-pubin", "-keyform", "DER", "-inkey", "pub.der",
			"-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:"+c.md, "-pkeyopt", "rsa_mgf1_md:"+c.md,
			"-in", "pt.bin", "-out", "ct-"+c.md+".bin")
		ct, err := os.ReadFile(filepath.Join(dir, "ct-"+c.md+".bin"))
		if err != nil {
			t.Fatal(err)
		}
		dec, err := e.kms.Decrypt(ctx(t), &kms.DecryptInput{KeyId: md.KeyId, CiphertextBlob: ct, EncryptionAlgorithm: c.alg})
		if err != nil || !bytes.Equal(dec.Plaintext, pt) {
			t.Fatalf("openssl OAEP %s → KMS Decrypt %s: %v", c.md, c.alg, err)
		}
		_, err = e.kms.Decrypt(ctx(t), &kms.DecryptInput{KeyId: md.KeyId, CiphertextBlob: ct, EncryptionAlgorithm: c.wrong})
		wantCode(t, err, codeInvalidCiphertext)
	}
	// openssl's default OAEP (SHA-1) with rsautl-style pkeyutl, and the
	// mixed SHA-256 label / SHA-1 MGF1 that KMS does not use.
	runOpenSSL(t, dir, "pkeyutl", "-encrypt", "-pubin", "-keyform", "DER", "-inkey", "pub.der",
		"-pkeyopt", "rsa_padding_mode:oaep", "-in", "pt.bin", "-out", "ct-default.bin")
	ct, _ := os.ReadFile(filepath.Join(dir, "ct-default.bin"))
	if _, err := e.kms.Decrypt(ctx(t), &kms.DecryptInput{KeyId: md.KeyId, CiphertextBlob: ct, EncryptionAlgorithm: "RSAES_OAEP_SHA_1"}); err != nil {
		t.Fatalf("openssl default OAEP is SHA-1: %v", err)
	}
	runOpenSSL(t, dir, "pkeyutl", "-encrypt", "-pubin", "-keyform", "DER", "-inkey", "pub.der",
		"-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256", "-pkeyopt", "rsa_mgf1_md:sha1",
		"-in", "pt.bin", "-out", "ct-mixed.bin")
	ct, _ = os.ReadFile(filepath.Join(dir, "ct-mixed.bin"))
	for _, alg := range []types.EncryptionAlgorithmSpec{"RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"} {
		_, err := e.kms.Decrypt(ctx(t), &kms.DecryptInput{KeyId: md.KeyId, CiphertextBlob: ct, EncryptionAlgorithm: alg})
		wantCode(t, err, codeInvalidCiphertext)
	}
	// PKCS#1 v1.5 ciphertext is refused, never a wrong plaintext.
	runOpenSSL(t, dir, "pkeyutl", "-encrypt", "-pubin", "-keyform", "DER", "-inkey", "pub.der", "-in", "pt.bin", "-out", "ct-pkcs1.bin")
	ct, _ = os.ReadFile(filepath.Join(dir, "ct-pkcs1.bin"))
	_, err = e.kms.Decrypt(ctx(t), &kms.DecryptInput{KeyId: md.KeyId, CiphertextBlob: ct, EncryptionAlgorithm: "RSAES_OAEP_SHA_1"})
	wantCode(t, err, codeInvalidCiphertext)
	// And the other way: KMS Encrypt → openssl decrypt needs the private
	// key, which KMS never gives; GenerateDataKeyPair's PKCS#8 is openssl-readable.
}

func TestOpenSSLDeriveSharedSecret(t *testing.T) {
	e := newEnv(t, Options{})
	dir := t.TempDir()
	for _, c := range []struct {
		spec  types.KeySpec
		curve string
	}{{"ECC_NIST_P256", "prime256v1"}, {"ECC_NIST_P384", "secp384r1"}, {"ECC_NIST_P521", "secp521r1"}} {
		md := createKey(t, e, c.spec, "KEY_AGREEMENT")
		pk, err := e.kms.GetPublicKey(ctx(t), &kms.GetPublicKeyInput{KeyId: md.KeyId})
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, dir, "kms.der", pk.PublicKey)
		runOpenSSL(t, dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:"+c.curve, "-out", "alice.pem")
		runOpenSSL(t, dir, "pkey", "-in", "alice.pem", "-pubout", "-outform", "DER", "-out", "alice.der")
		runOpenSSL(t, dir, "pkey", "-pubin", "-inform", "DER", "-in", "kms.der", "-out", "kms.pem")
		runOpenSSL(t, dir, "pkeyutl", "-derive", "-inkey", "alice.pem", "-peerkey", "kms.pem", "-out", "secret.bin")
		want, _ := os.ReadFile(filepath.Join(dir, "secret.bin"))
		alicePub, _ := os.ReadFile(filepath.Join(dir, "alice.der"))
		out, err := e.kms.DeriveSharedSecret(ctx(t), &kms.DeriveSharedSecretInput{KeyId: md.KeyId, KeyAgreementAlgorithm: "ECDH", PublicKey: alicePub})
		if err != nil {
			t.Fatalf("%s DeriveSharedSecret: %v", c.spec, err)
		}
		if !bytes.Equal(out.SharedSecret, want) || *out.KeyId != *md.Arn || out.KeyOrigin != "AWS_KMS" {
			t.Fatalf("%s: KMS secret %x, openssl pkeyutl -derive %x", c.spec, out.SharedSecret, want)
		}
	}
	p256 := createKey(t, e, "ECC_NIST_P256", "KEY_AGREEMENT")
	bad := [][]byte{[]byte("InvalidPublicKey")}
	k384, _ := ecdh.P384().GenerateKey(rand.Reader)
	der384, _ := x509.MarshalPKIXPublicKey(k384.PublicKey())
	bad = append(bad, der384)
	x, _ := ecdh.X25519().GenerateKey(rand.Reader)
	derX, _ := x509.MarshalPKIXPublicKey(x.PublicKey())
	bad = append(bad, derX)
	for _, b := range bad {
		_, err := e.kms.DeriveSharedSecret(ctx(t), &kms.DeriveSharedSecretInput{KeyId: p256.KeyId, KeyAgreementAlgorithm: "ECDH", PublicKey: b})
		wantCode(t, err, codeValidation)
	}
	_, err := e.kms.DeriveSharedSecret(ctx(t), &kms.DeriveSharedSecretInput{KeyId: p256.KeyId, KeyAgreementAlgorithm: "INVALID", PublicKey: der384})
	wantCode(t, err, codeValidation)
	if errMessage(err) != "1 validation error detected: Value 'INVALID' at 'keyAgreementAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [ECDH]" {
		t.Fatalf("message %q", errMessage(err))
	}
	sv := createKey(t, e, "ECC_NIST_P256", "SIGN_VERIFY")
	_, err = e.kms.DeriveSharedSecret(ctx(t), &kms.DeriveSharedSecretInput{KeyId: sv.KeyId, KeyAgreementAlgorithm: "ECDH", PublicKey: der384})
	wantCode(t, err, codeInvalidKeyUsage)
	if errMessage(err) != *sv.Arn+" key usage is SIGN_VERIFY which is not valid for DeriveSharedSecret." {
		t.Fatalf("message %q", errMessage(err))
	}
}

func TestOpenSSLSignaturesAndKeyPairs(t *testing.T) {
	e := newEnv(t, Options{})
	dir := t.TempDir()
	msg := []byte("signed by the KMS fake")
	writeFile(t, dir, "msg.bin", msg)
	for _, c := range []struct {
		spec types.KeySpec
		alg  types.SigningAlgorithmSpec
		opts []string
	}{
		{"RSA_2048", "RSASSA_PSS_SHA_256", []string{"-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32"}},
		{"RSA_2048", "RSASSA_PKCS1_V1_5_SHA_384", nil},
		{"ECC_NIST_P384", "ECDSA_SHA_384", nil},
		{"ECC_SECG_P256K1", "ECDSA_SHA_256", nil},
	} {
		md := createKey(t, e, c.spec, "SIGN_VERIFY")
		pk, _ := e.kms.GetPublicKey(ctx(t), &kms.GetPublicKeyInput{KeyId: md.KeyId})
		writeFile(t, dir, "pub.der", pk.PublicKey)
		s, err := e.kms.Sign(ctx(t), &kms.SignInput{KeyId: md.KeyId, Message: msg, SigningAlgorithm: c.alg})
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, dir, "sig.bin", s.Signature)
		md2 := "-sha" + string(c.alg[len(c.alg)-3:])
		args := append([]string{"dgst", md2, "-keyform", "DER", "-verify", "pub.der", "-signature", "sig.bin"}, c.opts...)
		out := runOpenSSL(t, dir, append(args, "msg.bin")...)
		if !bytes.Contains(out, []byte("Verified OK")) {
			t.Fatalf("%s %s: openssl dgst -verify: %s", c.spec, c.alg, out)
		}
	}
	sym := createKey(t, e, "", "")
	for _, spec := range []types.DataKeyPairSpec{"RSA_2048", "ECC_NIST_P256", "ECC_SECG_P256K1"} {
		p, err := e.kms.GenerateDataKeyPair(ctx(t), &kms.GenerateDataKeyPairInput{KeyId: sym.KeyId, KeyPairSpec: spec})
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, dir, "priv.der", p.PrivateKeyPlaintext)
		runOpenSSL(t, dir, "pkey", "-inform", "DER", "-in", "priv.der", "-pubout", "-outform", "DER", "-out", "derived-pub.der")
		got, _ := os.ReadFile(filepath.Join(dir, "derived-pub.der"))
		if !bytes.Equal(got, p.PublicKey) {
			t.Fatalf("%s: openssl's public key from the PKCS#8 differs from PublicKey", spec)
		}
	}
}
