package kmsfake

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// TestK256OpenSSLKeyImported: a secp256k1 key made by the host openssl is
// imported over the API; GetPublicKey equals openssl's public key, openssl's
// signatures (high S included, openssl does not normalise) verify through
// the fake's Verify, a changed message or signature does not, and the
// fake's signatures verify with openssl.
func TestK256OpenSSLKeyImported(t *testing.T) {
	e := newEnv(t, Options{})
	dir := t.TempDir()
	runOpenSSL(t, dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:secp256k1", "-out", "k1.pem")
	runOpenSSL(t, dir, "pkcs8", "-topk8", "-nocrypt", "-in", "k1.pem", "-outform", "DER", "-out", "k1.der")
	runOpenSSL(t, dir, "pkey", "-in", "k1.pem", "-pubout", "-outform", "DER", "-out", "k1pub.der")
	material, _ := os.ReadFile(filepath.Join(dir, "k1.der"))
	wantPub, _ := os.ReadFile(filepath.Join(dir, "k1pub.der"))

	ck, err := e.kms.CreateKey(ctx(t), &kms.CreateKeyInput{KeySpec: "ECC_SECG_P256K1", KeyUsage: "SIGN_VERIFY", Origin: types.OriginTypeExternal})
	if err != nil {
		t.Fatal(err)
	}
	id := ck.KeyMetadata.KeyId
	params, err := e.kms.GetParametersForImport(ctx(t), &kms.GetParametersForImportInput{KeyId: id, WrappingAlgorithm: "RSAES_OAEP_SHA_1", WrappingKeySpec: types.WrappingKeySpecRsa2048})
	if err != nil {
		t.Fatal(err)
	}
	wpub, _ := x509.ParsePKIXPublicKey(params.PublicKey)
	enc, _ := rsa.EncryptOAEP(sha1.New(), rand.Reader, wpub.(*rsa.PublicKey), material, nil)
	if _, err := e.kms.ImportKeyMaterial(ctx(t), &kms.ImportKeyMaterialInput{KeyId: id, ImportToken: params.ImportToken, EncryptedKeyMaterial: enc, ExpirationModel: types.ExpirationModelTypeKeyMaterialDoesNotExpire}); err != nil {
		t.Fatalf("import openssl's secp256k1 key: %v", err)
	}
	pk, err := e.kms.GetPublicKey(ctx(t), &kms.GetPublicKeyInput{KeyId: id})
	if err != nil || !bytes.Equal(pk.PublicKey, wantPub) {
		t.Fatalf("GetPublicKey differs from openssl's public key (%v)", err)
	}
	for i := 0; i < 12; i++ {
		msg := []byte{byte(i), 'm', 's', 'g'}
		writeFile(t, dir, "msg.bin", msg)
		runOpenSSL(t, dir, "dgst", "-sha256", "-sign", "k1.pem", "-out", "sig.bin", "msg.bin")
		sig, _ := os.ReadFile(filepath.Join(dir, "sig.bin"))
		v, err := e.kms.Verify(ctx(t), &kms.VerifyInput{KeyId: id, Message: msg, Signature: sig, SigningAlgorithm: "ECDSA_SHA_256"})
		if err != nil || !v.SignatureValid {
			t.Fatalf("openssl's signature %d refused: %v", i, err)
		}
		digest := sha256.Sum256(msg)
		if v, err := e.kms.Verify(ctx(t), &kms.VerifyInput{KeyId: id, Message: digest[:], MessageType: "DIGEST", Signature: sig, SigningAlgorithm: "ECDSA_SHA_256"}); err != nil || !v.SignatureValid {
			t.Fatalf("openssl's signature %d over the digest refused: %v", i, err)
		}
		_, err = e.kms.Verify(ctx(t), &kms.VerifyInput{KeyId: id, Message: append(msg, 0), Signature: sig, SigningAlgorithm: "ECDSA_SHA_256"})
		wantCode(t, err, codeInvalidSignature)
		bad := bytes.Clone(sig)
		bad[len(bad)-1] ^= 1
		_, err = e.kms.Verify(ctx(t), &kms.VerifyInput{KeyId: id, Message: msg, Signature: bad, SigningAlgorithm: "ECDSA_SHA_256"})
		wantCode(t, err, codeInvalidSignature)
	}
	s, err := e.kms.Sign(ctx(t), &kms.SignInput{KeyId: id, Message: []byte("from the fake"), SigningAlgorithm: "ECDSA_SHA_256"})
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "fake-msg.bin", []byte("from the fake"))
	writeFile(t, dir, "fake-sig.bin", s.Signature)
	if out := runOpenSSL(t, dir, "dgst", "-sha256", "-verify", "k1pub.der", "-keyform", "DER", "-signature", "fake-sig.bin", "fake-msg.bin"); !bytes.Contains(out, []byte("Verified OK")) {
		t.Fatalf("openssl refused the fake's signature: %s", out)
	}
}

// TestK256PKCS8Parsing: openssl's compressed-point PKCS#8 parses; a
// scalar of zero or >= n, or a public key of another private key, is refused.
func TestK256PKCS8Parsing(t *testing.T) {
	dir := t.TempDir()
	runOpenSSL(t, dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:secp256k1", "-out", "u.pem")
	runOpenSSL(t, dir, "ec", "-in", "u.pem", "-conv_form", "compressed", "-out", "c.pem")
	runOpenSSL(t, dir, "pkcs8", "-topk8", "-nocrypt", "-in", "c.pem", "-outform", "DER", "-out", "c.der")
	runOpenSSL(t, dir, "ec", "-in", "u.pem", "-pubout", "-conv_form", "uncompressed", "-outform", "DER", "-out", "cpub.der")
	der, _ := os.ReadFile(filepath.Join(dir, "c.der"))
	var p8 pkcs8
	var ec ecPrivateKey
	asn1.Unmarshal(der, &p8)
	if _, err := asn1.Unmarshal(p8.PrivateKey, &ec); err != nil || len(ec.PublicKey.Bytes) != 33 {
		t.Fatalf("openssl's PKCS#8 does not embed a compressed point (%d bytes, %v)", len(ec.PublicKey.Bytes), err)
	}
	k, err := parseK256PKCS8(der)
	if err != nil {
		t.Fatalf("compressed-point PKCS#8 from openssl: %v", err)
	}
	want, _ := os.ReadFile(filepath.Join(dir, "cpub.der"))
	if got, _ := k.spki(); !bytes.Equal(got, want) {
		t.Fatal("public key differs from openssl's")
	}
	other, _ := k1Generate()
	mk := func(d, pub []byte) []byte {
		inner, _ := asn1Marshal(ecPrivateKey{Version: 1, PrivateKey: d, PublicKey: bitString(pub)})
		out, _ := asn1Marshal(pkcs8{Algo: k1AlgID(), PrivateKey: inner})
		return out
	}
	n, _ := hexBytes("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141")
	for name, bad := range map[string][]byte{
		"zero":      mk(make([]byte, 32), nil),
		"n":         mk(n, nil),
		"wrong pub": mk(k.priv.Serialize(), other.pub()),
		"33 bytes":  mk(make([]byte, 33), nil),
	} {
		if _, err := parseK256PKCS8(bad); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func asn1Marshal(v any) ([]byte, error) { return asn1.Marshal(v) }

func bitString(b []byte) asn1.BitString { return asn1.BitString{Bytes: b, BitLength: len(b) * 8} }

func hexBytes(s string) ([]byte, error) { return hex.DecodeString(s) }
