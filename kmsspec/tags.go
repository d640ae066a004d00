package kmsspec

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kmsconform/kmsconform/kmsfake"
)

// userTags lists a key's tags as key=value, leaving out the run's tag.
func userTags(t *T, md *types.KeyMetadata) []string {
	out, err := t.C.ListResourceTags(t.Ctx, &kms.ListResourceTagsInput{KeyId: md.KeyId})
	t.OK(err, "ListResourceTags")
	var got []string
	for _, tg := range out.Tags {
		if aws.ToString(tg.TagKey) != RunTag {
			got = append(got, aws.ToString(tg.TagKey)+"="+aws.ToString(tg.TagValue))
		}
	}
	return got
}

func tag(k, v string) types.Tag { return types.Tag{TagKey: aws.String(k), TagValue: aws.String(v)} }

func init() {
	add(&Spec{
		ID: "TagResource/overwrite-list-untag", Topic: "keys", Ops: ops("TagResource", "ListResourceTags", "UntagResource"),
		Title:  "tags, overwrites, lists in key order and untags",
		AWS:    "TagResource with an existing key overwrites its value; ListResourceTags lists tags in ascending TagKey order",
		Source: kmsfake.SourceTags + " [S]",
		Check: func(t *T) {
			md := t.Key(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			_, err := t.C.TagResource(t.Ctx, &kms.TagResourceInput{KeyId: md.KeyId, Tags: []types.Tag{tag("team", "a"), tag("env", "test")}})
			t.OK(err, "TagResource")
			_, err = t.C.TagResource(t.Ctx, &kms.TagResourceInput{KeyId: md.KeyId, Tags: []types.Tag{tag("team", "b")}})
			t.OK(err, "TagResource (overwrite)")
			t.Equal(userTags(t, md), []string{"env=test", "team=b"}, "tags")
			_, err = t.C.UntagResource(t.Ctx, &kms.UntagResourceInput{KeyId: md.KeyId, TagKeys: []string{"env"}})
			t.OK(err, "UntagResource")
			t.Equal(userTags(t, md), []string{"team=b"}, "tags after UntagResource")
		},
	})
	for _, k := range []string{"aws:key1", "AWS:key1"} {
		add(&Spec{
			ID: "TagResource/reserved-prefix/" + k, Topic: "keys", Ops: ops("TagResource"),
			Title:  "refuses the tag key " + k + " with AWS's exact message",
			AWS:    "TagException `Tags beginning with aws: are reserved` (any case)",
			Source: answerSource("Tag.Reserved") + " [S]",
			Check: func(t *T) {
				md := t.Shared(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
				_, err := t.C.TagResource(t.Ctx, &kms.TagResourceInput{KeyId: md.KeyId, Tags: []types.Tag{tag(k, "v")}})
				t.Want(err, "Tag.Reserved")
			},
		})
	}
	add(&Spec{
		ID: "CreateKey/reserved-tag", Topic: "keys", Ops: ops("CreateKey"),
		Title:  "refuses CreateKey with an aws: tag with AWS's exact message",
		AWS:    "TagException `Tags beginning with aws: are reserved`",
		Source: answerSource("Tag.Reserved") + " [S] (CreateKey or TagResource)",
		Check: func(t *T) {
			err := t.tryCreateKey(&kms.CreateKeyInput{Tags: []types.Tag{tag("aws:key1", "v")}})
			t.Want(err, "Tag.Reserved")
		},
	}, &Spec{
		ID: "TagResource/duplicate-keys", Topic: "keys", Ops: ops("TagResource"),
		Title:  "refuses duplicate tag keys in one request with AWS's exact message",
		AWS:    "TagException `Duplicate tag keys`",
		Source: answerSource("Tag.Duplicate") + " [S]",
		Check: func(t *T) {
			md := t.Shared(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			_, err := t.C.TagResource(t.Ctx, &kms.TagResourceInput{KeyId: md.KeyId, Tags: []types.Tag{tag("dup", "1"), tag("dup", "2")}})
			t.Want(err, "Tag.Duplicate")
		},
	}, &Spec{
		ID: "CreateKey/too-many-tags", Topic: "keys", Ops: ops("CreateKey"),
		Title:  "refuses CreateKey with 51 tags with AWS's exact message",
		AWS:    "TagException `Too many tags` (the limit is 50)",
		Source: answerSource("Tag.TooMany") + " [S]",
		Check: func(t *T) {
			var tags []types.Tag
			for i := range 51 {
				tags = append(tags, tag(fmt.Sprintf("k%02d", i), "v"))
			}
			err := t.tryCreateKey(&kms.CreateKeyInput{Tags: tags})
			t.Want(err, "Tag.TooMany")
		},
	}, &Spec{
		ID: "TagResource/key-129-chars", Topic: "keys", Ops: ops("TagResource"),
		Title:  "refuses a 129-character tag key with AWS's exact message",
		AWS:    "ValidationException `1 validation error detected: Value '<key>' at 'tags.1.member.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128`",
		Source: answerSource("Validation.TagKeyLength") + " [S]",
		Check: func(t *T) {
			md := t.Shared(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			long := strings.Repeat("k", 129)
			_, err := t.C.TagResource(t.Ctx, &kms.TagResourceInput{KeyId: md.KeyId, Tags: []types.Tag{tag(long, "v")}})
			t.Want(err, "Validation.TagKeyLength", long, 1)
		},
	}, &Spec{
		ID: "TagResource/value-257-chars", Topic: "keys", Ops: ops("TagResource"),
		Title:  "refuses a 257-character tag value with AWS's exact message",
		AWS:    "ValidationException `1 validation error detected: Value '<value>' at 'tags.1.member.tagValue' failed to satisfy constraint: Member must have length less than or equal to 256`",
		Source: answerSource("Validation.TagValueLength") + " [S]",
		Check: func(t *T) {
			md := t.Shared(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			long := strings.Repeat("v", 257)
			_, err := t.C.TagResource(t.Ctx, &kms.TagResourceInput{KeyId: md.KeyId, Tags: []types.Tag{tag("k", long)}})
			t.Want(err, "Validation.TagValueLength", long, 1)
		},
	}, &Spec{
		ID: "DescribeKey/other-region", Topic: "keys", Ops: ops("DescribeKey"),
		Title:  "hides a key from another region: bare id names the caller's region, ARN says Invalid arn",
		AWS:    "NotFoundException `Key 'arn:aws:kms:<caller-region>:<account>:key/<id>' does not exist` for the bare id; `Invalid arn <key-region>` for the ARN",
		Source: answerSource("NotFound.InvalidArnRegion") + " [S] (test_get_key_in_different_region)",
		Check: func(t *T) {
			md := t.Shared(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			other, region := t.OtherRegion()
			id := aws.ToString(md.KeyId)
			_, err := other.DescribeKey(t.Ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
			t.Want(err, "NotFound.KeyArn", "arn:aws:kms:"+region+":"+aws.ToString(md.AWSAccountId)+":key/"+id)
			_, err = other.DescribeKey(t.Ctx, &kms.DescribeKeyInput{KeyId: md.Arn})
			t.Want(err, "NotFound.InvalidArnRegion", t.Region())
		},
	})
}
