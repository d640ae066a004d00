package kmsspec

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/kmsconform/kmsconform/failclass"
	"github.com/kmsconform/kmsconform/kmsfake"
	"github.com/kmsconform/kmsconform/oracle"
)

// ecdhCurves are the KEY_AGREEMENT specs with their openssl curve name,
// Go curve and the size of Z.
var ecdhCurves = []struct {
	spec    types.KeySpec
	openssl string
	curve   elliptic.Curve
	size    int
}{
	{types.KeySpecEccNistP256, "prime256v1", elliptic.P256(), 32},
	{types.KeySpecEccNistP384, "secp384r1", elliptic.P384(), 48},
	{types.KeySpecEccNistP521, "secp521r1", elliptic.P521(), 66},
}

// peerKey makes an openssl EC key on curve and returns its PEM private key
// path and its DER SubjectPublicKeyInfo.
func peerKey(t *T, curve string) (string, []byte) {
	priv := filepath.Join(t.TempDir(), "peer_"+curve+".pem")
	t.OpenSSL(nil, "ecparam", "-name", curve, "-genkey", "-noout", "-out", priv)
	der := t.OpenSSL(nil, "ec", "-in", priv, "-pubout", "-outform", "DER")
	return priv, der
}

// derive calls DeriveSharedSecret with ECDH.
func derive(t *T, md *types.KeyMetadata, peerDER []byte) *kms.DeriveSharedSecretOutput {
	out, err := t.C.DeriveSharedSecret(t.Ctx, &kms.DeriveSharedSecretInput{KeyId: md.KeyId, KeyAgreementAlgorithm: types.KeyAgreementAlgorithmSpecEcdh, PublicKey: peerDER})
	t.OK(err, "DeriveSharedSecret")
	return out
}

// notKDFed fails with a hint when z is a hash of the expected secret.
func notKDFed(t *T, got, want []byte) {
	if bytes.Equal(got, want) {
		return
	}
	h := sha256.Sum256(want)
	if bytes.Equal(got, h[:]) {
		t.fail(failclass.Mismatch, "the endpoint returned SHA-256(Z), not Z: DeriveSharedSecret must return the raw shared secret")
	}
	t.fail(failclass.Mismatch, "shared secret: got %s, want %s (the raw ECDH Z, no KDF: LocalStack applied HKDF, localstack#12129)", show(got), show(want))
}

func ecdhSpec(id, title, awsText, source string, needs []Need, check func(*T)) *Spec {
	return &Spec{ID: id, Topic: "ecdh", Title: title, AWS: awsText, Source: source, Needs: needs, Ops: ops("DeriveSharedSecret"), Check: check}
}

