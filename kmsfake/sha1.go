package kmsfake

import (
	"crypto/sha1"
	"hash"
)

// newSHA1 is the OAEP SHA-1 hash (RSAES_OAEP_SHA_1 uses SHA-1 for both the
// label hash and MGF1).
func newSHA1() hash.Hash { return sha1.New() }
