package kmscompat

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func init() { addTopic(rsaSpecs) }

// publicKeyPEM fetches a key's public key with GetPublicKey and returns it
// as a PEM file converted by the host openssl, and the raw DER.
func (e *env) publicKeyPEM(dir string, md *types.KeyMetadata) (string, []byte) {
	GinkgoHelper()
	out, err := e.c.GetPublicKey(e.ctx(), &kms.GetPublicKeyInput{KeyId: md.KeyId})
	Expect(err).NotTo(HaveOccurred(), "GetPublicKey")
	return pemFromDER(dir, out.PublicKey, "kms_public"), out.PublicKey
}

// oaepEncrypt encrypts data with the host openssl under pub.pem; tool is
// "pkeyutl-sha1", "pkeyutl-sha256", "rsautl-oaep" or "pkeyutl-pkcs1".
func oaepEncrypt(dir, pub string, data []byte, tool string) []byte {
	GinkgoHelper()
	in := writeFile(dir, "plain.bin", data)
	out := filepath.Join(dir, "cipher.bin")
	switch tool {
	case "pkeyutl-sha1":
		openssl(dir, nil, "pkeyutl", "-encrypt", "-pubin", "-inkey", pub, "-in", in, "-out", out, "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha1")
	case "pkeyutl-sha256":
		openssl(dir, nil, "pkeyutl", "-encrypt", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256", "-in", in, "-pubin", "-inkey", pub, "-out", out)
	case "rsautl-oaep":
		openssl(dir, nil, "rsautl", "-encrypt", "-oaep", "-inkey", pub, "-pubin", "-in", in, "-out", out)
	case "pkeyutl-pkcs1":
		openssl(dir, nil, "pkeyutl", "-encrypt", "-pubin", "-inkey", pub, "-in", in, "-out", out)
	default:
		Fail("unknown tool " + tool)
	}
	return readFile(out)
}

var rsaSpecsBySize = map[int]types.KeySpec{2048: types.KeySpecRsa2048, 3072: types.KeySpecRsa3072, 4096: types.KeySpecRsa4096}

// rsaSpecs: GetPublicKey, OAEP interop with the host openssl, plaintext
// limits and wrong-algorithm answers.
func rsaSpecs(e *env) {
	Describe("GetPublicKey", Label("topic:rsa-oaep", "op:GetPublicKey"), func() {
		It("returns a DER SubjectPublicKeyInfo that openssl and crypto/x509 read, with the key's metadata", func() {
			md := e.sharedKey(types.KeySpecRsa2048, types.KeyUsageTypeEncryptDecrypt)
			out, err := e.c.GetPublicKey(e.ctx(), &kms.GetPublicKeyInput{KeyId: md.KeyId})
			Expect(err).NotTo(HaveOccurred())
			Expect(aws.ToString(out.KeyId)).To(Equal(aws.ToString(md.Arn)))
			Expect(out.KeySpec).To(Equal(types.KeySpecRsa2048))
			Expect(out.KeyUsage).To(Equal(types.KeyUsageTypeEncryptDecrypt))
			Expect(out.EncryptionAlgorithms).To(ConsistOf(types.EncryptionAlgorithmSpecRsaesOaepSha1, types.EncryptionAlgorithmSpecRsaesOaepSha256))
			pub, err := x509.ParsePKIXPublicKey(out.PublicKey)
			Expect(err).NotTo(HaveOccurred(), "PublicKey is not DER SubjectPublicKeyInfo")
			Expect(pub).To(BeAssignableToTypeOf(&rsa.PublicKey{}))
			Expect(pub.(*rsa.PublicKey).N.BitLen()).To(Equal(2048))
			dir := tempDir()
			text := openssl(dir, nil, "rsa", "-pubin", "-inform", "DER", "-in", writeFile(dir, "pub.der", out.PublicKey), "-noout", "-text")
			Expect(string(text)).To(ContainSubstring("Public-Key: (2048 bit)"))
		})

		It("refuses a symmetric key with UnsupportedOperationException", func() {
			md := e.sharedKey(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			_, err := e.c.GetPublicKey(e.ctx(), &kms.GetPublicKeyInput{KeyId: md.KeyId})
			apiError(err, "UnsupportedOperationException")
		})
	})

	Describe("RSA OAEP Decrypt of openssl ciphertext", Label("topic:rsa-oaep", "op:Decrypt", "op:GetPublicKey"), func() {
		DescribeTable("decrypts what the host openssl encrypted under the key from GetPublicKey",
			func(bits int, tool string, alg types.EncryptionAlgorithmSpec) {
				md := e.sharedKey(rsaSpecsBySize[bits], types.KeyUsageTypeEncryptDecrypt)
				dir := tempDir()
				pub, _ := e.publicKeyPEM(dir, md)
				secret := make([]byte, 32)
				_, _ = rand.Read(secret)
				ct := oaepEncrypt(dir, pub, secret, tool)
				out, err := e.c.Decrypt(e.ctx(), &kms.DecryptInput{KeyId: md.KeyId, CiphertextBlob: ct, EncryptionAlgorithm: alg})
				Expect(err).NotTo(HaveOccurred(), "Decrypt(%s) of openssl %s ciphertext", alg, tool)
				Expect(out.Plaintext).To(Equal(secret))
				Expect(out.EncryptionAlgorithm).To(Equal(alg))
				Expect(aws.ToString(out.KeyId)).To(Equal(aws.ToString(md.Arn)))
			},
			Entry("RSA_2048 rsautl -oaep as RSAES_OAEP_SHA_1", 2048, "rsautl-oaep", types.EncryptionAlgorithmSpecRsaesOaepSha1),
			Entry("RSA_2048 pkeyutl oaep sha1 as RSAES_OAEP_SHA_1", 2048, "pkeyutl-sha1", types.EncryptionAlgorithmSpecRsaesOaepSha1),
			Entry("RSA_2048 pkeyutl oaep sha256 as RSAES_OAEP_SHA_256", 2048, "pkeyutl-sha256", types.EncryptionAlgorithmSpecRsaesOaepSha256),
			Entry("RSA_3072 pkeyutl oaep sha256 as RSAES_OAEP_SHA_256", 3072, "pkeyutl-sha256", types.EncryptionAlgorithmSpecRsaesOaepSha256),
			Entry("RSA_4096 rsautl -oaep as RSAES_OAEP_SHA_1", 4096, "rsautl-oaep", types.EncryptionAlgorithmSpecRsaesOaepSha1),
			Entry("RSA_4096 pkeyutl oaep sha256 as RSAES_OAEP_SHA_256", 4096, "pkeyutl-sha256", types.EncryptionAlgorithmSpecRsaesOaepSha256),
		)

		DescribeTable("answers InvalidCiphertextException with no message for the wrong algorithm, never a wrong plaintext",
			func(tool string, alg types.EncryptionAlgorithmSpec) {
				md := e.sharedKey(types.KeySpecRsa2048, types.KeyUsageTypeEncryptDecrypt)
				dir := tempDir()
				pub, _ := e.publicKeyPEM(dir, md)
				ct := oaepEncrypt(dir, pub, []byte("0123456789abcdef0123456789abcdef"), tool)
				_, err := e.c.Decrypt(e.ctx(), &kms.DecryptInput{KeyId: md.KeyId, CiphertextBlob: ct, EncryptionAlgorithm: alg})
				expectError(err, "InvalidCiphertextException", "")
				e.expectRawNoMessage("Decrypt", map[string]any{"KeyId": aws.ToString(md.KeyId), "CiphertextBlob": ct, "EncryptionAlgorithm": string(alg)}, "InvalidCiphertextException")
			},
			Entry("rsautl -oaep (SHA-1) decrypted as RSAES_OAEP_SHA_256", "rsautl-oaep", types.EncryptionAlgorithmSpecRsaesOaepSha256),
			Entry("pkeyutl sha256 decrypted as RSAES_OAEP_SHA_1", "pkeyutl-sha256", types.EncryptionAlgorithmSpecRsaesOaepSha1),
			Entry("pkeyutl PKCS#1 v1.5 decrypted as RSAES_OAEP_SHA_256", "pkeyutl-pkcs1", types.EncryptionAlgorithmSpecRsaesOaepSha256),
		)
	})

	Describe("RSA Encrypt plaintext limits", Label("topic:rsa-oaep", "op:Encrypt", "op:Decrypt"), func() {
		DescribeTable("encrypts the largest plaintext and refuses one byte more with AWS's exact message",
			func(bits int, alg types.EncryptionAlgorithmSpec, limit int) {
				spec := rsaSpecsBySize[bits]
				md := e.sharedKey(spec, types.KeyUsageTypeEncryptDecrypt)
				pt := make([]byte, limit)
				_, _ = rand.Read(pt)
				out, err := e.c.Encrypt(e.ctx(), &kms.EncryptInput{KeyId: md.KeyId, Plaintext: pt, EncryptionAlgorithm: alg})
				Expect(err).NotTo(HaveOccurred(), "%d bytes must be accepted", limit)
				Expect(out.CiphertextBlob).To(HaveLen(bits / 8))
				d, err := e.c.Decrypt(e.ctx(), &kms.DecryptInput{KeyId: md.KeyId, CiphertextBlob: out.CiphertextBlob, EncryptionAlgorithm: alg})
				Expect(err).NotTo(HaveOccurred())
				Expect(d.Plaintext).To(Equal(pt))
				_, err = e.c.Encrypt(e.ctx(), &kms.EncryptInput{KeyId: md.KeyId, Plaintext: append(pt, 0), EncryptionAlgorithm: alg})
				expectError(err, "ValidationException", fmt.Sprintf("Algorithm %s and key spec %s cannot encrypt data larger than %d bytes.", alg, spec, limit))
			},
			Entry("RSA_2048 RSAES_OAEP_SHA_1 214", 2048, types.EncryptionAlgorithmSpecRsaesOaepSha1, 214),
			Entry("RSA_2048 RSAES_OAEP_SHA_256 190", 2048, types.EncryptionAlgorithmSpecRsaesOaepSha256, 190),
			Entry("RSA_3072 RSAES_OAEP_SHA_1 342", 3072, types.EncryptionAlgorithmSpecRsaesOaepSha1, 342),
			Entry("RSA_3072 RSAES_OAEP_SHA_256 318", 3072, types.EncryptionAlgorithmSpecRsaesOaepSha256, 318),
			Entry("RSA_4096 RSAES_OAEP_SHA_1 470", 4096, types.EncryptionAlgorithmSpecRsaesOaepSha1, 470),
			Entry("RSA_4096 RSAES_OAEP_SHA_256 446", 4096, types.EncryptionAlgorithmSpecRsaesOaepSha256, 446),
		)

		It("refuses Encrypt with a SIGN_VERIFY key with AWS's exact message", func() {
			md := e.sharedKey(types.KeySpecRsa2048, types.KeyUsageTypeSignVerify)
			_, err := e.c.Encrypt(e.ctx(), &kms.EncryptInput{KeyId: md.KeyId, Plaintext: []byte("x")})
			expectError(err, "InvalidKeyUsageException", aws.ToString(md.Arn)+" key usage is SIGN_VERIFY which is not valid for Encrypt.")
		})
	})
}
