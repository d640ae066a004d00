package kmscompat

import (
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func init() { addTopic(ecdhSpecs) }

// peerKey makes an openssl EC key on curve and returns its PEM private key
// path and its DER SubjectPublicKeyInfo.
func peerKey(dir, curve string) (string, []byte) {
	GinkgoHelper()
	priv := filepath.Join(dir, "peer_"+curve+".pem")
	openssl(dir, nil, "ecparam", "-name", curve, "-genkey", "-noout", "-out", priv)
	der := openssl(dir, nil, "ec", "-in", priv, "-pubout", "-outform", "DER")
	return priv, der
}

// ecdhSpecs: DeriveSharedSecret against openssl pkeyutl -derive (seed 003)
// and its refusals.
func ecdhSpecs(e *env) {
	Describe("DeriveSharedSecret", Label("topic:ecdh", "op:DeriveSharedSecret"), func() {
		DescribeTable("equals openssl pkeyutl -derive with the key from GetPublicKey",
			Label("op:GetPublicKey"),
			func(spec types.KeySpec, curve string, size int) {
				md := e.sharedKey(spec, types.KeyUsageTypeKeyAgreement)
				dir := tempDir()
				priv, peerDER := peerKey(dir, curve)
				kmsPub, _ := e.publicKeyPEM(dir, md)
				want := openssl(dir, nil, "pkeyutl", "-derive", "-inkey", priv, "-peerkey", kmsPub)
				Expect(want).To(HaveLen(size))
				out, err := e.c.DeriveSharedSecret(e.ctx(), &kms.DeriveSharedSecretInput{KeyId: md.KeyId, KeyAgreementAlgorithm: types.KeyAgreementAlgorithmSpecEcdh, PublicKey: peerDER})
				Expect(err).NotTo(HaveOccurred())
				Expect(out.SharedSecret).To(Equal(want), "KMS and openssl disagree on the shared secret")
				Expect(out.KeyAgreementAlgorithm).To(Equal(types.KeyAgreementAlgorithmSpecEcdh))
				Expect(out.KeyOrigin).To(Equal(types.OriginTypeAwsKms))
			},
			Entry("ECC_NIST_P256", types.KeySpecEccNistP256, "prime256v1", 32),
			Entry("ECC_NIST_P384", types.KeySpecEccNistP384, "secp384r1", 48),
			Entry("ECC_NIST_P521", types.KeySpecEccNistP521, "secp521r1", 66),
		)

		It("refuses a peer key on another curve with ValidationException", func() {
			md := e.sharedKey(types.KeySpecEccNistP256, types.KeyUsageTypeKeyAgreement)
			_, der := peerKey(tempDir(), "secp384r1")
			_, err := e.c.DeriveSharedSecret(e.ctx(), &kms.DeriveSharedSecretInput{KeyId: md.KeyId, KeyAgreementAlgorithm: types.KeyAgreementAlgorithmSpecEcdh, PublicKey: der})
			apiError(err, "ValidationException")
		})

		It("refuses an RSA peer key with ValidationException", func() {
			md := e.sharedKey(types.KeySpecEccNistP256, types.KeyUsageTypeKeyAgreement)
			rsaKey := e.sharedKey(types.KeySpecRsa2048, types.KeyUsageTypeEncryptDecrypt)
			pub, err := e.c.GetPublicKey(e.ctx(), &kms.GetPublicKeyInput{KeyId: rsaKey.KeyId})
			Expect(err).NotTo(HaveOccurred())
			_, err = e.c.DeriveSharedSecret(e.ctx(), &kms.DeriveSharedSecretInput{KeyId: md.KeyId, KeyAgreementAlgorithm: types.KeyAgreementAlgorithmSpecEcdh, PublicKey: pub.PublicKey})
			apiError(err, "ValidationException")
		})

		It("refuses a garbage public key with ValidationException and an empty message", func() {
			md := e.sharedKey(types.KeySpecEccNistP256, types.KeyUsageTypeKeyAgreement)
			_, err := e.c.DeriveSharedSecret(e.ctx(), &kms.DeriveSharedSecretInput{KeyId: md.KeyId, KeyAgreementAlgorithm: types.KeyAgreementAlgorithmSpecEcdh, PublicKey: []byte("InvalidPublicKey")})
			apiError(err, "ValidationException")
			// The SDK turns an empty message into "UnknownError": check the wire.
			e.expectRawNoMessage("DeriveSharedSecret", map[string]any{"KeyId": aws.ToString(md.KeyId), "KeyAgreementAlgorithm": "ECDH", "PublicKey": []byte("InvalidPublicKey")}, "ValidationException")
		})

		It("refuses an unknown KeyAgreementAlgorithm with AWS's exact message", func() {
			md := e.sharedKey(types.KeySpecEccNistP256, types.KeyUsageTypeKeyAgreement)
			_, der := peerKey(tempDir(), "prime256v1")
			_, err := e.c.DeriveSharedSecret(e.ctx(), &kms.DeriveSharedSecretInput{KeyId: md.KeyId, KeyAgreementAlgorithm: "INVALID", PublicKey: der})
			expectError(err, "ValidationException", "1 validation error detected: Value 'INVALID' at 'keyAgreementAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [ECDH]")
		})

		DescribeTable("refuses keys whose usage is not KEY_AGREEMENT with AWS's exact message",
			func(spec types.KeySpec, usage types.KeyUsageType) {
				md := e.sharedKey(spec, usage)
				_, der := peerKey(tempDir(), "prime256v1")
				_, err := e.c.DeriveSharedSecret(e.ctx(), &kms.DeriveSharedSecretInput{KeyId: md.KeyId, KeyAgreementAlgorithm: types.KeyAgreementAlgorithmSpecEcdh, PublicKey: der})
				expectError(err, "InvalidKeyUsageException", aws.ToString(md.Arn)+" key usage is "+string(usage)+" which is not valid for DeriveSharedSecret.")
			},
			Entry("ECC_NIST_P256 SIGN_VERIFY", types.KeySpecEccNistP256, types.KeyUsageTypeSignVerify),
			Entry("SYMMETRIC_DEFAULT ENCRYPT_DECRYPT", types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt),
		)
	})
}
