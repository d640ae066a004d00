package flows

import (
	"github.com/kmsconform/kmsconform/failclass"

	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
)

// Flow 9 — refusals: each mistake gets its exact KMS error, and nothing is
// decrypted.
func init() {
	f := &Flow{ID: 9, Title: "refusals: wrong key, disabled key, pending deletion, tampered ciphertext, wrong curve", Seeds: []string{"000"}}
	f.Cases = []Case{
		{Name: "wrong-key", Params: P("error", "InvalidCiphertextException"), KMSConsumer: true, Expect: MustPass, Run: func(x *X) {
			wrapKey(x, "rsautl", "-encrypt", "-oaep", "-inkey", "pubkey.pem", "-pubin", "-in", "key.bin", "-out", "key.bin.enc")
			other := x.SharedKey("RSA_2048", "ENCRYPT_DECRYPT", "other")
			x.Refused(failclass.InvalidCiphertext, func() { x.Decrypt(other, "RSAES_OAEP_SHA_1", "key.bin.enc", "keyplaintext.bin") })
			nothingDecrypted(x, "keyplaintext.bin")
		}},
		{Name: "disabled-key", Params: P("error", "DisabledException"), KMSConsumer: true, Expect: MustPass, Run: func(x *X) {
			kid := symmetricBlob(x)
			x.KMSCall("aws kms disable-key --key-id "+kid, func(ctx context.Context, c *kms.Client) error {
				_, err := c.DisableKey(ctx, &kms.DisableKeyInput{KeyId: aws.String(kid)})
				return err
			})
			x.Refused(failclass.KeyDisabled, func() { x.Decrypt("", "", "DATA.kms.enc", "DATA.kms.dec") })
			nothingDecrypted(x, "DATA.kms.dec")
		}},
		{Name: "pending-deletion", Params: P("error", "KMSInvalidStateException"), KMSConsumer: true, Expect: MustPass, Run: func(x *X) {
			kid := symmetricBlob(x)
			x.KMSCall("aws kms schedule-key-deletion --key-id "+kid+" --pending-window-in-days 7", func(ctx context.Context, c *kms.Client) error {
				_, err := c.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(kid), PendingWindowInDays: aws.Int32(7)})
				return err
			})
			x.Refused(failclass.KeyInvalidState, func() { x.Decrypt("", "", "DATA.kms.enc", "DATA.kms.dec") })
			nothingDecrypted(x, "DATA.kms.dec")
		}},
		{Name: "tampered-ciphertext", Params: P("error", "InvalidCiphertextException"), KMSConsumer: true, Expect: MustPass, Run: func(x *X) {
			kid := wrapKey(x, "rsautl", "-encrypt", "-oaep", "-inkey", "pubkey.pem", "-pubin", "-in", "key.bin", "-out", "key.bin.enc")
			blob := x.ReadFile("key.bin.enc")
			if len(blob) > 10 {
				blob[10] ^= 0x01
			}
			x.WriteFile("key.bin.enc", blob, fmt.Sprintf("printf '\\x%02x' | dd of=key.bin.enc bs=1 seek=10 conv=notrunc  # flip one bit", safeByte(blob, 10)))
			x.Refused(failclass.InvalidCiphertext, func() { x.Decrypt(kid, "RSAES_OAEP_SHA_1", "key.bin.enc", "keyplaintext.bin") })
			nothingDecrypted(x, "keyplaintext.bin")
		}},
		{Name: "wrong-curve", Params: P("kms_key", "ECC_NIST_P256", "peer", "secp384r1"), KMSConsumer: true, Expect: MustPass, Run: func(x *X) {
			kid := x.SharedKey("ECC_NIST_P256", "KEY_AGREEMENT", "")
			x.Producer("ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", "p384.pem")
			x.Producer("ec", "-in", "p384.pem", "-pubout", "-outform", "DER", "-out", "p384.der")
			x.Refused(failclass.Validation, func() { x.DeriveSharedSecret(kid, "p384.der", "kms.ss") })
			nothingDecrypted(x, "kms.ss")
		}},
	}
	register(f)
}

// symmetricBlob creates a symmetric key for this cell and encrypts DATA
// under it into DATA.kms.enc; it returns the key id.
func symmetricBlob(x *X) string {
	kid := x.NewKey("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "")
	x.RandomFile("DATA", 64)
	x.Encrypt(kid, "", "DATA", "DATA.kms.enc")
	return kid
}

// nothingDecrypted fails the cell if a refused call still wrote out.
func nothingDecrypted(x *X, out string) {
	if _, err := os.Stat(filepath.Join(x.dir, out)); err == nil {
		x.failf("the call was refused but %s was written", out)
	}
}

func safeByte(b []byte, i int) byte {
	if i < len(b) {
		return b[i]
	}
	return 0
}
