package kmsfake

import (
	"encoding/asn1"
	"errors"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	k1ecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
)

// secp256k1 (ECC_SECG_P256K1): the standard library has no such curve, so
// the arithmetic, key generation and ECDSA come from decred's
// github.com/decred/dcrd/dcrec/secp256k1/v4 (constant time, widely used).
// This file only wraps it and writes the PKCS#8 / SubjectPublicKeyInfo
// envelopes with encoding/asn1, as OpenSSL and AWS KMS exchange them.

var (
	oidK256        = asn1.ObjectIdentifier{1, 3, 132, 0, 10}
	oidECPublicKey = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
)

// k1Key is a secp256k1 private key.
type k1Key struct{ priv *secp256k1.PrivateKey }

// k1Generate makes a new key from crypto/rand.
func k1Generate() (*k1Key, error) {
	p, err := secp256k1.GeneratePrivateKey()
	if err != nil {
		return nil, err
	}
	return &k1Key{priv: p}, nil
}

// pub returns the uncompressed public point (0x04 || X || Y).
func (k *k1Key) pub() []byte { return k.priv.PubKey().SerializeUncompressed() }

// sign returns a DER ECDSA signature over a 32-byte digest (RFC 6979
// nonces, low S).
func (k *k1Key) sign(digest []byte) ([]byte, error) {
	if len(digest) != 32 {
		return nil, errors.New("secp256k1 signs 32-byte digests")
	}
	return k1ecdsa.Sign(k.priv, digest).Serialize(), nil
}

// verify checks a DER ECDSA signature over a 32-byte digest; high-S
// signatures (as OpenSSL makes them) are valid, as in AWS KMS.
func (k *k1Key) verify(digest, sig []byte) bool {
	s, err := k1ecdsa.ParseDERSignature(sig)
	if err != nil || len(digest) != 32 {
		return false
	}
	return s.Verify(digest, k.priv.PubKey())
}

type algorithmIdentifier struct {
	Algorithm  asn1.ObjectIdentifier
	Parameters asn1.RawValue `asn1:"optional"`
}

type pkcs8 struct {
	Version    int
	Algo       algorithmIdentifier
	PrivateKey []byte
}

type ecPrivateKey struct {
	Version    int
	PrivateKey []byte
	Params     asn1.ObjectIdentifier `asn1:"optional,explicit,tag:0"`
	PublicKey  asn1.BitString        `asn1:"optional,explicit,tag:1"`
}

type spki struct {
	Algo      algorithmIdentifier
	PublicKey asn1.BitString
}

func k1AlgID() algorithmIdentifier {
	params, _ := asn1.Marshal(oidK256)
	return algorithmIdentifier{Algorithm: oidECPublicKey, Parameters: asn1.RawValue{FullBytes: params}}
}

// pkcs8 encodes the key as PKCS#8 PrivateKeyInfo DER.
func (k *k1Key) pkcs8() ([]byte, error) {
	pub := k.pub()
	inner, err := asn1.Marshal(ecPrivateKey{Version: 1, PrivateKey: k.priv.Serialize(), PublicKey: asn1.BitString{Bytes: pub, BitLength: len(pub) * 8}})
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(pkcs8{Algo: k1AlgID(), PrivateKey: inner})
}

// spki encodes the public key as SubjectPublicKeyInfo DER.
func (k *k1Key) spki() ([]byte, error) {
	pub := k.pub()
	return asn1.Marshal(spki{Algo: k1AlgID(), PublicKey: asn1.BitString{Bytes: pub, BitLength: len(pub) * 8}})
}

// isK256PKCS8 reports whether der is a PKCS#8 secp256k1 key.
func isK256PKCS8(der []byte) bool {
	var p pkcs8
	if rest, err := asn1.Unmarshal(der, &p); err != nil || len(rest) != 0 {
		return false
	}
	if !p.Algo.Algorithm.Equal(oidECPublicKey) {
		return false
	}
	var oid asn1.ObjectIdentifier
	if _, err := asn1.Unmarshal(p.Algo.Parameters.FullBytes, &oid); err != nil {
		return false
	}
	return oid.Equal(oidK256)
}

// parseK256PKCS8 decodes a PKCS#8 secp256k1 private key; the scalar must be
// in [1, n-1] and an embedded public key (compressed or not) must match it.
func parseK256PKCS8(der []byte) (*k1Key, error) {
	var p pkcs8
	if rest, err := asn1.Unmarshal(der, &p); err != nil || len(rest) != 0 {
		return nil, errors.New("not a PKCS#8 PrivateKeyInfo")
	}
	var ec ecPrivateKey
	if rest, err := asn1.Unmarshal(p.PrivateKey, &ec); err != nil || len(rest) != 0 {
		return nil, errors.New("malformed ECPrivateKey inside PKCS#8")
	}
	if ec.Version != 1 || len(ec.PrivateKey) > 32 {
		return nil, errors.New("malformed secp256k1 private scalar")
	}
	var d secp256k1.ModNScalar
	if overflow := d.SetByteSlice(ec.PrivateKey); overflow || d.IsZero() {
		return nil, errors.New("secp256k1 private scalar out of range")
	}
	k := &k1Key{priv: secp256k1.NewPrivateKey(&d)}
	if len(ec.PublicKey.Bytes) > 0 {
		embedded, err := secp256k1.ParsePubKey(ec.PublicKey.Bytes)
		if err != nil || !embedded.IsEqual(k.priv.PubKey()) {
			return nil, errors.New("secp256k1 public key does not match the private key")
		}
	}
	return k, nil
}
