//go:build amd64 && !purego

package oracle

import (
	"crypto/aes"
	"crypto/cipher"
)

// useAESNI reports whether the CPU has AES-NI (CPUID.1:ECX.AES[bit 25]).
var useAESNI = aesniSupported()

//go:noescape
func aesniSupported() bool

//go:noescape
func aesimc(dst, src *byte)

//go:noescape
func cbcEncAsm(nr int, xk *byte, iv *byte, dst, src *byte, n int)

//go:noescape
func cbcDecAsm(nr int, xk *byte, iv *byte, dst, src *byte, n int)

func invMixColumns(dst, src []byte) {
	_ = dst[15]
	_ = src[15]
	aesimc(&dst[0], &src[0])
}

// aesniCBC is CBC over AES-NI: the encrypter is one block at a time (CBC
// encryption is serial), the decrypter works on eight blocks at once.
type aesniCBC struct {
	keys    *cbcKeys
	iv      [aes.BlockSize]byte
	decrypt bool
}

// aesniCBCFactory returns a constructor of AES-NI CBC modes for key, or
// nil without AES-NI.
func aesniCBCFactory(key []byte) func(iv []byte, decrypt bool) cipher.BlockMode {
	if !useAESNI {
		return nil
	}
	k := newCBCKeys(key)
	if k == nil {
		return nil
	}
	return func(iv []byte, decrypt bool) cipher.BlockMode {
		m := &aesniCBC{keys: k, decrypt: decrypt}
		copy(m.iv[:], iv)
		return m
	}
}

func (m *aesniCBC) BlockSize() int { return aes.BlockSize }

// CryptBlocks encrypts or decrypts src into dst (which may be the same
// slice); len(src) must be a multiple of the block size.
func (m *aesniCBC) CryptBlocks(dst, src []byte) {
	if len(src)%aes.BlockSize != 0 {
		panic("oracle: CBC input not full blocks")
	}
	if len(dst) < len(src) {
		panic("oracle: CBC output smaller than input")
	}
	if len(src) == 0 {
		return
	}
	if m.decrypt {
		cbcDecAsm(m.keys.nr, &m.keys.dec[0], &m.iv[0], &dst[0], &src[0], len(src))
	} else {
		cbcEncAsm(m.keys.nr, &m.keys.enc[0], &m.iv[0], &dst[0], &src[0], len(src))
	}
}
