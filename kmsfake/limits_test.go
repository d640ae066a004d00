package kmsfake

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kms"
)

// limitedServer serves a fresh fake on 127.0.0.1 with limits l, over real TCP.
func limitedServer(t *testing.T, l HTTPLimits) string {
	t.Helper()
	srv, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := srv.HTTPServer(l)
	go hs.Serve(LimitListener(ln, l.MaxConns))
	t.Cleanup(func() { hs.Close(); srv.Close() })
	return ln.Addr().String()
}

func shortLimits() HTTPLimits {
	l := DefaultHTTPLimits()
	l.ReadHeaderTimeout, l.ReadTimeout, l.IdleTimeout = time.Second, time.Second, time.Second
	return l
}

// closedWithin reads c until the server closes it and returns how long
// that took; it fails after max.
func closedWithin(t *testing.T, c net.Conn, max time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	c.SetReadDeadline(start.Add(max))
	_, err := io.Copy(io.Discard, c)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("connection still open after %v", max)
	}
	return time.Since(start)
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

const listKeysHead = "POST / HTTP/1.1\r\nHost: kms\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: TrentService.ListKeys\r\n"

func TestDefaultHTTPLimits(t *testing.T) {
	l := DefaultHTTPLimits()
	for _, d := range []time.Duration{l.ReadHeaderTimeout, l.ReadTimeout, l.WriteTimeout, l.IdleTimeout} {
		if d <= 0 || d > 60*time.Second {
			t.Errorf("timeout %v: want (0, 60s]", d)
		}
	}
	if l.MaxConns <= 0 || l.MaxConns > 1024 || l.MaxHeaderBytes <= 0 || l.MaxHeaderBytes > 1<<20 {
		t.Errorf("limits %+v", l)
	}
}

// TestStalledBodyClosed: a request whose body stops arriving is cut off
// after ReadTimeout.
func TestStalledBodyClosed(t *testing.T) {
	t.Parallel()
	addr := limitedServer(t, shortLimits())
	c := dial(t, addr)
	io.WriteString(c, listKeysHead+"Content-Length: 1000\r\n\r\n{\"Limit\":")
	c2 := dial(t, addr)
	io.WriteString(c2, "POST / HTTP/1.1\r\nHost: kms\r\n") // headers never end
	if d := closedWithin(t, c, 10*time.Second); d > 5*time.Second {
		t.Fatalf("stalled body closed after %v", d)
	}
	if d := closedWithin(t, c2, 10*time.Second); d > 5*time.Second {
		t.Fatalf("stalled headers closed after %v", d)
	}
}

// TestIdleKeepAliveClosed: a keep-alive connection with no next request is
// closed after IdleTimeout.
func TestIdleKeepAliveClosed(t *testing.T) {
	t.Parallel()
	addr := limitedServer(t, shortLimits())
	c := dial(t, addr)
	io.WriteString(c, listKeysHead+"Content-Length: 2\r\n\r\n{}")
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("ListKeys: %v %v", resp, err)
	}
	io.Copy(io.Discard, resp.Body)
	start := time.Now()
	c.SetReadDeadline(start.Add(10 * time.Second))
	if _, err := br.ReadByte(); !errors.Is(err, io.EOF) && !strings.Contains(err.Error(), "reset") {
		t.Fatalf("idle connection: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("idle keep-alive closed after %v", d)
	}
}

// TestSlowConnectionsDoNotStarve: with 300 connections that send half a
// request and stall, a normal KMS request is still answered promptly.
func TestSlowConnectionsDoNotStarve(t *testing.T) {
	addr := limitedServer(t, DefaultHTTPLimits())
	var slow []net.Conn
	defer func() {
		for _, c := range slow {
			c.Close()
		}
	}()
	for i := 0; i < 300; i++ {
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			t.Fatalf("slow connection %d: %v", i, err)
		}
		slow = append(slow, c)
		io.WriteString(c, "POST / HTTP/1.1\r\nHost: kms\r\nX-Slow: ")
	}
	client := newClient("http://"+addr, "us-east-1", "test", "test")
	start := time.Now()
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := client.CreateKey(c, &kms.CreateKeyInput{}); err != nil {
		t.Fatalf("CreateKey with 300 slow connections open: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("CreateKey took %v with 300 slow connections open", d)
	}
}

// TestMaxConns: with MaxConns open, the next client waits (no descriptor
// is spent on it) until one closes, then is served.
func TestMaxConns(t *testing.T) {
	t.Parallel()
	l := DefaultHTTPLimits()
	l.MaxConns = 3
	addr := limitedServer(t, l)
	var held []net.Conn
	for i := 0; i < 3; i++ {
		c := dial(t, addr)
		io.WriteString(c, "POST / HTTP/1.1\r\nHost: kms\r\n")
		held = append(held, c)
	}
	time.Sleep(100 * time.Millisecond)
	c := dial(t, addr) // the kernel completes the handshake; the server does not accept
	io.WriteString(c, listKeysHead+"Content-Length: 2\r\n\r\n{}")
	c.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
	br := bufio.NewReader(c)
	if _, err := br.ReadByte(); err == nil {
		t.Fatal("a 4th connection was served with MaxConns 3")
	}
	held[0].Close()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("after one connection closed: %v %v", resp, err)
	}
}

// TestServeFlagsLimits runs the real `kms serve` with --read-timeout and
// --idle-timeout: a stalled body and an idle keep-alive are closed.
func TestServeFlagsLimits(t *testing.T) {
	p := startServe(t, realBinary(t), "--read-timeout", "1s", "--read-header-timeout", "1s", "--idle-timeout", "1s")
	addr := strings.TrimPrefix(p.url, "http://")
	c := dial(t, addr)
	io.WriteString(c, listKeysHead+"Content-Length: 1000\r\n\r\n{")
	if d := closedWithin(t, c, 10*time.Second); d > 5*time.Second {
		t.Fatalf("stalled body closed after %v", d)
	}
	c2 := dial(t, addr)
	io.WriteString(c2, listKeysHead+"Content-Length: 2\r\n\r\n{}")
	br := bufio.NewReader(c2)
	if resp, err := http.ReadResponse(br, nil); err != nil || resp.StatusCode != 200 {
		t.Fatalf("ListKeys: %v %v", resp, err)
	} else {
		io.Copy(io.Discard, resp.Body)
	}
	start := time.Now()
	c2.SetReadDeadline(start.Add(10 * time.Second))
	if _, err := br.ReadByte(); err == nil || time.Since(start) > 5*time.Second {
		t.Fatalf("idle keep-alive: %v after %v", err, time.Since(start))
	}
}

// TestMaxHeaderBytes: headers past MaxHeaderBytes get 431 and the
// connection is closed.
func TestMaxHeaderBytes(t *testing.T) {
	t.Parallel()
	l := shortLimits()
	l.MaxHeaderBytes = 8 << 10
	addr := limitedServer(t, l)
	c := dial(t, addr)
	io.WriteString(c, listKeysHead+"X-Big: "+strings.Repeat("a", 64<<10)+"\r\nContent-Length: 2\r\n\r\n{}")
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil || resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("64 KiB header with MaxHeaderBytes 8 KiB: %v %v", resp, err)
	}
}
