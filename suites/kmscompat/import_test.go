package kmscompat

import (
	"crypto/rand"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func init() { addTopic(importSpecs) }

// importSpecs: BYOK of 32 symmetric bytes wrapped by the host openssl with
// OAEP SHA-1 and SHA-256 under GetParametersForImport's public key.
func importSpecs(e *env) {
	Describe("Import key material", Label("topic:import"), func() {
		external := func() *types.KeyMetadata {
			md := e.createKey(&kms.CreateKeyInput{Origin: types.OriginTypeExternal})
			Expect(md.Origin).To(Equal(types.OriginTypeExternal))
			Expect(md.KeyState).To(Equal(types.KeyStatePendingImport))
			Expect(md.Enabled).To(BeFalse())
			return md
		}

		It("refuses Encrypt before import with KMSInvalidStateException \"... is pending import.\"", Label("op:CreateKey", "op:Encrypt"), func() {
			md := external()
			_, err := e.c.Encrypt(e.ctx(), &kms.EncryptInput{KeyId: md.KeyId, Plaintext: []byte("x")})
			expectError(err, "KMSInvalidStateException", aws.ToString(md.Arn)+" is pending import.")
		})

		DescribeTable("imports 32 bytes wrapped by openssl pkeyutl and then encrypts and decrypts",
			Label("op:GetParametersForImport", "op:ImportKeyMaterial", "op:Encrypt", "op:Decrypt"),
			func(wrap types.AlgorithmSpec, md string) {
				key := external()
				p, err := e.c.GetParametersForImport(e.ctx(), &kms.GetParametersForImportInput{KeyId: key.KeyId, WrappingAlgorithm: wrap, WrappingKeySpec: types.WrappingKeySpecRsa2048})
				Expect(err).NotTo(HaveOccurred())
				Expect(aws.ToString(p.KeyId)).To(Equal(aws.ToString(key.Arn)))
				Expect(p.ImportToken).NotTo(BeEmpty())
				Expect(p.ParametersValidTo).NotTo(BeNil())

				dir := tempDir()
				pub := writeFile(dir, "wrapping.der", p.PublicKey)
				material := make([]byte, 32)
				_, _ = rand.Read(material)
				in := writeFile(dir, "material.bin", material)
				out := filepath.Join(dir, "material.enc")
				openssl(dir, nil, "pkeyutl", "-encrypt", "-pubin", "-keyform", "DER", "-inkey", pub, "-in", in, "-out", out,
					"-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:"+md, "-pkeyopt", "rsa_mgf1_md:"+md)

				_, err = e.c.ImportKeyMaterial(e.ctx(), &kms.ImportKeyMaterialInput{KeyId: key.KeyId, ImportToken: p.ImportToken,
					EncryptedKeyMaterial: readFile(out), ExpirationModel: types.ExpirationModelTypeKeyMaterialDoesNotExpire})
				Expect(err).NotTo(HaveOccurred())
				d, err := e.c.DescribeKey(e.ctx(), &kms.DescribeKeyInput{KeyId: key.KeyId})
				Expect(err).NotTo(HaveOccurred())
				Expect(d.KeyMetadata.KeyState).To(Equal(types.KeyStateEnabled))
				Expect(d.KeyMetadata.Enabled).To(BeTrue())
				Expect(d.KeyMetadata.ExpirationModel).To(Equal(types.ExpirationModelTypeKeyMaterialDoesNotExpire))

				enc, err := e.c.Encrypt(e.ctx(), &kms.EncryptInput{KeyId: key.KeyId, Plaintext: []byte("imported")})
				Expect(err).NotTo(HaveOccurred())
				dec, err := e.c.Decrypt(e.ctx(), &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
				Expect(err).NotTo(HaveOccurred())
				Expect(dec.Plaintext).To(Equal([]byte("imported")))
			},
			Entry("RSAES_OAEP_SHA_1", types.AlgorithmSpecRsaesOaepSha1, "sha1"),
			Entry("RSAES_OAEP_SHA_256", types.AlgorithmSpecRsaesOaepSha256, "sha256"),
		)

		It("refuses ImportKeyMaterial without ExpirationModel or ValidTo with AWS's exact message", Label("op:ImportKeyMaterial"), func() {
			key := external()
			p, err := e.c.GetParametersForImport(e.ctx(), &kms.GetParametersForImportInput{KeyId: key.KeyId, WrappingAlgorithm: types.AlgorithmSpecRsaesOaepSha256, WrappingKeySpec: types.WrappingKeySpecRsa2048})
			Expect(err).NotTo(HaveOccurred())
			dir := tempDir()
			pub := writeFile(dir, "wrapping.der", p.PublicKey)
			in := writeFile(dir, "material.bin", make([]byte, 32))
			wrapped := openssl(dir, nil, "pkeyutl", "-encrypt", "-pubin", "-keyform", "DER", "-inkey", pub, "-in", in,
				"-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256")
			_, err = e.c.ImportKeyMaterial(e.ctx(), &kms.ImportKeyMaterialInput{KeyId: key.KeyId, ImportToken: p.ImportToken, EncryptedKeyMaterial: wrapped})
			expectError(err, "ValidationException", "A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES")
		})

		It("refuses GetParametersForImport on an AWS_KMS key with AWS's exact message", Label("op:GetParametersForImport"), func() {
			md := e.sharedKey(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			_, err := e.c.GetParametersForImport(e.ctx(), &kms.GetParametersForImportInput{KeyId: md.KeyId, WrappingAlgorithm: types.AlgorithmSpecRsaesOaepSha256, WrappingKeySpec: types.WrappingKeySpecRsa2048})
			expectError(err, "UnsupportedOperationException", aws.ToString(md.Arn)+" origin is AWS_KMS which is not valid for this operation.")
		})
	})
}
