package kmsfake

import (
	"crypto/rand"
	"encoding/asn1"
	"errors"
	"io"
	"math/big"
)

// secp256k1 (ECC_SECG_P256K1) in plain math/big arithmetic: the standard
// library has no such curve. Key generation, ECDSA and the DER encodings
// are all this fake needs; speed and constant time do not matter here.

var (
	k1P, _  = new(big.Int).SetString("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F", 16)
	k1N, _  = new(big.Int).SetString("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16)
	k1Gx, _ = new(big.Int).SetString("79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798", 16)
	k1Gy, _ = new(big.Int).SetString("483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8", 16)

	oidK256        = asn1.ObjectIdentifier{1, 3, 132, 0, 10}
	oidECPublicKey = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
)

// k1Point is an affine point; nil X means the point at infinity.
type k1Point struct{ X, Y *big.Int }

func k1Add(a, b k1Point) k1Point {
	if a.X == nil {
		return b
	}
	if b.X == nil {
		return a
	}
	var l *big.Int
	if a.X.Cmp(b.X) == 0 {
		if new(big.Int).Add(a.Y, b.Y).Mod(new(big.Int).Add(a.Y, b.Y), k1P).Sign() == 0 {
			return k1Point{}
		}
		// l = 3x^2 / 2y
		num := new(big.Int).Mul(a.X, a.X)
		num.Mul(num, big.NewInt(3))
		den := new(big.Int).Lsh(a.Y, 1)
		den.ModInverse(den.Mod(den, k1P), k1P)
		l = num.Mul(num, den)
	} else {
		num := new(big.Int).Sub(b.Y, a.Y)
		den := new(big.Int).Sub(b.X, a.X)
		den.ModInverse(den.Mod(den, k1P), k1P)
		l = num.Mul(num, den)
	}
	l.Mod(l, k1P)
	x := new(big.Int).Mul(l, l)
	x.Sub(x, a.X).Sub(x, b.X).Mod(x, k1P)
	y := new(big.Int).Sub(a.X, x)
	y.Mul(y, l).Sub(y, a.Y).Mod(y, k1P)
	return k1Point{x, y}
}

func k1Mul(p k1Point, k *big.Int) k1Point {
	var r k1Point
	for i := k.BitLen() - 1; i >= 0; i-- {
		r = k1Add(r, r)
		if k.Bit(i) == 1 {
			r = k1Add(r, p)
		}
	}
	return r
}

func k1OnCurve(p k1Point) bool {
	if p.X == nil || p.X.Sign() < 0 || p.Y.Sign() < 0 || p.X.Cmp(k1P) >= 0 || p.Y.Cmp(k1P) >= 0 {
		return false
	}
	y2 := new(big.Int).Mul(p.Y, p.Y)
	y2.Mod(y2, k1P)
	x3 := new(big.Int).Mul(p.X, p.X)
	x3.Mul(x3, p.X).Add(x3, big.NewInt(7)).Mod(x3, k1P)
	return y2.Cmp(x3) == 0
}

// k1Key is a secp256k1 private key.
type k1Key struct {
	D   *big.Int
	Pub k1Point
}

func k1Random(r io.Reader) (*big.Int, error) {
	for {
		b := make([]byte, 32)
		if _, err := io.ReadFull(r, b); err != nil {
			return nil, err
		}
		d := new(big.Int).SetBytes(b)
		if d.Sign() > 0 && d.Cmp(k1N) < 0 {
			return d, nil
		}
	}
}

func k1Generate() (*k1Key, error) {
	d, err := k1Random(rand.Reader)
	if err != nil {
		return nil, err
	}
	return &k1Key{D: d, Pub: k1Mul(k1Point{k1Gx, k1Gy}, d)}, nil
}

func (p k1Point) uncompressed() []byte {
	out := make([]byte, 65)
	out[0] = 4
	p.X.FillBytes(out[1:33])
	p.Y.FillBytes(out[33:])
	return out
}

type ecdsaSig struct{ R, S *big.Int }

// sign returns a DER ECDSA signature over a 32-byte digest.
func (k *k1Key) sign(digest []byte) ([]byte, error) {
	e := new(big.Int).SetBytes(digest)
	for {
		kk, err := k1Random(rand.Reader)
		if err != nil {
			return nil, err
		}
		r := k1Mul(k1Point{k1Gx, k1Gy}, kk).X
		r.Mod(r, k1N)
		if r.Sign() == 0 {
			continue
		}
		s := new(big.Int).Mul(r, k.D)
		s.Add(s, e).Mul(s, new(big.Int).ModInverse(kk, k1N)).Mod(s, k1N)
		if s.Sign() == 0 {
			continue
		}
		return asn1.Marshal(ecdsaSig{r, s})
	}
}

// k1Verify checks a DER ECDSA signature over a 32-byte digest.
func k1Verify(pub k1Point, digest, sig []byte) bool {
	var s ecdsaSig
	rest, err := asn1.Unmarshal(sig, &s)
	if err != nil || len(rest) != 0 || s.R == nil || s.S == nil {
		return false
	}
	if s.R.Sign() <= 0 || s.S.Sign() <= 0 || s.R.Cmp(k1N) >= 0 || s.S.Cmp(k1N) >= 0 {
		return false
	}
	e := new(big.Int).SetBytes(digest)
	w := new(big.Int).ModInverse(s.S, k1N)
	u1 := new(big.Int).Mul(e, w)
	u1.Mod(u1, k1N)
	u2 := new(big.Int).Mul(s.R, w)
	u2.Mod(u2, k1N)
	x := k1Add(k1Mul(k1Point{k1Gx, k1Gy}, u1), k1Mul(pub, u2))
	if x.X == nil {
		return false
	}
	return new(big.Int).Mod(x.X, k1N).Cmp(s.R) == 0
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
	d := make([]byte, 32)
	k.D.FillBytes(d)
	pub := k.Pub.uncompressed()
	inner, err := asn1.Marshal(ecPrivateKey{Version: 1, PrivateKey: d, PublicKey: asn1.BitString{Bytes: pub, BitLength: len(pub) * 8}})
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(pkcs8{Algo: k1AlgID(), PrivateKey: inner})
}

// spki encodes the public key as SubjectPublicKeyInfo DER.
func (k *k1Key) spki() ([]byte, error) {
	pub := k.Pub.uncompressed()
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

// parseK256PKCS8 decodes a PKCS#8 secp256k1 private key.
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
	d := new(big.Int).SetBytes(ec.PrivateKey)
	if d.Sign() <= 0 || d.Cmp(k1N) >= 0 {
		return nil, errors.New("secp256k1 private scalar out of range")
	}
	k := &k1Key{D: d, Pub: k1Mul(k1Point{k1Gx, k1Gy}, d)}
	if len(ec.PublicKey.Bytes) > 0 && string(ec.PublicKey.Bytes) != string(k.Pub.uncompressed()) {
		return nil, errors.New("secp256k1 public key does not match the private key")
	}
	return k, nil
}
