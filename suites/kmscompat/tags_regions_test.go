package kmscompat

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func init() { addTopic(tagAndRegionSpecs) }

// otherRegion returns a client for the same endpoint signing for another
// region.
func (e *env) otherRegion() (*kms.Client, string) {
	region := "eu-west-1"
	if e.t.Region == region {
		region = "us-west-2"
	}
	return kms.NewFromConfig(e.t.Config, func(o *kms.Options) {
		o.Region = region
		if e.t.Endpoint != "" {
			o.BaseEndpoint = aws.String(e.t.Endpoint)
		}
	}), region
}

// tagAndRegionSpecs: tags, and keys invisible from another region.
func tagAndRegionSpecs(e *env) {
	Describe("Tags", Label("topic:keys", "op:TagResource", "op:ListResourceTags"), func() {
		It("tags, overwrites, lists in key order and untags", Label("op:UntagResource"), func() {
			md := e.key(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			_, err := e.c.TagResource(e.ctx(), &kms.TagResourceInput{KeyId: md.KeyId, Tags: []types.Tag{
				{TagKey: aws.String("team"), TagValue: aws.String("a")},
				{TagKey: aws.String("env"), TagValue: aws.String("test")},
			}})
			Expect(err).NotTo(HaveOccurred())
			_, err = e.c.TagResource(e.ctx(), &kms.TagResourceInput{KeyId: md.KeyId, Tags: []types.Tag{{TagKey: aws.String("team"), TagValue: aws.String("b")}}})
			Expect(err).NotTo(HaveOccurred())
			out, err := e.c.ListResourceTags(e.ctx(), &kms.ListResourceTagsInput{KeyId: md.KeyId})
			Expect(err).NotTo(HaveOccurred())
			var got []string
			for _, t := range out.Tags {
				got = append(got, aws.ToString(t.TagKey)+"="+aws.ToString(t.TagValue))
			}
			Expect(got).To(Equal([]string{"env=test", "team=b"}))
			_, err = e.c.UntagResource(e.ctx(), &kms.UntagResourceInput{KeyId: md.KeyId, TagKeys: []string{"env"}})
			Expect(err).NotTo(HaveOccurred())
			out, err = e.c.ListResourceTags(e.ctx(), &kms.ListResourceTagsInput{KeyId: md.KeyId})
			Expect(err).NotTo(HaveOccurred())
			Expect(out.Tags).To(HaveLen(1))
		})

		It("refuses a tag key beginning with aws: with AWS's exact message", func() {
			md := e.sharedKey(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			_, err := e.c.TagResource(e.ctx(), &kms.TagResourceInput{KeyId: md.KeyId, Tags: []types.Tag{{TagKey: aws.String("aws:key1"), TagValue: aws.String("v")}}})
			expectError(err, "TagException", "Tags beginning with aws: are reserved")
		})

		It("refuses a 129-character tag key with AWS's exact message", func() {
			md := e.sharedKey(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			long := strings.Repeat("k", 129)
			_, err := e.c.TagResource(e.ctx(), &kms.TagResourceInput{KeyId: md.KeyId, Tags: []types.Tag{{TagKey: aws.String(long), TagValue: aws.String("v")}}})
			expectError(err, "ValidationException", "1 validation error detected: Value '"+long+"' at 'tags.1.member.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128")
		})
	})

	Describe("Regions", Label("topic:keys", "op:DescribeKey"), func() {
		It("hides a key from another region: bare id names the caller's region, ARN says Invalid arn", func() {
			md := e.sharedKey(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			other, region := e.otherRegion()
			id := aws.ToString(md.KeyId)
			_, err := other.DescribeKey(e.ctx(), &kms.DescribeKeyInput{KeyId: aws.String(id)})
			expectError(err, "NotFoundException", "Key 'arn:aws:kms:"+region+":"+aws.ToString(md.AWSAccountId)+":key/"+id+"' does not exist")
			_, err = other.DescribeKey(e.ctx(), &kms.DescribeKeyInput{KeyId: md.Arn})
			expectError(err, "NotFoundException", "Invalid arn "+e.t.Region)
		})
	})
}
