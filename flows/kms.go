package flows

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// DefaultRegion is the region used for the in-process fake and when the
// environment names none.
const DefaultRegion = "us-east-1"

// KMS is the KMS side of a run: a client, where it points, and the keys
// shared by every cell (created once per key spec: RSA key generation is
// the slow part of a run).
type KMS struct {
	// Client is the aws-sdk-go-v2 client every KMS step uses.
	Client *kms.Client
	// Endpoint is the URL (for the in-process fake, its loopback listener).
	Endpoint string
	// Label describes the endpoint in reports.
	Label string
	// Region is the region the client signs for.
	Region string

	mu     sync.Mutex
	shared map[string]*sharedValue
	close  func() error
}

type sharedValue struct {
	once sync.Once
	val  any
	err  error
}

// startFake serves the in-process KMS fake on a 127.0.0.1 listener; it is
// set by fake.go. It returns the endpoint and a function that stops it.
var startFake func(region string) (endpoint string, stop func() error, err error)

// OpenKMS connects to the KMS at endpoint with the standard AWS credential
// chain, or, when endpoint is empty, starts the in-process fake on a
// loopback listener with fixed local credentials. Close releases it.
func OpenKMS(ctx context.Context, endpoint string) (*KMS, error) {
	region := os.Getenv("AWS_REGION")
	if region == "" {
		region = os.Getenv("AWS_DEFAULT_REGION")
	}
	k := &KMS{shared: map[string]*sharedValue{}, close: func() error { return nil }}
	var opts []func(*config.LoadOptions) error
	if endpoint == "" {
		if startFake == nil {
			return nil, errors.New("flows: the in-process KMS fake is not built in; give a KMS endpoint (--kms-endpoint URL or AWS_ENDPOINT_URL)")
		}
		region = DefaultRegion
		url, stop, err := startFake(region)
		if err != nil {
			return nil, fmt.Errorf("flows: starting the in-process KMS fake: %w", err)
		}
		k.close, k.Endpoint, k.Label = stop, url, "kmsconform in-process fake ("+url+")"
		opts = append(opts, config.WithCredentialsProvider(aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "kmsconformlocal", SecretAccessKey: "kmsconformlocal", Source: "kmsconform"}, nil
		})), config.WithHTTPClient(awshttp.NewBuildableClient().WithTimeout(60*time.Second).WithTransportOptions(func(t *http.Transport) {
			t.Proxy = nil // loopback traffic never goes through a proxy
			t.MaxIdleConnsPerHost = 64
		})),
			config.WithRetryMaxAttempts(1))
	} else {
		k.Endpoint, k.Label = endpoint, endpoint
	}
	if region == "" {
		region = DefaultRegion
	}
	k.Region = region
	opts = append(opts, config.WithRegion(region))
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		k.close()
		return nil, fmt.Errorf("flows: AWS configuration: %w", err)
	}
	ep := k.Endpoint
	k.Client = kms.NewFromConfig(cfg, func(o *kms.Options) {
		if ep != "" {
			o.BaseEndpoint = aws.String(ep)
		}
	})
	k.Label += "; server: " + serverOf(ctx, k.Client)
	return k, nil
}

// serverOf names the KMS behind c for the report header: the HTTP Server
// header of a ListKeys answer (kmsconform's fake and moto send one; AWS
// answers without it), or why it could not be asked.
func serverOf(ctx context.Context, c *kms.Client) string {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := c.ListKeys(ctx, &kms.ListKeysInput{Limit: aws.Int32(1)})
	if err != nil {
		var ae smithy.APIError
		if errors.As(err, &ae) {
			return "not known (ListKeys: " + ae.ErrorCode() + ")"
		}
		return "not known (ListKeys failed)"
	}
	if raw, ok := awsmiddleware.GetRawResponse(out.ResultMetadata).(*smithyhttp.Response); ok {
		if s := raw.Header.Get("Server"); s != "" {
			return s
		}
	}
	return "not stated"
}

// Close stops the in-process fake, if one was started.
func (k *KMS) Close() error { return k.close() }

// Shared returns the value made by make for key, making it once per run
// (concurrent callers wait for the first).
func (k *KMS) Shared(key string, make func() (any, error)) (any, error) {
	k.mu.Lock()
	s, ok := k.shared[key]
	if !ok {
		s = &sharedValue{}
		k.shared[key] = s
	}
	k.mu.Unlock()
	s.once.Do(func() { s.val, s.err = make() })
	return s.val, s.err
}

// CreateKey creates a KMS key of spec and usage (and origin, "" for AWS_KMS).
func (k *KMS) CreateKey(ctx context.Context, spec, usage, origin string) (string, error) {
	in := &kms.CreateKeyInput{KeySpec: types.KeySpec(spec), KeyUsage: types.KeyUsageType(usage), Description: aws.String("kmsconform flows")}
	if origin != "" {
		in.Origin = types.OriginType(origin)
	}
	out, err := k.Client.CreateKey(ctx, in)
	if err != nil {
		return "", err
	}
	return aws.ToString(out.KeyMetadata.KeyId), nil
}

// apiReason turns an SDK error into "Code: message", the form expectations match.
func apiReason(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		if ae.ErrorMessage() == "" {
			return ae.ErrorCode()
		}
		return ae.ErrorCode() + ": " + ae.ErrorMessage()
	}
	return err.Error()
}
