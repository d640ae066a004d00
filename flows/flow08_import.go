package flows

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// Flow 8 — BYOK, the other OAEP direction: KMS hands out a wrapping public
// key, openssl wraps 32 bytes of key material with it, KMS imports it, and
// the imported key then encrypts and decrypts.
func init() {
	f := &Flow{ID: 8, Title: "import: openssl wraps key material for GetParametersForImport, ImportKeyMaterial, then Encrypt/Decrypt", Seeds: []string{"001"}}
	for _, w := range []struct{ alg, md string }{{"RSAES_OAEP_SHA_1", "sha1"}, {"RSAES_OAEP_SHA_256", "sha256"}} {
		f.Cases = append(f.Cases, Case{
			Name: w.alg, Params: P("wrapping_algorithm", w.alg, "wrapping_key_spec", "RSA_2048"), KMSConsumer: true,
			Needs: []Need{{Producer, FeatureOAEPMD}}, Expect: MustPass,
			Run: func(x *X) { flow8(x, w.alg, w.md) },
		})
	}
	register(f)
}

func flow8(x *X, alg, md string) {
	kid := x.NewKey("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "EXTERNAL")
	var token []byte
	x.KMSCall(fmt.Sprintf("aws kms get-parameters-for-import --key-id %s --wrapping-algorithm %s --wrapping-key-spec RSA_2048 > params.json  # PublicKey → WrappingPublicKey.der, ImportToken → ImportToken.bin", kid, alg),
		func(ctx context.Context, c *kms.Client) error {
			r, err := c.GetParametersForImport(ctx, &kms.GetParametersForImportInput{KeyId: aws.String(kid), WrappingAlgorithm: types.AlgorithmSpec(alg), WrappingKeySpec: types.WrappingKeySpecRsa2048})
			if err != nil {
				return err
			}
			token = r.ImportToken
			return x.writeKMSOutput("WrappingPublicKey.der", r.PublicKey)
		})
	x.Producer("rand", "-out", "PlaintextKeyMaterial.bin", "32")
	x.Producer("pkeyutl", "-encrypt", "-in", "PlaintextKeyMaterial.bin", "-out", "EncryptedKeyMaterial.bin", "-inkey", "WrappingPublicKey.der", "-keyform", "DER", "-pubin",
		"-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:"+md, "-pkeyopt", "rsa_mgf1_md:"+md)
	x.KMSCall(fmt.Sprintf("aws kms import-key-material --key-id %s --encrypted-key-material fileb://EncryptedKeyMaterial.bin --import-token fileb://ImportToken.bin --expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE", kid),
		func(ctx context.Context, c *kms.Client) error {
			enc, err := os.ReadFile(filepath.Join(x.dir, "EncryptedKeyMaterial.bin"))
			if err != nil {
				return err
			}
			_, err = c.ImportKeyMaterial(ctx, &kms.ImportKeyMaterialInput{KeyId: aws.String(kid), EncryptedKeyMaterial: enc, ImportToken: token, ExpirationModel: types.ExpirationModelTypeKeyMaterialDoesNotExpire})
			return err
		})
	x.RandomFile("plain.bin", 100)
	x.Encrypt(kid, "", "plain.bin", "plain.kms.enc")
	x.Decrypt(kid, "", "plain.kms.enc", "plain.kms.dec")
	x.Same("plain.bin", "plain.kms.dec")
}
