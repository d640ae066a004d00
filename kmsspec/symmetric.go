package kmsspec

import (
	"bytes"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kmsconform/kmsconform/kmsfake"
)

var symEC = map[string]string{"purpose": "kmsconform", "tenant": "42"}

var symPlaintext = []byte("kmsconform symmetric plaintext")

// symBlob encrypts symPlaintext under the run's shared symmetric key with
// symEC and returns the key and the blob.
func symBlob(t *T) (*types.KeyMetadata, []byte) {
	md := t.Shared(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
	out, err := t.C.Encrypt(t.Ctx, &kms.EncryptInput{KeyId: md.KeyId, Plaintext: symPlaintext, EncryptionContext: symEC})
	t.OK(err, "Encrypt")
	t.Equal(aws.ToString(out.KeyId), aws.ToString(md.Arn), "Encrypt KeyId answer")
	return md, out.CiphertextBlob
}

func symSpec(id, title, aws, source string, o []string, check func(*T)) *Spec {
	return &Spec{ID: id, Topic: "symmetric", Title: title, AWS: aws, Source: source, Ops: o, Check: check}
}

func init() {
	ed := ops("Encrypt", "Decrypt")
	add(
		symSpec("Decrypt/symmetric/without-KeyId", "decrypts without KeyId and names the key by ARN",
			"Decrypt of a symmetric blob needs no KeyId; it answers the plaintext, the key ARN and EncryptionAlgorithm SYMMETRIC_DEFAULT",
			kmsfake.SourceEncryptDecrypt+" (Decrypt shape [S])", ed, func(t *T) {
				md, blob := symBlob(t)
				out, err := t.C.Decrypt(t.Ctx, &kms.DecryptInput{CiphertextBlob: blob, EncryptionContext: symEC})
				t.OK(err, "Decrypt")
				t.Equal(out.Plaintext, symPlaintext, "Plaintext")
				t.Equal(aws.ToString(out.KeyId), aws.ToString(md.Arn), "Decrypt KeyId answer")
				t.Equal(out.EncryptionAlgorithm, types.EncryptionAlgorithmSpecSymmetricDefault, "Decrypt EncryptionAlgorithm")
			}),
		symSpec("Decrypt/symmetric/with-KeyId", "decrypts with the right KeyId given",
			"Decrypt with the KeyId of the key that encrypted succeeds", api+"Decrypt, KeyId", ed, func(t *T) {
				md, blob := symBlob(t)
				out, err := t.C.Decrypt(t.Ctx, &kms.DecryptInput{CiphertextBlob: blob, EncryptionContext: symEC, KeyId: md.KeyId})
				t.OK(err, "Decrypt")
				t.Equal(out.Plaintext, symPlaintext, "Plaintext")
			}),
		symSpec("Encrypt/symmetric/randomised", "never encrypts the same plaintext to the same blob",
			"symmetric Encrypt uses AES-GCM with a fresh IV", devguide+"Cryptography essentials (AES-GCM, random IV)", ed, func(t *T) {
				md, blob := symBlob(t)
				out, err := t.C.Encrypt(t.Ctx, &kms.EncryptInput{KeyId: md.KeyId, Plaintext: symPlaintext, EncryptionContext: symEC})
				t.OK(err, "Encrypt")
				t.True(!bytes.Equal(out.CiphertextBlob, blob), "two Encrypt calls returned the same blob")
			}),
		symSpec("Decrypt/symmetric/missing-context", "refuses a missing encryption context with InvalidCiphertextException and no message",
			"InvalidCiphertextException with no message field at all", answerSource("InvalidCiphertext")+" [S] (test_encrypt_decrypt_encryption_context)", ed, func(t *T) {
				_, blob := symBlob(t)
				_, err := t.C.Decrypt(t.Ctx, &kms.DecryptInput{CiphertextBlob: blob})
				t.Want(err, "InvalidCiphertext")
				t.RawNoMessage("Decrypt", map[string]any{"CiphertextBlob": blob}, "InvalidCiphertextException")
			}),
		symSpec("Decrypt/symmetric/changed-context", "refuses a changed encryption context value with InvalidCiphertextException",
			"the context is authenticated: InvalidCiphertextException", answerSource("InvalidCiphertext"), ed, func(t *T) {
				_, blob := symBlob(t)
				_, err := t.C.Decrypt(t.Ctx, &kms.DecryptInput{CiphertextBlob: blob, EncryptionContext: map[string]string{"purpose": "kmsconform", "tenant": "43"}})
				t.Want(err, "InvalidCiphertext")
			}),
		symSpec("Decrypt/symmetric/extra-context", "refuses an encryption context with an extra pair with InvalidCiphertextException",
			"the whole context must match exactly: InvalidCiphertextException", devguide+"Encryption context (exact, case-sensitive match)", ed, func(t *T) {
				_, blob := symBlob(t)
				ec := map[string]string{"purpose": "kmsconform", "tenant": "42", "extra": "1"}
				_, err := t.C.Decrypt(t.Ctx, &kms.DecryptInput{CiphertextBlob: blob, EncryptionContext: ec})
				t.Want(err, "InvalidCiphertext")
			}),
		symSpec("Decrypt/symmetric/bit-flips", "refuses a flipped bit anywhere in the blob with InvalidCiphertextException",
			"a tampered blob is InvalidCiphertextException", answerSource("InvalidCiphertext"), ed, func(t *T) {
				_, blob := symBlob(t)
				for _, i := range []int{0, 1, len(blob) / 3, len(blob) / 2, len(blob) - 17, len(blob) - 1} {
					bad := bytes.Clone(blob)
					bad[i] ^= 0x01
					_, err := t.C.Decrypt(t.Ctx, &kms.DecryptInput{CiphertextBlob: bad, EncryptionContext: symEC})
					t.True(err != nil, "a bit flipped at byte %d of %d was accepted", i, len(blob))
					t.APIError(err, "InvalidCiphertextException")
				}
			}),
		symSpec("Decrypt/symmetric/truncated-or-extended", "refuses a truncated blob and one with bytes appended with InvalidCiphertextException",
			"InvalidCiphertextException with no message", answerSource("InvalidCiphertext")+" [S] (68 bytes removed; b\"bad_data\" appended)", ed, func(t *T) {
				_, blob := symBlob(t)
				for _, bad := range [][]byte{blob[:len(blob)-1], append(bytes.Clone(blob), []byte("bad_data")...)} {
					_, err := t.C.Decrypt(t.Ctx, &kms.DecryptInput{CiphertextBlob: bad, EncryptionContext: symEC})
					t.Want(err, "InvalidCiphertext")
				}
			}),
		symSpec("Decrypt/symmetric/KeyId-of-another-key", "refuses another key's KeyId with IncorrectKeyException and AWS's exact message",
			"IncorrectKeyException `The key ID in the request does not identify a CMK that can perform this operation.` (moto ignores KeyId, getmoto/moto#9907)",
			answerSource("IncorrectKey")+" [S]", ed, func(t *T) {
				_, blob := symBlob(t)
				other := t.Key(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
				_, err := t.C.Decrypt(t.Ctx, &kms.DecryptInput{CiphertextBlob: blob, EncryptionContext: symEC, KeyId: other.KeyId})
				t.Want(err, "IncorrectKey")
			}),
		symSpec("Decrypt/symmetric/ARN-of-another-key", "refuses another key's ARN as KeyId with IncorrectKeyException",
			"an explicit KeyId is honoured in every form: IncorrectKeyException (getmoto/moto#9907)", answerSource("IncorrectKey"), ed, func(t *T) {
				_, blob := symBlob(t)
				other := t.Key(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
				_, err := t.C.Decrypt(t.Ctx, &kms.DecryptInput{CiphertextBlob: blob, EncryptionContext: symEC, KeyId: other.Arn})
				t.Want(err, "IncorrectKey")
			}),
		symSpec("Decrypt/symmetric/alias-of-another-key", "refuses an alias of another key as KeyId with IncorrectKeyException",
			"an explicit KeyId is honoured when it is an alias: IncorrectKeyException (getmoto/moto#9907)", answerSource("IncorrectKey"), ops("Encrypt", "Decrypt", "CreateAlias"), func(t *T) {
				_, blob := symBlob(t)
				other := t.Key(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
				_, err := t.C.Decrypt(t.Ctx, &kms.DecryptInput{CiphertextBlob: blob, EncryptionContext: symEC, KeyId: aws.String(t.Alias(aws.ToString(other.KeyId)))})
				t.Want(err, "IncorrectKey")
			}),
		symSpec("Decrypt/symmetric/alias-of-the-key", "decrypts with an alias of the right key as KeyId",
			"KeyId may be an alias name of the encrypting key", api+"Decrypt, KeyId (key id, key ARN, alias name, alias ARN)", ops("Encrypt", "Decrypt", "CreateAlias"), func(t *T) {
				md := t.Key(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
				enc, err := t.C.Encrypt(t.Ctx, &kms.EncryptInput{KeyId: md.KeyId, Plaintext: symPlaintext})
				t.OK(err, "Encrypt")
				out, err := t.C.Decrypt(t.Ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, KeyId: aws.String(t.Alias(aws.ToString(md.KeyId)))})
				t.OK(err, "Decrypt with the alias as KeyId")
				t.Equal(out.Plaintext, symPlaintext, "Plaintext")
			}),
		symSpec("Encrypt/symmetric/4096-limit", "encrypts 4096 bytes and refuses 4097 with AWS's exact message",
			"ValidationException `1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096`",
			answerSource("Validation.MaxLen")+" [S] (test_plaintext_size_for_encrypt)", ops("Encrypt"), func(t *T) {
				md := t.Shared(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
				_, err := t.C.Encrypt(t.Ctx, &kms.EncryptInput{KeyId: md.KeyId, Plaintext: make([]byte, 4096)})
				t.OK(err, "Encrypt of 4096 bytes")
				_, err = t.C.Encrypt(t.Ctx, &kms.EncryptInput{KeyId: md.KeyId, Plaintext: make([]byte, 4097)})
				t.Want(err, "Validation.MaxLen", "plaintext", 4096)
			}),
		symSpec("ReEncrypt/symmetric/to-another-key", "re-encrypts under another key with ReEncrypt",
			"ReEncrypt answers SourceKeyId and KeyId as ARNs; the new blob decrypts under the destination key",
			kmsfake.SourceEncryptDecrypt+" (ReEncrypt shape [S])", ops("ReEncrypt", "Decrypt"), func(t *T) {
				md, blob := symBlob(t)
				dst := t.Key(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
				out, err := t.C.ReEncrypt(t.Ctx, &kms.ReEncryptInput{CiphertextBlob: blob, SourceEncryptionContext: symEC, DestinationKeyId: dst.KeyId})
				t.OK(err, "ReEncrypt")
				t.Equal(aws.ToString(out.SourceKeyId), aws.ToString(md.Arn), "SourceKeyId")
				t.Equal(aws.ToString(out.KeyId), aws.ToString(dst.Arn), "KeyId")
				t.Equal(out.SourceEncryptionAlgorithm, types.EncryptionAlgorithmSpecSymmetricDefault, "SourceEncryptionAlgorithm")
				t.Equal(out.DestinationEncryptionAlgorithm, types.EncryptionAlgorithmSpecSymmetricDefault, "DestinationEncryptionAlgorithm")
				d, err := t.C.Decrypt(t.Ctx, &kms.DecryptInput{CiphertextBlob: out.CiphertextBlob})
				t.OK(err, "Decrypt of the re-encrypted blob")
				t.Equal(d.Plaintext, symPlaintext, "Plaintext")
				t.Equal(aws.ToString(d.KeyId), aws.ToString(dst.Arn), "Decrypt KeyId answer")
			}),
	)

	// GenerateDataKey honours KeySpec and NumberOfBytes (LocalStack #10126).
	gdk := ops("GenerateDataKey", "Decrypt")
	add(symSpec("GenerateDataKey/AES_256", "returns a 32-byte AES_256 key whose blob decrypts to it",
		"GenerateDataKey answers {CiphertextBlob, KeyId (ARN), Plaintext}; the blob needs the same encryption context",
		kmsfake.SourceDataKeys+" [S]", gdk, func(t *T) {
			md := t.Shared(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			out, err := t.C.GenerateDataKey(t.Ctx, &kms.GenerateDataKeyInput{KeyId: md.KeyId, KeySpec: types.DataKeySpecAes256, EncryptionContext: symEC})
			t.OK(err, "GenerateDataKey")
			t.Equal(len(out.Plaintext), 32, "length of Plaintext")
			t.Equal(aws.ToString(out.KeyId), aws.ToString(md.Arn), "KeyId")
			d, err := t.C.Decrypt(t.Ctx, &kms.DecryptInput{CiphertextBlob: out.CiphertextBlob, EncryptionContext: symEC})
			t.OK(err, "Decrypt of CiphertextBlob")
			t.Equal(d.Plaintext, out.Plaintext, "decrypted data key")
			_, err = t.C.Decrypt(t.Ctx, &kms.DecryptInput{CiphertextBlob: out.CiphertextBlob})
			t.Want(err, "InvalidCiphertext")
		}),
		symSpec("GenerateDataKey/AES_128", "returns a 16-byte key for KeySpec AES_128, and the blob decrypts to it",
			"KeySpec AES_128 is a 128-bit (16-byte) data key (LocalStack ignored KeySpec, localstack#10126)",
			api+"GenerateDataKey, KeySpec (AES_128: 128-bit key)", gdk, func(t *T) {
				md := t.Shared(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
				out, err := t.C.GenerateDataKey(t.Ctx, &kms.GenerateDataKeyInput{KeyId: md.KeyId, KeySpec: types.DataKeySpecAes128})
				t.OK(err, "GenerateDataKey")
				t.Equal(len(out.Plaintext), 16, "length of Plaintext")
				d, err := t.C.Decrypt(t.Ctx, &kms.DecryptInput{CiphertextBlob: out.CiphertextBlob})
				t.OK(err, "Decrypt")
				t.Equal(d.Plaintext, out.Plaintext, "decrypted data key")
			}),
		symSpec("GenerateDataKey/KeySpec-and-NumberOfBytes", "refuses KeySpec and NumberOfBytes together with ValidationException",
			"exactly one of KeySpec and NumberOfBytes: ValidationException", answerSource("Validation.BytesOrSpec"), gdk, func(t *T) {
				md := t.Shared(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
				_, err := t.C.GenerateDataKey(t.Ctx, &kms.GenerateDataKeyInput{KeyId: md.KeyId, KeySpec: types.DataKeySpecAes256, NumberOfBytes: aws.Int32(16)})
				t.Want(err, "Validation.BytesOrSpec")
			}),
		symSpec("GenerateDataKey/neither-KeySpec-nor-NumberOfBytes", "refuses a request with neither KeySpec nor NumberOfBytes with ValidationException",
			"one of KeySpec and NumberOfBytes is required: ValidationException", answerSource("Validation.BytesOrSpec"), gdk, func(t *T) {
				md := t.Shared(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
				_, err := t.C.GenerateDataKey(t.Ctx, &kms.GenerateDataKeyInput{KeyId: md.KeyId})
				t.Want(err, "Validation.BytesOrSpec")
			}),
	)
	for _, n := range []int32{1, 64, 1024} {
		add(symSpec(fmt.Sprintf("GenerateDataKey/NumberOfBytes/%d", n), fmt.Sprintf("returns exactly %d bytes for NumberOfBytes %d, and the blob decrypts to them", n, n),
			"Plaintext has NumberOfBytes bytes (1..1024)", api+"GenerateDataKey, NumberOfBytes (1 to 1024)", gdk, func(t *T) {
				md := t.Shared(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
				out, err := t.C.GenerateDataKey(t.Ctx, &kms.GenerateDataKeyInput{KeyId: md.KeyId, NumberOfBytes: aws.Int32(n)})
				t.OK(err, "GenerateDataKey NumberOfBytes=%d", n)
				t.Equal(len(out.Plaintext), int(n), "length of Plaintext")
				d, err := t.C.Decrypt(t.Ctx, &kms.DecryptInput{CiphertextBlob: out.CiphertextBlob})
				t.OK(err, "Decrypt")
				t.Equal(d.Plaintext, out.Plaintext, "decrypted data key")
			}))
	}
	for _, n := range []int32{0, 1025} {
		add(symSpec(fmt.Sprintf("GenerateDataKey/NumberOfBytes/%d-refused", n), fmt.Sprintf("refuses NumberOfBytes %d with ValidationException", n),
			"NumberOfBytes must be 1..1024: ValidationException", api+"GenerateDataKey, NumberOfBytes (1 to 1024)", gdk, func(t *T) {
				md := t.Shared(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
				_, err := t.C.GenerateDataKey(t.Ctx, &kms.GenerateDataKeyInput{KeyId: md.KeyId, NumberOfBytes: aws.Int32(n)})
				t.APIError(err, "ValidationException")
			}))
	}
	add(symSpec("GenerateDataKey/RSA-key-refused", "refuses an RSA key with InvalidKeyUsageException",
		"GenerateDataKey needs a symmetric key: InvalidKeyUsageException", api+"GenerateDataKey, Errors: InvalidKeyUsageException", gdk, func(t *T) {
			md := t.Shared(types.KeySpecRsa2048, types.KeyUsageTypeEncryptDecrypt)
			_, err := t.C.GenerateDataKey(t.Ctx, &kms.GenerateDataKeyInput{KeyId: md.KeyId, KeySpec: types.DataKeySpecAes256})
			t.APIError(err, "InvalidKeyUsageException")
		}),
		symSpec("GenerateDataKeyWithoutPlaintext/AES_256", "returns only a blob that decrypts to 32 bytes",
			"GenerateDataKeyWithoutPlaintext answers {CiphertextBlob, KeyId (ARN)}", kmsfake.SourceDataKeys+" [S]", ops("GenerateDataKeyWithoutPlaintext", "Decrypt"), func(t *T) {
				md := t.Shared(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
				out, err := t.C.GenerateDataKeyWithoutPlaintext(t.Ctx, &kms.GenerateDataKeyWithoutPlaintextInput{KeyId: md.KeyId, KeySpec: types.DataKeySpecAes256})
				t.OK(err, "GenerateDataKeyWithoutPlaintext")
				t.Equal(aws.ToString(out.KeyId), aws.ToString(md.Arn), "KeyId")
				d, err := t.C.Decrypt(t.Ctx, &kms.DecryptInput{CiphertextBlob: out.CiphertextBlob})
				t.OK(err, "Decrypt")
				t.Equal(len(d.Plaintext), 32, "length of the decrypted data key")
			}),
		symSpec("GenerateDataKeyWithoutPlaintext/AES_128", "returns a blob that decrypts to 16 bytes for KeySpec AES_128",
			"KeySpec AES_128 is honoured without plaintext too", api+"GenerateDataKeyWithoutPlaintext, KeySpec", ops("GenerateDataKeyWithoutPlaintext", "Decrypt"), func(t *T) {
				md := t.Shared(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
				out, err := t.C.GenerateDataKeyWithoutPlaintext(t.Ctx, &kms.GenerateDataKeyWithoutPlaintextInput{KeyId: md.KeyId, KeySpec: types.DataKeySpecAes128})
				t.OK(err, "GenerateDataKeyWithoutPlaintext")
				d, err := t.C.Decrypt(t.Ctx, &kms.DecryptInput{CiphertextBlob: out.CiphertextBlob})
				t.OK(err, "Decrypt")
				t.Equal(len(d.Plaintext), 16, "length of the decrypted data key")
			}),
		symSpec("GenerateDataKeyWithoutPlaintext/NumberOfBytes/48", "returns a blob that decrypts to 48 bytes for NumberOfBytes 48",
			"NumberOfBytes is honoured without plaintext too", api+"GenerateDataKeyWithoutPlaintext, NumberOfBytes", ops("GenerateDataKeyWithoutPlaintext", "Decrypt"), func(t *T) {
				md := t.Shared(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
				out, err := t.C.GenerateDataKeyWithoutPlaintext(t.Ctx, &kms.GenerateDataKeyWithoutPlaintextInput{KeyId: md.KeyId, NumberOfBytes: aws.Int32(48)})
				t.OK(err, "GenerateDataKeyWithoutPlaintext")
				d, err := t.C.Decrypt(t.Ctx, &kms.DecryptInput{CiphertextBlob: out.CiphertextBlob})
				t.OK(err, "Decrypt")
				t.Equal(len(d.Plaintext), 48, "length of the decrypted data key")
			}),
		symSpec("GenerateDataKeyWithoutPlaintext/context-required", "refuses to decrypt its blob without the encryption context",
			"InvalidCiphertextException with no message", answerSource("InvalidCiphertext")+" [S] (GK::test_encryption_context_generate_data_key_without_plaintext)", ops("GenerateDataKeyWithoutPlaintext", "Decrypt"), func(t *T) {
				md := t.Shared(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
				out, err := t.C.GenerateDataKeyWithoutPlaintext(t.Ctx, &kms.GenerateDataKeyWithoutPlaintextInput{KeyId: md.KeyId, KeySpec: types.DataKeySpecAes256, EncryptionContext: symEC})
				t.OK(err, "GenerateDataKeyWithoutPlaintext")
				_, err = t.C.Decrypt(t.Ctx, &kms.DecryptInput{CiphertextBlob: out.CiphertextBlob})
				t.Want(err, "InvalidCiphertext")
			}),
	)
}
