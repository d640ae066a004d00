package doctor

import (
	"bytes"
	"unicode/utf8"
)

// magics are file signatures that make a decryption plausible without text.
var magics = []struct {
	sig  []byte
	name string
}{
	{[]byte{0x1f, 0x8b}, "gzip data"},
	{[]byte("%PDF-"), "a PDF document"},
	{[]byte("PK\x03\x04"), "a ZIP archive"},
	{[]byte("\x89PNG\r\n\x1a\n"), "a PNG image"},
	{[]byte("\xff\xd8\xff"), "a JPEG image"},
	{[]byte("-----BEGIN "), "a PEM file"},
}

// plausibility scores a candidate plaintext without --expect: 1 when it is
// (almost) entirely printable UTF-8 text or starts with a known file
// signature, 0 otherwise, with the reason in words.
func plausibility(p []byte) (float64, string) {
	for _, m := range magics {
		if bytes.HasPrefix(p, m.sig) {
			return 1, "it starts like " + m.name
		}
	}
	if len(p) == 0 {
		return 0, ""
	}
	if !utf8.Valid(p) {
		return 0, ""
	}
	bad := 0
	for _, r := range string(p) {
		if r < 0x20 && r != '\n' && r != '\r' && r != '\t' || r == 0x7f || r == utf8.RuneError {
			bad++
		}
	}
	if bad*50 > len(p) {
		return 0, ""
	}
	return 1, "it is printable text"
}
