package kmsspec

import (
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kmsconform/kmsconform/kmsfake"
)

// specUsage is one KeySpec/KeyUsage pair.
type specUsage struct {
	spec  types.KeySpec
	usage types.KeyUsageType
}

// allowedPairs are every spec/usage pair AWS creates (without HMAC).
var allowedPairs = []specUsage{
	{types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt},
	{types.KeySpecRsa2048, types.KeyUsageTypeEncryptDecrypt},
	{types.KeySpecRsa2048, types.KeyUsageTypeSignVerify},
	{types.KeySpecRsa3072, types.KeyUsageTypeEncryptDecrypt},
	{types.KeySpecRsa3072, types.KeyUsageTypeSignVerify},
	{types.KeySpecRsa4096, types.KeyUsageTypeEncryptDecrypt},
	{types.KeySpecRsa4096, types.KeyUsageTypeSignVerify},
	{types.KeySpecEccNistP256, types.KeyUsageTypeSignVerify},
	{types.KeySpecEccNistP256, types.KeyUsageTypeKeyAgreement},
	{types.KeySpecEccNistP384, types.KeyUsageTypeSignVerify},
	{types.KeySpecEccNistP384, types.KeyUsageTypeKeyAgreement},
	{types.KeySpecEccNistP521, types.KeyUsageTypeSignVerify},
	{types.KeySpecEccNistP521, types.KeyUsageTypeKeyAgreement},
	{types.KeySpecEccSecgP256k1, types.KeyUsageTypeSignVerify},
}

var (
	uuidRE    = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	accountRE = regexp.MustCompile(`^\d{12}$`)
)

// checkMetadata checks the KeyMetadata AWS returns for a new key.
func checkMetadata(t *T, md *types.KeyMetadata, spec types.KeySpec, usage types.KeyUsageType) {
	t.Equal(md.KeySpec, spec, "KeySpec")
	t.Equal(string(md.CustomerMasterKeySpec), string(spec), "CustomerMasterKeySpec always equals KeySpec")
	t.Equal(md.KeyUsage, usage, "KeyUsage")
	t.Equal(md.KeyState, types.KeyStateEnabled, "KeyState of a new key")
	t.True(md.Enabled, "Enabled is false for a new key")
	t.Equal(md.Origin, types.OriginTypeAwsKms, "Origin")
	t.Equal(md.KeyManager, types.KeyManagerTypeCustomer, "KeyManager")
	t.True(md.MultiRegion != nil && !*md.MultiRegion, "MultiRegion must be present and false, got %v", md.MultiRegion)
	t.True(accountRE.MatchString(aws.ToString(md.AWSAccountId)), "AWSAccountId %q is not 12 digits", aws.ToString(md.AWSAccountId))
	t.True(uuidRE.MatchString(aws.ToString(md.KeyId)), "KeyId %q is not a UUID", aws.ToString(md.KeyId))
	t.Equal(aws.ToString(md.Arn), "arn:aws:kms:"+t.Region()+":"+aws.ToString(md.AWSAccountId)+":key/"+aws.ToString(md.KeyId), "Arn")
	switch {
	case spec == types.KeySpecSymmetricDefault:
		t.Equal(md.EncryptionAlgorithms, []types.EncryptionAlgorithmSpec{types.EncryptionAlgorithmSpecSymmetricDefault}, "EncryptionAlgorithms")
	case usage == types.KeyUsageTypeEncryptDecrypt:
		t.True(SameSet(md.EncryptionAlgorithms, []types.EncryptionAlgorithmSpec{types.EncryptionAlgorithmSpecRsaesOaepSha1, types.EncryptionAlgorithmSpecRsaesOaepSha256}),
			"EncryptionAlgorithms: got %v, want RSAES_OAEP_SHA_1 and RSAES_OAEP_SHA_256", md.EncryptionAlgorithms)
		t.True(len(md.SigningAlgorithms) == 0, "SigningAlgorithms of an ENCRYPT_DECRYPT key: %v", md.SigningAlgorithms)
	case usage == types.KeyUsageTypeKeyAgreement:
		t.Equal(md.KeyAgreementAlgorithms, []types.KeyAgreementAlgorithmSpec{types.KeyAgreementAlgorithmSpecEcdh}, "KeyAgreementAlgorithms")
		t.True(len(md.EncryptionAlgorithms) == 0, "EncryptionAlgorithms of a KEY_AGREEMENT key: %v", md.EncryptionAlgorithms)
	case usage == types.KeyUsageTypeSignVerify:
		t.True(len(md.SigningAlgorithms) > 0, "SigningAlgorithms is empty")
		t.True(len(md.EncryptionAlgorithms) == 0, "EncryptionAlgorithms of a SIGN_VERIFY key: %v", md.EncryptionAlgorithms)
		t.True(len(md.KeyAgreementAlgorithms) == 0, "KeyAgreementAlgorithms of a SIGN_VERIFY key: %v", md.KeyAgreementAlgorithms)
	}
}

