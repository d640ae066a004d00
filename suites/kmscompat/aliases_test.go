package kmscompat

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func init() { addTopic(aliasSpecs) }

// alias creates a fresh alias for keyID, deleted when the spec ends.
func (e *env) alias(keyID string) string {
	GinkgoHelper()
	name := uniqueAlias("a")
	Expect(name).To(MatchRegexp(aliasNameRE.String()))
	_, err := e.c.CreateAlias(e.ctx(), &kms.CreateAliasInput{AliasName: aws.String(name), TargetKeyId: aws.String(keyID)})
	Expect(err).NotTo(HaveOccurred(), "CreateAlias %s", name)
	c := e.c
	DeferCleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, _ = c.DeleteAlias(ctx, &kms.DeleteAliasInput{AliasName: aws.String(name)})
	})
	return name
}

// aliasSpecs: the alias life cycle and every KeyId position.
func aliasSpecs(e *env) {
	Describe("Aliases", Label("topic:aliases"), func() {
		It("lists an alias for its key with name, ARN and target", Label("op:CreateAlias", "op:ListAliases"), func() {
			md := e.key(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			name := e.alias(aws.ToString(md.KeyId))
			out, err := e.c.ListAliases(e.ctx(), &kms.ListAliasesInput{KeyId: md.KeyId})
			Expect(err).NotTo(HaveOccurred())
			Expect(out.Aliases).To(HaveLen(1))
			a := out.Aliases[0]
			Expect(aws.ToString(a.AliasName)).To(Equal(name))
			Expect(aws.ToString(a.AliasArn)).To(Equal("arn:aws:kms:" + e.t.Region + ":" + aws.ToString(md.AWSAccountId) + ":" + name))
			Expect(aws.ToString(a.TargetKeyId)).To(Equal(aws.ToString(md.KeyId)))
		})

		It("re-targets with UpdateAlias and forgets with DeleteAlias", Label("op:UpdateAlias", "op:DeleteAlias"), func() {
			a := e.key(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			b := e.key(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			name := e.alias(aws.ToString(a.KeyId))
			_, err := e.c.UpdateAlias(e.ctx(), &kms.UpdateAliasInput{AliasName: aws.String(name), TargetKeyId: b.KeyId})
			Expect(err).NotTo(HaveOccurred())
			d, err := e.c.DescribeKey(e.ctx(), &kms.DescribeKeyInput{KeyId: aws.String(name)})
			Expect(err).NotTo(HaveOccurred())
			Expect(aws.ToString(d.KeyMetadata.KeyId)).To(Equal(aws.ToString(b.KeyId)))
			_, err = e.c.DeleteAlias(e.ctx(), &kms.DeleteAliasInput{AliasName: aws.String(name)})
			Expect(err).NotTo(HaveOccurred())
			_, err = e.c.DescribeKey(e.ctx(), &kms.DescribeKeyInput{KeyId: aws.String(name)})
			apiError(err, "NotFoundException")
		})

		It("refuses an alias name without the alias/ prefix with AWS's exact message", Label("op:CreateAlias"), func() {
			md := e.sharedKey(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			_, err := e.c.CreateAlias(e.ctx(), &kms.CreateAliasInput{AliasName: aws.String("kmsconform-no-prefix"), TargetKeyId: md.KeyId})
			expectError(err, "ValidationException", `Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html`)
		})

		It("refuses a duplicate alias with AlreadyExistsException", Label("op:CreateAlias"), func() {
			md := e.sharedKey(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			name := e.alias(aws.ToString(md.KeyId))
			_, err := e.c.CreateAlias(e.ctx(), &kms.CreateAliasInput{AliasName: aws.String(name), TargetKeyId: md.KeyId})
			apiError(err, "AlreadyExistsException")
		})

		It("accepts key id, key ARN, alias name and alias ARN as Encrypt's KeyId and answers with the key ARN", Label("op:Encrypt"), func() {
			md := e.key(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			name := e.alias(aws.ToString(md.KeyId))
			aliasARN := "arn:aws:kms:" + e.t.Region + ":" + aws.ToString(md.AWSAccountId) + ":" + name
			for _, id := range []string{aws.ToString(md.KeyId), aws.ToString(md.Arn), name, aliasARN} {
				out, err := e.c.Encrypt(e.ctx(), &kms.EncryptInput{KeyId: aws.String(id), Plaintext: []byte("kmsconform")})
				Expect(err).NotTo(HaveOccurred(), "Encrypt with KeyId %s", id)
				Expect(aws.ToString(out.KeyId)).To(Equal(aws.ToString(md.Arn)), "Encrypt KeyId answer for %s", id)
				Expect(out.EncryptionAlgorithm).To(Equal(types.EncryptionAlgorithmSpecSymmetricDefault), "Encrypt answers EncryptionAlgorithm")
			}
		})
	})
}
