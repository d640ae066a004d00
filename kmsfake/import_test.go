package kmsfake

import (
	"bytes"
	"crypto/aes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/binary"
	"hash"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// wrapKWP is RFC 5649 wrapping, the test's own, to exercise unwrapKWP.
func wrapKWP(kek, p []byte) []byte {
	b, _ := aes.NewCipher(kek)
	var a [8]byte
	copy(a[:4], []byte{0xA6, 0x59, 0x59, 0xA6})
	binary.BigEndian.PutUint32(a[4:], uint32(len(p)))
	padded := append(bytes.Clone(p), make([]byte, (8-len(p)%8)%8)...)
	n := len(padded) / 8
	if n == 1 {
		out := make([]byte, 16)
		b.Encrypt(out, append(a[:], padded...))
		return out
	}
	r := bytes.Clone(padded)
	var blk [16]byte
	for j := 0; j <= 5; j++ {
		for i := 1; i <= n; i++ {
			copy(blk[:8], a[:])
			copy(blk[8:], r[(i-1)*8:i*8])
			b.Encrypt(blk[:], blk[:])
			t := uint64(n*j + i)
			binary.BigEndian.PutUint64(a[:], binary.BigEndian.Uint64(blk[:8])^t)
			copy(r[(i-1)*8:], blk[8:])
		}
	}
	return append(a[:], r...)
}

func TestImportKeyMaterial(t *testing.T) {
	e := newEnv(t, Options{})
	ecKey, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	ecDER, _ := x509.MarshalPKCS8PrivateKey(ecKey)
	cases := []struct {
		spec     types.KeySpec
		usage    types.KeyUsageType
		wrap     types.AlgorithmSpec
		material []byte
	}{
		{"SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "RSAES_OAEP_SHA_256", bytes.Repeat([]byte{1}, 32)},
		{"SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "RSAES_OAEP_SHA_1", bytes.Repeat([]byte{2}, 32)},
		{"ECC_NIST_P384", "SIGN_VERIFY", "RSAES_OAEP_SHA_1", ecDER},
		{"ECC_NIST_P384", "KEY_AGREEMENT", "RSA_AES_KEY_WRAP_SHA_256", ecDER},
	}
	for _, c := range cases {
		ck, err := e.kms.CreateKey(ctx(t), &kms.CreateKeyInput{KeySpec: c.spec, KeyUsage: c.usage, Origin: types.OriginTypeExternal})
		if err != nil {
			t.Fatal(err)
		}
		id := ck.KeyMetadata.KeyId
		params, err := e.kms.GetParametersForImport(ctx(t), &kms.GetParametersForImportInput{KeyId: id, WrappingAlgorithm: c.wrap, WrappingKeySpec: types.WrappingKeySpecRsa2048})
		if err != nil {
			t.Fatalf("%s: GetParametersForImport: %v", c.wrap, err)
		}
		pub, err := x509.ParsePKIXPublicKey(params.PublicKey)
		if err != nil {
			t.Fatal(err)
		}
		var h hash.Hash = sha256.New()
		if c.wrap == "RSAES_OAEP_SHA_1" {
			h = sha1.New()
		}
		var enc []byte
		if c.wrap == "RSA_AES_KEY_WRAP_SHA_256" {
			kek := make([]byte, 32)
			rand.Read(kek)
			wk, _ := rsa.EncryptOAEP(h, rand.Reader, pub.(*rsa.PublicKey), kek, nil)
			enc = append(wk, wrapKWP(kek, c.material)...)
		} else {
			enc, _ = rsa.EncryptOAEP(h, rand.Reader, pub.(*rsa.PublicKey), c.material, nil)
		}
		_, err = e.kms.ImportKeyMaterial(ctx(t), &kms.ImportKeyMaterialInput{KeyId: id, ImportToken: params.ImportToken, EncryptedKeyMaterial: enc})
		wantCode(t, err, codeValidation)
		if errMessage(err) != "A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES" {
			t.Fatalf("message %q", errMessage(err))
		}
		_, err = e.kms.ImportKeyMaterial(ctx(t), &kms.ImportKeyMaterialInput{KeyId: id, ImportToken: params.ImportToken, EncryptedKeyMaterial: append([]byte{1}, enc[1:]...), ExpirationModel: types.ExpirationModelTypeKeyMaterialDoesNotExpire})
		wantCode(t, err, codeInvalidCiphertext)
		_, err = e.kms.ImportKeyMaterial(ctx(t), &kms.ImportKeyMaterialInput{KeyId: id, ImportToken: []byte("forged"), EncryptedKeyMaterial: enc, ExpirationModel: types.ExpirationModelTypeKeyMaterialDoesNotExpire})
		wantCode(t, err, codeInvalidToken)
		out, err := e.kms.ImportKeyMaterial(ctx(t), &kms.ImportKeyMaterialInput{KeyId: id, ImportToken: params.ImportToken, EncryptedKeyMaterial: enc,
			ExpirationModel: types.ExpirationModelTypeKeyMaterialExpires, ValidTo: aws.Time(time.Now().Add(time.Hour))})
		if err != nil || len(*out.KeyMaterialId) != 64 {
			t.Fatalf("%s %s: ImportKeyMaterial: %v", c.spec, c.wrap, err)
		}
		d, _ := e.kms.DescribeKey(ctx(t), &kms.DescribeKeyInput{KeyId: id})
		if d.KeyMetadata.KeyState != types.KeyStateEnabled || d.KeyMetadata.ExpirationModel != types.ExpirationModelTypeKeyMaterialExpires {
			t.Fatalf("after import: %+v", d.KeyMetadata)
		}
		if c.spec == "ECC_NIST_P384" {
			pk, _ := e.kms.GetPublicKey(ctx(t), &kms.GetPublicKeyInput{KeyId: id})
			want, _ := x509.MarshalPKIXPublicKey(&ecKey.PublicKey)
			if !bytes.Equal(pk.PublicKey, want) {
				t.Fatal("imported EC key's public key differs")
			}
		} else {
			enc, err := e.kms.Encrypt(ctx(t), &kms.EncryptInput{KeyId: id, Plaintext: []byte("imported")})
			if err != nil {
				t.Fatal(err)
			}
			if dec, err := e.kms.Decrypt(ctx(t), &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob}); err != nil || string(dec.Plaintext) != "imported" {
				t.Fatalf("Decrypt with imported material: %v", err)
			}
		}
	}
	aws1 := createKey(t, e, "", "")
	_, err := e.kms.GetParametersForImport(ctx(t), &kms.GetParametersForImportInput{KeyId: aws1.KeyId, WrappingAlgorithm: "RSAES_OAEP_SHA_256", WrappingKeySpec: "RSA_2048"})
	wantCode(t, err, codeUnsupported)
	if errMessage(err) != *aws1.Arn+" origin is AWS_KMS which is not valid for this operation." {
		t.Fatalf("message %q", errMessage(err))
	}
}

// TestImportWithOpenSSLWrapping wraps symmetric material with the host
// openssl, as the BYOK runbooks do, and imports it.
func TestImportWithOpenSSLWrapping(t *testing.T) {
	e := newEnv(t, Options{})
	dir := t.TempDir()
	for _, c := range []struct {
		wrap types.AlgorithmSpec
		md   string
	}{{"RSAES_OAEP_SHA_1", "sha1"}, {"RSAES_OAEP_SHA_256", "sha256"}} {
		ck, _ := e.kms.CreateKey(ctx(t), &kms.CreateKeyInput{Origin: types.OriginTypeExternal})
		params, err := e.kms.GetParametersForImport(ctx(t), &kms.GetParametersForImportInput{KeyId: ck.KeyMetadata.KeyId, WrappingAlgorithm: c.wrap, WrappingKeySpec: "RSA_2048"})
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, dir, "wrap.der", params.PublicKey)
		runOpenSSL(t, dir, "rand", "-out", "material.bin", "32")
		runOpenSSL(t, dir, "pkeyutl", "-encrypt", "-pubin", "-keyform", "DER", "-inkey", "wrap.der", "-in", "material.bin", "-out", "wrapped.bin",
			"-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:"+c.md, "-pkeyopt", "rsa_mgf1_md:"+c.md)
		wrapped, _ := os.ReadFile(filepath.Join(dir, "wrapped.bin"))
		if _, err := e.kms.ImportKeyMaterial(ctx(t), &kms.ImportKeyMaterialInput{KeyId: ck.KeyMetadata.KeyId, ImportToken: params.ImportToken,
			EncryptedKeyMaterial: wrapped, ExpirationModel: types.ExpirationModelTypeKeyMaterialDoesNotExpire}); err != nil {
			t.Fatalf("%s: import of openssl-wrapped material: %v", c.wrap, err)
		}
	}
}
