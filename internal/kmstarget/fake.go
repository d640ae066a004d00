package kmstarget

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"

	"github.com/kmsconform/kmsconform/kmsfake"
)

// startFake serves kmsfake.New in this process on a loopback httptest
// server.
func startFake(_ context.Context, o Options) (*Target, error) {
	region := o.Region
	if region == "" {
		region = DefaultRegion
	}
	srv, err := kmsfake.New(kmsfake.Options{
		Region: region,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		return nil, fmt.Errorf("kmstarget: starting the in-process fake: %w", err)
	}
	hs := httptest.NewUnstartedServer(srv)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		srv.Close()
		return nil, err
	}
	hs.Listener = l
	hs.Start()
	t := localTarget(Fake, hs.URL, o)
	t.onClose(srv.Close)
	t.onClose(func() error { hs.Close(); return nil })
	return t, nil
}
