package kmsfake

import (
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"errors"
	"fmt"
	"hash"
)

// asymKey is a parsed asymmetric private key with its public DER.
type asymKey struct {
	rsa    *rsa.PrivateKey
	ec     *ecdsa.PrivateKey
	k1     *k1Key
	pubDER []byte // SubjectPublicKeyInfo
}

func curveFor(spec string) elliptic.Curve {
	switch spec {
	case specP256:
		return elliptic.P256()
	case specP384:
		return elliptic.P384()
	case specP521:
		return elliptic.P521()
	}
	return nil
}

// generateKey makes new key material for a spec: raw 32 bytes for
// SYMMETRIC_DEFAULT, PKCS#8 DER otherwise.
func generateKey(spec string) ([]byte, error) { return generateKeyFrom(nil, spec) }

// newMaterial is generateKey with RSA keys taken from the server's pool.
func (s *Server) newMaterial(spec string) ([]byte, error) { return generateKeyFrom(s.pool, spec) }

// generateKeyFrom is generateKey with RSA keys from pool (nil: generated
// now).
func generateKeyFrom(pool *keyPool, spec string) ([]byte, error) {
	switch {
	case spec == specSymmetric:
		b := make([]byte, 32)
		_, err := rand.Read(b)
		return b, err
	case isRSASpec(spec):
		k, err := pool.take(rsaBits(spec))
		if err != nil {
			return nil, err
		}
		return x509.MarshalPKCS8PrivateKey(k)
	case spec == specK256:
		k, err := k1Generate()
		if err != nil {
			return nil, err
		}
		return k.pkcs8()
	case curveFor(spec) != nil:
		k, err := ecdsa.GenerateKey(curveFor(spec), rand.Reader)
		if err != nil {
			return nil, err
		}
		return x509.MarshalPKCS8PrivateKey(k)
	}
	return nil, fmt.Errorf("no key generation for spec %s", spec)
}

// parsePrivateKey parses PKCS#8 DER and checks it matches the spec.
func parsePrivateKey(spec string, der []byte) (*asymKey, error) {
	if spec == specK256 {
		if !isK256PKCS8(der) {
			return nil, errors.New("key material is not a PKCS#8 secp256k1 private key")
		}
		k, err := parseK256PKCS8(der)
		if err != nil {
			return nil, err
		}
		pub, err := k.spki()
		if err != nil {
			return nil, err
		}
		return &asymKey{k1: k, pubDER: pub}, nil
	}
	parsed, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("key material is not a PKCS#8 private key: %v", err)
	}
	a := &asymKey{}
	switch k := parsed.(type) {
	case *rsa.PrivateKey:
		if !isRSASpec(spec) || k.N.BitLen() != rsaBits(spec) {
			return nil, fmt.Errorf("key material is a %d-bit RSA key, not %s", k.N.BitLen(), spec)
		}
		k.Precompute()
		a.rsa = k
		a.pubDER, err = x509.MarshalPKIXPublicKey(&k.PublicKey)
	case *ecdsa.PrivateKey:
		if curveFor(spec) != k.Curve {
			return nil, fmt.Errorf("key material is an EC key on %s, not %s", k.Curve.Params().Name, spec)
		}
		a.ec = k
		a.pubDER, err = x509.MarshalPKIXPublicKey(&k.PublicKey)
	default:
		return nil, fmt.Errorf("key material of type %T does not fit %s", parsed, spec)
	}
	if err != nil {
		return nil, err
	}
	return a, nil
}

// oaepHash maps an RSAES algorithm to its hash.
func oaepHash(alg string) hash.Hash {
	if alg == algOAEPSHA1 {
		return newSHA1()
	}
	return sha256.New()
}

// rsaEncrypt encrypts with OAEP, the same hash for label and MGF1, empty label.
func (a *asymKey) rsaEncrypt(alg string, pt []byte) ([]byte, error) {
	return rsa.EncryptOAEP(oaepHash(alg), rand.Reader, &a.rsa.PublicKey, pt, nil)
}

