package oracle

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
)

// PEM block types openssl writes and reads for RSA and EC keys.
const (
	PEMPublicKey     = "PUBLIC KEY"      // SubjectPublicKeyInfo
	PEMRSAPublicKey  = "RSA PUBLIC KEY"  // PKCS#1 RSAPublicKey
	PEMPrivateKey    = "PRIVATE KEY"     // PKCS#8 PrivateKeyInfo
	PEMRSAPrivateKey = "RSA PRIVATE KEY" // PKCS#1 RSAPrivateKey
	PEMECPrivateKey  = "EC PRIVATE KEY"  // SEC1 ECPrivateKey
	PEMECParameters  = "EC PARAMETERS"   // named-curve OID
)

// IsPEM reports whether data looks like PEM text (a "-----BEGIN " line).
func IsPEM(data []byte) bool { return bytes.Contains(data, []byte("-----BEGIN ")) }

// ParsePublicKey parses a public key from PEM or DER: SubjectPublicKeyInfo
// (RSA or EC, "PUBLIC KEY") or PKCS#1 RSAPublicKey ("RSA PUBLIC KEY"). It
// returns *rsa.PublicKey or *ecdsa.PublicKey, or an error saying what the
// input was and what is expected.
func ParsePublicKey(data []byte) (crypto.PublicKey, error) {
	if IsPEM(data) {
		rest := data
		for {
			var block *pem.Block
			block, rest = pem.Decode(rest)
			if block == nil {
				return nil, errors.New("no PUBLIC KEY or RSA PUBLIC KEY block in the PEM input")
			}
			switch block.Type {
			case PEMPublicKey:
				return parseSPKI(block.Bytes)
			case PEMRSAPublicKey:
				return parsePKCS1Public(block.Bytes)
			case PEMPrivateKey, PEMRSAPrivateKey, PEMECPrivateKey, "ENCRYPTED PRIVATE KEY":
				return nil, fmt.Errorf("the PEM input holds a %s, not a public key (drop -pubin to use a private key)", block.Type)
			}
		}
	}
	if len(data) == 0 {
		return nil, errors.New("empty public key input")
	}
	if pub, err := parseSPKI(data); err == nil {
		return pub, nil
	}
	if pub, err := parsePKCS1Public(data); err == nil {
		return pub, nil
	}
	return nil, errors.New("input is neither PEM nor a DER SubjectPublicKeyInfo or PKCS#1 RSAPublicKey")
}

func parseSPKI(der []byte) (crypto.PublicKey, error) {
	pub, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		// openssl also reads EC keys with a compressed point, which Go's
		// x509 refuses.
		if k, cerr := parseCompressedECSPKI(der); cerr == nil {
			return k, nil
		}
		return nil, fmt.Errorf("bad SubjectPublicKeyInfo: %w", err)
	}
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if err := checkPublic(k); err != nil {
			return nil, err
		}
		return k, nil
	case *ecdsa.PublicKey:
		if _, err := curveInfoOf(k.Curve); err != nil {
			return nil, err
		}
		return k, nil
	}
	return nil, fmt.Errorf("unsupported public key type %T (RSA and EC P-256/P-384/P-521 only)", pub)
}

var oidECPublicKey = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}

// parseCompressedECSPKI reads an EC SubjectPublicKeyInfo whose point is in
// compressed form (02/03 || X) on a supported named curve.
func parseCompressedECSPKI(der []byte) (*ecdsa.PublicKey, error) {
	var spki struct {
		Algorithm pkix.AlgorithmIdentifier
		Key       asn1.BitString
	}
	rest, err := asn1.Unmarshal(der, &spki)
	if err != nil || len(rest) != 0 || !spki.Algorithm.Algorithm.Equal(oidECPublicKey) {
		return nil, errors.New("not an EC SubjectPublicKeyInfo")
	}
	var curveOID asn1.ObjectIdentifier
	if rest, err := asn1.Unmarshal(spki.Algorithm.Parameters.FullBytes, &curveOID); err != nil || len(rest) != 0 {
		return nil, errors.New("EC key without a named curve")
	}
	for _, c := range curves {
		if !c.OID.Equal(curveOID) {
			continue
		}
		pt := spki.Key.RightAlign()
		if len(pt) != 1+c.Size || (pt[0] != 2 && pt[0] != 3) {
			return nil, errors.New("EC point is neither uncompressed nor compressed")
		}
		x, y := elliptic.UnmarshalCompressed(c.Curve, pt)
		if x == nil {
			return nil, errors.New("compressed EC point is not on the curve")
		}
		return &ecdsa.PublicKey{Curve: c.Curve, X: x, Y: y}, nil
	}
	return nil, errors.New("unsupported EC curve")
}

func parsePKCS1Public(der []byte) (crypto.PublicKey, error) {
	k, err := x509.ParsePKCS1PublicKey(der)
	if err != nil {
		return nil, fmt.Errorf("bad PKCS#1 RSAPublicKey: %w", err)
	}
	if err := checkPublic(k); err != nil {
		return nil, err
	}
	return k, nil
}

