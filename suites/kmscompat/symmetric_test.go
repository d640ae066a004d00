package kmscompat

import (
	"bytes"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func init() { addTopic(symmetricSpecs) }

// symmetricSpecs: SYMMETRIC_DEFAULT Encrypt/Decrypt/ReEncrypt and
// GenerateDataKey(WithoutPlaintext).
func symmetricSpecs(e *env) {
	ec := map[string]string{"purpose": "kmsconform", "tenant": "42"}

	Describe("Symmetric Encrypt and Decrypt", Label("topic:symmetric", "op:Encrypt", "op:Decrypt"), func() {
		var md *types.KeyMetadata
		var blob []byte
		plaintext := []byte("kmsconform symmetric plaintext")
		BeforeEach(func() {
			md = e.sharedKey(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			out, err := e.c.Encrypt(e.ctx(), &kms.EncryptInput{KeyId: md.KeyId, Plaintext: plaintext, EncryptionContext: ec})
			Expect(err).NotTo(HaveOccurred())
			Expect(aws.ToString(out.KeyId)).To(Equal(aws.ToString(md.Arn)))
			blob = out.CiphertextBlob
		})

		It("decrypts without KeyId and names the key by ARN", func() {
			out, err := e.c.Decrypt(e.ctx(), &kms.DecryptInput{CiphertextBlob: blob, EncryptionContext: ec})
			Expect(err).NotTo(HaveOccurred())
			Expect(out.Plaintext).To(Equal(plaintext))
			Expect(aws.ToString(out.KeyId)).To(Equal(aws.ToString(md.Arn)))
			Expect(out.EncryptionAlgorithm).To(Equal(types.EncryptionAlgorithmSpecSymmetricDefault), "Decrypt answers EncryptionAlgorithm")
		})

		It("decrypts with the KeyId given", func() {
			out, err := e.c.Decrypt(e.ctx(), &kms.DecryptInput{CiphertextBlob: blob, EncryptionContext: ec, KeyId: md.KeyId})
			Expect(err).NotTo(HaveOccurred())
			Expect(out.Plaintext).To(Equal(plaintext))
		})

		It("never encrypts the same plaintext to the same blob", func() {
			out, err := e.c.Encrypt(e.ctx(), &kms.EncryptInput{KeyId: md.KeyId, Plaintext: plaintext, EncryptionContext: ec})
			Expect(err).NotTo(HaveOccurred())
			Expect(out.CiphertextBlob).NotTo(Equal(blob))
		})

		It("refuses a missing encryption context with InvalidCiphertextException and no message", func() {
			_, err := e.c.Decrypt(e.ctx(), &kms.DecryptInput{CiphertextBlob: blob})
			expectError(err, "InvalidCiphertextException", "")
			e.expectRawNoMessage("Decrypt", map[string]any{"CiphertextBlob": blob}, "InvalidCiphertextException")
		})

		It("refuses a changed encryption context value with InvalidCiphertextException", func() {
			_, err := e.c.Decrypt(e.ctx(), &kms.DecryptInput{CiphertextBlob: blob, EncryptionContext: map[string]string{"purpose": "kmsconform", "tenant": "43"}})
			expectError(err, "InvalidCiphertextException", "")
		})

		It("refuses a flipped bit anywhere in the blob with InvalidCiphertextException", func() {
			for _, i := range []int{0, 1, len(blob) / 3, len(blob) / 2, len(blob) - 17, len(blob) - 1} {
				bad := bytes.Clone(blob)
				bad[i] ^= 0x01
				_, err := e.c.Decrypt(e.ctx(), &kms.DecryptInput{CiphertextBlob: bad, EncryptionContext: ec})
				Expect(err).To(HaveOccurred(), "a bit flipped at byte %d of %d was accepted", i, len(blob))
				apiError(err, "InvalidCiphertextException")
			}
		})

		It("refuses a truncated blob and one with bytes appended with InvalidCiphertextException", func() {
			for _, bad := range [][]byte{blob[:len(blob)-1], append(bytes.Clone(blob), []byte("bad_data")...)} {
				_, err := e.c.Decrypt(e.ctx(), &kms.DecryptInput{CiphertextBlob: bad, EncryptionContext: ec})
				expectError(err, "InvalidCiphertextException", "")
			}
		})

		It("refuses another key's KeyId with IncorrectKeyException and AWS's exact message", func() {
			other := e.key(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			_, err := e.c.Decrypt(e.ctx(), &kms.DecryptInput{CiphertextBlob: blob, EncryptionContext: ec, KeyId: other.KeyId})
			expectError(err, "IncorrectKeyException", "The key ID in the request does not identify a CMK that can perform this operation.")
		})

		It("encrypts 4096 bytes and refuses 4097 with AWS's exact message", func() {
			_, err := e.c.Encrypt(e.ctx(), &kms.EncryptInput{KeyId: md.KeyId, Plaintext: make([]byte, 4096)})
			Expect(err).NotTo(HaveOccurred())
			_, err = e.c.Encrypt(e.ctx(), &kms.EncryptInput{KeyId: md.KeyId, Plaintext: make([]byte, 4097)})
			expectError(err, "ValidationException", "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096")
		})

		It("re-encrypts under another key with ReEncrypt", Label("op:ReEncrypt"), func() {
			dst := e.key(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			out, err := e.c.ReEncrypt(e.ctx(), &kms.ReEncryptInput{CiphertextBlob: blob, SourceEncryptionContext: ec, DestinationKeyId: dst.KeyId})
			Expect(err).NotTo(HaveOccurred())
			Expect(aws.ToString(out.SourceKeyId)).To(Equal(aws.ToString(md.Arn)))
			Expect(aws.ToString(out.KeyId)).To(Equal(aws.ToString(dst.Arn)))
			d, err := e.c.Decrypt(e.ctx(), &kms.DecryptInput{CiphertextBlob: out.CiphertextBlob})
			Expect(err).NotTo(HaveOccurred())
			Expect(d.Plaintext).To(Equal(plaintext))
			Expect(aws.ToString(d.KeyId)).To(Equal(aws.ToString(dst.Arn)))
		})
	})

	Describe("GenerateDataKey", Label("topic:symmetric", "op:GenerateDataKey"), func() {
		It("returns a 32-byte AES_256 key whose blob decrypts to it", Label("op:Decrypt"), func() {
			md := e.sharedKey(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			out, err := e.c.GenerateDataKey(e.ctx(), &kms.GenerateDataKeyInput{KeyId: md.KeyId, KeySpec: types.DataKeySpecAes256, EncryptionContext: ec})
			Expect(err).NotTo(HaveOccurred())
			Expect(out.Plaintext).To(HaveLen(32))
			Expect(aws.ToString(out.KeyId)).To(Equal(aws.ToString(md.Arn)))
			d, err := e.c.Decrypt(e.ctx(), &kms.DecryptInput{CiphertextBlob: out.CiphertextBlob, EncryptionContext: ec})
			Expect(err).NotTo(HaveOccurred())
			Expect(d.Plaintext).To(Equal(out.Plaintext))
			_, err = e.c.Decrypt(e.ctx(), &kms.DecryptInput{CiphertextBlob: out.CiphertextBlob})
			expectError(err, "InvalidCiphertextException", "")
		})

		It("returns NumberOfBytes bytes (1 and 1024)", func() {
			md := e.sharedKey(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			for _, n := range []int32{1, 64, 1024} {
				out, err := e.c.GenerateDataKey(e.ctx(), &kms.GenerateDataKeyInput{KeyId: md.KeyId, NumberOfBytes: aws.Int32(n)})
				Expect(err).NotTo(HaveOccurred(), "NumberOfBytes=%d", n)
				Expect(out.Plaintext).To(HaveLen(int(n)))
			}
		})

		It("refuses NumberOfBytes 0 and 1025 with ValidationException", func() {
			md := e.sharedKey(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			for _, n := range []int32{0, 1025} {
				_, err := e.c.GenerateDataKey(e.ctx(), &kms.GenerateDataKeyInput{KeyId: md.KeyId, NumberOfBytes: aws.Int32(n)})
				apiError(err, "ValidationException")
			}
		})

		It("refuses an RSA key with InvalidKeyUsageException", func() {
			md := e.sharedKey(types.KeySpecRsa2048, types.KeyUsageTypeEncryptDecrypt)
			_, err := e.c.GenerateDataKey(e.ctx(), &kms.GenerateDataKeyInput{KeyId: md.KeyId, KeySpec: types.DataKeySpecAes256})
			apiError(err, "InvalidKeyUsageException")
		})

		It("WithoutPlaintext returns only a blob that decrypts to 32 bytes", Label("op:GenerateDataKeyWithoutPlaintext", "op:Decrypt"), func() {
			md := e.sharedKey(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			out, err := e.c.GenerateDataKeyWithoutPlaintext(e.ctx(), &kms.GenerateDataKeyWithoutPlaintextInput{KeyId: md.KeyId, KeySpec: types.DataKeySpecAes256})
			Expect(err).NotTo(HaveOccurred())
			Expect(aws.ToString(out.KeyId)).To(Equal(aws.ToString(md.Arn)))
			d, err := e.c.Decrypt(e.ctx(), &kms.DecryptInput{CiphertextBlob: out.CiphertextBlob})
			Expect(err).NotTo(HaveOccurred())
			Expect(d.Plaintext).To(HaveLen(32))
		})
	})
}
