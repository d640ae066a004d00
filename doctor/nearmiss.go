package doctor

import (
	"bytes"
	"fmt"
)

// A near miss is a candidate that decrypts cleanly (valid padding, a valid
// OAEP or PKCS#1 decoding) to something that is not byte for byte the
// expected plaintext, yet close to it or plausible in itself: the settings
// and the password are right and the difference lies in the data (a
// trailing newline from `echo`, CRLF line endings, a truncated or longer
// file, a wrong --expect). It is reported with the difference, never as
// "check the password".

// difference describes how got (the plaintext) differs from want (the
// expected plaintext) in one phrase, and whether the relation is structural (a
// line ending, whitespace, a prefix, letter case) rather than a first
// differing byte. got and want must differ.
func difference(got, want []byte) (diff string, structural bool) {
	type rel struct {
		ok   bool
		text string
	}
	gl, wl := len(got), len(want)
	rels := []rel{
		{bytes.Equal(got, append(append([]byte{}, want...), '\n')), "the plaintext differs only by a trailing newline (the plaintext ends with \\n, the expected text does not)"},
		{bytes.Equal(want, append(append([]byte{}, got...), '\n')), "the plaintext differs only by a trailing newline (the expected text ends with \\n, the plaintext does not)"},
		{bytes.Equal(got, append(append([]byte{}, want...), '\r', '\n')), "the plaintext differs only by a trailing CRLF (the plaintext ends with \\r\\n, the expected text does not)"},
		{bytes.Equal(want, append(append([]byte{}, got...), '\r', '\n')), "the plaintext differs only by a trailing CRLF (the expected text ends with \\r\\n, the plaintext does not)"},
		{crlfOnly(got, want), "the plaintext differs only in line endings (the plaintext has CRLF where the expected text has LF)"},
		{crlfOnly(want, got), "the plaintext differs only in line endings (the plaintext has LF where the expected text has CRLF)"},
		{bytes.Equal(bytes.TrimRight(got, " \t\r\n"), bytes.TrimRight(want, " \t\r\n")), "the plaintext differs only in trailing whitespace"},
		{gl > wl && bytes.HasPrefix(got, want), fmt.Sprintf("the expected text is a prefix of the plaintext (%d more bytes)", gl-wl)},
		{wl > gl && bytes.HasPrefix(want, got), fmt.Sprintf("the plaintext is a prefix of the expected text (%d bytes short)", wl-gl)},
		{gl == wl && bytes.EqualFold(got, want), "the plaintext differs only in letter case"},
	}
	for _, r := range rels {
		if r.ok {
			return r.text, true
		}
	}
	n := commonPrefix(got, want)
	return fmt.Sprintf("the plaintext differs at byte %d (the plaintext is %d bytes, the expected text %d)", n, gl, wl), false
}

// crlfOnly reports whether crlf equals lf once its CR LF pairs become LF
// (and crlf had at least one).
func crlfOnly(crlf, lf []byte) bool {
	if !bytes.Contains(crlf, []byte("\r\n")) {
		return false
	}
	return bytes.Equal(bytes.ReplaceAll(crlf, []byte("\r\n"), []byte("\n")), lf)
}

func commonPrefix(a, b []byte) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// nearMissMinPrefix is the shortest common prefix with the expected text
// that makes a cleanly decrypted block-mode plaintext a near miss on its
// own (a wrong key that passes the padding check gives random bytes: eight
// of them matching by chance is about 2^-64).
const nearMissMinPrefix = 8

// nearMiss judges a clean decryption pt that is not the expected plaintext:
// it is a near miss when the difference is structural, when pt is
// plausible in itself, or (loose, for padded modes whose padding check
// already filtered keys) when it shares nearMissMinPrefix bytes with want.
// Stream modes must not be loose: their first block is the same in CTR,
// CFB and OFB, so a wrong mode shares 16 bytes with the right one.
func nearMiss(pt, want []byte, loose bool) (diff string, ok bool) {
	diff, structural := difference(pt, want)
	// A structural relation on a few bytes happens by chance (a random
	// plaintext is "want plus a newline" with odds 256^-(len+1)): ask for
	// more shared bytes where no padding check filtered the keys.
	shared := 2
	if !loose {
		shared = nearMissMinPrefix
	}
	if structural && min(len(pt), len(want)) >= shared {
		return diff, true
	}
	if s, _ := plausibility(pt); s > 0 && len(pt) >= minStreamGuess || s > 0 && loose {
		return diff, true
	}
	if loose && commonPrefix(pt, want) >= min(nearMissMinPrefix, len(want)) && len(want) > 0 {
		return diff, true
	}
	return "", false
}
