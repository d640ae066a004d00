package doctor

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/smithy-go"
)

// NewKMSClient returns a KMS client with the standard AWS credential
// chain and region, talking to endpoint when it is not empty (LocalStack,
// the kmsconform fake) and to AWS otherwise.
func NewKMSClient(ctx context.Context, endpoint string) (*kms.Client, error) {
	cfg, err := config.LoadDefaultConfig(ctx, config.WithHTTPClient(awshttp.NewBuildableClient().WithTimeout(60*time.Second)))
	if err != nil {
		return nil, fmt.Errorf("loading the AWS configuration: %w (set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE)", err)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	return kms.NewFromConfig(cfg, func(o *kms.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
	}), nil
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
