package oracle

import (
	"crypto/aes"
	"crypto/cipher"
	"fmt"
	"sort"
	"strings"
)

// cipherMode is the block-cipher mode of operation of an enc cipher.
type cipherMode int

const (
	modeCBC cipherMode = iota
	modeECB
	modeCTR
	modeOFB
	modeCFB128
	modeCFB8
	modeCFB1
)

// EncCipher describes one cipher that `enc` supports.
type EncCipher struct {
	// Name is openssl's lower-case name, e.g. "aes-256-cbc".
	Name string
	// KeyLen and IVLen are the key and IV sizes in bytes (IVLen is 0 for ECB).
	KeyLen, IVLen int
	// Padded reports whether the mode pads to the block size (CBC, ECB).
	Padded bool
	mode   cipherMode
}

var encCiphers = map[string]EncCipher{}

// cipherAliases maps other names openssl accepts to canonical names.
var cipherAliases = map[string]string{
	"aes128": "aes-128-cbc",
	"aes192": "aes-192-cbc",
	"aes256": "aes-256-cbc",
}

func init() {
	modes := []struct {
		suffix string
		mode   cipherMode
	}{
		{"cbc", modeCBC}, {"ecb", modeECB}, {"ctr", modeCTR}, {"ofb", modeOFB},
		{"cfb", modeCFB128}, {"cfb8", modeCFB8}, {"cfb1", modeCFB1},
	}
	for _, bits := range []int{128, 192, 256} {
		for _, m := range modes {
			c := EncCipher{
				Name:   fmt.Sprintf("aes-%d-%s", bits, m.suffix),
				KeyLen: bits / 8, IVLen: aes.BlockSize,
				Padded: m.mode == modeCBC || m.mode == modeECB,
				mode:   m.mode,
			}
			if m.mode == modeECB {
				c.IVLen = 0
			}
			encCiphers[c.Name] = c
		}
		cipherAliases[fmt.Sprintf("aes-%d-cfb128", bits)] = fmt.Sprintf("aes-%d-cfb", bits)
	}
}

// EncCiphers lists the names of the ciphers `enc` supports, sorted.
func EncCiphers() []string {
	names := make([]string, 0, len(encCiphers))
	for n := range encCiphers {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// LookupEncCipher returns the cipher for an openssl cipher name such as
// "aes-256-cbc", "AES-128-CTR" or "aes256". Names are case-insensitive.
func LookupEncCipher(name string) (EncCipher, error) {
	key := strings.ToLower(strings.TrimSpace(name))
	if a, ok := cipherAliases[key]; ok {
		key = a
	}
	if c, ok := encCiphers[key]; ok {
		return c, nil
	}
	return EncCipher{}, fmt.Errorf("%w: %q (supported: aes-{128,192,256}-{cbc,ctr,cfb,cfb8,cfb1,ofb,ecb})", ErrUnknownCipher, name)
}

// stream returns the keystream of a stream mode (CTR, OFB, CFB*).
func (c EncCipher) stream(block cipher.Block, iv []byte, decrypt bool) cipher.Stream {
	switch c.mode {
	case modeCTR:
		return cipher.NewCTR(block, iv)
	case modeOFB:
		return cipher.NewOFB(block, iv) //nolint:staticcheck // openssl's OFB, needed for interop
	case modeCFB128:
		if decrypt {
			return cipher.NewCFBDecrypter(block, iv) //nolint:staticcheck // openssl's CFB, needed for interop
		}
		return cipher.NewCFBEncrypter(block, iv) //nolint:staticcheck // openssl's CFB, needed for interop
	case modeCFB8:
		return newCFB8(block, iv, decrypt)
	case modeCFB1:
		return newCFB1(block, iv, decrypt)
	}
	return nil
}
