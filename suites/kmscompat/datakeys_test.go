package kmscompat

import (
	"crypto/x509"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func init() { addTopic(dataKeyPairSpecs) }

// dataKeyPairSpecs: GenerateDataKeyPair(WithoutPlaintext) output formats,
// checked with the host openssl, and the private blob's Decrypt without
// KeyId (seed 002).
func dataKeyPairSpecs(e *env) {
	ec := map[string]string{"app": "kmsconform"}

	Describe("GenerateDataKeyPair", Label("topic:datakeys", "op:GenerateDataKeyPair"), func() {
		DescribeTable("returns SPKI and PKCS#8 DER that openssl reads, and a private blob that decrypts without KeyId",
			func(spec types.DataKeyPairSpec, opensslName string) {
				md := e.sharedKey(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
				out, err := e.c.GenerateDataKeyPair(e.ctx(), &kms.GenerateDataKeyPairInput{KeyId: md.KeyId, KeyPairSpec: spec, EncryptionContext: ec})
				Expect(err).NotTo(HaveOccurred())
				Expect(out.KeyPairSpec).To(Equal(spec))
				Expect(aws.ToString(out.KeyId)).To(Equal(aws.ToString(md.Arn)))
				if spec != types.DataKeyPairSpecEccSecgP256k1 { // crypto/x509 has no secp256k1; openssl checks it below
					_, err = x509.ParsePKCS8PrivateKey(out.PrivateKeyPlaintext)
					Expect(err).NotTo(HaveOccurred(), "PrivateKeyPlaintext is not PKCS#8 DER")
					_, err = x509.ParsePKIXPublicKey(out.PublicKey)
					Expect(err).NotTo(HaveOccurred(), "PublicKey is not SPKI DER")
				}

				dir := tempDir()
				priv := writeFile(dir, "priv.der", out.PrivateKeyPlaintext)
				pubFromPriv := openssl(dir, nil, "pkey", "-inform", "DER", "-in", priv, "-pubout", "-outform", "DER")
				Expect(pubFromPriv).To(Equal(out.PublicKey), "the public key openssl derives from PrivateKeyPlaintext differs from PublicKey")
				text := openssl(dir, nil, "pkey", "-inform", "DER", "-in", priv, "-noout", "-text")
				Expect(string(text)).To(ContainSubstring(opensslName))

				d, err := e.c.Decrypt(e.ctx(), &kms.DecryptInput{CiphertextBlob: out.PrivateKeyCiphertextBlob, EncryptionContext: ec})
				Expect(err).NotTo(HaveOccurred(), "Decrypt of PrivateKeyCiphertextBlob without KeyId")
				Expect(d.Plaintext).To(Equal(out.PrivateKeyPlaintext))
				_, err = e.c.Decrypt(e.ctx(), &kms.DecryptInput{CiphertextBlob: out.PrivateKeyCiphertextBlob})
				expectError(err, "InvalidCiphertextException", "")
			},
			Entry("RSA_2048", types.DataKeyPairSpecRsa2048, "Private-Key: (2048 bit, 2 primes)"),
			Entry("RSA_3072", types.DataKeyPairSpecRsa3072, "Private-Key: (3072 bit, 2 primes)"),
			Entry("ECC_NIST_P256", types.DataKeyPairSpecEccNistP256, "NIST CURVE: P-256"),
			Entry("ECC_NIST_P384", types.DataKeyPairSpecEccNistP384, "NIST CURVE: P-384"),
			Entry("ECC_NIST_P521", types.DataKeyPairSpecEccNistP521, "NIST CURVE: P-521"),
			Entry("ECC_SECG_P256K1", types.DataKeyPairSpecEccSecgP256k1, "ASN1 OID: secp256k1"),
		)

		It("WithoutPlaintext (RSA_4096, seed 002): openssl encrypts with PublicKey and decrypts with the Decrypt-ed private key",
			Label("op:GenerateDataKeyPairWithoutPlaintext", "op:Decrypt"), func() {
				md := e.sharedKey(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
				out, err := e.c.GenerateDataKeyPairWithoutPlaintext(e.ctx(), &kms.GenerateDataKeyPairWithoutPlaintextInput{KeyId: md.KeyId, KeyPairSpec: types.DataKeyPairSpecRsa4096})
				Expect(err).NotTo(HaveOccurred())
				Expect(out.KeyPairSpec).To(Equal(types.DataKeyPairSpecRsa4096))
				d, err := e.c.Decrypt(e.ctx(), &kms.DecryptInput{CiphertextBlob: out.PrivateKeyCiphertextBlob})
				Expect(err).NotTo(HaveOccurred(), "Decrypt of PrivateKeyCiphertextBlob without KeyId")
				dir := tempDir()
				pub := pemFromDER(dir, out.PublicKey, "public")
				priv := writeFile(dir, "private.der", d.Plaintext)
				msg := []byte("My top secret message\n")
				in := writeFile(dir, "input.txt", msg)
				enc := filepath.Join(dir, "input.txt.encrypted")
				openssl(dir, nil, "pkeyutl", "-encrypt", "-pubin", "-inkey", pub, "-in", in, "-out", enc)
				dec := openssl(dir, nil, "pkeyutl", "-decrypt", "-inkey", priv, "-keyform", "DER", "-in", enc)
				Expect(dec).To(Equal(msg))
			})

		It("answers DryRunOperationException with AWS's exact message for DryRun", func() {
			md := e.sharedKey(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			_, err := e.c.GenerateDataKeyPair(e.ctx(), &kms.GenerateDataKeyPairInput{KeyId: md.KeyId, KeyPairSpec: types.DataKeyPairSpecEccNistP256, DryRun: aws.Bool(true)})
			expectError(err, "DryRunOperationException", "The request would have succeeded, but the DryRun option is set.")
		})
	})
}
