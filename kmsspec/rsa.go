package kmsspec

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"fmt"
	"hash"
	"math/big"
	"path/filepath"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/kmsconform/kmsconform/failclass"
	"github.com/kmsconform/kmsconform/kmsfake"
)

var rsaSpecsBySize = map[int]types.KeySpec{2048: types.KeySpecRsa2048, 3072: types.KeySpecRsa3072, 4096: types.KeySpecRsa4096}

// oaepTools are the openssl command lines that make OAEP (or PKCS#1 v1.5)
// ciphertexts under a public key.
var oaepTools = map[string]func(pub, in, out string) []string{
	"pkeyutl-sha1": func(pub, in, out string) []string {
		return []string{"pkeyutl", "-encrypt", "-pubin", "-inkey", pub, "-in", in, "-out", out, "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha1"}
	},
	"pkeyutl-sha256": func(pub, in, out string) []string {
		return []string{"pkeyutl", "-encrypt", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256", "-in", in, "-pubin", "-inkey", pub, "-out", out}
	},
	"rsautl-oaep": func(pub, in, out string) []string {
		return []string{"rsautl", "-encrypt", "-oaep", "-inkey", pub, "-pubin", "-in", in, "-out", out}
	},
	"pkeyutl-pkcs1": func(pub, in, out string) []string {
		return []string{"pkeyutl", "-encrypt", "-pubin", "-inkey", pub, "-in", in, "-out", out}
	},
}

// oaepEncrypt encrypts data with the host openssl under pub (PEM).
func oaepEncrypt(t *T, pub string, data []byte, tool string) []byte {
	in := t.WriteFile("plain.bin", data)
	out := filepath.Join(t.TempDir(), "cipher.bin")
	t.OpenSSL(nil, oaepTools[tool](pub, in, out)...)
	return t.ReadFile(out)
}

// rsaPublic parses a KMS RSA public key.
func rsaPublic(t *T, der []byte) *rsa.PublicKey {
	pub, err := x509.ParsePKIXPublicKey(der)
	t.OK(err, "PublicKey is not DER SubjectPublicKeyInfo")
	rp, ok := pub.(*rsa.PublicKey)
	t.True(ok, "PublicKey is a %T, not an RSA key", pub)
	return rp
}

func rsaSpec(id, title, awsText, source string, needs []Need, o []string, check func(*T)) *Spec {
	return &Spec{ID: id, Topic: "rsa-oaep", Title: title, AWS: awsText, Source: source, Needs: needs, Ops: o, Check: check}
}

var withOpenSSL = []Need{NeedOpenSSL}

func init() {
	add(rsaSpec("GetPublicKey/RSA_2048/DER-SPKI", "returns a DER SubjectPublicKeyInfo that openssl and crypto/x509 read, with the key's metadata",
		"GetPublicKey answers KeyId (the key ARN), KeySpec, KeyUsage, EncryptionAlgorithms and PublicKey (DER SPKI)",
		rec+"§2 GetPublicKey (test_get_public_key [A]); "+api+"GetPublicKey", withOpenSSL, ops("GetPublicKey"), func(t *T) {
			md := t.Shared(types.KeySpecRsa2048, types.KeyUsageTypeEncryptDecrypt)
			out, err := t.C.GetPublicKey(t.Ctx, &kms.GetPublicKeyInput{KeyId: md.KeyId})
			t.OK(err, "GetPublicKey")
			t.Equal(aws.ToString(out.KeyId), aws.ToString(md.Arn), "KeyId")
			t.Equal(out.KeySpec, types.KeySpecRsa2048, "KeySpec")
			t.Equal(out.KeyUsage, types.KeyUsageTypeEncryptDecrypt, "KeyUsage")
			t.True(SameSet(out.EncryptionAlgorithms, []types.EncryptionAlgorithmSpec{types.EncryptionAlgorithmSpecRsaesOaepSha1, types.EncryptionAlgorithmSpecRsaesOaepSha256}),
				"EncryptionAlgorithms %v", out.EncryptionAlgorithms)
			t.Equal(rsaPublic(t, out.PublicKey).N.BitLen(), 2048, "modulus bits")
			text := t.OpenSSL(nil, "rsa", "-pubin", "-inform", "DER", "-in", t.WriteFile("pub.der", out.PublicKey), "-noout", "-text")
			t.True(strings.Contains(string(text), "Public-Key: (2048 bit)"), "openssl rsa -text says:\n%s", text)
		}),
		rsaSpec("GetPublicKey/symmetric-refused", "refuses a symmetric key with UnsupportedOperationException",
			"a symmetric key has no public key: UnsupportedOperationException", answerSource("Unsupported.NoPublicKey"), nil, ops("GetPublicKey"), func(t *T) {
				md := t.Shared(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
				_, err := t.C.GetPublicKey(t.Ctx, &kms.GetPublicKeyInput{KeyId: md.KeyId})
				t.APIError(err, "UnsupportedOperationException")
			}),
	)
	// The public key has the size and curve of the key spec (floci#3024:
	// RSA Encrypt ignored the key spec).
	for _, bits := range []int{3072, 4096} {
		spec := rsaSpecsBySize[bits]
		add(rsaSpec("GetPublicKey/"+string(spec)+"/modulus", fmt.Sprintf("returns a %d-bit RSA public key for %s", bits, spec),
			"the public key is the key spec's size", api+"GetPublicKey; "+devguide+"Key spec reference (RSA key specs)", nil, ops("GetPublicKey"), func(t *T) {
				md := t.Shared(spec, types.KeyUsageTypeEncryptDecrypt)
				t.Equal(rsaPublic(t, t.PublicKey(md)).N.BitLen(), bits, "modulus bits")
			}))
	}
	for _, c := range []struct {
		spec  types.KeySpec
		curve string
	}{{types.KeySpecEccNistP256, "P-256"}, {types.KeySpecEccNistP384, "P-384"}, {types.KeySpecEccNistP521, "P-521"}} {
		add(rsaSpec("GetPublicKey/"+string(c.spec)+"/curve", "returns an EC public key on "+c.curve+" for "+string(c.spec),
			"the public key is on the key spec's curve (DER SPKI)", api+"GetPublicKey; "+devguide+"Key spec reference (ECC key specs)", nil, ops("GetPublicKey"), func(t *T) {
				md := t.Shared(c.spec, types.KeyUsageTypeSignVerify)
				pub, err := x509.ParsePKIXPublicKey(t.PublicKey(md))
				t.OK(err, "PublicKey is not DER SubjectPublicKeyInfo")
				ep, ok := pub.(*ecdsa.PublicKey)
				t.True(ok, "PublicKey is a %T, not an EC key", pub)
				t.Equal(ep.Curve.Params().Name, c.curve, "curve")
			}))
	}

	// openssl ciphertexts under the key from GetPublicKey decrypt in KMS.
	for _, c := range []struct {
		bits int
		tool string
		alg  types.EncryptionAlgorithmSpec
	}{
		{2048, "rsautl-oaep", types.EncryptionAlgorithmSpecRsaesOaepSha1},
		{2048, "pkeyutl-sha1", types.EncryptionAlgorithmSpecRsaesOaepSha1},
		{2048, "pkeyutl-sha256", types.EncryptionAlgorithmSpecRsaesOaepSha256},
		{3072, "pkeyutl-sha1", types.EncryptionAlgorithmSpecRsaesOaepSha1},
		{3072, "pkeyutl-sha256", types.EncryptionAlgorithmSpecRsaesOaepSha256},
		{4096, "rsautl-oaep", types.EncryptionAlgorithmSpecRsaesOaepSha1},
		{4096, "pkeyutl-sha256", types.EncryptionAlgorithmSpecRsaesOaepSha256},
	} {
		spec := rsaSpecsBySize[c.bits]
		add(rsaSpec("Decrypt/"+string(spec)+"/openssl-"+c.tool, fmt.Sprintf("decrypts what openssl %s encrypted under the key from GetPublicKey, as %s", c.tool, c.alg),
			"KMS decrypts standard OAEP ciphertexts made from GetPublicKey's key (moto uses its own blob format, field-notes.md)",
			seeds+" 000/001; "+api+"Decrypt (ciphertexts encrypted outside KMS with the public key)", withOpenSSL, ops("GetPublicKey", "Decrypt"), func(t *T) {
				md := t.Shared(spec, types.KeyUsageTypeEncryptDecrypt)
				pub := t.PublicKeyPEM(md)
				secret := make([]byte, 32)
				_, _ = rand.Read(secret)
				ct := oaepEncrypt(t, pub, secret, c.tool)
				out, err := t.C.Decrypt(t.Ctx, &kms.DecryptInput{KeyId: md.KeyId, CiphertextBlob: ct, EncryptionAlgorithm: c.alg})
				t.OK(err, "Decrypt(%s) of openssl %s ciphertext", c.alg, c.tool)
				t.Equal(out.Plaintext, secret, "Plaintext")
				t.Equal(out.EncryptionAlgorithm, c.alg, "EncryptionAlgorithm")
				t.Equal(aws.ToString(out.KeyId), aws.ToString(md.Arn), "KeyId")
			}))
	}
	// The same with Go's crypto/rsa: no openssl needed.
	for _, c := range []struct {
		bits int
		alg  types.EncryptionAlgorithmSpec
	}{{2048, types.EncryptionAlgorithmSpecRsaesOaepSha256}, {3072, types.EncryptionAlgorithmSpecRsaesOaepSha1}, {4096, types.EncryptionAlgorithmSpecRsaesOaepSha1}} {
		spec := rsaSpecsBySize[c.bits]
		add(rsaSpec("Decrypt/"+string(spec)+"/crypto-rsa-"+string(c.alg), "decrypts what Go's crypto/rsa encrypted with "+string(c.alg)+" under the key from GetPublicKey",
			"standard RSAES-OAEP (RFC 8017) with the named hash for OAEP and MGF1", api+"Decrypt; "+devguide+"RSA key specs for encryption", nil, ops("GetPublicKey", "Decrypt"), func(t *T) {
				md := t.Shared(spec, types.KeyUsageTypeEncryptDecrypt)
				pub := rsaPublic(t, t.PublicKey(md))
				var h hash.Hash = sha256.New()
				if c.alg == types.EncryptionAlgorithmSpecRsaesOaepSha1 {
					h = sha1.New()
				}
				secret := []byte("kmsconform crypto/rsa OAEP secret")
				ct, err := rsa.EncryptOAEP(h, rand.Reader, pub, secret, nil)
				t.OK(err, "rsa.EncryptOAEP")
				out, err := t.C.Decrypt(t.Ctx, &kms.DecryptInput{KeyId: md.KeyId, CiphertextBlob: ct, EncryptionAlgorithm: c.alg})
				t.OK(err, "Decrypt")
				t.Equal(out.Plaintext, secret, "Plaintext")
			}))
	}
	for _, c := range []struct {
		name, tool string
		alg        types.EncryptionAlgorithmSpec
	}{
		{"sha1-as-sha256", "rsautl-oaep", types.EncryptionAlgorithmSpecRsaesOaepSha256},
		{"sha256-as-sha1", "pkeyutl-sha256", types.EncryptionAlgorithmSpecRsaesOaepSha1},
		{"pkcs1-as-sha256", "pkeyutl-pkcs1", types.EncryptionAlgorithmSpecRsaesOaepSha256},
	} {
		add(rsaSpec("Decrypt/RSA_2048/wrong-algorithm/"+c.name, "answers InvalidCiphertextException with no message for openssl "+c.tool+" decrypted as "+string(c.alg)+", never a wrong plaintext",
			"InvalidCiphertextException with no message field", answerSource("InvalidCiphertext"), withOpenSSL, ops("GetPublicKey", "Decrypt"), func(t *T) {
				md := t.Shared(types.KeySpecRsa2048, types.KeyUsageTypeEncryptDecrypt)
				ct := oaepEncrypt(t, t.PublicKeyPEM(md), []byte("0123456789abcdef0123456789abcdef"), c.tool)
				_, err := t.C.Decrypt(t.Ctx, &kms.DecryptInput{KeyId: md.KeyId, CiphertextBlob: ct, EncryptionAlgorithm: c.alg})
				t.Want(err, "InvalidCiphertext")
				t.RawNoMessage("Decrypt", map[string]any{"KeyId": aws.ToString(md.KeyId), "CiphertextBlob": ct, "EncryptionAlgorithm": string(c.alg)}, "InvalidCiphertextException")
			}))
	}
	add(rsaSpec("Decrypt/RSA_2048/KeyId-of-another-RSA-key", "refuses an RSA ciphertext decrypted with another RSA key's KeyId, never a plaintext",
		"Decrypt uses the key KeyId names; another key's private key cannot open the ciphertext: InvalidCiphertextException (moto ignores KeyId, getmoto/moto#9907)",
		api+"Decrypt, KeyId (required for asymmetric keys, the key that decrypts); field-notes.md KMS emulators", nil, ops("Encrypt", "Decrypt"), func(t *T) {
			md := t.Shared(types.KeySpecRsa2048, types.KeyUsageTypeEncryptDecrypt)
			other := t.Shared(types.KeySpecRsa3072, types.KeyUsageTypeEncryptDecrypt) // any other RSA key
			enc, err := t.C.Encrypt(t.Ctx, &kms.EncryptInput{KeyId: md.KeyId, Plaintext: []byte("for the shared key"), EncryptionAlgorithm: types.EncryptionAlgorithmSpecRsaesOaepSha256})
			t.OK(err, "Encrypt")
			out, err := t.C.Decrypt(t.Ctx, &kms.DecryptInput{KeyId: other.KeyId, CiphertextBlob: enc.CiphertextBlob, EncryptionAlgorithm: types.EncryptionAlgorithmSpecRsaesOaepSha256})
			if err == nil {
				t.fail(failclass.NotRefused, "Decrypt with another key's KeyId returned a plaintext (%q) for key %s", out.Plaintext, aws.ToString(out.KeyId))
			}
			t.APIError(err, "InvalidCiphertextException")
		}),
		rsaSpec("Decrypt/RSA_2048/KeyId-required", "refuses an RSA ciphertext with no KeyId with ValidationException",
			"KeyId is required to decrypt with an asymmetric key: ValidationException", answerSource("Validation.KeyIDForAsymmetric"), nil, ops("Encrypt", "Decrypt"), func(t *T) {
				md := t.Shared(types.KeySpecRsa2048, types.KeyUsageTypeEncryptDecrypt)
				enc, err := t.C.Encrypt(t.Ctx, &kms.EncryptInput{KeyId: md.KeyId, Plaintext: []byte("x"), EncryptionAlgorithm: types.EncryptionAlgorithmSpecRsaesOaepSha256})
				t.OK(err, "Encrypt")
				_, err = t.C.Decrypt(t.Ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionAlgorithm: types.EncryptionAlgorithmSpecRsaesOaepSha256})
				t.APIError(err, "ValidationException")
			}),
	)

	// RSA Encrypt honours the key spec: limits per size and hash, and a
	// ciphertext of the modulus' size below the modulus.
	for _, c := range []struct {
		bits  int
		alg   types.EncryptionAlgorithmSpec
		limit int
	}{
		{2048, types.EncryptionAlgorithmSpecRsaesOaepSha1, 214},
		{2048, types.EncryptionAlgorithmSpecRsaesOaepSha256, 190},
		{3072, types.EncryptionAlgorithmSpecRsaesOaepSha1, 342},
		{3072, types.EncryptionAlgorithmSpecRsaesOaepSha256, 318},
		{4096, types.EncryptionAlgorithmSpecRsaesOaepSha1, 470},
		{4096, types.EncryptionAlgorithmSpecRsaesOaepSha256, 446},
	} {
		spec := rsaSpecsBySize[c.bits]
		add(rsaSpec(fmt.Sprintf("Encrypt/%s/%s/limit-%d", spec, c.alg, c.limit),
			fmt.Sprintf("encrypts %d bytes (the largest) under %s %s and refuses one byte more with AWS's exact message", c.limit, spec, c.alg),
			fmt.Sprintf("ValidationException `Algorithm %s and key spec %s cannot encrypt data larger than %d bytes.`", c.alg, spec, c.limit),
			answerSource("Validation.OAEPTooLong")+" [S] (test_encrypt_validate_plaintext_size_per_key_type)", nil, ops("Encrypt", "Decrypt"), func(t *T) {
				md := t.Shared(spec, types.KeyUsageTypeEncryptDecrypt)
				pt := make([]byte, c.limit)
				_, _ = rand.Read(pt)
				out, err := t.C.Encrypt(t.Ctx, &kms.EncryptInput{KeyId: md.KeyId, Plaintext: pt, EncryptionAlgorithm: c.alg})
				t.OK(err, "Encrypt of %d bytes", c.limit)
				t.Equal(len(out.CiphertextBlob), c.bits/8, "ciphertext length (the modulus size)")
				d, err := t.C.Decrypt(t.Ctx, &kms.DecryptInput{KeyId: md.KeyId, CiphertextBlob: out.CiphertextBlob, EncryptionAlgorithm: c.alg})
				t.OK(err, "Decrypt")
				t.Equal(d.Plaintext, pt, "Plaintext")
				_, err = t.C.Encrypt(t.Ctx, &kms.EncryptInput{KeyId: md.KeyId, Plaintext: append(pt, 0), EncryptionAlgorithm: c.alg})
				t.Want(err, "Validation.OAEPTooLong", c.alg, spec, c.limit)
			}))
	}
	for _, bits := range []int{2048, 3072, 4096} {
		spec := rsaSpecsBySize[bits]
		add(rsaSpec("Encrypt/"+string(spec)+"/ciphertext-is-RSA", "encrypts under "+string(spec)+" to a ciphertext of the modulus' size, below the modulus, answering the algorithm and the key ARN",
			"Encrypt with an RSA key is RSAES-OAEP under that key: the ciphertext is an integer mod N of k bytes (floci#3024: RSA Encrypt ignored the key spec)",
			kmsfake.SourceEncryptDecrypt+" (Encrypt shape [S]); field-notes.md KMS emulators (floci-io/floci#3024)", nil, ops("Encrypt", "GetPublicKey"), func(t *T) {
				md := t.Shared(spec, types.KeyUsageTypeEncryptDecrypt)
				pub := rsaPublic(t, t.PublicKey(md))
				out, err := t.C.Encrypt(t.Ctx, &kms.EncryptInput{KeyId: md.KeyId, Plaintext: []byte("kmsconform"), EncryptionAlgorithm: types.EncryptionAlgorithmSpecRsaesOaepSha256})
				t.OK(err, "Encrypt")
				t.Equal(len(out.CiphertextBlob), bits/8, "ciphertext length")
				t.True(new(big.Int).SetBytes(out.CiphertextBlob).Cmp(pub.N) < 0, "the ciphertext is not below the modulus of GetPublicKey's key")
				t.Equal(out.EncryptionAlgorithm, types.EncryptionAlgorithmSpecRsaesOaepSha256, "EncryptionAlgorithm")
				t.Equal(aws.ToString(out.KeyId), aws.ToString(md.Arn), "KeyId")
			}))
	}
	add(rsaSpec("Encrypt/RSA_2048/SIGN_VERIFY-refused", "refuses Encrypt with a SIGN_VERIFY key with AWS's exact message",
		"InvalidKeyUsageException `<key-arn> key usage is SIGN_VERIFY which is not valid for Encrypt.`",
		answerSource("InvalidKeyUsage.Usage")+" [S] (test_error_messaging_for_invalid_keys)", nil, ops("Encrypt"), func(t *T) {
			md := t.Shared(types.KeySpecRsa2048, types.KeyUsageTypeSignVerify)
			_, err := t.C.Encrypt(t.Ctx, &kms.EncryptInput{KeyId: md.KeyId, Plaintext: []byte("x")})
			t.Want(err, "InvalidKeyUsage.Usage", aws.ToString(md.Arn), "SIGN_VERIFY", "Encrypt")
		}),
		rsaSpec("ReEncrypt/RSA_2048/OAEP_SHA_256-both-sides", "re-encrypts an RSA_2048 ciphertext to another RSA key with RSAES_OAEP_SHA_256 on both sides",
			"ReEncrypt works for RSA_2048 with RSAES_OAEP_SHA_256 as source and destination algorithm", kmsfake.SourceEncryptDecrypt+" (ReEncrypt shape [S], RSA_2048)", nil, ops("Encrypt", "ReEncrypt", "Decrypt"), func(t *T) {
				src := t.Shared(types.KeySpecRsa2048, types.KeyUsageTypeEncryptDecrypt)
				dst := t.Shared(types.KeySpecRsa3072, types.KeyUsageTypeEncryptDecrypt)
				alg := types.EncryptionAlgorithmSpecRsaesOaepSha256
				enc, err := t.C.Encrypt(t.Ctx, &kms.EncryptInput{KeyId: src.KeyId, Plaintext: []byte("re-encrypt me"), EncryptionAlgorithm: alg})
				t.OK(err, "Encrypt")
				out, err := t.C.ReEncrypt(t.Ctx, &kms.ReEncryptInput{CiphertextBlob: enc.CiphertextBlob, SourceKeyId: src.KeyId, SourceEncryptionAlgorithm: alg,
					DestinationKeyId: dst.KeyId, DestinationEncryptionAlgorithm: alg})
				t.OK(err, "ReEncrypt")
				t.Equal(aws.ToString(out.SourceKeyId), aws.ToString(src.Arn), "SourceKeyId")
				t.Equal(aws.ToString(out.KeyId), aws.ToString(dst.Arn), "KeyId")
				d, err := t.C.Decrypt(t.Ctx, &kms.DecryptInput{KeyId: dst.KeyId, CiphertextBlob: out.CiphertextBlob, EncryptionAlgorithm: alg})
				t.OK(err, "Decrypt under the destination key")
				t.Equal(d.Plaintext, []byte("re-encrypt me"), "Plaintext")
			}),
	)
}
