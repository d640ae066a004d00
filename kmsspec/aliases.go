package kmsspec

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kmsconform/kmsconform/kmsfake"
)

func init() {
	add(&Spec{
		ID: "ListAliases/by-key", Topic: "aliases", Ops: ops("CreateAlias", "ListAliases"),
		Title:  "lists an alias for its key with name, ARN and target",
		AWS:    "ListAliases(KeyId) filters by key; each entry has AliasName, AliasArn and TargetKeyId",
		Source: kmsfake.SourceAliases + " (test_list_aliases_of_key [A])",
		Check: func(t *T) {
			md := t.Key(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			name := t.Alias(aws.ToString(md.KeyId))
			out, err := t.C.ListAliases(t.Ctx, &kms.ListAliasesInput{KeyId: md.KeyId})
			t.OK(err, "ListAliases")
			t.Equal(len(out.Aliases), 1, "number of aliases of the key")
			a := out.Aliases[0]
			t.Equal(aws.ToString(a.AliasName), name, "AliasName")
			t.Equal(aws.ToString(a.AliasArn), "arn:aws:kms:"+t.Region()+":"+aws.ToString(md.AWSAccountId)+":"+name, "AliasArn")
			t.Equal(aws.ToString(a.TargetKeyId), aws.ToString(md.KeyId), "TargetKeyId")
		},
	}, &Spec{
		ID: "UpdateAlias/retarget-and-delete", Topic: "aliases", Ops: ops("UpdateAlias", "DeleteAlias"),
		Title:  "re-targets with UpdateAlias and forgets with DeleteAlias",
		AWS:    "UpdateAlias moves the alias to another key; after DeleteAlias the name resolves to nothing (NotFoundException)",
		Source: kmsfake.SourceAliases + " (test_update_alias, test_create_list_delete_alias [A])",
		Check: func(t *T) {
			a := t.Key(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			b := t.Key(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			name := t.Alias(aws.ToString(a.KeyId))
			_, err := t.C.UpdateAlias(t.Ctx, &kms.UpdateAliasInput{AliasName: aws.String(name), TargetKeyId: b.KeyId})
			t.OK(err, "UpdateAlias")
			d, err := t.C.DescribeKey(t.Ctx, &kms.DescribeKeyInput{KeyId: aws.String(name)})
			t.OK(err, "DescribeKey(alias)")
			t.Equal(aws.ToString(d.KeyMetadata.KeyId), aws.ToString(b.KeyId), "key behind the alias after UpdateAlias")
			_, err = t.C.DeleteAlias(t.Ctx, &kms.DeleteAliasInput{AliasName: aws.String(name)})
			t.OK(err, "DeleteAlias")
			_, err = t.C.DescribeKey(t.Ctx, &kms.DescribeKeyInput{KeyId: aws.String(name)})
			t.APIError(err, "NotFoundException")
		},
	}, &Spec{
		ID: "CreateAlias/prefix-required", Topic: "aliases", Ops: ops("CreateAlias"),
		Title:  "refuses an alias name without the alias/ prefix with AWS's exact message",
		AWS:    "ValidationException `Alias must start with the prefix \"alias/\". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html`",
		Source: answerSource("Validation.AliasPrefix") + " [S] (test_create_alias)",
		Check: func(t *T) {
			md := t.Shared(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			_, err := t.C.CreateAlias(t.Ctx, &kms.CreateAliasInput{AliasName: aws.String("kmsconform-no-prefix"), TargetKeyId: md.KeyId})
			t.Want(err, "Validation.AliasPrefix")
		},
	}, &Spec{
		ID: "CreateAlias/duplicate", Topic: "aliases", Ops: ops("CreateAlias"),
		Title:  "refuses a duplicate alias with AlreadyExistsException",
		AWS:    "AlreadyExistsException (text not recorded)",
		Source: api + "CreateAlias, Errors: AlreadyExistsException",
		Check: func(t *T) {
			md := t.Shared(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			name := t.Alias(aws.ToString(md.KeyId))
			_, err := t.C.CreateAlias(t.Ctx, &kms.CreateAliasInput{AliasName: aws.String(name), TargetKeyId: md.KeyId})
			t.APIError(err, "AlreadyExistsException")
		},
	}, &Spec{
		ID: "CreateAlias/reserved-aws-prefix", Topic: "aliases", Ops: ops("CreateAlias"),
		Title:  "refuses an alias under alias/aws/ with NotAuthorizedException",
		AWS:    "alias/aws/ is reserved for AWS managed keys: NotAuthorizedException",
		Source: answerSource("NotAuthorized.AliasAWS"),
		Check: func(t *T) {
			md := t.Shared(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			_, err := t.C.CreateAlias(t.Ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/aws/kmsconform-" + t.Run.ID), TargetKeyId: md.KeyId})
			t.Want(err, "NotAuthorized.AliasAWS")
		},
	}, &Spec{
		ID: "Encrypt/every-key-id-form", Topic: "aliases", Ops: ops("Encrypt"),
		Title:  "accepts key id, key ARN, alias name and alias ARN as Encrypt's KeyId and answers with the key ARN",
		AWS:    "Encrypt accepts every KeyId form; its KeyId answer is the key ARN and it answers EncryptionAlgorithm",
		Source: kmsfake.SourceEncryptDecrypt + " (test_all_types_of_key_id_can_be_used_for_encryption [A]; Encrypt shape [S])",
		Check: func(t *T) {
			md := t.Key(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			name := t.Alias(aws.ToString(md.KeyId))
			aliasARN := "arn:aws:kms:" + t.Region() + ":" + aws.ToString(md.AWSAccountId) + ":" + name
			for _, id := range []string{aws.ToString(md.KeyId), aws.ToString(md.Arn), name, aliasARN} {
				out, err := t.C.Encrypt(t.Ctx, &kms.EncryptInput{KeyId: aws.String(id), Plaintext: []byte("kmsconform")})
				t.OK(err, "Encrypt with KeyId %s", id)
				t.Equal(aws.ToString(out.KeyId), aws.ToString(md.Arn), "Encrypt KeyId answer for %s", id)
				t.Equal(out.EncryptionAlgorithm, types.EncryptionAlgorithmSpecSymmetricDefault, "Encrypt EncryptionAlgorithm")
			}
		},
	})
}
