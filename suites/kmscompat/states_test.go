package kmscompat

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func init() { addTopic(stateSpecs) }

// stateSpecs: Enabled, Disabled and PendingDeletion enforced with the
// right codes and texts.
func stateSpecs(e *env) {
	Describe("Key states", Label("topic:states"), func() {
		It("refuses Encrypt and Decrypt on a disabled key with DisabledException, and works again once enabled",
			Label("op:DisableKey", "op:EnableKey", "op:Encrypt", "op:Decrypt"), func() {
				md := e.key(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
				enc, err := e.c.Encrypt(e.ctx(), &kms.EncryptInput{KeyId: md.KeyId, Plaintext: []byte("before")})
				Expect(err).NotTo(HaveOccurred())
				_, err = e.c.DisableKey(e.ctx(), &kms.DisableKeyInput{KeyId: md.KeyId})
				Expect(err).NotTo(HaveOccurred())
				d, err := e.c.DescribeKey(e.ctx(), &kms.DescribeKeyInput{KeyId: md.KeyId})
				Expect(err).NotTo(HaveOccurred())
				Expect(d.KeyMetadata.KeyState).To(Equal(types.KeyStateDisabled))
				Expect(d.KeyMetadata.Enabled).To(BeFalse())

				_, err = e.c.Encrypt(e.ctx(), &kms.EncryptInput{KeyId: md.KeyId, Plaintext: []byte("x")})
				expectError(err, "DisabledException", aws.ToString(md.Arn)+" is disabled.")
				_, err = e.c.Decrypt(e.ctx(), &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
				expectError(err, "DisabledException", aws.ToString(md.Arn)+" is disabled.")
				_, err = e.c.GenerateDataKey(e.ctx(), &kms.GenerateDataKeyInput{KeyId: md.KeyId, KeySpec: types.DataKeySpecAes256})
				apiError(err, "DisabledException")

				_, err = e.c.EnableKey(e.ctx(), &kms.EnableKeyInput{KeyId: md.KeyId})
				Expect(err).NotTo(HaveOccurred())
				out, err := e.c.Decrypt(e.ctx(), &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
				Expect(err).NotTo(HaveOccurred())
				Expect(out.Plaintext).To(Equal([]byte("before")))
			})

		It("refuses RSA Decrypt on a disabled key with DisabledException", Label("op:DisableKey", "op:Decrypt"), func() {
			md := e.key(types.KeySpecRsa2048, types.KeyUsageTypeEncryptDecrypt)
			enc, err := e.c.Encrypt(e.ctx(), &kms.EncryptInput{KeyId: md.KeyId, Plaintext: []byte("x"), EncryptionAlgorithm: types.EncryptionAlgorithmSpecRsaesOaepSha256})
			Expect(err).NotTo(HaveOccurred())
			_, err = e.c.DisableKey(e.ctx(), &kms.DisableKeyInput{KeyId: md.KeyId})
			Expect(err).NotTo(HaveOccurred())
			_, err = e.c.Decrypt(e.ctx(), &kms.DecryptInput{KeyId: md.KeyId, CiphertextBlob: enc.CiphertextBlob, EncryptionAlgorithm: types.EncryptionAlgorithmSpecRsaesOaepSha256})
			expectError(err, "DisabledException", aws.ToString(md.Arn)+" is disabled.")
		})

		It("schedules deletion (PendingDeletion, DeletionDate), refuses use with KMSInvalidStateException, and cancels to Disabled",
			Label("op:ScheduleKeyDeletion", "op:CancelKeyDeletion", "op:Encrypt", "op:Decrypt"), func() {
				md := e.key(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
				enc, err := e.c.Encrypt(e.ctx(), &kms.EncryptInput{KeyId: md.KeyId, Plaintext: []byte("x")})
				Expect(err).NotTo(HaveOccurred())
				s, err := e.c.ScheduleKeyDeletion(e.ctx(), &kms.ScheduleKeyDeletionInput{KeyId: md.KeyId, PendingWindowInDays: aws.Int32(7)})
				Expect(err).NotTo(HaveOccurred())
				Expect(s.KeyState).To(Equal(types.KeyStatePendingDeletion))
				Expect(s.PendingWindowInDays).To(HaveValue(BeEquivalentTo(7)))
				Expect(aws.ToString(s.KeyId)).To(Equal(aws.ToString(md.Arn)))
				d, err := e.c.DescribeKey(e.ctx(), &kms.DescribeKeyInput{KeyId: md.KeyId})
				Expect(err).NotTo(HaveOccurred())
				Expect(d.KeyMetadata.KeyState).To(Equal(types.KeyStatePendingDeletion))
				Expect(d.KeyMetadata.Enabled).To(BeFalse())
				Expect(d.KeyMetadata.DeletionDate).NotTo(BeNil())

				_, err = e.c.Encrypt(e.ctx(), &kms.EncryptInput{KeyId: md.KeyId, Plaintext: []byte("x")})
				expectError(err, "KMSInvalidStateException", aws.ToString(md.Arn)+" is pending deletion.")
				_, err = e.c.Decrypt(e.ctx(), &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
				expectError(err, "KMSInvalidStateException", aws.ToString(md.Arn)+" is pending deletion.")
				_, err = e.c.ScheduleKeyDeletion(e.ctx(), &kms.ScheduleKeyDeletionInput{KeyId: md.KeyId, PendingWindowInDays: aws.Int32(7)})
				apiError(err, "KMSInvalidStateException")

				_, err = e.c.CancelKeyDeletion(e.ctx(), &kms.CancelKeyDeletionInput{KeyId: md.KeyId})
				Expect(err).NotTo(HaveOccurred())
				d, err = e.c.DescribeKey(e.ctx(), &kms.DescribeKeyInput{KeyId: md.KeyId})
				Expect(err).NotTo(HaveOccurred())
				Expect(d.KeyMetadata.KeyState).To(Equal(types.KeyStateDisabled), "CancelKeyDeletion leaves the key Disabled")
				Expect(d.KeyMetadata.Enabled).To(BeFalse())
				Expect(d.KeyMetadata.DeletionDate).To(BeNil())
			})

		It("schedules deletion of a disabled key", Label("op:ScheduleKeyDeletion", "op:DisableKey"), func() {
			md := e.key(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			_, err := e.c.DisableKey(e.ctx(), &kms.DisableKeyInput{KeyId: md.KeyId})
			Expect(err).NotTo(HaveOccurred())
			_, err = e.c.ScheduleKeyDeletion(e.ctx(), &kms.ScheduleKeyDeletionInput{KeyId: md.KeyId, PendingWindowInDays: aws.Int32(30)})
			Expect(err).NotTo(HaveOccurred())
		})

		It("refuses a PendingWindowInDays outside 7..30 with ValidationException", Label("op:ScheduleKeyDeletion"), func() {
			md := e.key(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			for _, n := range []int32{6, 31} {
				_, err := e.c.ScheduleKeyDeletion(e.ctx(), &kms.ScheduleKeyDeletionInput{KeyId: md.KeyId, PendingWindowInDays: aws.Int32(n)})
				apiError(err, "ValidationException")
			}
		})
	})
}
