package oracle

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"unsafe"
)

// aesSbox is the AES S-box, computed at start-up from its definition
// (multiplicative inverse in GF(2^8) followed by the affine map).
var aesSbox = func() (s [256]byte) {
	rotl := func(x byte, n uint) byte { return x<<n | x>>(8-n) }
	p, q := byte(1), byte(1)
	for {
		// p runs through the multiplicative group (times 3), q through the inverses (divide by 3).
		if p&0x80 != 0 {
			p ^= p<<1 ^ 0x1b
		} else {
			p ^= p << 1
		}
		q ^= q << 1
		q ^= q << 2
		q ^= q << 4
		if q&0x80 != 0 {
			q ^= 0x09
		}
		s[p] = q ^ rotl(q, 1) ^ rotl(q, 2) ^ rotl(q, 3) ^ rotl(q, 4) ^ 0x63
		if p == 1 {
			break
		}
	}
	s[0] = 0x63
	return s
}()

// aesExpandKey returns the FIPS-197 encryption key schedule of key as
// (rounds+1) 16-byte round keys, and the number of rounds.
func aesExpandKey(key []byte) ([]byte, int) {
	nk := len(key) / 4
	nr := nk + 6
	w := make([]uint32, 4*(nr+1))
	for i := 0; i < nk; i++ {
		w[i] = binary.BigEndian.Uint32(key[4*i:])
	}
	sub := func(t uint32) uint32 {
		return uint32(aesSbox[t>>24])<<24 | uint32(aesSbox[t>>16&0xff])<<16 | uint32(aesSbox[t>>8&0xff])<<8 | uint32(aesSbox[t&0xff])
	}
	rcon := uint32(1)
	for i := nk; i < len(w); i++ {
		t := w[i-1]
		switch {
		case i%nk == 0:
			t = sub(t<<8|t>>24) ^ rcon<<24
			rcon <<= 1
			if rcon&0x100 != 0 {
				rcon ^= 0x11b
			}
		case nk > 6 && i%nk == 4:
			t = sub(t)
		}
		w[i] = w[i-nk] ^ t
	}
	out := make([]byte, 4*len(w))
	for i, v := range w {
		binary.BigEndian.PutUint32(out[4*i:], v)
	}
	return out, nr
}

// aligned16 returns a 16-byte aligned slice of n bytes (the AES-NI code
// uses round keys as aligned memory operands).
func aligned16(n int) []byte {
	b := make([]byte, n+16)
	off := int((16 - uintptr(unsafe.Pointer(&b[0]))%16) % 16)
	return b[off : off+n : off+n]
}

// cbcFactory returns a constructor of CBC encrypters/decrypters for one
// key: the AES-NI code where the CPU has it, Go's crypto/cipher otherwise.
func cbcFactory(block cipher.Block, key []byte) func(iv []byte, decrypt bool) cipher.BlockMode {
	if f := aesniCBCFactory(key); f != nil {
		return f
	}
	return func(iv []byte, decrypt bool) cipher.BlockMode {
		if decrypt {
			return cipher.NewCBCDecrypter(block, iv)
		}
		return cipher.NewCBCEncrypter(block, iv)
	}
}

// cbcKeys holds the round keys of one AES key for the AES-NI code.
type cbcKeys struct {
	enc, dec []byte // aligned, (nr+1)*16 bytes each
	nr       int
}

// newCBCKeys expands key into the round keys of both directions.
func newCBCKeys(key []byte) *cbcKeys {
	if len(key) != 16 && len(key) != 24 && len(key) != 32 {
		return nil
	}
	ek, nr := aesExpandKey(key)
	k := &cbcKeys{enc: aligned16(len(ek)), dec: aligned16(len(ek)), nr: nr}
	copy(k.enc, ek)
	// Equivalent inverse cipher: reversed order, InvMixColumns on the middle keys.
	copy(k.dec[0:aes.BlockSize], ek[nr*aes.BlockSize:])
	for i := 1; i < nr; i++ {
		invMixColumns(k.dec[i*aes.BlockSize:(i+1)*aes.BlockSize], ek[(nr-i)*aes.BlockSize:(nr-i+1)*aes.BlockSize])
	}
	copy(k.dec[nr*aes.BlockSize:], ek[:aes.BlockSize])
	return k
}
