package kmsspec

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kmsconform/kmsconform/kmsfake"
)

func stateSpec(id, title, awsText, source string, o []string, check func(*T)) *Spec {
	return &Spec{ID: id, Topic: "states", Title: title, AWS: awsText, Source: source, Ops: o, Check: check}
}

// disabled creates a key of spec/usage and disables it.
func disabled(t *T, spec types.KeySpec, usage types.KeyUsageType) *types.KeyMetadata {
	md := t.Key(spec, usage)
	_, err := t.C.DisableKey(t.Ctx, &kms.DisableKeyInput{KeyId: md.KeyId})
	t.OK(err, "DisableKey")
	return md
}

// pendingDeletion creates a symmetric key and schedules its deletion.
func pendingDeletion(t *T) *types.KeyMetadata {
	md := t.Key(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
	_, err := t.C.ScheduleKeyDeletion(t.Ctx, &kms.ScheduleKeyDeletionInput{KeyId: md.KeyId, PendingWindowInDays: aws.Int32(7)})
	t.OK(err, "ScheduleKeyDeletion")
	return md
}

func init() {
	add(stateSpec("DisableKey/symmetric/refuses-use-until-enabled", "refuses Encrypt, Decrypt and GenerateDataKey on a disabled key with DisabledException, and works again once enabled",
		"DisableKey → KeyState Disabled, Enabled false; crypto operations answer DisabledException `<key-arn> is disabled.`; EnableKey restores them",
		answerSource("Disabled")+"; "+kmsfake.SourceKeyState+" [A]", ops("DisableKey", "EnableKey", "Encrypt", "Decrypt", "GenerateDataKey"), func(t *T) {
			md := t.Key(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			enc, err := t.C.Encrypt(t.Ctx, &kms.EncryptInput{KeyId: md.KeyId, Plaintext: []byte("before")})
			t.OK(err, "Encrypt")
			_, err = t.C.DisableKey(t.Ctx, &kms.DisableKeyInput{KeyId: md.KeyId})
			t.OK(err, "DisableKey")
			d, err := t.C.DescribeKey(t.Ctx, &kms.DescribeKeyInput{KeyId: md.KeyId})
			t.OK(err, "DescribeKey of a disabled key")
			t.Equal(d.KeyMetadata.KeyState, types.KeyStateDisabled, "KeyState")
			t.True(!d.KeyMetadata.Enabled, "Enabled is true for a disabled key")
			arn := aws.ToString(md.Arn)
			_, err = t.C.Encrypt(t.Ctx, &kms.EncryptInput{KeyId: md.KeyId, Plaintext: []byte("x")})
			t.Want(err, "Disabled", arn)
			_, err = t.C.Decrypt(t.Ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
			t.Want(err, "Disabled", arn)
			_, err = t.C.GenerateDataKey(t.Ctx, &kms.GenerateDataKeyInput{KeyId: md.KeyId, KeySpec: types.DataKeySpecAes256})
			t.Want(err, "Disabled", arn)
			_, err = t.C.EnableKey(t.Ctx, &kms.EnableKeyInput{KeyId: md.KeyId})
			t.OK(err, "EnableKey")
			out, err := t.C.Decrypt(t.Ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
			t.OK(err, "Decrypt after EnableKey")
			t.Equal(out.Plaintext, []byte("before"), "Plaintext")
		}),
		stateSpec("DisableKey/RSA_2048/Decrypt-refused", "refuses RSA Decrypt on a disabled key with DisabledException",
			"DisabledException `<key-arn> is disabled.`", answerSource("Disabled"), ops("DisableKey", "Decrypt"), func(t *T) {
				md := t.Key(types.KeySpecRsa2048, types.KeyUsageTypeEncryptDecrypt)
				enc, err := t.C.Encrypt(t.Ctx, &kms.EncryptInput{KeyId: md.KeyId, Plaintext: []byte("x"), EncryptionAlgorithm: types.EncryptionAlgorithmSpecRsaesOaepSha256})
				t.OK(err, "Encrypt")
				_, err = t.C.DisableKey(t.Ctx, &kms.DisableKeyInput{KeyId: md.KeyId})
				t.OK(err, "DisableKey")
				_, err = t.C.Decrypt(t.Ctx, &kms.DecryptInput{KeyId: md.KeyId, CiphertextBlob: enc.CiphertextBlob, EncryptionAlgorithm: types.EncryptionAlgorithmSpecRsaesOaepSha256})
				t.Want(err, "Disabled", aws.ToString(md.Arn))
			}),
		stateSpec("DisableKey/ECC_NIST_P256/Sign-refused", "refuses Sign with a disabled key with DisabledException",
			"DisabledException `<key-arn> is disabled.`", answerSource("Disabled")+"; "+api+"Sign, Errors: DisabledException", ops("DisableKey", "Sign"), func(t *T) {
				md := disabled(t, types.KeySpecEccNistP256, types.KeyUsageTypeSignVerify)
				_, err := t.C.Sign(t.Ctx, &kms.SignInput{KeyId: md.KeyId, Message: []byte("x"), SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256})
				t.Want(err, "Disabled", aws.ToString(md.Arn))
			}),
		stateSpec("DisableKey/ECC_NIST_P256/DeriveSharedSecret-refused", "refuses DeriveSharedSecret with a disabled key with DisabledException",
			"DisabledException `<key-arn> is disabled.`", answerSource("Disabled")+"; "+api+"DeriveSharedSecret, Errors: DisabledException", ops("DisableKey", "DeriveSharedSecret"), func(t *T) {
				peer := t.PublicKey(t.Shared(types.KeySpecEccNistP256, types.KeyUsageTypeKeyAgreement))
				md := disabled(t, types.KeySpecEccNistP256, types.KeyUsageTypeKeyAgreement)
				_, err := t.C.DeriveSharedSecret(t.Ctx, &kms.DeriveSharedSecretInput{KeyId: md.KeyId, KeyAgreementAlgorithm: types.KeyAgreementAlgorithmSpecEcdh, PublicKey: peer})
				t.Want(err, "Disabled", aws.ToString(md.Arn))
			}),
		stateSpec("DisableKey/symmetric/GenerateDataKeyPair-refused", "refuses GenerateDataKeyPair under a disabled key with DisabledException",
			"DisabledException `<key-arn> is disabled.`", answerSource("Disabled")+"; "+api+"GenerateDataKeyPair, Errors: DisabledException", ops("DisableKey", "GenerateDataKeyPair"), func(t *T) {
				md := disabled(t, types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
				_, err := t.C.GenerateDataKeyPair(t.Ctx, &kms.GenerateDataKeyPairInput{KeyId: md.KeyId, KeyPairSpec: types.DataKeyPairSpecEccNistP256})
				t.Want(err, "Disabled", aws.ToString(md.Arn))
			}),
		stateSpec("DisableKey/DescribeKey-still-works", "still describes a disabled key",
			"DescribeKey works in every key state", api+"DescribeKey; "+devguide+"Key states: effect on use", ops("DisableKey", "DescribeKey"), func(t *T) {
				md := disabled(t, types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
				d, err := t.C.DescribeKey(t.Ctx, &kms.DescribeKeyInput{KeyId: md.KeyId})
				t.OK(err, "DescribeKey of a disabled key")
				t.Equal(d.KeyMetadata.KeyState, types.KeyStateDisabled, "KeyState")
			}),
		stateSpec("ScheduleKeyDeletion/refuses-use-and-cancels-to-Disabled", "schedules deletion (PendingDeletion, DeletionDate), refuses use with KMSInvalidStateException, and cancels to Disabled",
			"ScheduleKeyDeletion → PendingDeletion with DeletionDate; crypto answers `<key-arn> is pending deletion.`; a second schedule is KMSInvalidStateException; CancelKeyDeletion leaves the key Disabled without DeletionDate",
			answerSource("InvalidState.PendingDeletion")+"; "+kmsfake.SourceKeyState+" [A] (test_schedule_and_cancel_key_deletion, test_cant_delete_deleted_key)",
			ops("ScheduleKeyDeletion", "CancelKeyDeletion", "Encrypt", "Decrypt"), func(t *T) {
				md := t.Key(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
				enc, err := t.C.Encrypt(t.Ctx, &kms.EncryptInput{KeyId: md.KeyId, Plaintext: []byte("x")})
				t.OK(err, "Encrypt")
				s, err := t.C.ScheduleKeyDeletion(t.Ctx, &kms.ScheduleKeyDeletionInput{KeyId: md.KeyId, PendingWindowInDays: aws.Int32(7)})
				t.OK(err, "ScheduleKeyDeletion")
				t.Equal(s.KeyState, types.KeyStatePendingDeletion, "KeyState answered")
				t.True(s.PendingWindowInDays != nil && *s.PendingWindowInDays == 7, "PendingWindowInDays answered: %v", s.PendingWindowInDays)
				t.Equal(aws.ToString(s.KeyId), aws.ToString(md.Arn), "KeyId answered")
				d, err := t.C.DescribeKey(t.Ctx, &kms.DescribeKeyInput{KeyId: md.KeyId})
				t.OK(err, "DescribeKey")
				t.Equal(d.KeyMetadata.KeyState, types.KeyStatePendingDeletion, "KeyState")
				t.True(!d.KeyMetadata.Enabled, "Enabled is true for a key pending deletion")
				t.True(d.KeyMetadata.DeletionDate != nil, "no DeletionDate")
				arn := aws.ToString(md.Arn)
				_, err = t.C.Encrypt(t.Ctx, &kms.EncryptInput{KeyId: md.KeyId, Plaintext: []byte("x")})
				t.Want(err, "InvalidState.PendingDeletion", arn)
				_, err = t.C.Decrypt(t.Ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
				t.Want(err, "InvalidState.PendingDeletion", arn)
				_, err = t.C.ScheduleKeyDeletion(t.Ctx, &kms.ScheduleKeyDeletionInput{KeyId: md.KeyId, PendingWindowInDays: aws.Int32(7)})
				t.APIError(err, "KMSInvalidStateException")
				_, err = t.C.CancelKeyDeletion(t.Ctx, &kms.CancelKeyDeletionInput{KeyId: md.KeyId})
				t.OK(err, "CancelKeyDeletion")
				d, err = t.C.DescribeKey(t.Ctx, &kms.DescribeKeyInput{KeyId: md.KeyId})
				t.OK(err, "DescribeKey")
				t.Equal(d.KeyMetadata.KeyState, types.KeyStateDisabled, "KeyState after CancelKeyDeletion")
				t.True(!d.KeyMetadata.Enabled, "Enabled after CancelKeyDeletion")
				t.True(d.KeyMetadata.DeletionDate == nil, "DeletionDate after CancelKeyDeletion")
			}),
		stateSpec("ScheduleKeyDeletion/GenerateDataKey-refused", "refuses GenerateDataKey on a key pending deletion with KMSInvalidStateException",
			"KMSInvalidStateException", kmsfake.SourceEncryptDecrypt+" [A] (test_cant_use_disabled_or_deleted_keys)", ops("ScheduleKeyDeletion", "GenerateDataKey"), func(t *T) {
				md := pendingDeletion(t)
				_, err := t.C.GenerateDataKey(t.Ctx, &kms.GenerateDataKeyInput{KeyId: md.KeyId, KeySpec: types.DataKeySpecAes256})
				t.Want(err, "InvalidState.PendingDeletion", aws.ToString(md.Arn))
			}),
		stateSpec("ScheduleKeyDeletion/EnableKey-refused", "refuses EnableKey on a key pending deletion with KMSInvalidStateException",
			"a key pending deletion cannot be enabled: KMSInvalidStateException", api+"EnableKey, Errors: KMSInvalidStateException; "+devguide+"Key states", ops("ScheduleKeyDeletion", "EnableKey"), func(t *T) {
				md := pendingDeletion(t)
				_, err := t.C.EnableKey(t.Ctx, &kms.EnableKeyInput{KeyId: md.KeyId})
				t.APIError(err, "KMSInvalidStateException")
			}),
		stateSpec("ScheduleKeyDeletion/DisableKey-refused", "refuses DisableKey on a key pending deletion with KMSInvalidStateException",
			"KMSInvalidStateException", api+"DisableKey, Errors: KMSInvalidStateException; "+devguide+"Key states", ops("ScheduleKeyDeletion", "DisableKey"), func(t *T) {
				md := pendingDeletion(t)
				_, err := t.C.DisableKey(t.Ctx, &kms.DisableKeyInput{KeyId: md.KeyId})
				t.APIError(err, "KMSInvalidStateException")
			}),
		stateSpec("ScheduleKeyDeletion/DescribeKey-still-works", "still describes a key pending deletion, with its DeletionDate",
			"DescribeKey works in PendingDeletion and shows DeletionDate", srcMeta+" [A] (PendingDeletion: DeletionDate present)", ops("ScheduleKeyDeletion", "DescribeKey"), func(t *T) {
				md := pendingDeletion(t)
				d, err := t.C.DescribeKey(t.Ctx, &kms.DescribeKeyInput{KeyId: md.KeyId})
				t.OK(err, "DescribeKey")
				t.Equal(d.KeyMetadata.KeyState, types.KeyStatePendingDeletion, "KeyState")
				t.True(d.KeyMetadata.DeletionDate != nil, "no DeletionDate")
			}),
		stateSpec("CancelKeyDeletion/enabled-key-refused", "refuses CancelKeyDeletion on a key that is not pending deletion with KMSInvalidStateException",
			"KMSInvalidStateException", answerSource("InvalidState.NotPendingDeletion"), ops("CancelKeyDeletion"), func(t *T) {
				md := t.Key(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
				_, err := t.C.CancelKeyDeletion(t.Ctx, &kms.CancelKeyDeletionInput{KeyId: md.KeyId})
				t.APIError(err, "KMSInvalidStateException")
			}),
		stateSpec("ScheduleKeyDeletion/disabled-key", "schedules deletion of a disabled key",
			"ScheduleKeyDeletion is allowed on a disabled key", kmsfake.SourceKeyState+" [A] (test_cant_use_disabled_or_deleted_keys)", ops("ScheduleKeyDeletion", "DisableKey"), func(t *T) {
				md := disabled(t, types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
				_, err := t.C.ScheduleKeyDeletion(t.Ctx, &kms.ScheduleKeyDeletionInput{KeyId: md.KeyId, PendingWindowInDays: aws.Int32(30)})
				t.OK(err, "ScheduleKeyDeletion of a disabled key")
			}),
		stateSpec("ScheduleKeyDeletion/default-window-30", "schedules deletion with a 30-day window when none is given",
			"PendingWindowInDays defaults to 30", api+"ScheduleKeyDeletion, PendingWindowInDays (default 30)", ops("ScheduleKeyDeletion"), func(t *T) {
				md := t.Key(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
				s, err := t.C.ScheduleKeyDeletion(t.Ctx, &kms.ScheduleKeyDeletionInput{KeyId: md.KeyId})
				t.OK(err, "ScheduleKeyDeletion")
				t.True(s.PendingWindowInDays != nil && *s.PendingWindowInDays == 30, "PendingWindowInDays answered: %v, want 30", s.PendingWindowInDays)
			}),
		stateSpec("ScheduleKeyDeletion/window-bounds", "refuses a PendingWindowInDays outside 7..30 with ValidationException",
			"PendingWindowInDays must be 7..30: ValidationException", api+"ScheduleKeyDeletion, PendingWindowInDays (7 to 30)", ops("ScheduleKeyDeletion"), func(t *T) {
				md := t.Key(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
				for _, n := range []int32{6, 31} {
					_, err := t.C.ScheduleKeyDeletion(t.Ctx, &kms.ScheduleKeyDeletionInput{KeyId: md.KeyId, PendingWindowInDays: aws.Int32(n)})
					t.APIError(err, "ValidationException")
				}
			}),
	)
}
