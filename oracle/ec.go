package oracle

import (
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/asn1"
	"errors"
	"fmt"
	"strings"
)

// CurveInfo describes one supported NIST curve under all the names
// openssl and KMS give it.
type CurveInfo struct {
	// NIST is the NIST name ("P-256").
	NIST string
	// OpenSSL is openssl's short name ("prime256v1").
	OpenSSL string
	// KMS is the KMS key spec ("ECC_NIST_P256").
	KMS string
	// Curve is the Go curve.
	Curve elliptic.Curve
	// OID is the named-curve object identifier.
	OID asn1.ObjectIdentifier
	// Size is the field size in bytes: the length of an ECDH secret (32/48/66).
	Size int
}

var curves = []CurveInfo{
	{"P-256", "prime256v1", "ECC_NIST_P256", elliptic.P256(), asn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 7}, 32},
	{"P-384", "secp384r1", "ECC_NIST_P384", elliptic.P384(), asn1.ObjectIdentifier{1, 3, 132, 0, 34}, 48},
	{"P-521", "secp521r1", "ECC_NIST_P521", elliptic.P521(), asn1.ObjectIdentifier{1, 3, 132, 0, 35}, 66},
}

// LookupCurve finds a curve by any of its names ("P-256", "prime256v1",
// "secp256r1", "ECC_NIST_P256", case-insensitive).
func LookupCurve(name string) (CurveInfo, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	for _, c := range curves {
		alt := strings.Replace(strings.ToLower(c.OpenSSL), "prime", "secp", 1)
		if c.OpenSSL == "prime256v1" {
			alt = "secp256r1"
		}
		if n == strings.ToLower(c.NIST) || n == strings.ToLower(c.OpenSSL) || n == strings.ToLower(c.KMS) || n == alt {
			return c, nil
		}
	}
	return CurveInfo{}, fmt.Errorf("unsupported curve %q (use P-256/prime256v1, P-384/secp384r1 or P-521/secp521r1)", name)
}

func curveInfoOf(c elliptic.Curve) (CurveInfo, error) {
	if c == nil {
		return CurveInfo{}, errors.New("EC key without a curve")
	}
	for _, ci := range curves {
		if ci.Curve == c {
			return ci, nil
		}
	}
	return CurveInfo{}, fmt.Errorf("unsupported curve %s (P-256, P-384 and P-521 only)", c.Params().Name)
}

// CurveOf returns the CurveInfo of an EC key's curve.
func CurveOf(pub *ecdsa.PublicKey) (CurveInfo, error) {
	if pub == nil {
		return CurveInfo{}, errors.New("nil EC public key")
	}
	return curveInfoOf(pub.Curve)
}

// GenerateECKey generates a key on "P-256"/"prime256v1", "P-384"/"secp384r1"
// or "P-521"/"secp521r1".
func GenerateECKey(curve string) (*ecdsa.PrivateKey, error) {
	c, err := LookupCurve(curve)
	if err != nil {
		return nil, err
	}
	return ecdsa.GenerateKey(c.Curve, rand.Reader)
}

// ECDH returns the raw ECDH shared secret, the affine X coordinate of
// priv·peer as 32/48/66 bytes: what `openssl pkeyutl -derive` prints and
// KMS DeriveSharedSecret returns. The curves must match and the peer point
// must be valid.
func ECDH(priv *ecdsa.PrivateKey, peer *ecdsa.PublicKey) ([]byte, error) {
	if priv == nil || peer == nil {
		return nil, errors.New("ECDH needs a private key and a peer public key")
	}
	ci, err := curveInfoOf(priv.Curve)
	if err != nil {
		return nil, err
	}
	pi, err := curveInfoOf(peer.Curve)
	if err != nil {
		return nil, err
	}
	if ci.NIST != pi.NIST {
		return nil, fmt.Errorf("ECDH curve mismatch: private key on %s, peer key on %s", ci.NIST, pi.NIST)
	}
	if peer.X == nil || peer.Y == nil || !ci.Curve.IsOnCurve(peer.X, peer.Y) {
		return nil, errors.New("ECDH peer public key is not a valid point on " + ci.NIST)
	}
	d, err := priv.ECDH()
	if err != nil {
		return nil, fmt.Errorf("ECDH private key: %w", err)
	}
	p, err := ecdhPublic(peer, ci)
	if err != nil {
		return nil, err
	}
	s, err := d.ECDH(p)
	if err != nil {
		return nil, fmt.Errorf("ECDH: %w", err)
	}
	return s, nil
}

func ecdhPublic(pub *ecdsa.PublicKey, ci CurveInfo) (*ecdh.PublicKey, error) {
	pt := make([]byte, 1+2*ci.Size)
	pt[0] = 4
	pub.X.FillBytes(pt[1 : 1+ci.Size])
	pub.Y.FillBytes(pt[1+ci.Size:])
	var c ecdh.Curve
	switch ci.NIST {
	case "P-256":
		c = ecdh.P256()
	case "P-384":
		c = ecdh.P384()
	default:
		c = ecdh.P521()
	}
	p, err := c.NewPublicKey(pt)
	if err != nil {
		return nil, fmt.Errorf("ECDH peer public key is not a valid point on %s: %w", ci.NIST, err)
	}
	return p, nil
}
