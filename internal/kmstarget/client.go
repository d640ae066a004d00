package kmstarget

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/smithy-go/logging"
)

// Fixed credentials for local targets. They carry no secret: the fake and
// moto accept any signature unless told to verify. A non-numeric access key
// selects each server's default account.
const (
	localAccessKey = "kmsconformtest"
	localSecretKey = "kmsconformtest"
)

// newHTTPClient returns a loopback-friendly client whose pool keeps up with
// maxConns concurrent requests.
func newHTTPClient(maxConns int) *http.Client {
	if maxConns <= 0 {
		maxConns = 64
	}
	tr := &http.Transport{
		Proxy:               nil, // never send loopback traffic through a proxy
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        maxConns,
		MaxIdleConnsPerHost: maxConns,
		IdleConnTimeout:     90 * time.Second,
	}
	return &http.Client{Transport: tr, Timeout: 60 * time.Second}
}

// retryer returns the SDK retryer for o: one attempt unless asked.
func retryer(o Options) func() aws.Retryer {
	n := o.Retries
	if n <= 0 {
		n = 1
	}
	return func() aws.Retryer { return retry.AddWithMaxAttempts(retry.NewStandard(), n) }
}

// localTarget builds a Target for a loopback endpoint with the fixed test
// credentials.
func localTarget(kind Kind, endpoint string, o Options) *Target {
	region := o.Region
	if region == "" {
		region = DefaultRegion
	}
	hc := newHTTPClient(o.MaxConns)
	cfg := aws.Config{
		Region:      region,
		Credentials: credentials.NewStaticCredentialsProvider(localAccessKey, localSecretKey, ""),
		HTTPClient:  hc,
		Retryer:     retryer(o),
	}
	t := &Target{Kind: kind, Endpoint: endpoint, Region: region, Config: cfg, HTTPClient: hc}
	t.Client = kms.NewFromConfig(cfg, func(ko *kms.Options) { ko.BaseEndpoint = aws.String(endpoint) })
	t.onClose(func() error { hc.CloseIdleConnections(); return nil })
	return t
}

// startExternal resolves an endpoint from the environment and the standard
// credential chain (env, shared files, SSO, IMDS...).
func startExternal(ctx context.Context, o Options) (*Target, error) {
	conns := o.MaxConns
	if conns <= 0 {
		conns = 64
	}
	// A BuildableClient, because the SDK adds AWS_CA_BUNDLE to it.
	hc := awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
		tr.MaxIdleConns = conns
		tr.MaxIdleConnsPerHost = conns
	})
	opts := []func(*config.LoadOptions) error{
		config.WithHTTPClient(hc),
		config.WithRetryer(retryer(o)),
		// Failures reach the caller as errors; the SDK's own log lines
		// (e.g. "falling back to IMDSv1") would only garble a terminal.
		config.WithLogger(logging.Nop{}),
	}
	if os.Getenv("AWS_REGION") == "" && os.Getenv("AWS_DEFAULT_REGION") == "" {
		r := o.Region
		if r == "" {
			r = DefaultRegion
		}
		opts = append(opts, config.WithRegion(r))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("kmstarget: loading the AWS configuration for the external target: %w (set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE)", err)
	}
	endpoint := o.Endpoint
	if endpoint == "" {
		endpoint = os.Getenv(EnvEndpoint)
	}
	t := &Target{Kind: External, Endpoint: endpoint, Region: cfg.Region, Config: cfg, HTTPClient: hc}
	t.Client = kms.NewFromConfig(cfg, func(ko *kms.Options) {
		if endpoint != "" {
			ko.BaseEndpoint = aws.String(endpoint)
		}
	})
	return t, nil
}
