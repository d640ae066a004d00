package doctor

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"
	"strconv"
)

// encCipher is one `openssl enc` cipher the search tries.
type encCipher struct {
	name   string // openssl name, e.g. "aes-256-cbc"
	keyLen int
	ivLen  int
	mode   string // cbc, ecb, ctr, cfb, ofb
}

// padded reports whether the mode uses PKCS#7 padding (so a wrong key is
// usually caught by the padding check).
func (c encCipher) padded() bool { return c.mode == "cbc" || c.mode == "ecb" }

// encCiphers lists AES in every key size and the modes `openssl enc`
// offers, the default aes-256-cbc first.
var encCiphers = func() []encCipher {
	var out []encCipher
	for _, mode := range []string{"cbc", "ecb", "ctr", "cfb", "ofb"} {
		for _, bits := range []int{256, 128, 192} {
			iv := 16
			if mode == "ecb" {
				iv = 0
			}
			out = append(out, encCipher{name: "aes-" + strconv.Itoa(bits) + "-" + mode, keyLen: bits / 8, ivLen: iv, mode: mode})
		}
	}
	return out
}()

// lastBlockPadOK decrypts only the last block of a CBC or ECB ciphertext
// and reports whether its PKCS#7 padding is valid: the cheap test run for
// every candidate key before a full decryption.
func lastBlockPadOK(b cipher.Block, c encCipher, iv, ct []byte) bool {
	n := len(ct)
	if n == 0 || n%aes.BlockSize != 0 {
		return false
	}
	var last [aes.BlockSize]byte
	b.Decrypt(last[:], ct[n-aes.BlockSize:])
	if c.mode == "cbc" {
		prev := iv
		if n >= 2*aes.BlockSize {
			prev = ct[n-2*aes.BlockSize : n-aes.BlockSize]
		}
		subtle.XORBytes(last[:], last[:], prev)
	}
	return pkcs7Len(last[:]) > 0
}

// pkcs7Len returns the padding length of a final block, or 0 if invalid.
func pkcs7Len(last []byte) int {
	p := int(last[len(last)-1])
	if p == 0 || p > aes.BlockSize || p > len(last) {
		return 0
	}
	for _, x := range last[len(last)-p:] {
		if int(x) != p {
			return 0
		}
	}
	return p
}

// decryptAll decrypts ct fully (at most limit bytes for stream modes when
// limit > 0) and strips the padding of block modes; ok is false when the
// padding is invalid.
func decryptAll(b cipher.Block, c encCipher, iv, ct []byte, limit int) (out []byte, ok bool) {
	switch c.mode {
	case "cbc", "ecb":
		if len(ct) == 0 || len(ct)%aes.BlockSize != 0 {
			return nil, false
		}
		out = make([]byte, len(ct))
		if c.mode == "cbc" {
			cipher.NewCBCDecrypter(b, iv).CryptBlocks(out, ct)
		} else {
			for i := 0; i < len(ct); i += aes.BlockSize {
				b.Decrypt(out[i:i+aes.BlockSize], ct[i:i+aes.BlockSize])
			}
		}
		p := pkcs7Len(out[len(out)-aes.BlockSize:])
		if p == 0 {
			return nil, false
		}
		return out[:len(out)-p], true
	}
	if limit > 0 && len(ct) > limit {
		ct = ct[:limit]
	}
	out = make([]byte, len(ct))
	var s cipher.Stream
	switch c.mode {
	case "ctr":
		s = cipher.NewCTR(b, iv)
	case "cfb":
		s = cipher.NewCFBDecrypter(b, iv) //nolint:staticcheck // openssl enc -aes-*-cfb is CFB128
	case "ofb":
		s = cipher.NewOFB(b, iv) //nolint:staticcheck // openssl enc -aes-*-ofb
	default:
		return nil, false
	}
	s.XORKeyStream(out, ct)
	return out, true
}
