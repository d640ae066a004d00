package kmsfake

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// HTTPLimits bound what one client can hold of a `kms serve` process: how
// long a request may take to arrive, how long an answer may take to leave,
// how long an idle keep-alive connection stays open, how large the headers
// may be, and how many connections are open at once.
type HTTPLimits struct {
	// ReadHeaderTimeout is the time allowed to read a request's headers.
	ReadHeaderTimeout time.Duration
	// ReadTimeout is the time allowed to read a whole request, body
	// included: a stalled body is cut off after it.
	ReadTimeout time.Duration
	// WriteTimeout is the time allowed from the end of the request headers
	// to the end of the answer (RSA-4096 key generation included).
	WriteTimeout time.Duration
	// IdleTimeout closes a keep-alive connection with no request for this long.
	IdleTimeout time.Duration
	// MaxHeaderBytes caps the request line and headers.
	MaxHeaderBytes int
	// MaxConns caps the open connections; further clients wait in the
	// kernel's accept queue (costing no file descriptor here) until one closes.
	MaxConns int
}

// DefaultHTTPLimits are the limits of `kms serve` unless flags change them:
// a stalled body or an idle keep-alive is closed within 60 s, and 512
// connections (well under a 1024 or 4096 descriptor limit) are served at once.
func DefaultHTTPLimits() HTTPLimits {
	return HTTPLimits{
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    64 << 10,
		MaxConns:          512,
	}
}

// HTTPServer returns an http.Server for s with the limits applied (all but
// MaxConns, which LimitListener applies to the listener).
func (s *Server) HTTPServer(l HTTPLimits) *http.Server {
	return &http.Server{
		Handler:           s,
		ReadHeaderTimeout: l.ReadHeaderTimeout,
		ReadTimeout:       l.ReadTimeout,
		WriteTimeout:      l.WriteTimeout,
		IdleTimeout:       l.IdleTimeout,
		MaxHeaderBytes:    l.MaxHeaderBytes,
	}
}

// LimitListener returns a listener that has at most n accepted connections
// open at once: Accept waits for one to close before taking the next.
// n <= 0 means no limit.
func LimitListener(ln net.Listener, n int) net.Listener {
	if n <= 0 {
		return ln
	}
	return &limitListener{Listener: ln, sem: make(chan struct{}, n), done: make(chan struct{})}
}

type limitListener struct {
	net.Listener
	sem       chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

func (l *limitListener) Accept() (net.Conn, error) {
	select {
	case l.sem <- struct{}{}:
	case <-l.done:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	return &limitConn{Conn: c, release: func() { <-l.sem }}, nil
}

func (l *limitListener) Close() error {
	err := l.Listener.Close()
	l.closeOnce.Do(func() { close(l.done) })
	return err
}

type limitConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