// ParsePrivateKey parses a private key from PEM or DER: PKCS#1
// RSAPrivateKey, SEC1 ECPrivateKey or unencrypted PKCS#8. It returns
// *rsa.PrivateKey or *ecdsa.PrivateKey. An "EC PARAMETERS" block before the
// key (as `openssl ecparam -genkey` writes) is skipped.
func ParsePrivateKey(data []byte) (crypto.PrivateKey, error) {
	if IsPEM(data) {
		rest := data
		for {
			var block *pem.Block
			block, rest = pem.Decode(rest)
			if block == nil {
				return nil, errors.New("no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block in the PEM input")
			}
			switch block.Type {
			case PEMPrivateKey:
				return parsePKCS8(block.Bytes)
			case PEMRSAPrivateKey:
				if _, enc := block.Headers["DEK-Info"]; enc {
					return nil, errors.New("the RSA private key is password-protected; decrypt it first (openssl rsa -in KEY -out PLAIN)")
				}
				return parsePKCS1Private(block.Bytes)
			case PEMECPrivateKey:
				if _, enc := block.Headers["DEK-Info"]; enc {
					return nil, errors.New("the EC private key is password-protected; decrypt it first (openssl ec -in KEY -out PLAIN)")
				}
				return parseSEC1(block.Bytes)
			case "ENCRYPTED PRIVATE KEY":
				return nil, errors.New("the private key is password-protected (ENCRYPTED PRIVATE KEY); decrypt it first (openssl pkey -in KEY -out PLAIN)")
			case PEMPublicKey, PEMRSAPublicKey:
				return nil, fmt.Errorf("the PEM input holds a %s, not a private key (add -pubin to use a public key)", block.Type)
			}
		}
	}
	if len(data) == 0 {
		return nil, errors.New("empty private key input")
	}
	if k, err := parsePKCS8(data); err == nil {
		return k, nil
	}
	if k, err := parsePKCS1Private(data); err == nil {
		return k, nil
	}
	if k, err := parseSEC1(data); err == nil {
		return k, nil
	}
	return nil, errors.New("input is neither PEM nor a DER PKCS#8, PKCS#1 or SEC1 private key")
}

func parsePKCS8(der []byte) (crypto.PrivateKey, error) {
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("bad PKCS#8 PrivateKeyInfo: %w", err)
	}
	switch k := k.(type) {
	case *rsa.PrivateKey:
		if err := checkPrivate(k); err != nil {
			return nil, err
		}
		return k, nil
	case *ecdsa.PrivateKey:
		if _, err := curveInfoOf(k.Curve); err != nil {
			return nil, err
		}
		return k, nil
	}
	return nil, fmt.Errorf("unsupported private key type %T (RSA and EC P-256/P-384/P-521 only)", k)
}

func parsePKCS1Private(der []byte) (crypto.PrivateKey, error) {
	k, err := x509.ParsePKCS1PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("bad PKCS#1 RSAPrivateKey: %w", err)
	}
	if err := checkPrivate(k); err != nil {
		return nil, err
	}
	return k, nil
}

func parseSEC1(der []byte) (crypto.PrivateKey, error) {
	k, err := x509.ParseECPrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("bad SEC1 ECPrivateKey: %w", err)
	}
	if _, err := curveInfoOf(k.Curve); err != nil {
		return nil, err
	}
	return k, nil
}

// PublicOf returns the public half of an RSA or EC private key.
func PublicOf(priv crypto.PrivateKey) (crypto.PublicKey, error) {
	switch k := priv.(type) {
	case *rsa.PrivateKey:
		return &k.PublicKey, nil
	case *ecdsa.PrivateKey:
		return &k.PublicKey, nil
	}
	return nil, fmt.Errorf("unsupported private key type %T", priv)
}

// MarshalPublicKeyDER encodes an RSA or EC public key as DER
// SubjectPublicKeyInfo (EC: named curve, uncompressed point), byte-identical
// to `openssl rsa|ec -pubout -outform DER`.
func MarshalPublicKeyDER(pub crypto.PublicKey) ([]byte, error) {
	switch pub.(type) {
	case *rsa.PublicKey, *ecdsa.PublicKey:
		return x509.MarshalPKIXPublicKey(pub)
	}
	return nil, fmt.Errorf("unsupported public key type %T", pub)
}

// MarshalPrivateKeyPKCS8 encodes an RSA or EC private key as DER PKCS#8, as
// `openssl genpkey` and `openssl rsa` (3.x) write it.
func MarshalPrivateKeyPKCS8(priv crypto.PrivateKey) ([]byte, error) {
	switch priv.(type) {
	case *rsa.PrivateKey, *ecdsa.PrivateKey:
		return x509.MarshalPKCS8PrivateKey(priv)
	}
	return nil, fmt.Errorf("unsupported private key type %T", priv)
}

// EncodePEM wraps der in a PEM block of the given type, 64 columns, as openssl writes.
func EncodePEM(blockType string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: blockType, Bytes: der})
}

// MarshalECPublicKeyCompressedDER encodes an EC public key as DER
// SubjectPublicKeyInfo with the point in compressed form (02/03 || X), as
// `openssl ec -pubout -conv_form compressed` writes it.
func MarshalECPublicKeyCompressedDER(pub *ecdsa.PublicKey) ([]byte, error) {
	ci, err := CurveOf(pub)
	if err != nil {
		return nil, err
	}
	if pub.X == nil || pub.Y == nil || !ci.Curve.IsOnCurve(pub.X, pub.Y) {
		return nil, errors.New("EC public key is not a point on " + ci.NIST)
	}
	params, err := asn1.Marshal(ci.OID)
	if err != nil {
		return nil, err
	}
	pt := elliptic.MarshalCompressed(ci.Curve, pub.X, pub.Y)
	return asn1.Marshal(struct {
		Algorithm pkix.AlgorithmIdentifier
		Key       asn1.BitString
	}{
		pkix.AlgorithmIdentifier{Algorithm: oidECPublicKey, Parameters: asn1.RawValue{FullBytes: params}},
		asn1.BitString{Bytes: pt, BitLength: 8 * len(pt)},
	})
}
