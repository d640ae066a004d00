package oracle

import (
	"crypto"
	_ "crypto/sha1" // registers SHA-1 for crypto.Hash.New
	_ "crypto/sha256"
	_ "crypto/sha512"
	"fmt"
	"strings"
)

// hashNames maps the digest spellings openssl accepts (lower-cased, with
// dashes and underscores removed) to Go hashes.
var hashNames = map[string]crypto.Hash{
	"sha1":      crypto.SHA1,
	"sha224":    crypto.SHA224,
	"sha256":    crypto.SHA256,
	"sha384":    crypto.SHA384,
	"sha512":    crypto.SHA512,
	"sha512224": crypto.SHA512_224,
	"sha512256": crypto.SHA512_256,
	"sha2224":   crypto.SHA224,
	"sha2256":   crypto.SHA256,
	"sha2384":   crypto.SHA384,
	"sha2512":   crypto.SHA512,
}

// HashByName returns the hash for a digest name as openssl spells it:
// "sha1", "SHA256", "sha-256", "SHA2-256", "sha512", ... Names are matched
// case-insensitively and with dashes ignored. An unknown name is an error
// that lists the supported digests.
func HashByName(name string) (crypto.Hash, error) {
	key := strings.ToLower(strings.TrimSpace(name))
	key = strings.NewReplacer("-", "", "_", "", "/", "").Replace(key)
	if h, ok := hashNames[key]; ok && h.Available() {
		return h, nil
	}
	return 0, fmt.Errorf("unsupported digest %q (supported: sha1, sha224, sha256, sha384, sha512, sha512-224, sha512-256)", name)
}

// HashName returns openssl's canonical upper-case name of h ("SHA256",
// "SHA1", "SHA512-224"), as used in messages and `openssl kdf -kdfopt digest:`.
func HashName(h crypto.Hash) string {
	switch h {
	case crypto.SHA1:
		return "SHA1"
	case crypto.SHA224:
		return "SHA224"
	case crypto.SHA256:
		return "SHA256"
	case crypto.SHA384:
		return "SHA384"
	case crypto.SHA512:
		return "SHA512"
	case crypto.SHA512_224:
		return "SHA512-224"
	case crypto.SHA512_256:
		return "SHA512-256"
	}
	return h.String()
}

// checkHash reports an error unless h is one of the digests the oracle supports.
func checkHash(h crypto.Hash) error {
	if _, err := HashByName(HashName(h)); err != nil || h == 0 {
		return fmt.Errorf("unsupported digest %v", h)
	}
	return nil
}
