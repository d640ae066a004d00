package doctor

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"fmt"
	"hash"
)

// digests are the -md values the search tries, most common first.
var digests = []string{"sha256", "md5", "sha1", "sha512"}

// iterCounts are the -iter values tried with -pbkdf2, ascending: one
// PBKDF2 pass to the largest yields every smaller count on the way.
var iterCounts = []int{1, 1000, 10000, 100000, 310000, 600000}

// newHash returns the constructor for an openssl digest name.
func newHash(md string) (func() hash.Hash, error) {
	switch md {
	case "md5":
		return md5.New, nil
	case "sha1":
		return sha1.New, nil
	case "sha256":
		return sha256.New, nil
	case "sha512":
		return sha512.New, nil
	}
	return nil, fmt.Errorf("doctor: unsupported digest %q", md)
}

// bytesToKey is EVP_BytesToKey with count 1, as `openssl enc` uses without
// -pbkdf2: D_i = H(D_{i-1} || password || salt), concatenated to n bytes.
// A nil salt means -nosalt.
func bytesToKey(newH func() hash.Hash, password, salt []byte, n int) []byte {
	var out, prev []byte
	h := newH()
	for len(out) < n {
		h.Reset()
		h.Write(prev)
		h.Write(password)
		h.Write(salt)
		prev = h.Sum(nil)
		out = append(out, prev...)
	}
	return out[:n]
}

// pbkdf2Checkpoints runs PBKDF2-HMAC to the largest of counts (ascending)
// and calls emit with the n-byte output at every count in counts, as soon
// as it is reached. F(P,S,c,i) is the XOR of U_1..U_c, so the value for a
// smaller count is the running XOR at that step: one pass serves all
// counts, with the output blocks computed in lockstep. emit returns false
// to stop early; stop is polled now and then and ends the pass when true.
func pbkdf2Checkpoints(newH func() hash.Hash, password, salt []byte, counts []int, n int, stop func() bool, emit func(iter int, km []byte) bool) {
	prf := hmac.New(newH, password)
	hLen := prf.Size()
	blocks := (n + hLen - 1) / hLen
	us := make([][]byte, blocks)
	ts := make([][]byte, blocks)
	var ibuf [4]byte
	for b := range blocks {
		prf.Reset()
		prf.Write(salt)
		binary.BigEndian.PutUint32(ibuf[:], uint32(b+1))
		prf.Write(ibuf[:])
		us[b] = prf.Sum(make([]byte, 0, hLen))
		ts[b] = append([]byte(nil), us[b]...)
	}
	next := 0
	for c := 1; next < len(counts); c++ {
		if c > 1 {
			for b := range blocks {
				prf.Reset()
				prf.Write(us[b])
				us[b] = prf.Sum(us[b][:0])
				t, u := ts[b], us[b]
				for x := range t {
					t[x] ^= u[x]
				}
			}
		}
		for next < len(counts) && counts[next] == c {
			km := make([]byte, 0, blocks*hLen)
			for b := range blocks {
				km = append(km, ts[b]...)
			}
			if !emit(c, km[:n]) {
				return
			}
			next++
		}
		if c&0x1fff == 0 && stop() {
			return
		}
	}
}

// pbkdf2Key is PBKDF2-HMAC for one iteration count.
func pbkdf2Key(newH func() hash.Hash, password, salt []byte, iter, n int) []byte {
	var out []byte
	pbkdf2Checkpoints(newH, password, salt, []int{iter}, n, func() bool { return false }, func(_ int, km []byte) bool {
		out = km
		return false
	})
	return out
}
