package kmscompat

import (
	"regexp"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func init() { addTopic(keySpecs) }

// keySpecs: CreateKey for every spec/usage AWS allows and the pairs it
// refuses; DescribeKey and ListKeys; NotFound texts.
func keySpecs(e *env) {
	Describe("CreateKey", Label("topic:keys", "op:CreateKey"), func() {
		DescribeTable("creates every allowed spec and usage with AWS's metadata",
			func(spec types.KeySpec, usage types.KeyUsageType) {
				md := e.key(spec, usage)
				Expect(md.KeySpec).To(Equal(spec), "KeySpec")
				Expect(md.CustomerMasterKeySpec).To(BeEquivalentTo(spec), "CustomerMasterKeySpec always equals KeySpec")
				Expect(md.KeyUsage).To(Equal(usage), "KeyUsage")
				Expect(md.KeyState).To(Equal(types.KeyStateEnabled), "KeyState of a new key")
				Expect(md.Enabled).To(BeTrue())
				Expect(md.Origin).To(Equal(types.OriginTypeAwsKms))
				Expect(md.KeyManager).To(Equal(types.KeyManagerTypeCustomer))
				Expect(md.MultiRegion).To(HaveValue(BeFalse()), "MultiRegion is always present in KeyMetadata (false here)")
				Expect(aws.ToString(md.AWSAccountId)).To(MatchRegexp(`^\d{12}$`))
				Expect(aws.ToString(md.Arn)).To(Equal("arn:aws:kms:" + e.t.Region + ":" + aws.ToString(md.AWSAccountId) + ":key/" + aws.ToString(md.KeyId)))
				Expect(aws.ToString(md.KeyId)).To(MatchRegexp(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`))
				switch {
				case spec == types.KeySpecSymmetricDefault:
					Expect(md.EncryptionAlgorithms).To(Equal([]types.EncryptionAlgorithmSpec{types.EncryptionAlgorithmSpecSymmetricDefault}))
				case usage == types.KeyUsageTypeEncryptDecrypt:
					Expect(md.EncryptionAlgorithms).To(ConsistOf(types.EncryptionAlgorithmSpecRsaesOaepSha1, types.EncryptionAlgorithmSpecRsaesOaepSha256))
					Expect(md.SigningAlgorithms).To(BeEmpty())
				case usage == types.KeyUsageTypeKeyAgreement:
					Expect(md.KeyAgreementAlgorithms).To(Equal([]types.KeyAgreementAlgorithmSpec{types.KeyAgreementAlgorithmSpecEcdh}))
					Expect(md.EncryptionAlgorithms).To(BeEmpty())
				case usage == types.KeyUsageTypeSignVerify:
					Expect(md.SigningAlgorithms).NotTo(BeEmpty())
					Expect(md.EncryptionAlgorithms).To(BeEmpty())
					Expect(md.KeyAgreementAlgorithms).To(BeEmpty())
				}
			},
			Entry("SYMMETRIC_DEFAULT ENCRYPT_DECRYPT", types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt),
			Entry("RSA_2048 ENCRYPT_DECRYPT", types.KeySpecRsa2048, types.KeyUsageTypeEncryptDecrypt),
			Entry("RSA_2048 SIGN_VERIFY", types.KeySpecRsa2048, types.KeyUsageTypeSignVerify),
			Entry("RSA_3072 ENCRYPT_DECRYPT", types.KeySpecRsa3072, types.KeyUsageTypeEncryptDecrypt),
			Entry("RSA_3072 SIGN_VERIFY", types.KeySpecRsa3072, types.KeyUsageTypeSignVerify),
			Entry("RSA_4096 ENCRYPT_DECRYPT", types.KeySpecRsa4096, types.KeyUsageTypeEncryptDecrypt),
			Entry("RSA_4096 SIGN_VERIFY", types.KeySpecRsa4096, types.KeyUsageTypeSignVerify),
			Entry("ECC_NIST_P256 SIGN_VERIFY", types.KeySpecEccNistP256, types.KeyUsageTypeSignVerify),
			Entry("ECC_NIST_P256 KEY_AGREEMENT", types.KeySpecEccNistP256, types.KeyUsageTypeKeyAgreement),
			Entry("ECC_NIST_P384 SIGN_VERIFY", types.KeySpecEccNistP384, types.KeyUsageTypeSignVerify),
			Entry("ECC_NIST_P384 KEY_AGREEMENT", types.KeySpecEccNistP384, types.KeyUsageTypeKeyAgreement),
			Entry("ECC_NIST_P521 SIGN_VERIFY", types.KeySpecEccNistP521, types.KeyUsageTypeSignVerify),
			Entry("ECC_NIST_P521 KEY_AGREEMENT", types.KeySpecEccNistP521, types.KeyUsageTypeKeyAgreement),
			Entry("ECC_SECG_P256K1 SIGN_VERIFY", types.KeySpecEccSecgP256k1, types.KeyUsageTypeSignVerify),
		)

		It("defaults to SYMMETRIC_DEFAULT ENCRYPT_DECRYPT with no spec or usage", func() {
			md := e.createKey(&kms.CreateKeyInput{})
			Expect(md.KeySpec).To(Equal(types.KeySpecSymmetricDefault))
			Expect(md.KeyUsage).To(Equal(types.KeyUsageTypeEncryptDecrypt))
		})

		It("refuses RSA_2048 with KEY_AGREEMENT with AWS's exact message", func() {
			_, err := e.c.CreateKey(e.ctx(), &kms.CreateKeyInput{KeySpec: types.KeySpecRsa2048, KeyUsage: types.KeyUsageTypeKeyAgreement})
			expectError(err, "ValidationException", "KeyUsage KEY_AGREEMENT is not compatible with KeySpec RSA_2048")
		})

		DescribeTable("refuses the other invalid spec/usage pairs with ValidationException",
			func(spec types.KeySpec, usage types.KeyUsageType) {
				out, err := e.c.CreateKey(e.ctx(), &kms.CreateKeyInput{KeySpec: spec, KeyUsage: usage})
				if err == nil {
					scheduleDeletion(e.c, aws.ToString(out.KeyMetadata.KeyId))
				}
				apiError(err, "ValidationException")
			},
			Entry("ECC_SECG_P256K1 KEY_AGREEMENT", types.KeySpecEccSecgP256k1, types.KeyUsageTypeKeyAgreement),
			Entry("SYMMETRIC_DEFAULT SIGN_VERIFY", types.KeySpecSymmetricDefault, types.KeyUsageTypeSignVerify),
			Entry("SYMMETRIC_DEFAULT KEY_AGREEMENT", types.KeySpecSymmetricDefault, types.KeyUsageTypeKeyAgreement),
			Entry("ECC_NIST_P256 ENCRYPT_DECRYPT", types.KeySpecEccNistP256, types.KeyUsageTypeEncryptDecrypt),
			Entry("RSA_3072 KEY_AGREEMENT", types.KeySpecRsa3072, types.KeyUsageTypeKeyAgreement),
		)

		It("refuses an unknown KeyUsage with the enum validation message", func() {
			_, err := e.c.CreateKey(e.ctx(), &kms.CreateKeyInput{KeyUsage: "RANDOM"})
			ae := apiError(err, "ValidationException")
			Expect(ae.ErrorMessage()).To(HavePrefix("1 validation error detected: Value 'RANDOM' at 'keyUsage' failed to satisfy constraint: Member must satisfy enum value set: ["))
		})
	})

	Describe("DescribeKey", Label("topic:keys", "op:DescribeKey"), func() {
		It("finds a key by key id, key ARN, alias name and alias ARN", Label("op:CreateAlias"), func() {
			md := e.key(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			alias := e.alias(aws.ToString(md.KeyId))
			aliasARN := "arn:aws:kms:" + e.t.Region + ":" + aws.ToString(md.AWSAccountId) + ":" + alias
			for _, id := range []string{aws.ToString(md.KeyId), aws.ToString(md.Arn), alias, aliasARN} {
				out, err := e.c.DescribeKey(e.ctx(), &kms.DescribeKeyInput{KeyId: aws.String(id)})
				Expect(err).NotTo(HaveOccurred(), "DescribeKey(%s)", id)
				Expect(aws.ToString(out.KeyMetadata.KeyId)).To(Equal(aws.ToString(md.KeyId)), "DescribeKey(%s)", id)
				Expect(aws.ToString(out.KeyMetadata.Arn)).To(Equal(aws.ToString(md.Arn)), "DescribeKey(%s)", id)
			}
		})

		It("answers NotFoundException \"Invalid keyId '...'\" for a malformed id", func() {
			_, err := e.c.DescribeKey(e.ctx(), &kms.DescribeKeyInput{KeyId: aws.String("fake-key-id")})
			expectError(err, "NotFoundException", "Invalid keyId 'fake-key-id'")
		})

		It("answers NotFoundException with the expanded ARN for a well-formed absent id", func() {
			const id = "134f2428-cec1-4b25-a1ae-9048164dba47"
			_, err := e.c.DescribeKey(e.ctx(), &kms.DescribeKeyInput{KeyId: aws.String(id)})
			expectError(err, "NotFoundException", "Key '"+e.keyARN(id)+"' does not exist")
		})

		It("answers NotFoundException for the ARN of an absent key", func() {
			arn := e.keyARN("134f2428-cec1-4b25-a1ae-9048164dba47")
			_, err := e.c.DescribeKey(e.ctx(), &kms.DescribeKeyInput{KeyId: aws.String(arn)})
			expectError(err, "NotFoundException", "Key '"+arn+"' does not exist")
		})
	})

	Describe("ListKeys", Label("topic:keys", "op:ListKeys"), func() {
		It("lists a new key with its ARN and pages with Limit and Marker", func() {
			a := e.key(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			b := e.key(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			seen := map[string]string{}
			var marker *string
			pages := 0
			for {
				out, err := e.c.ListKeys(e.ctx(), &kms.ListKeysInput{Limit: aws.Int32(1), Marker: marker})
				Expect(err).NotTo(HaveOccurred())
				Expect(len(out.Keys)).To(BeNumerically("<=", 1), "Limit=1 must return at most one key")
				for _, k := range out.Keys {
					seen[aws.ToString(k.KeyId)] = aws.ToString(k.KeyArn)
				}
				pages++
				if !out.Truncated {
					Expect(out.NextMarker).To(BeNil(), "NextMarker only when Truncated")
					break
				}
				Expect(aws.ToString(out.NextMarker)).NotTo(BeEmpty(), "Truncated with no NextMarker")
				Expect(pages).To(BeNumerically("<", 10000), "paging does not end")
				marker = out.NextMarker
			}
			Expect(pages).To(BeNumerically(">=", 2))
			for _, k := range []*types.KeyMetadata{a, b} {
				Expect(seen).To(HaveKeyWithValue(aws.ToString(k.KeyId), aws.ToString(k.Arn)))
			}
		})
	})
}

var aliasNameRE = regexp.MustCompile(`^alias/[a-zA-Z0-9/_-]+$`)
