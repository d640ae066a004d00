package oracle

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// knownDecryptErr reports whether err is one of the documented outcomes of
// decrypting arbitrary input.
func knownDecryptErr(err error) bool {
	for _, e := range []error{ErrBadDecrypt, ErrBadMagicNumber, ErrReadInput, ErrBadBase64} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// FuzzDecrypt feeds arbitrary bytes to the enc reader: truncated or missing
// headers, bad base64. It must return nil or a documented error, never panic.
func FuzzDecrypt(f *testing.F) {
	f.Add([]byte{}, uint8(0))
	f.Add([]byte("Salted__"), uint8(0))
	f.Add([]byte("Salted__1234567"), uint8(0))
	f.Add([]byte("Salted__12345678abcdefghijklmnop"), uint8(0))
	f.Add([]byte("U2FsdGVkX1+rq6urq6urqw==\n"), uint8(1))
	f.Add([]byte("U2FsdGVkX1+rq6urq6urq"), uint8(3))
	f.Add([]byte("U2Fsd GVk\r\nX1+r!!"), uint8(1))
	f.Add([]byte("====\n"), uint8(1))
	f.Add(bytes.Repeat([]byte{0x41}, 33), uint8(4))
	f.Fuzz(func(t *testing.T, in []byte, mode uint8) {
		ciphers := []string{"aes-128-cbc", "aes-256-ctr", "aes-192-ecb", "aes-128-cfb8"}
		p := EncParams{
			Cipher:        ciphers[int(mode>>3)%len(ciphers)],
			Base64:        mode&1 != 0,
			Base64OneLine: mode&2 != 0,
			NoSalt:        mode&4 != 0,
			Iter:          1,
		}
		err := Decrypt(io.Discard, bytes.NewReader(in), []byte("pw"), p)
		if err != nil && !knownDecryptErr(err) {
			t.Fatalf("undocumented error for %q (mode %d): %v", in, mode, err)
		}
	})
}

// FuzzBase64Reader checks the base64 reader alone: an error or the bytes
// that re-encode to the input's base64 characters.
func FuzzBase64Reader(f *testing.F) {
	f.Add([]byte("aGVsbG8K\n"), false)
	f.Add([]byte("aGVs\r\nbG8K"), false)
	f.Add([]byte("aGVsbG8K"), true)
	f.Add([]byte("aGV=bG8K"), true)
	f.Fuzz(func(t *testing.T, in []byte, oneLine bool) {
		_, err := io.ReadAll(NewBase64Reader(bytes.NewReader(in), oneLine))
		if err != nil && !errors.Is(err, ErrBadBase64) {
			t.Fatalf("undocumented error for %q: %v", in, err)
		}
	})
}
