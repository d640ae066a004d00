package oracle

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
)

// RandFormat is the output encoding of `openssl rand`.
type RandFormat int

// The formats of `openssl rand`: raw bytes, -hex, -base64.
const (
	RandRaw RandFormat = iota
	RandHex
	RandBase64
)

// Rand writes n random bytes from src (nil: crypto/rand) to dst as
// `openssl rand` does: raw; -hex as lower-case hex and "\n"; -base64 as
// base64 wrapped at 64 columns ending in "\n" (so `rand -base64 32`
// writes 44 characters and a newline). n must not be negative.
func Rand(dst io.Writer, src io.Reader, n int, f RandFormat) error {
	if n < 0 {
		return fmt.Errorf("rand: negative byte count %d", n)
	}
	if src == nil {
		src = rand.Reader
	}
	var out io.Writer = dst
	var b64 io.WriteCloser
	switch f {
	case RandBase64:
		b64 = NewBase64Writer(dst, false)
		out = b64
	case RandHex:
		out = hexWriter{dst}
	}
	buf := make([]byte, min(n, 64<<10))
	for left := n; left > 0; {
		chunk := buf[:min(left, len(buf))]
		if _, err := io.ReadFull(src, chunk); err != nil {
			return fmt.Errorf("rand: reading random bytes: %w", err)
		}
		if _, err := out.Write(chunk); err != nil {
			return err
		}
		left -= len(chunk)
	}
	if b64 != nil {
		return b64.Close()
	}
	if f == RandHex {
		_, err := dst.Write([]byte{'\n'})
		return err
	}
	return nil
}

type hexWriter struct{ w io.Writer }

func (h hexWriter) Write(p []byte) (int, error) {
	if _, err := h.w.Write([]byte(hex.EncodeToString(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