func init() {
	for _, p := range allowedPairs {
		add(&Spec{
			ID: "CreateKey/" + string(p.spec) + "/" + string(p.usage), Topic: "keys", Ops: ops("CreateKey"),
			Title:  "creates a " + string(p.spec) + " " + string(p.usage) + " key with AWS's metadata",
			AWS:    "CreateKey answers KeyMetadata with KeySpec, CustomerMasterKeySpec (= KeySpec), KeyUsage, Enabled state, AWS_KMS origin, CUSTOMER manager, MultiRegion false, a UUID key id, the key ARN and the algorithms of the key type",
			Source: srcMeta + " [S]; " + api + "CreateKey",
			Check: func(t *T) {
				// Asymmetric keys are slow to make: the run's shared key of
				// this pair is checked as CreateKey returned it.
				md := t.Shared(p.spec, p.usage)
				if p.spec == types.KeySpecSymmetricDefault {
					md = t.Key(p.spec, p.usage)
				}
				checkMetadata(t, md, p.spec, p.usage)
			},
		})
	}
	// ECC SIGN_VERIFY keys list exactly one signing algorithm each [S].
	for _, c := range []struct {
		spec types.KeySpec
		alg  types.SigningAlgorithmSpec
	}{
		{types.KeySpecEccNistP256, types.SigningAlgorithmSpecEcdsaSha256},
		{types.KeySpecEccNistP384, types.SigningAlgorithmSpecEcdsaSha384},
		{types.KeySpecEccNistP521, types.SigningAlgorithmSpecEcdsaSha512},
		{types.KeySpecEccSecgP256k1, types.SigningAlgorithmSpecEcdsaSha256},
	} {
		add(&Spec{
			ID: "DescribeKey/" + string(c.spec) + "/SigningAlgorithms", Topic: "keys", Ops: ops("DescribeKey"),
			Title:  "lists " + string(c.alg) + " as the only signing algorithm of an " + string(c.spec) + " SIGN_VERIFY key",
			AWS:    "SigningAlgorithms is [" + string(c.alg) + "] for " + string(c.spec),
			Source: srcMeta + " [S] (test_import_key_ecc_keys)",
			Check: func(t *T) {
				md := t.Shared(c.spec, types.KeyUsageTypeSignVerify)
				d, err := t.C.DescribeKey(t.Ctx, &kms.DescribeKeyInput{KeyId: md.KeyId})
				t.OK(err, "DescribeKey")
				t.Equal(d.KeyMetadata.SigningAlgorithms, []types.SigningAlgorithmSpec{c.alg}, "SigningAlgorithms")
			},
		})
	}

	add(&Spec{
		ID: "CreateKey/default-spec-and-usage", Topic: "keys", Ops: ops("CreateKey"),
		Title:  "defaults to SYMMETRIC_DEFAULT ENCRYPT_DECRYPT with no spec or usage",
		AWS:    "KeySpec defaults to SYMMETRIC_DEFAULT and KeyUsage to ENCRYPT_DECRYPT",
		Source: api + "CreateKey, KeySpec and KeyUsage defaults",
		Check: func(t *T) {
			md := t.CreateKey(&kms.CreateKeyInput{})
			t.Equal(md.KeySpec, types.KeySpecSymmetricDefault, "KeySpec")
			t.Equal(md.KeyUsage, types.KeyUsageTypeEncryptDecrypt, "KeyUsage")
		},
	}, &Spec{
		ID: "CreateKey/Description-present", Topic: "keys", Ops: ops("CreateKey", "DescribeKey"),
		Title:  "answers Description \"\" for a key created without one",
		AWS:    "Description is always present in KeyMetadata; it is \"\" when not set",
		Source: srcMeta + " [S]",
		Check: func(t *T) {
			md := t.CreateKey(&kms.CreateKeyInput{Description: aws.String("")})
			d, err := t.C.DescribeKey(t.Ctx, &kms.DescribeKeyInput{KeyId: md.KeyId})
			t.OK(err, "DescribeKey")
			t.True(d.KeyMetadata.Description != nil, "Description is absent from KeyMetadata")
			t.Equal(aws.ToString(d.KeyMetadata.Description), "", "Description")
		},
	}, &Spec{
		ID: "CreateKey/RSA_2048/KEY_AGREEMENT-refused", Topic: "keys", Ops: ops("CreateKey"),
		Title:  "refuses RSA_2048 with KEY_AGREEMENT with AWS's exact message",
		AWS:    "ValidationException `KeyUsage KEY_AGREEMENT is not compatible with KeySpec RSA_2048`",
		Source: answerSource("Validation.UsageSpec"),
		Check: func(t *T) {
			_, err := t.C.CreateKey(t.Ctx, &kms.CreateKeyInput{KeySpec: types.KeySpecRsa2048, KeyUsage: types.KeyUsageTypeKeyAgreement})
			t.Want(err, "Validation.UsageSpec", "KEY_AGREEMENT", "RSA_2048")
		},
	})
	for _, p := range []specUsage{
		{types.KeySpecEccSecgP256k1, types.KeyUsageTypeKeyAgreement},
		{types.KeySpecSymmetricDefault, types.KeyUsageTypeSignVerify},
		{types.KeySpecSymmetricDefault, types.KeyUsageTypeKeyAgreement},
		{types.KeySpecEccNistP256, types.KeyUsageTypeEncryptDecrypt},
		{types.KeySpecRsa3072, types.KeyUsageTypeKeyAgreement},
	} {
		add(&Spec{
			ID: "CreateKey/" + string(p.spec) + "/" + string(p.usage) + "-refused", Topic: "keys", Ops: ops("CreateKey"),
			Title:  "refuses " + string(p.spec) + " with " + string(p.usage) + " with ValidationException",
			AWS:    "the pair is not allowed: ValidationException",
			Source: kmsfake.SourceCreateKey + " [D] (AWS docs: allowed usages per key spec)",
			Check: func(t *T) {
				err := t.tryCreateKey(&kms.CreateKeyInput{KeySpec: p.spec, KeyUsage: p.usage,
					Tags: []types.Tag{{TagKey: aws.String(RunTag), TagValue: aws.String(t.Run.ID)}}})
				t.APIError(err, "ValidationException")
			},
		})
	}
	add(&Spec{
		ID: "CreateKey/KeyUsage-enum", Topic: "keys", Ops: ops("CreateKey"),
		Title:  "refuses an unknown KeyUsage with the enum validation message",
		AWS:    "ValidationException `1 validation error detected: Value 'RANDOM' at 'keyUsage' failed to satisfy constraint: Member must satisfy enum value set: [...]`",
		Source: answerSource("Validation.Enum") + " [S]",
		Check: func(t *T) {
			_, err := t.C.CreateKey(t.Ctx, &kms.CreateKeyInput{KeyUsage: "RANDOM"})
			ae := t.APIError(err, "ValidationException")
			enum, _ := kmsfake.LookupAnswer("Validation.Enum")
			prefix := strings.TrimSuffix(enum.Format("RANDOM", "keyUsage", ""), "]") // AWS's member list changes over time
			t.True(strings.HasPrefix(ae.ErrorMessage(), prefix), "message %q does not start with %q", ae.ErrorMessage(), prefix)
		},
	}, &Spec{
		ID: "DescribeKey/every-key-id-form", Topic: "keys", Ops: ops("DescribeKey", "CreateAlias"),
		Title:  "finds a key by key id, key ARN, alias name and alias ARN",
		AWS:    "KeyId accepts the key id, key ARN, alias name and alias ARN",
		Source: kmsfake.SourceAliases + " (test_describe_with_alias_arn [S]); " + api + "DescribeKey, KeyId",
		Check: func(t *T) {
			md := t.Key(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			alias := t.Alias(aws.ToString(md.KeyId))
			aliasARN := "arn:aws:kms:" + t.Region() + ":" + aws.ToString(md.AWSAccountId) + ":" + alias
			for _, id := range []string{aws.ToString(md.KeyId), aws.ToString(md.Arn), alias, aliasARN} {
				out, err := t.C.DescribeKey(t.Ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
				t.OK(err, "DescribeKey(%s)", id)
				t.Equal(aws.ToString(out.KeyMetadata.KeyId), aws.ToString(md.KeyId), "DescribeKey(%s) KeyId", id)
				t.Equal(aws.ToString(out.KeyMetadata.Arn), aws.ToString(md.Arn), "DescribeKey(%s) Arn", id)
			}
		},
	})
	for _, c := range []struct{ name, id string }{
		{"malformed", "fake-key-id"},
		{"uuid-without-dashes", "134f2428cec14b25a1ae9048164dba47"},
		{"malformed-mrk", "mrk-fake-key-id"},
	} {
		add(&Spec{
			ID: "DescribeKey/NotFound/" + c.name, Topic: "keys", Ops: ops("DescribeKey"),
			Title:  "answers NotFoundException \"Invalid keyId '" + c.id + "'\"",
			AWS:    "NotFoundException `Invalid keyId '" + c.id + "'`",
			Source: answerSource("NotFound.InvalidKeyID") + " [S]",
			Check: func(t *T) {
				_, err := t.C.DescribeKey(t.Ctx, &kms.DescribeKeyInput{KeyId: aws.String(c.id)})
				t.Want(err, "NotFound.InvalidKeyID", c.id)
			},
		})
	}
	add(&Spec{
		ID: "DescribeKey/NotFound/absent-id-expanded", Topic: "keys", Ops: ops("DescribeKey"),
		Title:  "answers NotFoundException with the expanded ARN for a well-formed absent id",
		AWS:    "NotFoundException `Key 'arn:aws:kms:<region>:<account>:key/<id>' does not exist`: a bare id is expanded to an ARN",
		Source: answerSource("NotFound.KeyArn") + " [S] (test_get_key_does_not_exist)",
		Check: func(t *T) {
			const id = "134f2428-cec1-4b25-a1ae-9048164dba47"
			_, err := t.C.DescribeKey(t.Ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
			t.Want(err, "NotFound.KeyArn", t.KeyARN(id))
		},
	}, &Spec{
		ID: "DescribeKey/NotFound/absent-arn", Topic: "keys", Ops: ops("DescribeKey"),
		Title:  "answers NotFoundException for the ARN of an absent key",
		AWS:    "NotFoundException `Key '<key-arn>' does not exist`",
		Source: answerSource("NotFound.KeyArn") + " [S]",
		Check: func(t *T) {
			arn := t.KeyARN("134f2428-cec1-4b25-a1ae-9048164dba47")
			_, err := t.C.DescribeKey(t.Ctx, &kms.DescribeKeyInput{KeyId: aws.String(arn)})
			t.Want(err, "NotFound.KeyArn", arn)
		},
	}, &Spec{
		ID: "ListKeys/paging", Topic: "keys", Ops: ops("ListKeys"),
		Title:  "lists a new key with its ARN and pages with Limit and Marker",
		AWS:    "ListKeys returns KeyId and KeyArn, at most Limit entries, and NextMarker only when Truncated",
		Source: api + "ListKeys (Limit, Marker, NextMarker, Truncated)",
		Check: func(t *T) {
			a := t.Key(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			b := t.Key(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			seen := map[string]string{}
			var marker *string
			pages := 0
			for {
				out, err := t.C.ListKeys(t.Ctx, &kms.ListKeysInput{Limit: aws.Int32(100), Marker: marker})
				t.OK(err, "ListKeys")
				t.True(len(out.Keys) <= 100, "Limit=100 returned %d keys", len(out.Keys))
				for _, k := range out.Keys {
					seen[aws.ToString(k.KeyId)] = aws.ToString(k.KeyArn)
				}
				pages++
				if !out.Truncated {
					t.True(out.NextMarker == nil, "NextMarker %q without Truncated", aws.ToString(out.NextMarker))
					break
				}
				t.True(aws.ToString(out.NextMarker) != "", "Truncated with no NextMarker")
				t.True(pages < 10000, "paging does not end")
				marker = out.NextMarker
			}
			out, err := t.C.ListKeys(t.Ctx, &kms.ListKeysInput{Limit: aws.Int32(1)})
			t.OK(err, "ListKeys Limit=1")
			t.True(len(out.Keys) <= 1, "Limit=1 returned %d keys", len(out.Keys))
			t.True(out.Truncated && out.NextMarker != nil, "Limit=1 with several keys must be Truncated with a NextMarker")
			for _, k := range []*types.KeyMetadata{a, b} {
				t.Equal(seen[aws.ToString(k.KeyId)], aws.ToString(k.Arn), "ListKeys entry of %s", aws.ToString(k.KeyId))
			}
		},
	})
}
