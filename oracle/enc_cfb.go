package oracle

import (
	"crypto/aes"
	"crypto/cipher"
)

// cfb8 is CFB with an 8-bit feedback segment (openssl's aes-*-cfb8).
type cfb8 struct {
	block   cipher.Block
	reg     [aes.BlockSize]byte
	out     [aes.BlockSize]byte
	decrypt bool
}

func newCFB8(block cipher.Block, iv []byte, decrypt bool) cipher.Stream {
	s := &cfb8{block: block, decrypt: decrypt}
	copy(s.reg[:], iv)
	return s
}

// XORKeyStream encrypts or decrypts src into dst one byte at a time.
func (s *cfb8) XORKeyStream(dst, src []byte) {
	for i, in := range src {
		s.block.Encrypt(s.out[:], s.reg[:])
		o := in ^ s.out[0]
		c := o
		if s.decrypt {
			c = in
		}
		copy(s.reg[:], s.reg[1:])
		s.reg[aes.BlockSize-1] = c
		dst[i] = o
	}
}

// cfb1 is CFB with a 1-bit feedback segment (openssl's aes-*-cfb1); bits
// are processed most significant first.
type cfb1 struct {
	block   cipher.Block
	reg     [aes.BlockSize]byte
	out     [aes.BlockSize]byte
	decrypt bool
}

func newCFB1(block cipher.Block, iv []byte, decrypt bool) cipher.Stream {
	s := &cfb1{block: block, decrypt: decrypt}
	copy(s.reg[:], iv)
	return s
}

// XORKeyStream encrypts or decrypts src into dst one bit at a time.
func (s *cfb1) XORKeyStream(dst, src []byte) {
	for i, in := range src {
		var res byte
		for bit := 7; bit >= 0; bit-- {
			s.block.Encrypt(s.out[:], s.reg[:])
			ib := (in >> uint(bit)) & 1
			ob := ib ^ (s.out[0] >> 7)
			cb := ob
			if s.decrypt {
				cb = ib
			}
			// shift the register left by one bit and append the ciphertext bit
			for j := 0; j < aes.BlockSize-1; j++ {
				s.reg[j] = s.reg[j]<<1 | s.reg[j+1]>>7
			}
			s.reg[aes.BlockSize-1] = s.reg[aes.BlockSize-1]<<1 | cb
			res |= ob << uint(bit)
		}
		dst[i] = res
	}
}
