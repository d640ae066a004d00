package partner

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/smithy-go"

	"github.com/kmsconform/kmsconform/doctor"
	"github.com/kmsconform/kmsconform/internal/cli"
	"github.com/kmsconform/kmsconform/internal/kmstarget"
)

// kmsConn is the KMS endpoint a run talks to and the keys it created.
type kmsConn struct {
	client   *kms.Client
	endpoint string // "" for the SDK's default (real AWS)
	fake     bool
	stop     func() error
	mu       sync.Mutex
	created  []string
}

// dialKMS connects to endpoint with the standard credential chain, or
// starts the in-process fake (internal/kmstarget) when fake is true.
func dialKMS(ctx context.Context, endpoint string, fake bool) (*kmsConn, error) {
	if fake {
		t, err := kmstarget.Start(ctx, kmstarget.Options{Kind: kmstarget.Fake})
		if err != nil {
			return nil, cli.Setup(err, "or pass --kms-endpoint URL")
		}
		return &kmsConn{client: t.Client, endpoint: t.Endpoint, fake: true, stop: t.Close}, nil
	}
	c, err := doctor.NewKMSClient(ctx, endpoint)
	if err != nil {
		return nil, cli.Setup(err, "set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE, and AWS_REGION")
	}
	return &kmsConn{client: c, endpoint: endpoint}, nil
}

// close schedules the keys created on a real endpoint for deletion (the
// shortest window, 7 days) and stops the fake.
func (k *kmsConn) close(ctx context.Context) error {
	var errs []error
	if !k.fake {
		for _, id := range k.created {
			_, err := k.client.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(id), PendingWindowInDays: aws.Int32(7)})
			if err != nil {
				errs = append(errs, fmt.Errorf("scheduling deletion of key %s: %w", id, err))
			}
		}
	}
	if k.stop != nil {
		errs = append(errs, k.stop())
	}
	return errors.Join(errs...)
}

// kmsKey is one KMS key (RSA ENCRYPT_DECRYPT or ECC KEY_AGREEMENT) and
// its public key.
type kmsKey struct {
	conn   *kmsConn
	id     string
	spec   string
	der    []byte // SubjectPublicKeyInfo
	pem    []byte
	nBytes int
	public any // the parsed public key
}

// createKey creates a key of spec and usage and fetches its public key.
func (k *kmsConn) createKey(ctx context.Context, spec string, usage types.KeyUsageType) (*kmsKey, error) {
	out, err := k.client.CreateKey(ctx, &kms.CreateKeyInput{
		KeySpec:     types.KeySpec(spec),
		KeyUsage:    usage,
		Description: aws.String("kmsconform partner check (safe to delete)"),
	})
	if err != nil {
		return nil, fmt.Errorf("CreateKey %s: %w", spec, err)
	}
	id := aws.ToString(out.KeyMetadata.KeyId)
	k.mu.Lock()
	k.created = append(k.created, id)
	k.mu.Unlock()
	pub, err := k.client.GetPublicKey(ctx, &kms.GetPublicKeyInput{KeyId: aws.String(id)})
	if err != nil {
		return nil, fmt.Errorf("GetPublicKey %s: %w", id, err)
	}
	parsed, err := x509.ParsePKIXPublicKey(pub.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("GetPublicKey %s returned a public key that does not parse: %w", id, err)
	}
	n := 0
	if r, ok := parsed.(interface{ Size() int }); ok {
		n = r.Size()
	}
	return &kmsKey{conn: k, id: id, spec: spec, der: pub.PublicKey, nBytes: n, public: parsed,
		pem: pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub.PublicKey})}, nil
}

// Decrypt implements doctor.KMSDecrypter.
func (k *kmsKey) Decrypt(ctx context.Context, alg string, ct []byte) ([]byte, error) {
	out, err := k.conn.client.Decrypt(ctx, &kms.DecryptInput{
		KeyId: aws.String(k.id), CiphertextBlob: ct, EncryptionAlgorithm: types.EncryptionAlgorithmSpec(alg),
	})
	if err != nil {
		return nil, kmsErr(err)
	}
	return out.Plaintext, nil
}

// KeyBytes implements doctor.KMSDecrypter.
func (k *kmsKey) KeyBytes(context.Context) (int, error) { return k.nBytes, nil }

// kmsErr shortens an SDK error to the KMS error code and message.
func kmsErr(err error) error {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		if ae.ErrorMessage() == "" {
			return errors.New(ae.ErrorCode())
		}
		return fmt.Errorf("%s: %s", ae.ErrorCode(), ae.ErrorMessage())
	}
	return err
}

// createKeys creates one key per spec at once (RSA_4096 generation
// dominates; in parallel the others cost nothing more).
func (k *kmsConn) createKeys(ctx context.Context, specs []string, usage types.KeyUsageType) (map[string]*kmsKey, error) {
	type made struct {
		spec string
		key  *kmsKey
		err  error
	}
	ch := make(chan made, len(specs))
	for _, spec := range specs {
		go func() {
			key, err := k.createKey(ctx, spec, usage)
			ch <- made{spec, key, err}
		}()
	}
	out := map[string]*kmsKey{}
	var errs []error
	for range specs {
		m := <-ch
		out[m.spec] = m.key
		errs = append(errs, m.err)
	}
	return out, errors.Join(errs...)
}
