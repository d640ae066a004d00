package oracle

import (
	"crypto"
	"crypto/hmac"
	"encoding/binary"
	"errors"
	"fmt"
)

// KBKDFParams are the SP 800-108 HMAC KDF settings `openssl kdf ... KBKDF`
// exposes (3.0): -kdfopt mode, salt (the label), info (the context), seed,
// use-l and use-separator.
type KBKDFParams struct {
	// Hash is the HMAC digest.
	Hash crypto.Hash
	// Feedback selects feedback mode; the default is counter mode.
	Feedback bool
	// Key is the key-derivation key KI.
	Key []byte
	// Label and Context are the fixed input fields.
	Label, Context []byte
	// Seed is the feedback-mode IV: empty or exactly hLen bytes. Counter
	// mode ignores it, as openssl does.
	Seed []byte
	// NoL drops the trailing 32-bit output length L (use-l:0).
	NoL bool
	// NoSeparator drops the 00 byte between label and context (use-separator:0).
	NoSeparator bool
}

// KBKDF derives keyLen bytes with SP 800-108 in counter or feedback mode and
// HMAC, laid out as openssl 3.0 does:
//
//	K(i) = HMAC(key, [K(i-1) in feedback mode] || i_32 || label || 00 || context || L_32)
//
// with K(0) = seed. The 00 and L follow NoSeparator and NoL.
func KBKDF(p KBKDFParams, keyLen int) ([]byte, error) {
	if err := checkKDF(p.Hash, keyLen); err != nil {
		return nil, err
	}
	if len(p.Key) == 0 {
		return nil, errors.New("KBKDF needs a non-empty key")
	}
	if p.Feedback && len(p.Seed) != 0 && len(p.Seed) != p.Hash.Size() {
		return nil, fmt.Errorf("KBKDF feedback seed must be empty or %d bytes, got %d (openssl: invalid seed length)", p.Hash.Size(), len(p.Seed))
	}
	var l [4]byte
	binary.BigEndian.PutUint32(l[:], uint32(keyLen)*8)
	out := make([]byte, 0, keyLen+p.Hash.Size())
	prev := p.Seed
	var ctr [4]byte
	for i := uint32(1); len(out) < keyLen; i++ {
		binary.BigEndian.PutUint32(ctr[:], i)
		m := hmac.New(p.Hash.New, p.Key)
		if p.Feedback {
			m.Write(prev)
		}
		m.Write(ctr[:])
		m.Write(p.Label)
		if !p.NoSeparator {
			m.Write([]byte{0})
		}
		m.Write(p.Context)
		if !p.NoL {
			m.Write(l[:])
		}
		block := m.Sum(nil)
		out = append(out, block...)
		prev = block
	}
	return out[:keyLen], nil
}
