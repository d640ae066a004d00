package oracle

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/subtle"
	"encoding/binary"
	"fmt"
	"io"
)

// OAEPParams are the RSAES-OAEP parameters. openssl sets both hashes with
// `-pkeyopt rsa_oaep_md:` (MGF1 follows unless `rsa_mgf1_md:` is given);
// KMS uses the same hash for both and an empty label. A zero hash means SHA-1,
// openssl's default (and `rsautl -oaep`'s only choice).
type OAEPParams struct {
	// LabelHash hashes the label (openssl: rsa_oaep_md).
	LabelHash crypto.Hash
	// MGF1Hash is the hash of the mask generation function (rsa_mgf1_md).
	MGF1Hash crypto.Hash
	// Label is the OAEP label (rsa_oaep_label); usually empty.
	Label []byte
}

func (p OAEPParams) hashes() (crypto.Hash, crypto.Hash, error) {
	lh, mh := p.LabelHash, p.MGF1Hash
	if lh == 0 {
		lh = crypto.SHA1
	}
	if mh == 0 {
		mh = crypto.SHA1
	}
	if err := checkHash(lh); err != nil {
		return 0, 0, fmt.Errorf("OAEP label hash: %w", err)
	}
	if err := checkHash(mh); err != nil {
		return 0, 0, fmt.Errorf("OAEP MGF1 hash: %w", err)
	}
	return lh, mh, nil
}

// MaxOAEPPlaintext returns the longest message RSAES-OAEP can carry with
// this key and label hash: k - 2·hLen - 2 (214 for RSA-2048 with SHA-1, 190
// with SHA-256). It returns a negative number when the key is too small.
func MaxOAEPPlaintext(pub *rsa.PublicKey, labelHash crypto.Hash) int {
	return MaxOAEPPlaintextLen(modulusLen(pub), labelHash)
}

// MaxOAEPPlaintextLen is the OAEP plaintext limit for a modulus of
// modulusBytes bytes (256 for RSA-2048) and label hash h: k - 2·hLen - 2,
// e.g. 214 for RSA-2048 with SHA-1, 190 with SHA-256, 318 for RSA-3072 with
// SHA-256, 446 for RSA-4096 with SHA-256. A zero h means SHA-1 (openssl's
// default). It is the one place the harness computes the limit (flows,
// partner, doctor); the result is negative when the key is too small.
func MaxOAEPPlaintextLen(modulusBytes int, h crypto.Hash) int {
	if h == 0 {
		h = crypto.SHA1
	}
	return modulusBytes - 2*h.Size() - 2
}

// mgf1XOR xors out with MGF1(hash, seed) in place.
func mgf1XOR(out []byte, h crypto.Hash, seed []byte) {
	var counter [4]byte
	d := h.New()
	done := 0
	for done < len(out) {
		d.Reset()
		d.Write(seed)
		d.Write(counter[:])
		block := d.Sum(nil)
		for i := 0; i < len(block) && done < len(out); i++ {
			out[done] ^= block[i]
			done++
		}
		binary.BigEndian.PutUint32(counter[:], binary.BigEndian.Uint32(counter[:])+1)
	}
}

// EncryptOAEP encrypts msg with RSAES-OAEP (RFC 8017 7.1.1) using
// independent label and MGF1 hashes. A message longer than
// MaxOAEPPlaintext gives openssl's "data too large for key size".
func EncryptOAEP(random io.Reader, pub *rsa.PublicKey, msg []byte, p OAEPParams) ([]byte, error) {
	if err := checkPublic(pub); err != nil {
		return nil, err
	}
	lh, mh, err := p.hashes()
	if err != nil {
		return nil, err
	}
	if random == nil {
		random = rand.Reader
	}
	k := modulusLen(pub)
	hLen := lh.Size()
	// A key too small for the hash gives the same message in openssl 3.0.
	if len(msg) > MaxOAEPPlaintextLen(k, lh) {
		return nil, errOAEPTooLarge
	}
	// EM = 0x00 || maskedSeed || maskedDB, DB = lHash || PS || 0x01 || M.
	em := make([]byte, k)
	seed := em[1 : 1+hLen]
	db := em[1+hLen:]
	d := lh.New()
	d.Write(p.Label)
	copy(db, d.Sum(nil))
	db[len(db)-len(msg)-1] = 1
	copy(db[len(db)-len(msg):], msg)
	if _, err := io.ReadFull(random, seed); err != nil {
		return nil, fmt.Errorf("reading OAEP seed: %w", err)
	}
	mgf1XOR(db, mh, seed)
	mgf1XOR(seed, mh, db)
	return encryptBlock(pub, em)
}

// DecryptOAEP decrypts an RSAES-OAEP ciphertext with independent label and
// MGF1 hashes. Every decoding failure (wrong hash, wrong label, wrong key,
// tampering) gives the same "oaep decoding error", and the check runs over
// the whole block without early exits.
func DecryptOAEP(priv *rsa.PrivateKey, ciphertext []byte, p OAEPParams) ([]byte, error) {
	if err := checkPrivate(priv); err != nil {
		return nil, err
	}
	lh, mh, err := p.hashes()
	if err != nil {
		return nil, err
	}
	k := modulusLen(&priv.PublicKey)
	hLen := lh.Size()
	em, err := decryptBlock(priv, ciphertext)
	if err != nil {
		return nil, err
	}
	// As openssl: the size checks of the RSA operation come first.
	if k < 2*hLen+2 {
		return nil, errOAEPKeySize
	}
	return oaepDecode(em, lh, mh, p.Label)
}

// oaepDecode checks and strips the OAEP encoding of a k-byte block in
// constant time with respect to its content.
func oaepDecode(em []byte, lh, mh crypto.Hash, label []byte) ([]byte, error) {
	hLen := lh.Size()
	if len(em) < 2*hLen+2 {
		return nil, errOAEPDecoding
	}
	em = append([]byte(nil), em...)
	d := lh.New()
	d.Write(label)
	lHash := d.Sum(nil)

	firstByteIsZero := subtle.ConstantTimeByteEq(em[0], 0)
	seed := em[1 : 1+hLen]
	db := em[1+hLen:]
	mgf1XOR(seed, mh, db)
	mgf1XOR(db, mh, seed)

	lHashGood := subtle.ConstantTimeCompare(db[:hLen], lHash)
	// Scan PS || 0x01 for the separator, touching every byte.
	lookingForIndex, index, invalid := 1, 0, 0
	rest := db[hLen:]
	for i := range rest {
		equals0 := subtle.ConstantTimeByteEq(rest[i], 0)
		equals1 := subtle.ConstantTimeByteEq(rest[i], 1)
		index = subtle.ConstantTimeSelect(lookingForIndex&equals1, i, index)
		lookingForIndex = subtle.ConstantTimeSelect(equals1, 0, lookingForIndex)
		invalid = subtle.ConstantTimeSelect(lookingForIndex&^equals0, 1, invalid)
	}
	if firstByteIsZero&lHashGood&^invalid&^lookingForIndex != 1 {
		return nil, errOAEPDecoding
	}
	return append([]byte(nil), rest[index+1:]...), nil
}
