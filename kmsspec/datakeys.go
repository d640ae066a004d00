package kmsspec

import (
	"crypto/x509"
	"path/filepath"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kmsconform/kmsconform/kmsfake"
)

func init() {
	ec := map[string]string{"app": "kmsconform"}
	for _, c := range []struct {
		spec types.DataKeyPairSpec
		text string // what openssl pkey -text prints
	}{
		{types.DataKeyPairSpecRsa2048, "Private-Key: (2048 bit, 2 primes)"},
		{types.DataKeyPairSpecRsa3072, "Private-Key: (3072 bit, 2 primes)"},
		{types.DataKeyPairSpecEccNistP256, "NIST CURVE: P-256"},
		{types.DataKeyPairSpecEccNistP384, "NIST CURVE: P-384"},
		{types.DataKeyPairSpecEccNistP521, "NIST CURVE: P-521"},
		{types.DataKeyPairSpecEccSecgP256k1, "ASN1 OID: secp256k1"},
	} {
		add(&Spec{
			ID: "GenerateDataKeyPair/" + string(c.spec), Topic: "datakeys", Ops: ops("GenerateDataKeyPair", "Decrypt"), Needs: withOpenSSL,
			Title:  "returns " + string(c.spec) + " SPKI and PKCS#8 DER that openssl reads, and a private blob that decrypts without KeyId",
			AWS:    "GenerateDataKeyPair answers {KeyId (ARN), KeyPairSpec, PrivateKeyCiphertextBlob, PrivateKeyPlaintext (PKCS#8 DER), PublicKey (SPKI DER)}; Decrypt(PrivateKeyCiphertextBlob) = PrivateKeyPlaintext and needs the same context",
			Source: kmsfake.SourceDataKeys + " [S] (GK::test_generate_data_key_pair, test_encryption_context_generate_data_key_pair)",
			Check: func(t *T) {
				md := t.Shared(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
				out, err := t.C.GenerateDataKeyPair(t.Ctx, &kms.GenerateDataKeyPairInput{KeyId: md.KeyId, KeyPairSpec: c.spec, EncryptionContext: ec})
				t.OK(err, "GenerateDataKeyPair")
				t.Equal(out.KeyPairSpec, c.spec, "KeyPairSpec")
				t.Equal(aws.ToString(out.KeyId), aws.ToString(md.Arn), "KeyId")
				if c.spec != types.DataKeyPairSpecEccSecgP256k1 { // crypto/x509 has no secp256k1; openssl checks it below
					_, err = x509.ParsePKCS8PrivateKey(out.PrivateKeyPlaintext)
					t.OK(err, "PrivateKeyPlaintext is not PKCS#8 DER")
					_, err = x509.ParsePKIXPublicKey(out.PublicKey)
					t.OK(err, "PublicKey is not SPKI DER")
				}
				priv := t.WriteFile("priv.der", out.PrivateKeyPlaintext)
				pubFromPriv := t.OpenSSL(nil, "pkey", "-inform", "DER", "-in", priv, "-pubout", "-outform", "DER")
				t.Equal(pubFromPriv, out.PublicKey, "the public key openssl derives from PrivateKeyPlaintext vs PublicKey")
				text := t.OpenSSL(nil, "pkey", "-inform", "DER", "-in", priv, "-noout", "-text")
				t.True(strings.Contains(string(text), c.text), "openssl pkey -text does not say %q", c.text)
				d, err := t.C.Decrypt(t.Ctx, &kms.DecryptInput{CiphertextBlob: out.PrivateKeyCiphertextBlob, EncryptionContext: ec})
				t.OK(err, "Decrypt of PrivateKeyCiphertextBlob without KeyId")
				t.Equal(d.Plaintext, out.PrivateKeyPlaintext, "decrypted private key")
				_, err = t.C.Decrypt(t.Ctx, &kms.DecryptInput{CiphertextBlob: out.PrivateKeyCiphertextBlob})
				t.Want(err, "InvalidCiphertext")
			},
		})
	}
	add(&Spec{
		ID: "GenerateDataKeyPairWithoutPlaintext/RSA_4096/openssl-round-trip", Topic: "datakeys", Ops: ops("GenerateDataKeyPairWithoutPlaintext", "Decrypt"), Needs: withOpenSSL,
		Title:  "WithoutPlaintext (RSA_4096, seed 002): openssl encrypts with PublicKey and decrypts with the Decrypt-ed private key",
		AWS:    "GenerateDataKeyPairWithoutPlaintext answers {KeyId, KeyPairSpec, PrivateKeyCiphertextBlob, PublicKey}; the blob decrypts without KeyId to the PKCS#8 key of PublicKey",
		Source: kmsfake.SourceDataKeys + " [S]; " + seeds + " 002",
		Check: func(t *T) {
			md := t.Shared(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			out, err := t.C.GenerateDataKeyPairWithoutPlaintext(t.Ctx, &kms.GenerateDataKeyPairWithoutPlaintextInput{KeyId: md.KeyId, KeyPairSpec: types.DataKeyPairSpecRsa4096})
			t.OK(err, "GenerateDataKeyPairWithoutPlaintext")
			t.Equal(out.KeyPairSpec, types.DataKeyPairSpecRsa4096, "KeyPairSpec")
			d, err := t.C.Decrypt(t.Ctx, &kms.DecryptInput{CiphertextBlob: out.PrivateKeyCiphertextBlob})
			t.OK(err, "Decrypt of PrivateKeyCiphertextBlob without KeyId")
			pub := t.PEMFromDER(out.PublicKey, "public")
			priv := t.WriteFile("private.der", d.Plaintext)
			msg := []byte("My top secret message\n")
			in := t.WriteFile("input.txt", msg)
			enc := filepath.Join(t.TempDir(), "input.txt.encrypted")
			t.OpenSSL(nil, "pkeyutl", "-encrypt", "-pubin", "-inkey", pub, "-in", in, "-out", enc)
			dec := t.OpenSSL(nil, "pkeyutl", "-decrypt", "-inkey", priv, "-keyform", "DER", "-in", enc)
			t.Equal(dec, msg, "openssl round trip")
		},
	})
	for _, op := range []string{"GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext"} {
		add(&Spec{
			ID: op + "/DryRun", Topic: "datakeys", Ops: ops(op),
			Title:  "answers DryRunOperationException with AWS's exact message for " + op + " with DryRun",
			AWS:    "DryRunOperationException `The request would have succeeded, but the DryRun option is set.`",
			Source: answerSource("DryRun") + " [S] (GK::test_generate_data_key_pair{,_without_plaintext}_dry_run)",
			Check: func(t *T) {
				md := t.Shared(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
				var err error
				if op == "GenerateDataKeyPair" {
					_, err = t.C.GenerateDataKeyPair(t.Ctx, &kms.GenerateDataKeyPairInput{KeyId: md.KeyId, KeyPairSpec: types.DataKeyPairSpecEccNistP256, DryRun: aws.Bool(true)})
				} else {
					_, err = t.C.GenerateDataKeyPairWithoutPlaintext(t.Ctx, &kms.GenerateDataKeyPairWithoutPlaintextInput{KeyId: md.KeyId, KeyPairSpec: types.DataKeyPairSpecEccNistP256, DryRun: aws.Bool(true)})
				}
				t.Want(err, "DryRun")
			},
		})
	}
	add(&Spec{
		ID: "GenerateDataKeyPairWithoutPlaintext/context-required", Topic: "datakeys", Ops: ops("GenerateDataKeyPairWithoutPlaintext", "Decrypt"),
		Title:  "refuses to decrypt the private blob without the encryption context it was made with",
		AWS:    "InvalidCiphertextException with no message",
		Source: answerSource("InvalidCiphertext") + " [S] (GK::test_encryption_context_generate_data_key_pair_without_plaintext)",
		Check: func(t *T) {
			md := t.Shared(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			out, err := t.C.GenerateDataKeyPairWithoutPlaintext(t.Ctx, &kms.GenerateDataKeyPairWithoutPlaintextInput{KeyId: md.KeyId, KeyPairSpec: types.DataKeyPairSpecEccNistP256, EncryptionContext: ec})
			t.OK(err, "GenerateDataKeyPairWithoutPlaintext")
			_, err = t.C.Decrypt(t.Ctx, &kms.DecryptInput{CiphertextBlob: out.PrivateKeyCiphertextBlob})
			t.Want(err, "InvalidCiphertext")
		},
	})
}
