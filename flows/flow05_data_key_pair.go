package flows

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// Flow 5 — seed 002: a data key pair from GenerateDataKeyPairWithoutPlaintext,
// PEM made by `fold -w60`, PKCS#1 v1.5 pkeyutl encryption, the private key
// recovered by Decrypt without KeyId, pkeyutl -decrypt, diff. EC pairs are
// checked by deriving the public key from the recovered private key.
func init() {
	f := &Flow{ID: 5, Title: "GenerateDataKeyPairWithoutPlaintext: PEM by fold -w60, pkeyutl PKCS#1 v1.5, private key via Decrypt", Seeds: []string{"002"}}
	for _, spec := range []string{"RSA_2048", "RSA_3072", "RSA_4096"} {
		f.Cases = append(f.Cases, Case{Name: spec, Params: P("key_pair_spec", spec), Expect: MustPass, Run: func(x *X) { flow5RSA(x, spec) }})
	}
	f.Cases = append(f.Cases, Case{Name: "ECC_NIST_P256", Params: P("key_pair_spec", "ECC_NIST_P256"), Expect: MustPass, Run: flow5EC})
	register(f)
}

// keyPairJSON is what `aws kms generate-data-key-pair-without-plaintext` prints.
type keyPairJSON struct {
	KeyID                    string `json:"KeyId"`
	KeyPairSpec              string `json:"KeyPairSpec"`
	PublicKey                string `json:"PublicKey"`
	PrivateKeyCiphertextBlob string `json:"PrivateKeyCiphertextBlob"`
}

// dataKeyPair writes keypair.json for spec; the pair is generated once per
// run and spec (it is an RSA key generation in KMS).
func dataKeyPair(x *X, spec string) {
	cmk := x.SharedKey("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "")
	line := fmt.Sprintf("aws kms generate-data-key-pair-without-plaintext --key-id %s --key-pair-spec %s > keypair.json  # once per run and spec", cmk, spec)
	x.KMSCall(line, func(ctx context.Context, c *kms.Client) error {
		v, err := x.kms.dataKeyPair(ctx, cmk, spec)
		if err != nil {
			return err
		}
		return x.writeKMSOutput("keypair.json", v)
	})
}

// dataKeyPair returns keypair.json for spec under the symmetric key cmk,
// generated once per run (Prewarm starts it early).
func (k *KMS) dataKeyPair(ctx context.Context, cmk, spec string) ([]byte, error) {
	v, err := k.Shared("datakeypair/"+spec, func() (any, error) {
		r, err := k.Client.GenerateDataKeyPairWithoutPlaintext(context.WithoutCancel(ctx), &kms.GenerateDataKeyPairWithoutPlaintextInput{KeyId: aws.String(cmk), KeyPairSpec: types.DataKeyPairSpec(spec)})
		if err != nil {
			return nil, err
		}
		return json.MarshalIndent(keyPairJSON{aws.ToString(r.KeyId), string(r.KeyPairSpec), b64(r.PublicKey), b64(r.PrivateKeyCiphertextBlob)}, "", "    ")
	})
	if err != nil {
		return nil, err
	}
	return v.([]byte), nil
}

// pemFold is the seed's heredoc: header, base64 folded at 60, footer.
func pemFold(kind, b64text string) []byte {
	var b strings.Builder
	b.WriteString("-----BEGIN " + kind + "-----\n")
	for len(b64text) > 60 {
		b.WriteString(b64text[:60] + "\n")
		b64text = b64text[60:]
	}
	b.WriteString(b64text + "\n-----END " + kind + "-----\n")
	return []byte(b.String())
}

// recoverPrivateKey decrypts the private key blob without KeyId and writes
// private.key as the seed does.
func recoverPrivateKey(x *X) {
	var kp keyPairJSON
	if b := x.ReadFile("keypair.json"); b != nil {
		if err := json.Unmarshal(b, &kp); err != nil {
			x.failf("flow error: keypair.json: %v", err)
		}
	}
	blob, err := b64dec(kp.PrivateKeyCiphertextBlob)
	if err != nil {
		x.failf("flow error: PrivateKeyCiphertextBlob: %v", err)
	}
	x.WriteFile("private.blob", blob, "jq -r .PrivateKeyCiphertextBlob keypair.json | base64 --decode > private.blob")
	x.Decrypt("", "", "private.blob", "private.der")
	der := x.ReadFile("private.der")
	x.WriteFile("private.key", pemFold("PRIVATE KEY", b64(der)), "{ echo '-----BEGIN PRIVATE KEY-----'; base64 -w0 private.der | fold -w60; echo; echo '-----END PRIVATE KEY-----'; } > private.key")
	_ = os.Remove(filepath.Join(x.dir, "private.der"))
}

func flow5RSA(x *X, spec string) {
	dataKeyPair(x, spec)
	var kp keyPairJSON
	if b := x.ReadFile("keypair.json"); b != nil {
		_ = json.Unmarshal(b, &kp)
	}
	x.WriteFile("public.key", pemFold("PUBLIC KEY", kp.PublicKey), "{ echo '-----BEGIN PUBLIC KEY-----'; jq -r .PublicKey keypair.json | fold -w60; echo '-----END PUBLIC KEY-----'; } > public.key")
	x.WriteFile("input.txt", []byte("My top secret message\n"), `echo "My top secret message" > ./input.txt`)
	x.Producer("pkeyutl", "-encrypt", "-pubin", "-inkey", "public.key", "-in", "./input.txt", "-out", "./input.txt.encrypted")
	recoverPrivateKey(x)
	x.Consumer("pkeyutl", "-decrypt", "-inkey", "private.key", "-in", "./input.txt.encrypted", "-out", "./input.txt.decrypted")
	x.Same("input.txt", "input.txt.decrypted")
}

func flow5EC(x *X) {
	dataKeyPair(x, "ECC_NIST_P256")
	var kp keyPairJSON
	if b := x.ReadFile("keypair.json"); b != nil {
		_ = json.Unmarshal(b, &kp)
	}
	pub, err := b64dec(kp.PublicKey)
	if err != nil {
		x.failf("flow error: PublicKey: %v", err)
	}
	x.WriteFile("public.der", pub, "jq -r .PublicKey keypair.json | base64 --decode > public.der")
	recoverPrivateKey(x)
	x.Consumer("ec", "-in", "private.key", "-pubout", "-outform", "DER", "-out", "derived.der")
	x.Same("public.der", "derived.der")
	x.Producer("ec", "-pubin", "-inform", "DER", "-in", "public.der", "-pubout", "-outform", "DER", "-out", "public2.der")
	x.Same("public.der", "public2.der")
}