// rsaDecrypt decrypts OAEP; any failure is InvalidCiphertextException.
func (a *asymKey) rsaDecrypt(alg string, ct []byte) ([]byte, *apiError) {
	if len(ct) != a.rsa.Size() {
		return nil, answerErr("InvalidCiphertext")
	}
	pt, err := rsa.DecryptOAEP(oaepHash(alg), nil, a.rsa, ct, nil)
	if err != nil {
		return nil, answerErr("InvalidCiphertext")
	}
	return pt, nil
}

// signingHash maps a signing algorithm to its hash.
func signingHash(alg string) crypto.Hash {
	switch alg[len(alg)-3:] {
	case "384":
		return crypto.SHA384
	case "512":
		return crypto.SHA512
	}
	return crypto.SHA256
}

func digestOf(h crypto.Hash, msg []byte) []byte {
	switch h {
	case crypto.SHA384:
		s := sha512.Sum384(msg)
		return s[:]
	case crypto.SHA512:
		s := sha512.Sum512(msg)
		return s[:]
	}
	s := sha256.Sum256(msg)
	return s[:]
}

func isPSS(alg string) bool { return len(alg) > 10 && alg[:10] == "RSASSA_PSS" }

// sign signs a digest made with the algorithm's hash.
func (a *asymKey) sign(alg string, digest []byte) ([]byte, error) {
	h := signingHash(alg)
	switch {
	case a.rsa != nil && isPSS(alg):
		return rsa.SignPSS(rand.Reader, a.rsa, h, digest, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
	case a.rsa != nil:
		return rsa.SignPKCS1v15(rand.Reader, a.rsa, h, digest)
	case a.ec != nil:
		return ecdsa.SignASN1(rand.Reader, a.ec, digest)
	case a.k1 != nil:
		return a.k1.sign(digest)
	}
	return nil, errors.New("key cannot sign")
}

// verify checks a signature over a digest.
func (a *asymKey) verify(alg string, digest, sig []byte) bool {
	h := signingHash(alg)
	switch {
	case a.rsa != nil && isPSS(alg):
		return rsa.VerifyPSS(&a.rsa.PublicKey, h, digest, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}) == nil
	case a.rsa != nil:
		return rsa.VerifyPKCS1v15(&a.rsa.PublicKey, h, digest, sig) == nil
	case a.ec != nil:
		return ecdsa.VerifyASN1(&a.ec.PublicKey, digest, sig)
	case a.k1 != nil:
		return a.k1.verify(digest, sig)
	}
	return false
}

// derive runs ECDH with a peer's DER SubjectPublicKeyInfo and returns the
// raw X coordinate. Malformed keys and other curves are ValidationException.
func (a *asymKey) derive(spec string, peerDER []byte) ([]byte, *apiError) {
	if a.ec == nil {
		return nil, answerErr("InvalidKeyUsage.NoKeyAgreement", spec)
	}
	pub, err := x509.ParsePKIXPublicKey(peerDER)
	if err != nil {
		return nil, answerErr("Validation.Empty")
	}
	epub, ok := pub.(*ecdsa.PublicKey)
	if !ok {
		return nil, answerErr("Validation.PeerNotEC", keyTypeName(pub), spec)
	}
	if epub.Curve != a.ec.Curve {
		return nil, answerErr("Validation.PeerCurve", epub.Curve.Params().Name, spec, a.ec.Curve.Params().Name)
	}
	peer, err := epub.ECDH()
	if err != nil {
		return nil, answerErr("Validation.Empty")
	}
	priv, err := a.ec.ECDH()
	if err != nil {
		return nil, answerErr("Internal.ECDH")
	}
	return ecdhRaw(priv, peer)
}

func ecdhRaw(priv *ecdh.PrivateKey, peer *ecdh.PublicKey) ([]byte, *apiError) {
	s, err := priv.ECDH(peer)
	if err != nil {
		return nil, answerErr("Validation.Empty")
	}
	return s, nil
}

func keyTypeName(k any) string {
	switch k.(type) {
	case *rsa.PublicKey:
		return "RSA"
	case *ecdh.PublicKey:
		return "X25519"
	}
	return fmt.Sprintf("%T", k)
}
