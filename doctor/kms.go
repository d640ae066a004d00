package doctor

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/smithy-go"

	"github.com/kmsconform/kmsconform/internal/kmstarget"
)

// NewKMSClient returns a KMS client with the standard AWS credential
// chain and region, talking to endpoint when it is not empty (LocalStack,
// the kmsconform fake) and to AWS otherwise. It is internal/kmstarget's
// external target, the harness's one way to reach a KMS.
func NewKMSClient(ctx context.Context, endpoint string) (*kms.Client, error) {
	t, err := kmstarget.Start(ctx, kmstarget.Options{Kind: kmstarget.External, Endpoint: endpoint})
	if err != nil {
		return nil, err
	}
	return t.Client, nil
}

// KMSKey is a KMS RSA key used through Decrypt; it implements
// KMSDecrypter.
type KMSKey struct {
	Client *kms.Client
	KeyID  string
	size   int
}

// Decrypt calls KMS Decrypt with the algorithm and returns the error code
// (e.g. InvalidCiphertextException) as the error.
func (k *KMSKey) Decrypt(ctx context.Context, alg string, ct []byte) ([]byte, error) {
	out, err := k.Client.Decrypt(ctx, &kms.DecryptInput{KeyId: aws.String(k.KeyID), CiphertextBlob: ct, EncryptionAlgorithm: types.EncryptionAlgorithmSpec(alg)})
	if err != nil {
		var ae smithy.APIError
		if errors.As(err, &ae) {
			return nil, errors.New(ae.ErrorCode())
		}
		return nil, err
	}
	return out.Plaintext, nil
}

// KeyBytes reads the key's size from GetPublicKey.
func (k *KMSKey) KeyBytes(ctx context.Context) (int, error) {
	if k.size > 0 {
		return k.size, nil
	}
	out, err := k.Client.GetPublicKey(ctx, &kms.GetPublicKeyInput{KeyId: aws.String(k.KeyID)})
	if err != nil {
		return 0, err
	}
	pub, err := x509.ParsePKIXPublicKey(out.PublicKey)
	if err != nil {
		return 0, fmt.Errorf("the key's public key does not parse: %w", err)
	}
	rk, ok := pub.(*rsa.PublicKey)
	if !ok {
		return 0, fmt.Errorf("key %s is not an RSA key (%s)", k.KeyID, out.KeySpec)
	}
	k.size = rk.Size()
	return k.size, nil
}

// ParseRSAPrivateKey reads a PEM (PKCS#1 or PKCS#8) or DER RSA private key.
func ParseRSAPrivateKey(data []byte) (*rsa.PrivateKey, error) {
	der := data
	if b, _ := pem.Decode(data); b != nil {
		der = b.Bytes
	}
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, errors.New("not an RSA private key in PEM or DER (PKCS#1 or PKCS#8)")
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("the private key is a %T, not RSA", k)
	}
	return rk, nil
}
