package oracle

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"math/big"
)

// GenerateRSAKey generates an RSA key of 2048, 3072 or 4096 bits with
// public exponent 65537, as `openssl genpkey -algorithm RSA` does.
func GenerateRSAKey(bits int) (*rsa.PrivateKey, error) {
	switch bits {
	case 2048, 3072, 4096:
	default:
		return nil, fmt.Errorf("unsupported RSA key size %d (use 2048, 3072 or 4096)", bits)
	}
	return rsa.GenerateKey(rand.Reader, bits)
}

// modulusLen returns k, the length of the modulus in bytes.
func modulusLen(pub *rsa.PublicKey) int { return (pub.N.BitLen() + 7) / 8 }

func checkPublic(pub *rsa.PublicKey) error {
	if pub == nil || pub.N == nil || pub.N.Sign() <= 0 || pub.E < 3 || pub.E%2 == 0 {
		return errors.New("invalid RSA public key")
	}
	if pub.N.BitLen() < 512 {
		return fmt.Errorf("RSA modulus of %d bits is too small (at least 512)", pub.N.BitLen())
	}
	return nil
}

func checkPrivate(priv *rsa.PrivateKey) error {
	if priv == nil {
		return errors.New("invalid RSA private key: nil")
	}
	if err := checkPublic(&priv.PublicKey); err != nil {
		return err
	}
	if priv.D == nil || priv.D.Sign() <= 0 {
		return errors.New("invalid RSA private key: no private exponent")
	}
	return nil
}

// encryptBlock applies the RSA public operation to a k-byte encoded block
// and returns the k-byte result. The block must be smaller than the modulus.
func encryptBlock(pub *rsa.PublicKey, em []byte) ([]byte, error) {
	m := new(big.Int).SetBytes(em)
	if m.Cmp(pub.N) >= 0 {
		return nil, errPublicModulus
	}
	c := new(big.Int).Exp(m, big.NewInt(int64(pub.E)), pub.N)
	return c.FillBytes(make([]byte, modulusLen(pub))), nil
}

// decryptBlock applies the RSA private operation to a ciphertext of at most
// k bytes (shorter ones are left-padded with zeros, as openssl does) and
// returns the k-byte result. The exponentiation is blinded.
func decryptBlock(priv *rsa.PrivateKey, ciphertext []byte) ([]byte, error) {
	k := modulusLen(&priv.PublicKey)
	if len(ciphertext) > k {
		return nil, errPrivateModLen
	}
	c := new(big.Int).SetBytes(ciphertext)
	if c.Cmp(priv.N) >= 0 {
		return nil, errPrivateModulus
	}
	n := priv.N
	e := big.NewInt(int64(priv.E))
	// Blinding: m = (c·r^e)^d · r^-1 mod n.
	var r, rInv *big.Int
	for {
		var err error
		r, err = rand.Int(rand.Reader, n)
		if err != nil {
			return nil, fmt.Errorf("RSA blinding: %w", err)
		}
		if r.Sign() == 0 {
			continue
		}
		rInv = new(big.Int).ModInverse(r, n)
		if rInv != nil {
			break
		}
	}
	cb := new(big.Int).Exp(r, e, n)
	cb.Mul(cb, c).Mod(cb, n)
	m := privateExp(priv, cb)
	m.Mul(m, rInv).Mod(m, n)
	// Check the result: a wrong private key must not give silent garbage.
	if new(big.Int).Exp(m, e, n).Cmp(c) != 0 {
		return nil, errors.New("RSA private key is inconsistent (d does not invert e)")
	}
	return m.FillBytes(make([]byte, k)), nil
}

// privateExp returns c^d mod n, with the Chinese remainder theorem when the
// key has exactly two primes and its CRT values.
func privateExp(priv *rsa.PrivateKey, c *big.Int) *big.Int {
	pc := priv.Precomputed
	if len(priv.Primes) != 2 || pc.Dp == nil || pc.Dq == nil || pc.Qinv == nil {
		return new(big.Int).Exp(c, priv.D, priv.N)
	}
	p, q := priv.Primes[0], priv.Primes[1]
	m1 := new(big.Int).Exp(c, pc.Dp, p)
	m2 := new(big.Int).Exp(c, pc.Dq, q)
	h := m1.Sub(m1, m2)
	h.Mul(h, pc.Qinv).Mod(h, p)
	h.Mul(h, q)
	return h.Add(h, m2)
}

