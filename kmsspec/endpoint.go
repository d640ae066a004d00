package kmsspec

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/kmsconform/kmsconform/internal/kmstarget"
)

// TestCredentials are the fixed credentials used for a loopback endpoint
// when the environment names none: local KMS servers (the fake, moto,
// LocalStack) accept any unless told to verify.
const TestCredentials = "kmsconformtest"

// Endpoint is the Kind of a target made by Dial.
const Endpoint kmstarget.Kind = "endpoint"

// CheckEndpoint says whether endpoint is a URL Dial accepts ("" is).
func CheckEndpoint(endpoint string) error {
	if endpoint == "" {
		return nil
	}
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("endpoint %q is not an http:// or https:// URL", endpoint)
	}
	return nil
}

// Dial returns a target for the KMS at endpoint (a base URL such as
// http://127.0.0.1:4566; "" means the SDK's own resolution, i.e. real AWS)
// in region (default: AWS_REGION, else us-east-1). Credentials come from
// the standard chain (environment, shared files, SSO, IMDS); for a
// loopback endpoint without AWS_ACCESS_KEY_ID or AWS_PROFILE in the
// environment, fixed test credentials are used instead. Nothing is
// contacted: the pre-flight check does that.
func Dial(ctx context.Context, endpoint, region string) (*kmstarget.Target, error) {
	if err := CheckEndpoint(endpoint); err != nil {
		return nil, err
	}
	local := endpoint != "" && isLoopback(endpoint)
	// A BuildableClient, because the SDK adds AWS_CA_BUNDLE to it.
	hc := awshttp.NewBuildableClient().WithTimeout(60 * time.Second).WithTransportOptions(func(tr *http.Transport) {
		tr.MaxIdleConns = 64
		tr.MaxIdleConnsPerHost = 64
		if local {
			tr.Proxy = nil // never send loopback traffic through a proxy
		}
	})
	opts := []func(*config.LoadOptions) error{
		config.WithHTTPClient(hc),
		config.WithRetryer(func() aws.Retryer { return retry.AddWithMaxAttempts(retry.NewStandard(), 1) }),
	}
	if region != "" {
		opts = append(opts, config.WithRegion(region))
	} else if os.Getenv("AWS_REGION") == "" && os.Getenv("AWS_DEFAULT_REGION") == "" {
		opts = append(opts, config.WithRegion(kmstarget.DefaultRegion))
	}
	kind := kmstarget.External
	if local && os.Getenv("AWS_ACCESS_KEY_ID") == "" && os.Getenv("AWS_PROFILE") == "" {
		opts = append(opts, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(TestCredentials, TestCredentials, "")))
		kind = Endpoint
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("loading the AWS configuration: %w", err)
	}
	t := &kmstarget.Target{Kind: kind, Endpoint: endpoint, Region: cfg.Region, Config: cfg, HTTPClient: hc}
	t.Client = kms.NewFromConfig(cfg, func(o *kms.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
	})
	return t, nil
}

// isLoopback reports whether a URL's host is a loopback name or address.
func isLoopback(endpoint string) bool {
	u, err := url.Parse(endpoint)
	if err != nil {
		return false
	}
	h := u.Hostname()
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
