package oracle

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"encoding/asn1"
	"encoding/pem"
	"errors"
)

// sec1Key is the SEC1 ECPrivateKey structure (RFC 5915).
type sec1Key struct {
	Version    int
	PrivateKey []byte
	Params     asn1.ObjectIdentifier `asn1:"optional,explicit,tag:0"`
	PublicKey  asn1.BitString        `asn1:"optional,explicit,tag:1"`
}

// MarshalECPrivateKeyCompressed encodes an EC private key as SEC1 DER with
// the named curve and the public point in compressed form, as `openssl ec
// -conv_form compressed` writes it.
func MarshalECPrivateKeyCompressed(k *ecdsa.PrivateKey) ([]byte, error) {
	if k == nil {
		return nil, errors.New("nil EC private key")
	}
	ci, err := CurveOf(&k.PublicKey)
	if err != nil {
		return nil, err
	}
	d, err := k.Bytes()
	if err != nil {
		return nil, err
	}
	pt := elliptic.MarshalCompressed(ci.Curve, k.X, k.Y)
	return asn1.Marshal(sec1Key{
		Version:    1,
		PrivateKey: d,
		Params:     ci.OID,
		PublicKey:  asn1.BitString{Bytes: pt, BitLength: 8 * len(pt)},
	})
}

// IsCompressedECKey reports whether data (PEM or DER) is an EC key whose
// public point is stored compressed: a SubjectPublicKeyInfo, or a SEC1
// ECPrivateKey (also inside unencrypted PKCS#8). openssl keeps that form
// when it rewrites the key.
func IsCompressedECKey(data []byte) bool {
	var ders [][]byte
	if IsPEM(data) {
		rest := data
		for {
			var b *pem.Block
			b, rest = pem.Decode(rest)
			if b == nil {
				break
			}
			ders = append(ders, b.Bytes)
		}
	} else {
		ders = [][]byte{data}
	}
	for _, der := range ders {
		if _, err := parseCompressedECSPKI(der); err == nil {
			return true
		}
		if sec1Compressed(der) {
			return true
		}
		var p8 struct {
			Version    int
			Algo       asn1.RawValue
			PrivateKey []byte
		}
		if rest, err := asn1.Unmarshal(der, &p8); err == nil && len(rest) == 0 && sec1Compressed(p8.PrivateKey) {
			return true
		}
	}
	return false
}

func sec1Compressed(der []byte) bool {
	var k sec1Key
	rest, err := asn1.Unmarshal(der, &k)
	if err != nil || len(rest) != 0 || k.Version != 1 {
		return false
	}
	pt := k.PublicKey.RightAlign()
	return len(pt) > 0 && (pt[0] == 2 || pt[0] == 3)
}
