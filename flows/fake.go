package flows

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/kmsconform/kmsconform/kmsfake"
)

func init() { startFake = serveFake }

// serveFake serves kmsfake on a 127.0.0.1 listener of this process.
func serveFake(region string) (string, func() error, error) {
	srv, err := kmsfake.New(kmsfake.Options{Region: region, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return "", nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		srv.Close()
		return "", nil, err
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(l)
	stop := func() error {
		err := hs.Close()
		if cerr := srv.Close(); err == nil {
			err = cerr
		}
		return err
	}
	return "http://" + l.Addr().String(), stop, nil
}
