package kmsfake

import (
	"crypto/aes"
	"crypto/subtle"
	"encoding/binary"
	"errors"
)

// unwrapKWP is AES Key Wrap with Padding (RFC 5649) unwrapping, used by the
// RSA_AES_KEY_WRAP_SHA_* import wrapping algorithms.
func unwrapKWP(kek, c []byte) ([]byte, error) {
	b, err := aes.NewCipher(kek)
	if err != nil {
		return nil, err
	}
	if len(c) < 16 || len(c)%8 != 0 {
		return nil, errors.New("wrapped key length is not a multiple of 8 of at least 16")
	}
	n := len(c)/8 - 1
	var a [8]byte
	r := make([]byte, n*8)
	if n == 1 {
		var blk [16]byte
		b.Decrypt(blk[:], c)
		copy(a[:], blk[:8])
		copy(r, blk[8:])
	} else {
		copy(a[:], c[:8])
		copy(r, c[8:])
		var blk [16]byte
		for j := 5; j >= 0; j-- {
			for i := n; i >= 1; i-- {
				t := uint64(n*j + i)
				binary.BigEndian.PutUint64(blk[:8], binary.BigEndian.Uint64(a[:])^t)
				copy(blk[8:], r[(i-1)*8:i*8])
				b.Decrypt(blk[:], blk[:])
				copy(a[:], blk[:8])
				copy(r[(i-1)*8:], blk[8:])
			}
		}
	}
	if subtle.ConstantTimeCompare(a[:4], []byte{0xA6, 0x59, 0x59, 0xA6}) != 1 {
		return nil, errors.New("key wrap integrity check failed")
	}
	mli := int(binary.BigEndian.Uint32(a[4:]))
	if mli > n*8 || mli <= n*8-8 {
		return nil, errors.New("key wrap length indicator out of range")
	}
	for _, p := range r[mli:] {
		if p != 0 {
			return nil, errors.New("key wrap padding is not zero")
		}
	}
	return r[:mli], nil
}