// EncryptPKCS1v15 encrypts msg with RSAES-PKCS1-v1_5 (block type 2), the
// default of `openssl pkeyutl -encrypt` and `rsautl -encrypt`. msg may be at
// most k-11 bytes; longer gives openssl's "data too large for key size".
func EncryptPKCS1v15(random io.Reader, pub *rsa.PublicKey, msg []byte) ([]byte, error) {
	if err := checkPublic(pub); err != nil {
		return nil, err
	}
	if random == nil {
		random = rand.Reader
	}
	k := modulusLen(pub)
	if len(msg) > k-11 {
		return nil, errPKCS1TooLarge
	}
	em := make([]byte, k)
	em[1] = 2
	ps := em[2 : k-len(msg)-1]
	if _, err := io.ReadFull(random, ps); err != nil {
		return nil, fmt.Errorf("reading random padding: %w", err)
	}
	for i := range ps {
		for ps[i] == 0 {
			var b [1]byte
			if _, err := io.ReadFull(random, b[:]); err != nil {
				return nil, fmt.Errorf("reading random padding: %w", err)
			}
			ps[i] = b[0]
		}
	}
	copy(em[k-len(msg):], msg)
	return encryptBlock(pub, em)
}

// DecryptPKCS1v15 decrypts an RSAES-PKCS1-v1_5 ciphertext as openssl 3.0
// does: a bad block gives "pkcs decoding error" / "padding check failed".
// The padding check runs in constant time over the whole block.
func DecryptPKCS1v15(priv *rsa.PrivateKey, ciphertext []byte) ([]byte, error) {
	if err := checkPrivate(priv); err != nil {
		return nil, err
	}
	em, err := decryptBlock(priv, ciphertext)
	if err != nil {
		return nil, err
	}
	k := len(em)
	good := subtle.ConstantTimeByteEq(em[0], 0)
	good &= subtle.ConstantTimeByteEq(em[1], 2)
	// Find the first zero after the padding, without branching on data.
	lookingForIndex := 1
	index := 0
	for i := 2; i < k; i++ {
		isZero := subtle.ConstantTimeByteEq(em[i], 0)
		index = subtle.ConstantTimeSelect(lookingForIndex&isZero, i, index)
		lookingForIndex = subtle.ConstantTimeSelect(isZero, 0, lookingForIndex)
	}
	// At least 8 bytes of non-zero padding.
	validPS := subtle.ConstantTimeLessOrEq(2+8, index)
	good &= (^lookingForIndex & 1) & validPS
	if good != 1 {
		return nil, errPKCS1Decoding
	}
	return append([]byte(nil), em[index+1:]...), nil
}

// EncryptRaw applies the bare RSA public operation (`-pkeyopt
// rsa_padding_mode:none`, `rsautl -raw`). msg must be exactly k bytes and
// smaller than the modulus, with openssl's messages otherwise.
func EncryptRaw(pub *rsa.PublicKey, msg []byte) ([]byte, error) {
	if err := checkPublic(pub); err != nil {
		return nil, err
	}
	k := modulusLen(pub)
	switch {
	case len(msg) > k:
		return nil, errNoneTooLarge
	case len(msg) < k:
		return nil, errNoneTooSmall
	}
	return encryptBlock(pub, msg)
}

// DecryptRaw applies the bare RSA private operation and returns all k bytes.
func DecryptRaw(priv *rsa.PrivateKey, ciphertext []byte) ([]byte, error) {
	if err := checkPrivate(priv); err != nil {
		return nil, err
	}
	return decryptBlock(priv, ciphertext)
}

// asPKeyError is errors.As for *PKeyError.
func asPKeyError(err error, target **PKeyError) bool { return errors.As(err, target) }
