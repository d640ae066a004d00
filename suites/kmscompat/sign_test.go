package kmscompat

import (
	"crypto/sha256"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func init() { addTopic(signSpecs) }

// signSpecs: Sign with KMS, verify with KMS and with the host openssl.
func signSpecs(e *env) {
	Describe("Sign and Verify", Label("topic:sign", "op:Sign", "op:Verify"), func() {
		DescribeTable("signs RAW messages that Verify and openssl dgst -verify accept",
			func(spec types.KeySpec, alg types.SigningAlgorithmSpec, digest string, sigopts ...string) {
				md := e.sharedKey(spec, types.KeyUsageTypeSignVerify)
				msg := []byte("kmsconform signed message\n")
				s, err := e.c.Sign(e.ctx(), &kms.SignInput{KeyId: md.KeyId, Message: msg, MessageType: types.MessageTypeRaw, SigningAlgorithm: alg})
				Expect(err).NotTo(HaveOccurred())
				Expect(aws.ToString(s.KeyId)).To(Equal(aws.ToString(md.Arn)))
				Expect(s.SigningAlgorithm).To(Equal(alg))
				v, err := e.c.Verify(e.ctx(), &kms.VerifyInput{KeyId: md.KeyId, Message: msg, MessageType: types.MessageTypeRaw, Signature: s.Signature, SigningAlgorithm: alg})
				Expect(err).NotTo(HaveOccurred())
				Expect(v.SignatureValid).To(BeTrue())

				dir := tempDir()
				pub, _ := e.publicKeyPEM(dir, md)
				args := []string{"dgst", "-" + digest, "-verify", pub, "-signature", writeFile(dir, "sig.bin", s.Signature)}
				for _, o := range sigopts {
					args = append(args, "-sigopt", o)
				}
				out := openssl(dir, nil, append(args, writeFile(dir, "msg.bin", msg))...)
				Expect(string(out)).To(ContainSubstring("Verified OK"))

				_, err = e.c.Verify(e.ctx(), &kms.VerifyInput{KeyId: md.KeyId, Message: []byte("another message"), MessageType: types.MessageTypeRaw, Signature: s.Signature, SigningAlgorithm: alg})
				expectError(err, "KMSInvalidSignatureException", "")
			},
			Entry("RSA_2048 RSASSA_PSS_SHA_256", types.KeySpecRsa2048, types.SigningAlgorithmSpecRsassaPssSha256, "sha256", "rsa_padding_mode:pss", "rsa_pss_saltlen:32"),
			Entry("RSA_2048 RSASSA_PKCS1_V1_5_SHA_256", types.KeySpecRsa2048, types.SigningAlgorithmSpecRsassaPkcs1V15Sha256, "sha256"),
			Entry("ECC_NIST_P256 ECDSA_SHA_256", types.KeySpecEccNistP256, types.SigningAlgorithmSpecEcdsaSha256, "sha256"),
			Entry("ECC_NIST_P384 ECDSA_SHA_384", types.KeySpecEccNistP384, types.SigningAlgorithmSpecEcdsaSha384, "sha384"),
			Entry("ECC_SECG_P256K1 ECDSA_SHA_256", types.KeySpecEccSecgP256k1, types.SigningAlgorithmSpecEcdsaSha256, "sha256"),
		)

		It("signs a DIGEST and refuses a digest of the wrong length with AWS's exact message", func() {
			md := e.sharedKey(types.KeySpecEccNistP256, types.KeyUsageTypeSignVerify)
			sum := sha256.Sum256([]byte("kmsconform"))
			_, err := e.c.Sign(e.ctx(), &kms.SignInput{KeyId: md.KeyId, Message: sum[:], MessageType: types.MessageTypeDigest, SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256})
			Expect(err).NotTo(HaveOccurred())
			_, err = e.c.Sign(e.ctx(), &kms.SignInput{KeyId: md.KeyId, Message: sum[:28], MessageType: types.MessageTypeDigest, SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256})
			expectError(err, "ValidationException", "Digest is invalid length for algorithm ECDSA_SHA_256.")
		})

		It("refuses Sign with an ENCRYPT_DECRYPT key with InvalidKeyUsageException", func() {
			md := e.sharedKey(types.KeySpecRsa2048, types.KeyUsageTypeEncryptDecrypt)
			_, err := e.c.Sign(e.ctx(), &kms.SignInput{KeyId: md.KeyId, Message: []byte("x"), SigningAlgorithm: types.SigningAlgorithmSpecRsassaPssSha256})
			apiError(err, "InvalidKeyUsageException")
		})

		It("refuses Verify with a symmetric key with AWS's exact message", func() {
			md := e.sharedKey(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			_, err := e.c.Verify(e.ctx(), &kms.VerifyInput{KeyId: md.KeyId, Message: []byte("x"), Signature: []byte("junk"), SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256})
			expectError(err, "InvalidKeyUsageException", aws.ToString(md.Arn)+" key usage is ENCRYPT_DECRYPT which is not valid for Verify.")
		})
	})
}
