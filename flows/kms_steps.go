package flows

import (
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// KMSCall runs one KMS API call, recorded as the aws CLI line that does the
// same by hand. An API error fails the cell with "Code: message" and the
// class of the code (failclass.KMS).
func (x *X) KMSCall(line string, call func(ctx context.Context, c *kms.Client) error) {
	if x.fail != "" {
		return
	}
	if x.kms == nil {
		x.failf("flow error: this cell has no KMS")
		return
	}
	start := time.Now()
	err := call(x.ctx, x.kms.Client)
	st := Step{Role: KMSRole, Phase: x.phase, Command: line, Duration: Duration(time.Since(start))}
	if err != nil {
		st.Error, st.Class = apiReason(err), kmsErrorClass(x.ctx, err)
		st.ExitCode = 254 // what the aws CLI exits with on a service error
		x.failc(st.Class, "%s", st.Error)
	}
	x.steps = append(x.steps, st)
}

// SharedKey returns a KMS key of spec and usage created once per run and
// reused by every cell (tag distinguishes several keys of one spec).
func (x *X) SharedKey(spec, usage, tag string) string {
	if x.fail != "" {
		return ""
	}
	var id string
	line := fmt.Sprintf("aws kms create-key --key-spec %s --key-usage %s --query KeyMetadata.KeyId --output text", spec, usage)
	x.KMSCall(line+"  # created once per run, shared by its cells", func(ctx context.Context, c *kms.Client) error {
		v, err := x.kms.Shared("key/"+spec+"/"+usage+"/"+tag, func() (any, error) {
			// Shared keys outlive the cell that asked first.
			return x.kms.CreateKey(context.WithoutCancel(ctx), spec, usage, "")
		})
		if err == nil {
			id = v.(string)
		}
		return err
	})
	return id
}

// NewKey creates a KMS key for this cell alone (origin "" or "EXTERNAL").
func (x *X) NewKey(spec, usage, origin string) string {
	var id string
	line := fmt.Sprintf("aws kms create-key --key-spec %s --key-usage %s", spec, usage)
	if origin != "" {
		line += " --origin " + origin
	}
	x.KMSCall(line+" --query KeyMetadata.KeyId --output text", func(ctx context.Context, c *kms.Client) error {
		var err error
		id, err = x.kms.CreateKey(ctx, spec, usage, origin)
		return err
	})
	return id
}

// writeKMSOutput stores a KMS answer's bytes in the cell's directory.
func (x *X) writeKMSOutput(name string, b []byte) error {
	return os.WriteFile(filepath.Join(x.dir, name), b, 0o600)
}

// GetPublicKey writes key's DER public key to out (seed 000 step 1).
func (x *X) GetPublicKey(keyID, out string) {
	line := fmt.Sprintf("aws kms get-public-key --key-id %s --query PublicKey --output text | base64 -d > %s", keyID, ShellQuote(out))
	x.KMSCall(line, func(ctx context.Context, c *kms.Client) error {
		r, err := c.GetPublicKey(ctx, &kms.GetPublicKeyInput{KeyId: aws.String(keyID)})
		if err != nil {
			return err
		}
		return x.writeKMSOutput(out, r.PublicKey)
	})
}

// Decrypt decrypts file in with key (none: the blob names it) and alg
// ("" for symmetric) and writes the plaintext to out (seed 000 step 6).
func (x *X) Decrypt(keyID, alg, in, out string) {
	line := "aws kms decrypt"
	if keyID != "" {
		line += " --key-id " + keyID
	}
	if alg != "" {
		line += " --encryption-algorithm " + alg
	}
	line += fmt.Sprintf(" --ciphertext-blob fileb://%s --query Plaintext --output text | base64 -d > %s", in, ShellQuote(out))
	x.KMSCall(line, func(ctx context.Context, c *kms.Client) error {
		blob, err := os.ReadFile(filepath.Join(x.dir, in))
		if err != nil {
			return err
		}
		input := &kms.DecryptInput{CiphertextBlob: blob}
		if keyID != "" {
			input.KeyId = aws.String(keyID)
		}
		if alg != "" {
			input.EncryptionAlgorithm = types.EncryptionAlgorithmSpec(alg)
		}
		r, err := c.Decrypt(ctx, input)
		if err != nil {
			return err
		}
		return x.writeKMSOutput(out, r.Plaintext)
	})
}

// Encrypt encrypts file in under key with alg ("" for symmetric) into out.
func (x *X) Encrypt(keyID, alg, in, out string) {
	line := "aws kms encrypt --key-id " + keyID
	if alg != "" {
		line += " --encryption-algorithm " + alg
	}
	line += fmt.Sprintf(" --plaintext fileb://%s --query CiphertextBlob --output text | base64 -d > %s", in, ShellQuote(out))
	x.KMSCall(line, func(ctx context.Context, c *kms.Client) error {
		pt, err := os.ReadFile(filepath.Join(x.dir, in))
		if err != nil {
			return err
		}
		input := &kms.EncryptInput{KeyId: aws.String(keyID), Plaintext: pt}
		if alg != "" {
			input.EncryptionAlgorithm = types.EncryptionAlgorithmSpec(alg)
		}
		r, err := c.Encrypt(ctx, input)
		if err != nil {
			return err
		}
		return x.writeKMSOutput(out, r.CiphertextBlob)
	})
}

// DeriveSharedSecret runs ECDH in KMS with the peer's DER public key in
// file peer and writes the raw shared secret to out (seed 003).
func (x *X) DeriveSharedSecret(keyID, peer, out string) {
	line := fmt.Sprintf("aws kms derive-shared-secret --key-id %s --key-agreement-algorithm ECDH --public-key fileb://%s --query SharedSecret --output text | base64 -d > %s", keyID, peer, ShellQuote(out))
	x.KMSCall(line, func(ctx context.Context, c *kms.Client) error {
		pub, err := os.ReadFile(filepath.Join(x.dir, peer))
		if err != nil {
			return err
		}
		r, err := c.DeriveSharedSecret(ctx, &kms.DeriveSharedSecretInput{KeyId: aws.String(keyID), KeyAgreementAlgorithm: types.KeyAgreementAlgorithmSpecEcdh, PublicKey: pub})
		if err != nil {
			return err
		}
		return x.writeKMSOutput(out, r.SharedSecret)
	})
}

// b64 is standard base64 with padding, as the aws CLI prints blobs.
func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