func init() {
	for _, c := range ecdhCurves {
		add(ecdhSpec("DeriveSharedSecret/"+string(c.spec)+"/equals-openssl-derive", "equals openssl pkeyutl -derive with the key from GetPublicKey ("+string(c.spec)+")",
			"SharedSecret is the raw ECDH output Z (x-coordinate, no KDF); DeriveSharedSecret answers KeyAgreementAlgorithm ECDH and KeyOrigin AWS_KMS",
			kmsfake.SourceECDH+" [S] (test_derive_shared_secret, test_derive_shared_secret_matches_openssl); "+seeds+" 003", withOpenSSL, func(t *T) {
				md := t.Shared(c.spec, types.KeyUsageTypeKeyAgreement)
				priv, peerDER := peerKey(t, c.openssl)
				want := t.OpenSSL(nil, "pkeyutl", "-derive", "-inkey", priv, "-peerkey", t.PublicKeyPEM(md))
				t.Equal(len(want), c.size, "length of openssl's Z")
				out := derive(t, md, peerDER)
				notKDFed(t, out.SharedSecret, want)
				t.Equal(out.KeyAgreementAlgorithm, types.KeyAgreementAlgorithmSpecEcdh, "KeyAgreementAlgorithm")
				t.Equal(out.KeyOrigin, types.OriginTypeAwsKms, "KeyOrigin")
			}))
		add(ecdhSpec("DeriveSharedSecret/"+string(c.spec)+"/equals-oracle", "equals the Go oracle's ECDH with a peer key made in Go ("+string(c.spec)+"), with every leading zero kept",
			"SharedSecret is Z, as many bytes as the field (P-521: 66, leading zeros kept)", kmsfake.SourceECDH+" [S]; field-notes.md ECDH", nil, func(t *T) {
				md := t.Shared(c.spec, types.KeyUsageTypeKeyAgreement)
				peer, err := ecdsa.GenerateKey(c.curve, rand.Reader)
				t.OK(err, "generating a peer key")
				der, err := x509.MarshalPKIXPublicKey(&peer.PublicKey)
				t.OK(err, "encoding the peer key")
				pub, err := x509.ParsePKIXPublicKey(t.PublicKey(md))
				t.OK(err, "parsing GetPublicKey's key")
				kp, ok := pub.(*ecdsa.PublicKey)
				t.True(ok, "GetPublicKey returned a %T, not an EC key", pub)
				want, err := oracle.ECDH(peer, kp)
				t.OK(err, "oracle.ECDH")
				t.Equal(len(want), c.size, "length of the oracle's Z")
				notKDFed(t, derive(t, md, der).SharedSecret, want)
			}))
		add(ecdhSpec("DeriveSharedSecret/"+string(c.spec)+"/symmetric-between-two-keys", "derives the same secret from both sides of two KMS keys ("+string(c.spec)+")",
			"ECDH is symmetric: DeriveSharedSecret(A, pub B) = DeriveSharedSecret(B, pub A) (LocalStack returned different secrets per side, localstack#11905)",
			kmsfake.SourceECDH+" [S] (the two sides derive the same secret); field-notes.md ECDH", nil, func(t *T) {
				a := t.Shared(c.spec, types.KeyUsageTypeKeyAgreement)
				b := t.Key(c.spec, types.KeyUsageTypeKeyAgreement)
				ab := derive(t, a, t.PublicKey(b)).SharedSecret
				ba := derive(t, b, t.PublicKey(a)).SharedSecret
				t.Equal(ab, ba, "the two sides' secrets")
				t.Equal(len(ab), c.size, "length of Z")
			}))
	}
	add(ecdhSpec("DeriveSharedSecret/ECC_NIST_P256/by-alias", "derives with the key named by an alias, the same secret as by key id",
		"KeyId accepts an alias; the secret depends on the key, not on how it is named", api+"DeriveSharedSecret, KeyId (key id, key ARN, alias name, alias ARN)", nil, func(t *T) {
			md := t.Key(types.KeySpecEccNistP256, types.KeyUsageTypeKeyAgreement)
			peer, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
			t.OK(err, "generating a peer key")
			der, err := x509.MarshalPKIXPublicKey(&peer.PublicKey)
			t.OK(err, "encoding the peer key")
			byID := derive(t, md, der).SharedSecret
			alias := t.Alias(aws.ToString(md.KeyId))
			out, err := t.C.DeriveSharedSecret(t.Ctx, &kms.DeriveSharedSecretInput{KeyId: aws.String(alias), KeyAgreementAlgorithm: types.KeyAgreementAlgorithmSpecEcdh, PublicKey: der})
			t.OK(err, "DeriveSharedSecret by alias")
			t.Equal(out.SharedSecret, byID, "secret by alias vs by key id")
		}),
		ecdhSpec("DeriveSharedSecret/peer-on-another-curve", "refuses a peer key on another curve with ValidationException",
			"the peer key must be on the key's curve: ValidationException", answerSource("Validation.PeerCurve"), withOpenSSL, func(t *T) {
				md := t.Shared(types.KeySpecEccNistP256, types.KeyUsageTypeKeyAgreement)
				_, der := peerKey(t, "secp384r1")
				_, err := t.C.DeriveSharedSecret(t.Ctx, &kms.DeriveSharedSecretInput{KeyId: md.KeyId, KeyAgreementAlgorithm: types.KeyAgreementAlgorithmSpecEcdh, PublicKey: der})
				t.APIError(err, "ValidationException")
			}),
		ecdhSpec("DeriveSharedSecret/RSA-peer", "refuses an RSA peer key with ValidationException",
			"the peer key must be an EC key: ValidationException", answerSource("Validation.PeerNotEC"), nil, func(t *T) {
				md := t.Shared(types.KeySpecEccNistP256, types.KeyUsageTypeKeyAgreement)
				rsaKey := t.Shared(types.KeySpecRsa2048, types.KeyUsageTypeEncryptDecrypt)
				_, err := t.C.DeriveSharedSecret(t.Ctx, &kms.DeriveSharedSecretInput{KeyId: md.KeyId, KeyAgreementAlgorithm: types.KeyAgreementAlgorithmSpecEcdh, PublicKey: t.PublicKey(rsaKey)})
				t.APIError(err, "ValidationException")
			}),
		ecdhSpec("DeriveSharedSecret/garbage-peer", "refuses a garbage public key with ValidationException and an empty message",
			"ValidationException with message \"\"", answerSource("Validation.Empty")+" [S]", nil, func(t *T) {
				md := t.Shared(types.KeySpecEccNistP256, types.KeyUsageTypeKeyAgreement)
				_, err := t.C.DeriveSharedSecret(t.Ctx, &kms.DeriveSharedSecretInput{KeyId: md.KeyId, KeyAgreementAlgorithm: types.KeyAgreementAlgorithmSpecEcdh, PublicKey: []byte("InvalidPublicKey")})
				t.APIError(err, "ValidationException")
				// The SDK turns an empty message into "UnknownError": check the wire.
				t.RawNoMessage("DeriveSharedSecret", map[string]any{"KeyId": aws.ToString(md.KeyId), "KeyAgreementAlgorithm": "ECDH", "PublicKey": []byte("InvalidPublicKey")}, "ValidationException")
			}),
		ecdhSpec("DeriveSharedSecret/algorithm-enum", "refuses an unknown KeyAgreementAlgorithm with AWS's exact message",
			"ValidationException `1 validation error detected: Value 'INVALID' at 'keyAgreementAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [ECDH]`",
			answerSource("Validation.Enum")+" [S]", withOpenSSL, func(t *T) {
				md := t.Shared(types.KeySpecEccNistP256, types.KeyUsageTypeKeyAgreement)
				_, der := peerKey(t, "prime256v1")
				_, err := t.C.DeriveSharedSecret(t.Ctx, &kms.DeriveSharedSecretInput{KeyId: md.KeyId, KeyAgreementAlgorithm: "INVALID", PublicKey: der})
				t.Want(err, "Validation.Enum", "INVALID", "keyAgreementAlgorithm", "ECDH")
			}),
	)
	for _, p := range []specUsage{
		{types.KeySpecEccNistP256, types.KeyUsageTypeSignVerify},
		{types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt},
	} {
		add(ecdhSpec("DeriveSharedSecret/"+string(p.spec)+"/"+string(p.usage)+"-refused", "refuses a "+string(p.spec)+" "+string(p.usage)+" key with AWS's exact message",
			"InvalidKeyUsageException `<key-arn> key usage is "+string(p.usage)+" which is not valid for DeriveSharedSecret.`",
			answerSource("InvalidKeyUsage.Usage")+" [S]", withOpenSSL, func(t *T) {
				md := t.Shared(p.spec, p.usage)
				_, der := peerKey(t, "prime256v1")
				_, err := t.C.DeriveSharedSecret(t.Ctx, &kms.DeriveSharedSecretInput{KeyId: md.KeyId, KeyAgreementAlgorithm: types.KeyAgreementAlgorithmSpecEcdh, PublicKey: der})
				t.Want(err, "InvalidKeyUsage.Usage", aws.ToString(md.Arn), string(p.usage), "DeriveSharedSecret")
			}))
	}
}
