package kmsfake

import "testing"

// TestOAEPLimits pins the plaintext limits AWS recorded for every RSA key
// spec and OAEP hash.
func TestOAEPLimits(t *testing.T) {
	for _, c := range []struct {
		spec, alg string
		max       int
	}{
		{specRSA2048, algOAEPSHA1, 214}, {specRSA2048, algOAEPSHA2, 190},
		{specRSA3072, algOAEPSHA1, 342}, {specRSA3072, algOAEPSHA2, 318},
		{specRSA4096, algOAEPSHA1, 470}, {specRSA4096, algOAEPSHA2, 446},
	} {
		if got := oaepLimit(c.spec, c.alg); got != c.max {
			t.Errorf("%s %s: limit %d, want %d", c.spec, c.alg, got, c.max)
		}
	}
}
