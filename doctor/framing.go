package doctor

import (
	"bytes"
	"encoding/base64"
)

// saltMagic starts every salted `openssl enc` file.
var saltMagic = []byte("Salted__")

// framing is one reading of the input file: how it is wrapped and where
// the salt comes from.
type framing struct {
	// b64 is true when the file is base64 text (-a); oneLine when that
	// text is a single line (-a -A); longLines when a line is longer than
	// openssl -a reads (it fails on lines past about 1 KiB).
	b64, oneLine, longLines bool
	// header is true when the bytes start with "Salted__" and a salt.
	header bool
	// explicitSalt is the salt given by the user for a header-less file
	// (OpenSSL 3.x `enc -S`); nil with header or for -nosalt.
	explicitSalt []byte
	// salt is the salt to derive with (nil: -nosalt).
	salt []byte
	// ct is the ciphertext proper.
	ct []byte
}

// framings lists the ways to read data: as binary, and as base64 when it
// decodes as such; with its header, or header-less with the user's salt
// or no salt at all.
func framings(data, explicitSalt []byte) []framing {
	var out []framing
	addSalting := func(f framing, body []byte) {
		if bytes.HasPrefix(body, saltMagic) && len(body) >= 16 {
			f.header, f.salt, f.ct = true, body[8:16], body[16:]
			out = append(out, f)
			return
		}
		if explicitSalt != nil {
			g := f
			g.explicitSalt, g.salt, g.ct = explicitSalt, explicitSalt, body
			out = append(out, g)
		}
		f.ct = body
		out = append(out, f)
	}
	if dec, oneLine, ok := decodeBase64Text(data); ok {
		addSalting(framing{b64: true, oneLine: oneLine, longLines: maxLineLen(data) > maxBase64Line}, dec)
		if bytes.HasPrefix(dec, saltMagic) {
			// Base64 of a salted file: reading the text as binary
			// cannot be what the producer meant.
			return out
		}
	}
	addSalting(framing{}, data)
	return out
}

// decodeBase64Text decodes data when it is base64 text (standard alphabet,
// any line breaks) and tells whether it was a single line.
func decodeBase64Text(data []byte) (dec []byte, oneLine, ok bool) {
	trimmed := bytes.TrimRight(data, "\r\n")
	if len(trimmed) == 0 {
		return nil, false, false
	}
	var compact []byte
	for _, c := range trimmed {
		switch {
		case c == '\r' || c == '\n':
			continue
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '+', c == '/', c == '=':
			compact = append(compact, c)
		default:
			return nil, false, false
		}
	}
	dec, err := base64.StdEncoding.DecodeString(string(compact))
	if err != nil || len(dec) == 0 {
		return nil, false, false
	}
	return dec, !bytes.ContainsAny(trimmed, "\r\n"), true
}

// maxBase64Line is the longest base64 line `openssl enc -a` reads without
// -A: 1000 characters work, 1500 do not (OpenSSL 3.0, pinned in tests).
const maxBase64Line = 1000

// maxLineLen is the length of the longest line of data, without its line
// ending.
func maxLineLen(data []byte) int {
	m := 0
	for _, l := range bytes.Split(data, []byte("\n")) {
		m = max(m, len(bytes.TrimRight(l, "\r")))
	}
	return m
}
