package oracle

import (
	"crypto"
	_ "crypto/md5" // registers MD5 for enc's -md md5 (BytesToKey of 1.0.2 and LibreSSL)
	"crypto/pbkdf2"
	"fmt"
	"hash"
	"strings"
)

// DefaultPBKDF2Iter is the iteration count of `enc -pbkdf2` without -iter.
const DefaultPBKDF2Iter = 10000

// EncDigest resolves an `enc -md` name ("md5", "sha256", "SHA-512", ...) to
// its Go hash, as BytesToKey and PBKDF2Key do. It accepts md5 in addition
// to the digests HashByName knows, because EVP_BytesToKey with md5 is the
// default of OpenSSL 1.0.2 and LibreSSL. An unknown name is ErrUnknownDigest.
func EncDigest(name string) (crypto.Hash, error) {
	if strings.EqualFold(strings.TrimSpace(name), "md5") {
		return crypto.MD5, nil
	}
	h, err := HashByName(name)
	if err != nil {
		return 0, fmt.Errorf("%w: %q (supported: md5, sha1, sha224, sha256, sha384, sha512, sha512-224, sha512-256)", ErrUnknownDigest, name)
	}
	return h, nil
}

// BytesToKey derives keyLen key bytes and ivLen IV bytes from password and
// salt exactly as OpenSSL's EVP_BytesToKey with count 1 (what `enc` does
// without -pbkdf2): D_i = md(D_{i-1} || password || salt), concatenated.
// salt may be nil (enc -nosalt); otherwise it must be 8 bytes.
func BytesToKey(md string, salt, password []byte, keyLen, ivLen int) (key, iv []byte, err error) {
	h, err := EncDigest(md)
	if err != nil {
		return nil, nil, err
	}
	if salt != nil && len(salt) != SaltLen {
		return nil, nil, fmt.Errorf("salt must be %d bytes, got %d", SaltLen, len(salt))
	}
	if keyLen < 0 || ivLen < 0 {
		return nil, nil, fmt.Errorf("negative key or iv length")
	}
	out := make([]byte, 0, keyLen+ivLen+h.Size())
	var prev []byte
	hh := h.New()
	for len(out) < keyLen+ivLen {
		hh.Reset()
		hh.Write(prev)
		hh.Write(password)
		hh.Write(salt)
		prev = hh.Sum(nil)
		out = append(out, prev...)
	}
	return out[:keyLen:keyLen], out[keyLen : keyLen+ivLen : keyLen+ivLen], nil
}

// PBKDF2Key derives keyLen key bytes and ivLen IV bytes as `enc -pbkdf2`
// does: one PBKDF2-HMAC-md call over password and salt producing key||iv.
// iter must be positive; salt may be nil (enc -nosalt).
func PBKDF2Key(md string, salt, password []byte, iter, keyLen, ivLen int) (key, iv []byte, err error) {
	h, err := EncDigest(md)
	if err != nil {
		return nil, nil, err
	}
	if iter < 1 {
		return nil, nil, fmt.Errorf("pbkdf2 iteration count must be positive, got %d", iter)
	}
	if keyLen < 0 || ivLen < 0 {
		return nil, nil, fmt.Errorf("negative key or iv length")
	}
	if keyLen+ivLen == 0 {
		return []byte{}, []byte{}, nil
	}
	out, err := pbkdf2.Key(func() hash.Hash { return h.New() }, string(password), salt, iter, keyLen+ivLen)
	if err != nil {
		return nil, nil, fmt.Errorf("pbkdf2: %w", err)
	}
	return out[:keyLen:keyLen], out[keyLen:], nil
}
