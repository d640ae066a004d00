package kmsspec

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"hash"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kmsconform/kmsconform/kmsfake"
)

// external creates an EXTERNAL-origin key awaiting its material.
func external(t *T, spec types.KeySpec, usage types.KeyUsageType) *types.KeyMetadata {
	md := t.CreateKey(&kms.CreateKeyInput{Origin: types.OriginTypeExternal, KeySpec: spec, KeyUsage: usage})
	t.Equal(md.Origin, types.OriginTypeExternal, "Origin")
	t.Equal(md.KeyState, types.KeyStatePendingImport, "KeyState of a new EXTERNAL key")
	t.True(!md.Enabled, "a new EXTERNAL key is Enabled")
	return md
}

// params calls GetParametersForImport and checks its answer.
func params(t *T, md *types.KeyMetadata, alg types.AlgorithmSpec, spec types.WrappingKeySpec) *kms.GetParametersForImportOutput {
	p, err := t.C.GetParametersForImport(t.Ctx, &kms.GetParametersForImportInput{KeyId: md.KeyId, WrappingAlgorithm: alg, WrappingKeySpec: spec})
	t.OK(err, "GetParametersForImport %s %s", alg, spec)
	t.Equal(aws.ToString(p.KeyId), aws.ToString(md.Arn), "GetParametersForImport KeyId")
	t.True(len(p.ImportToken) > 0, "no ImportToken")
	t.True(p.ParametersValidTo != nil, "no ParametersValidTo")
	return p
}

// wrapGo wraps material with Go's crypto/rsa OAEP (SHA-1 or SHA-256).
func wrapGo(t *T, p *kms.GetParametersForImportOutput, alg types.AlgorithmSpec, material []byte) []byte {
	pub := rsaPublic(t, p.PublicKey)
	var h hash.Hash = sha256.New()
	if strings.HasSuffix(string(alg), "SHA_1") {
		h = sha1.New()
	}
	if strings.HasPrefix(string(alg), "RSA_AES_KEY_WRAP") {
		t.Fatalf("kmsspec: wrapGo cannot do %s (no AES-KWP in the standard library; use wrapOpenSSL)", alg)
	}
	out, err := rsa.EncryptOAEP(h, rand.Reader, pub, material, nil)
	t.OK(err, "rsa.EncryptOAEP of the key material")
	return out
}

// wrapOpenSSL wraps material as the AWS docs do with openssl: OAEP with
// pkeyutl, or for RSA_AES_KEY_WRAP_* a fresh AES-256 key wrapped with
// OAEP followed by the material wrapped with AES-KWP (enc
// -id-aes256-wrap-pad).
func wrapOpenSSL(t *T, p *kms.GetParametersForImportOutput, alg types.AlgorithmSpec, material []byte) []byte {
	md := "sha256"
	if strings.HasSuffix(string(alg), "SHA_1") {
		md = "sha1"
	}
	pub := t.WriteFile("wrapping.der", p.PublicKey)
	oaep := func(in string) []byte {
		return t.OpenSSL(nil, "pkeyutl", "-encrypt", "-pubin", "-keyform", "DER", "-inkey", pub, "-in", in,
			"-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:"+md, "-pkeyopt", "rsa_mgf1_md:"+md)
	}
	in := t.WriteFile("material.bin", material)
	if !strings.HasPrefix(string(alg), "RSA_AES_KEY_WRAP") {
		return oaep(in)
	}
	aesKey := make([]byte, 32)
	_, _ = rand.Read(aesKey)
	wrappedKey := oaep(t.WriteFile("aes.key", aesKey))
	out := filepath.Join(t.TempDir(), "material.kwp")
	t.OpenSSL(nil, "enc", "-id-aes256-wrap-pad", "-K", hex.EncodeToString(aesKey), "-iv", "A65959A6", "-in", in, "-out", out)
	return append(wrappedKey, t.ReadFile(out)...)
}

// importMaterial imports wrapped material that does not expire.
func importMaterial(t *T, md *types.KeyMetadata, token, wrapped []byte) {
	_, err := t.C.ImportKeyMaterial(t.Ctx, &kms.ImportKeyMaterialInput{KeyId: md.KeyId, ImportToken: token,
		EncryptedKeyMaterial: wrapped, ExpirationModel: types.ExpirationModelTypeKeyMaterialDoesNotExpire})
	t.OK(err, "ImportKeyMaterial")
}

// enabledAfterImport checks the key's metadata after an import.
func enabledAfterImport(t *T, md *types.KeyMetadata) {
	d, err := t.C.DescribeKey(t.Ctx, &kms.DescribeKeyInput{KeyId: md.KeyId})
	t.OK(err, "DescribeKey")
	t.Equal(d.KeyMetadata.KeyState, types.KeyStateEnabled, "KeyState after import")
	t.True(d.KeyMetadata.Enabled, "Enabled is false after import")
	t.Equal(d.KeyMetadata.ExpirationModel, types.ExpirationModelTypeKeyMaterialDoesNotExpire, "ExpirationModel")
}

