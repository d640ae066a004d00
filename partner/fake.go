package partner

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/kmsconform/kmsconform/kmsfake"
)

// startFake serves the in-process KMS fake on a loopback port and returns
// a client for it with fixed local credentials (the fake does not check
// signatures by default).
func startFake() (*kmsConn, error) {
	srv, err := kmsfake.New(kmsfake.Options{Region: "us-east-1"})
	if err != nil {
		return nil, fmt.Errorf("starting the in-process KMS fake: %w (or pass --kms-endpoint URL)", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		srv.Close()
		return nil, fmt.Errorf("starting the in-process KMS fake: %w", err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(l)
	endpoint := "http://" + l.Addr().String()
	hc := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{Proxy: nil}}
	cfg := aws.Config{
		Region:     "us-east-1",
		HTTPClient: hc,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "kmsconformpartner", SecretAccessKey: "kmsconformpartner", Source: "kmsconform"}, nil
		}),
	}
	client := kms.NewFromConfig(cfg, func(o *kms.Options) { o.BaseEndpoint = aws.String(endpoint) })
	stop := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err := hs.Shutdown(ctx)
		hc.CloseIdleConnections()
		if cerr := srv.Close(); err == nil {
			err = cerr
		}
		return err
	}
	return &kmsConn{client: client, endpoint: endpoint, fake: true, stop: stop}, nil
}
