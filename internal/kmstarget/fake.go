package kmstarget

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"

	"github.com/kmsconform/kmsconform/kmsfake"
)

// startFake serves kmsfake.New in this process on a 127.0.0.1 listener.
// Close stops it at once, even with requests in flight (a run's background
// key generation must not hold its end up).
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
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		srv.Close()
		return nil, err
	}
	limits := kmsfake.DefaultHTTPLimits()
	hs := srv.HTTPServer(limits)
	go hs.Serve(kmsfake.LimitListener(l, limits.MaxConns))
	t := localTarget(Fake, "http://"+l.Addr().String(), o)
	t.onClose(srv.Close)
	t.onClose(hs.Close)
	return t, nil
}