// roundTrip encrypts and decrypts with a symmetric key.
func roundTrip(t *T, md *types.KeyMetadata) []byte {
	enc, err := t.C.Encrypt(t.Ctx, &kms.EncryptInput{KeyId: md.KeyId, Plaintext: []byte("imported")})
	t.OK(err, "Encrypt with the imported key")
	dec, err := t.C.Decrypt(t.Ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
	t.OK(err, "Decrypt")
	t.Equal(dec.Plaintext, []byte("imported"), "Plaintext")
	return enc.CiphertextBlob
}

func importSpec(id, title, awsText, source string, needs []Need, check func(*T)) *Spec {
	return &Spec{ID: id, Topic: "import", Title: title, AWS: awsText, Source: source, Needs: needs,
		Ops: ops("CreateKey", "GetParametersForImport", "ImportKeyMaterial"), Check: check}
}

func init() {
	add(importSpec("Encrypt/pending-import-refused", "refuses Encrypt before import with KMSInvalidStateException \"... is pending import.\"",
		"KMSInvalidStateException `<key-arn> is pending import.`", answerSource("InvalidState.PendingImport")+" [S] (test_import_key_symmetric)", nil, func(t *T) {
			md := external(t, "", "")
			_, err := t.C.Encrypt(t.Ctx, &kms.EncryptInput{KeyId: md.KeyId, Plaintext: []byte("x")})
			t.Want(err, "InvalidState.PendingImport", aws.ToString(md.Arn))
		}))
	// Symmetric material, every wrapping algorithm AWS offers for RSA
	// wrapping keys.
	for _, c := range []struct {
		alg   types.AlgorithmSpec
		spec  types.WrappingKeySpec
		wrap  string // "openssl" or "go"
		needs []Need
	}{
		{types.AlgorithmSpecRsaesOaepSha1, types.WrappingKeySpecRsa2048, "openssl", withOpenSSL},
		{types.AlgorithmSpecRsaesOaepSha256, types.WrappingKeySpecRsa2048, "openssl", withOpenSSL},
		{types.AlgorithmSpecRsaesOaepSha256, types.WrappingKeySpecRsa4096, "go", nil},
		{types.AlgorithmSpecRsaesOaepSha1, types.WrappingKeySpecRsa3072, "go", nil},
		{types.AlgorithmSpecRsaAesKeyWrapSha256, types.WrappingKeySpecRsa4096, "openssl", withOpenSSL},
		{types.AlgorithmSpecRsaAesKeyWrapSha256, types.WrappingKeySpecRsa2048, "openssl", withOpenSSL},
		{types.AlgorithmSpecRsaAesKeyWrapSha1, types.WrappingKeySpecRsa3072, "openssl", withOpenSSL},
	} {
		add(importSpec("ImportKeyMaterial/SYMMETRIC_DEFAULT/"+string(c.alg)+"/"+string(c.spec)+"/"+c.wrap,
			"imports 32 bytes wrapped by "+c.wrap+" with "+string(c.alg)+" under an "+string(c.spec)+" wrapping key, then encrypts and decrypts",
			"GetParametersForImport answers {ImportToken, KeyId (ARN), ParametersValidTo, PublicKey}; after ImportKeyMaterial the key is Enabled with its ExpirationModel and works",
			kmsfake.SourceImport+" [S]/[A] (wrapping combinations that worked; RSA_AES_KEY_WRAP_SHA_256 = OAEP-SHA256(AES key) ‖ AES-KWP(material)); "+api+"GetParametersForImport, WrappingAlgorithm",
			c.needs, func(t *T) {
				md := external(t, "", "")
				p := params(t, md, c.alg, c.spec)
				material := make([]byte, 32)
				_, _ = rand.Read(material)
				var wrapped []byte
				if c.wrap == "go" {
					wrapped = wrapGo(t, p, c.alg, material)
				} else {
					wrapped = wrapOpenSSL(t, p, c.alg, material)
				}
				importMaterial(t, md, p.ImportToken, wrapped)
				enabledAfterImport(t, md)
				roundTrip(t, md)
			}))
	}
	add(importSpec("ImportKeyMaterial/RSA_2048/RSA_AES_KEY_WRAP_SHA_256/public-key-matches", "imports an RSA_2048 PKCS#8 private key with RSA_AES_KEY_WRAP_SHA_256; GetPublicKey returns its public key and KMS decrypts OAEP made with it",
		"RSA material is PKCS#8 DER wrapped with RSA_AES_KEY_WRAP_*; GetPublicKey is byte-equal to the imported key's SPKI",
		kmsfake.SourceImport+" (test_import_key_rsa_aes_wrap_sha256 [A]); "+rec+"§2 (GetPublicKey after import [A])", withOpenSSL, func(t *T) {
			md := external(t, types.KeySpecRsa2048, types.KeyUsageTypeEncryptDecrypt)
			priv, err := rsa.GenerateKey(rand.Reader, 2048)
			t.OK(err, "generating an RSA key")
			pkcs8, err := x509.MarshalPKCS8PrivateKey(priv)
			t.OK(err, "PKCS#8")
			spki, err := x509.MarshalPKIXPublicKey(&priv.PublicKey)
			t.OK(err, "SPKI")
			p := params(t, md, types.AlgorithmSpecRsaAesKeyWrapSha256, types.WrappingKeySpecRsa4096)
			importMaterial(t, md, p.ImportToken, wrapOpenSSL(t, p, types.AlgorithmSpecRsaAesKeyWrapSha256, pkcs8))
			t.Equal(t.PublicKey(md), spki, "GetPublicKey after import vs the imported key's SPKI")
			ct, err := rsa.EncryptOAEP(sha256.New(), rand.Reader, &priv.PublicKey, []byte("to the imported key"), nil)
			t.OK(err, "rsa.EncryptOAEP")
			out, err := t.C.Decrypt(t.Ctx, &kms.DecryptInput{KeyId: md.KeyId, CiphertextBlob: ct, EncryptionAlgorithm: types.EncryptionAlgorithmSpecRsaesOaepSha256})
			t.OK(err, "Decrypt with the imported RSA key")
			t.Equal(out.Plaintext, []byte("to the imported key"), "Plaintext")
		}),
		importSpec("ImportKeyMaterial/ECC_NIST_P256/RSAES_OAEP_SHA_1/public-key-matches", "imports a P-256 PKCS#8 signing key wrapped with RSAES_OAEP_SHA_1; GetPublicKey returns its public key",
			"ECC material is PKCS#8 DER; RSAES_OAEP_SHA_1 with RSA_2048 wraps P-256 material; GetPublicKey is byte-equal to the imported key's SPKI",
			kmsfake.SourceImport+" (test_import_key_ecc_keys [A]: RSAES_OAEP_SHA_1 + RSA_2048 for P256)", nil, func(t *T) {
				md := external(t, types.KeySpecEccNistP256, types.KeyUsageTypeSignVerify)
				priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
				t.OK(err, "generating a P-256 key")
				pkcs8, err := x509.MarshalPKCS8PrivateKey(priv)
				t.OK(err, "PKCS#8")
				spki, err := x509.MarshalPKIXPublicKey(&priv.PublicKey)
				t.OK(err, "SPKI")
				p := params(t, md, types.AlgorithmSpecRsaesOaepSha1, types.WrappingKeySpecRsa2048)
				importMaterial(t, md, p.ImportToken, wrapGo(t, p, types.AlgorithmSpecRsaesOaepSha1, pkcs8))
				t.Equal(t.PublicKey(md), spki, "GetPublicKey after import vs the imported key's SPKI")
			}),
		importSpec("ImportKeyMaterial/ExpirationModel-required", "refuses ImportKeyMaterial without ExpirationModel or ValidTo with AWS's exact message",
			"ValidationException `A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES` (the default model)",
			answerSource("Validation.ValidToRequired")+" [S] (test_import_key_symmetric)", nil, func(t *T) {
				md := external(t, "", "")
				p := params(t, md, types.AlgorithmSpecRsaesOaepSha256, types.WrappingKeySpecRsa2048)
				wrapped := wrapGo(t, p, types.AlgorithmSpecRsaesOaepSha256, make([]byte, 32))
				_, err := t.C.ImportKeyMaterial(t.Ctx, &kms.ImportKeyMaterialInput{KeyId: md.KeyId, ImportToken: p.ImportToken, EncryptedKeyMaterial: wrapped})
				t.Want(err, "Validation.ValidToRequired")
				// The same token then works (recorded).
				importMaterial(t, md, p.ImportToken, wrapped)
			}),
		importSpec("ImportKeyMaterial/ValidTo", "imports material that expires at ValidTo and shows KEY_MATERIAL_EXPIRES and ValidTo",
			"with ExpirationModel KEY_MATERIAL_EXPIRES and a future ValidTo, DescribeKey shows both", api+"ImportKeyMaterial, ValidTo and ExpirationModel; DescribeKey, KeyMetadata.ValidTo", nil, func(t *T) {
				md := external(t, "", "")
				p := params(t, md, types.AlgorithmSpecRsaesOaepSha256, types.WrappingKeySpecRsa2048)
				validTo := time.Now().Add(48 * time.Hour).Truncate(time.Second)
				_, err := t.C.ImportKeyMaterial(t.Ctx, &kms.ImportKeyMaterialInput{KeyId: md.KeyId, ImportToken: p.ImportToken,
					EncryptedKeyMaterial: wrapGo(t, p, types.AlgorithmSpecRsaesOaepSha256, make([]byte, 32)),
					ExpirationModel:      types.ExpirationModelTypeKeyMaterialExpires, ValidTo: aws.Time(validTo)})
				t.OK(err, "ImportKeyMaterial with ValidTo")
				d, err := t.C.DescribeKey(t.Ctx, &kms.DescribeKeyInput{KeyId: md.KeyId})
				t.OK(err, "DescribeKey")
				t.Equal(d.KeyMetadata.ExpirationModel, types.ExpirationModelTypeKeyMaterialExpires, "ExpirationModel")
				t.True(d.KeyMetadata.ValidTo != nil && d.KeyMetadata.ValidTo.Unix() == validTo.Unix(), "ValidTo: got %v, want %v", d.KeyMetadata.ValidTo, validTo)
			}),
		importSpec("ImportKeyMaterial/token-of-another-key", "refuses the import token of another key with InvalidImportTokenException",
			"an import token belongs to the key it was issued for: InvalidImportTokenException", answerSource("InvalidImportToken"), nil, func(t *T) {
				a := external(t, "", "")
				b := external(t, "", "")
				p := params(t, a, types.AlgorithmSpecRsaesOaepSha256, types.WrappingKeySpecRsa2048)
				_, err := t.C.ImportKeyMaterial(t.Ctx, &kms.ImportKeyMaterialInput{KeyId: b.KeyId, ImportToken: p.ImportToken,
					EncryptedKeyMaterial: wrapGo(t, p, types.AlgorithmSpecRsaesOaepSha256, make([]byte, 32)), ExpirationModel: types.ExpirationModelTypeKeyMaterialDoesNotExpire})
				t.APIError(err, "InvalidImportTokenException")
			}),
		importSpec("ImportKeyMaterial/reimport-other-material", "refuses to re-import different material into a key with IncorrectKeyMaterialException, and accepts the same material again",
			"a key's material never changes: re-importing other bytes is IncorrectKeyMaterialException; the same bytes are accepted",
			answerSource("IncorrectKeyMaterial.Reimport"), nil, func(t *T) {
				md := external(t, "", "")
				material := make([]byte, 32)
				_, _ = rand.Read(material)
				p := params(t, md, types.AlgorithmSpecRsaesOaepSha256, types.WrappingKeySpecRsa2048)
				importMaterial(t, md, p.ImportToken, wrapGo(t, p, types.AlgorithmSpecRsaesOaepSha256, material))
				blob := roundTrip(t, md)
				p = params(t, md, types.AlgorithmSpecRsaesOaepSha256, types.WrappingKeySpecRsa2048)
				other := make([]byte, 32)
				_, _ = rand.Read(other)
				_, err := t.C.ImportKeyMaterial(t.Ctx, &kms.ImportKeyMaterialInput{KeyId: md.KeyId, ImportToken: p.ImportToken,
					EncryptedKeyMaterial: wrapGo(t, p, types.AlgorithmSpecRsaesOaepSha256, other), ExpirationModel: types.ExpirationModelTypeKeyMaterialDoesNotExpire})
				t.APIError(err, "IncorrectKeyMaterialException")
				p = params(t, md, types.AlgorithmSpecRsaesOaepSha256, types.WrappingKeySpecRsa2048)
				importMaterial(t, md, p.ImportToken, wrapGo(t, p, types.AlgorithmSpecRsaesOaepSha256, material))
				d, err := t.C.Decrypt(t.Ctx, &kms.DecryptInput{CiphertextBlob: blob})
				t.OK(err, "Decrypt of an earlier ciphertext after re-import")
				t.Equal(d.Plaintext, []byte("imported"), "Plaintext")
			}),
		importSpec("GetParametersForImport/AWS_KMS-key-refused", "refuses GetParametersForImport on an AWS_KMS key with AWS's exact message",
			"UnsupportedOperationException `<key-arn> origin is AWS_KMS which is not valid for this operation.`",
			answerSource("Unsupported.Origin.ForOperation")+" [S]", nil, func(t *T) {
				md := t.Shared(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
				_, err := t.C.GetParametersForImport(t.Ctx, &kms.GetParametersForImportInput{KeyId: md.KeyId, WrappingAlgorithm: types.AlgorithmSpecRsaesOaepSha256, WrappingKeySpec: types.WrappingKeySpecRsa2048})
				t.Want(err, "Unsupported.Origin.ForOperation", aws.ToString(md.Arn), "AWS_KMS")
			}),
	)
}
