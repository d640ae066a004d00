package doctor

import (
	"crypto/hmac"
	"encoding/binary"
	"fmt"
	"hash"

	"github.com/kmsconform/kmsconform/oracle"
)

// digests are the -md values the search tries, most common first.
var digests = []string{"sha256", "md5", "sha1", "sha512"}

// iterCounts are the -iter values tried with -pbkdf2, ascending: one
// PBKDF2 pass to the largest yields every smaller count on the way.
var iterCounts = []int{1, 1000, 10000, 100000, 310000, 600000}

// newHash returns the constructor of an `enc -md` digest, looked up by the
// oracle (the one digest table of the harness).
func newHash(md string) (func() hash.Hash, error) {
	h, err := oracle.EncDigest(md)
	if err != nil {
		return nil, fmt.Errorf("doctor: %w", err)
	}
	return h.New, nil
}

// legacyKeyMaterial is the oracle's EVP_BytesToKey (count 1, what `enc`
// does without -pbkdf2) stretched to n bytes. Its output stream does not
// depend on the length asked for, so one call serves every AES key size:
// key = km[:keyLen], iv = km[keyLen:keyLen+ivLen]. A nil salt means -nosalt.
func legacyKeyMaterial(md string, password, salt []byte, n int) ([]byte, error) {
	km, _, err := oracle.BytesToKey(md, salt, password, n, 0)
	return km, err
}

// pbkdf2Checkpoints runs PBKDF2-HMAC (RFC 8018, over crypto/hmac) to the
// largest of counts (ascending) and calls emit with the n-byte output at
// every count in counts, as soon as it is reached. F(P,S,c,i) is the XOR of U_1..U_c, so the value for a
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

// pbkdf2Key is PBKDF2-HMAC for one iteration count (tests compare it with
// the oracle's crypto/pbkdf2 derivation).
func pbkdf2Key(newH func() hash.Hash, password, salt []byte, iter, n int) []byte {
	var out []byte
	pbkdf2Checkpoints(newH, password, salt, []int{iter}, n, func() bool { return false }, func(_ int, km []byte) bool {
		out = km
		return false
	})
	return out
}
