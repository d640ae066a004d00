package kmsspec

import (
	"crypto/sha256"
	"crypto/sha512"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kmsconform/kmsconform/kmsfake"
)

func signSpec(id, title, awsText, source string, needs []Need, check func(*T)) *Spec {
	return &Spec{ID: id, Topic: "sign", Title: title, AWS: awsText, Source: source, Needs: needs, Ops: ops("Sign", "Verify"), Check: check}
}

func init() {
	for _, c := range []struct {
		spec    types.KeySpec
		alg     types.SigningAlgorithmSpec
		digest  string
		sigopts []string
	}{
		{types.KeySpecRsa2048, types.SigningAlgorithmSpecRsassaPssSha256, "sha256", []string{"rsa_padding_mode:pss", "rsa_pss_saltlen:32"}},
		{types.KeySpecRsa2048, types.SigningAlgorithmSpecRsassaPkcs1V15Sha256, "sha256", nil},
		{types.KeySpecRsa3072, types.SigningAlgorithmSpecRsassaPssSha384, "sha384", []string{"rsa_padding_mode:pss", "rsa_pss_saltlen:48"}},
		{types.KeySpecRsa4096, types.SigningAlgorithmSpecRsassaPkcs1V15Sha512, "sha512", nil},
		{types.KeySpecEccNistP256, types.SigningAlgorithmSpecEcdsaSha256, "sha256", nil},
		{types.KeySpecEccNistP384, types.SigningAlgorithmSpecEcdsaSha384, "sha384", nil},
		{types.KeySpecEccNistP521, types.SigningAlgorithmSpecEcdsaSha512, "sha512", nil},
		{types.KeySpecEccSecgP256k1, types.SigningAlgorithmSpecEcdsaSha256, "sha256", nil},
	} {
		add(signSpec("Sign/"+string(c.spec)+"/"+string(c.alg), "signs a RAW message with "+string(c.spec)+" "+string(c.alg)+" that Verify and openssl dgst -verify accept, and refuses it for another message",
			"Sign answers {KeyId (ARN), Signature, SigningAlgorithm}; ECDSA signatures are DER, RSA-PSS salt = digest length; Verify of another message is KMSInvalidSignatureException with no message",
			kmsfake.SourceSignVerify+" [S] (test_sign_verify, test_verify_salt_length)", withOpenSSL, func(t *T) {
				md := t.Shared(c.spec, types.KeyUsageTypeSignVerify)
				msg := []byte("kmsconform signed message\n")
				s, err := t.C.Sign(t.Ctx, &kms.SignInput{KeyId: md.KeyId, Message: msg, MessageType: types.MessageTypeRaw, SigningAlgorithm: c.alg})
				t.OK(err, "Sign")
				t.Equal(aws.ToString(s.KeyId), aws.ToString(md.Arn), "Sign KeyId")
				t.Equal(s.SigningAlgorithm, c.alg, "SigningAlgorithm")
				v, err := t.C.Verify(t.Ctx, &kms.VerifyInput{KeyId: md.KeyId, Message: msg, MessageType: types.MessageTypeRaw, Signature: s.Signature, SigningAlgorithm: c.alg})
				t.OK(err, "Verify")
				t.True(v.SignatureValid, "SignatureValid is false")
				args := []string{"dgst", "-" + c.digest, "-verify", t.PublicKeyPEM(md), "-signature", t.WriteFile("sig.bin", s.Signature)}
				for _, o := range c.sigopts {
					args = append(args, "-sigopt", o)
				}
				out := t.OpenSSL(nil, append(args, t.WriteFile("msg.bin", msg))...)
				t.True(strings.Contains(string(out), "Verified OK"), "openssl dgst -verify says %q", out)
				_, err = t.C.Verify(t.Ctx, &kms.VerifyInput{KeyId: md.KeyId, Message: []byte("another message"), MessageType: types.MessageTypeRaw, Signature: s.Signature, SigningAlgorithm: c.alg})
				t.Want(err, "InvalidSignature")
			}))
	}
	add(signSpec("Sign/ECC_NIST_P256/DIGEST-length", "signs a DIGEST and refuses a digest of the wrong length with AWS's exact message",
		"ValidationException `Digest is invalid length for algorithm ECDSA_SHA_256.`", answerSource("Validation.DigestLength")+" [S]", nil, func(t *T) {
			md := t.Shared(types.KeySpecEccNistP256, types.KeyUsageTypeSignVerify)
			sum := sha256.Sum256([]byte("kmsconform"))
			_, err := t.C.Sign(t.Ctx, &kms.SignInput{KeyId: md.KeyId, Message: sum[:], MessageType: types.MessageTypeDigest, SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256})
			t.OK(err, "Sign of a 32-byte digest")
			_, err = t.C.Sign(t.Ctx, &kms.SignInput{KeyId: md.KeyId, Message: sum[:28], MessageType: types.MessageTypeDigest, SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256})
			t.Want(err, "Validation.DigestLength", "ECDSA_SHA_256")
		}),
		signSpec("Sign/RSA_2048/PSS-DIGEST-length", "refuses a 28-byte digest for RSASSA_PSS_SHA_256 with AWS's exact message",
			"ValidationException `Digest is invalid length for algorithm RSASSA_PSS_SHA_256.`", answerSource("Validation.DigestLength")+" [S]", nil, func(t *T) {
				md := t.Shared(types.KeySpecRsa2048, types.KeyUsageTypeSignVerify)
				_, err := t.C.Sign(t.Ctx, &kms.SignInput{KeyId: md.KeyId, Message: make([]byte, 28), MessageType: types.MessageTypeDigest, SigningAlgorithm: types.SigningAlgorithmSpecRsassaPssSha256})
				t.Want(err, "Validation.DigestLength", "RSASSA_PSS_SHA_256")
			}),
		signSpec("Sign/ECC_NIST_P384/DIGEST-verifies-as-RAW", "verifies a DIGEST signature as the RAW signature of the same message",
			"a DIGEST signature is over the given hash: signing SHA-384(m) as DIGEST verifies for m as RAW", kmsfake.SourceSignVerify+" [A] (test_verify_salt_length)", nil, func(t *T) {
				md := t.Shared(types.KeySpecEccNistP384, types.KeyUsageTypeSignVerify)
				msg := []byte("kmsconform digest message")
				sum := sha512.Sum384(msg)
				s, err := t.C.Sign(t.Ctx, &kms.SignInput{KeyId: md.KeyId, Message: sum[:], MessageType: types.MessageTypeDigest, SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha384})
				t.OK(err, "Sign DIGEST")
				v, err := t.C.Verify(t.Ctx, &kms.VerifyInput{KeyId: md.KeyId, Message: msg, MessageType: types.MessageTypeRaw, Signature: s.Signature, SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha384})
				t.OK(err, "Verify RAW")
				t.True(v.SignatureValid, "SignatureValid is false")
			}),
		signSpec("Sign/ENCRYPT_DECRYPT-refused", "refuses Sign with an RSA ENCRYPT_DECRYPT key with InvalidKeyUsageException",
			"InvalidKeyUsageException `<key-arn> key usage is ENCRYPT_DECRYPT which is not valid for Sign.`", answerSource("InvalidKeyUsage.Usage")+" [A] (test_invalid_key_usage)", nil, func(t *T) {
				md := t.Shared(types.KeySpecRsa2048, types.KeyUsageTypeEncryptDecrypt)
				_, err := t.C.Sign(t.Ctx, &kms.SignInput{KeyId: md.KeyId, Message: []byte("x"), SigningAlgorithm: types.SigningAlgorithmSpecRsassaPssSha256})
				t.APIError(err, "InvalidKeyUsageException")
			}),
		signSpec("Verify/symmetric-refused", "refuses Verify with a symmetric key with AWS's exact message",
			"InvalidKeyUsageException `<key-arn> key usage is ENCRYPT_DECRYPT which is not valid for Verify.` (usage is checked before the algorithm and the signature)",
			answerSource("InvalidKeyUsage.Usage")+" [S]", nil, func(t *T) {
				md := t.Shared(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
				_, err := t.C.Verify(t.Ctx, &kms.VerifyInput{KeyId: md.KeyId, Message: []byte("x"), Signature: []byte("junk"), SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256})
				t.Want(err, "InvalidKeyUsage.Usage", aws.ToString(md.Arn), "ENCRYPT_DECRYPT", "Verify")
			}),
		signSpec("Verify/bad-signature-no-message", "answers KMSInvalidSignatureException with no message field on the wire",
			"KMSInvalidSignatureException carries no message at all", answerSource("InvalidSignature")+" [S]", nil, func(t *T) {
				md := t.Shared(types.KeySpecEccNistP256, types.KeyUsageTypeSignVerify)
				s, err := t.C.Sign(t.Ctx, &kms.SignInput{KeyId: md.KeyId, Message: []byte("one"), SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256})
				t.OK(err, "Sign")
				t.RawNoMessage("Verify", map[string]any{"KeyId": aws.ToString(md.KeyId), "Message": []byte("two"), "Signature": s.Signature, "SigningAlgorithm": "ECDSA_SHA_256"}, "KMSInvalidSignatureException")
			}),
	)
}
