package oracle

import (
	"bytes"
	"crypto/ecdsa"
	"testing"
)

func TestECDHMatchesOpenSSLDerive(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []string{"P-256", "secp384r1", "P-521"} {
		t.Run(c, func(t *testing.T) {
			mine, err := GenerateECKey(c)
			if err != nil {
				t.Fatal(err)
			}
			p8, _ := MarshalPrivateKeyPKCS8(mine)
			pkWrite(t, dir, "a.pem", EncodePEM(PEMPrivateKey, p8))
			peerPEM := pkMustOpenSSL(t, dir, nil, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:"+c)
			pkWrite(t, dir, "b.pem", peerPEM)
			peerPub := pkMustOpenSSL(t, dir, nil, "pkey", "-in", "b.pem", "-pubout")
			pkWrite(t, dir, "bpub.pem", peerPub)
			want := pkMustOpenSSL(t, dir, nil, "pkeyutl", "-derive", "-inkey", "a.pem", "-peerkey", "bpub.pem")
			pub, err := ParsePublicKey(peerPub)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ECDH(mine, pub.(*ecdsa.PublicKey))
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("ECDH = %x, %v; openssl %x", got, err, want)
			}
			ci, _ := LookupCurve(c)
			if len(got) != ci.Size {
				t.Fatalf("secret of %d bytes, want %d", len(got), ci.Size)
			}
		})
	}
}

// TestCompressedPeerKey: openssl reads an SPKI with a compressed point
// (Go's x509 does not); the oracle must too, and derive the same secret.
func TestCompressedPeerKey(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []string{"prime256v1", "secp384r1", "secp521r1"} {
		pkWrite(t, dir, "a.pem", pkMustOpenSSL(t, dir, nil, "ecparam", "-name", c, "-genkey", "-noout"))
		pkWrite(t, dir, "b.pem", pkMustOpenSSL(t, dir, nil, "ecparam", "-name", c, "-genkey", "-noout"))
		comp := pkMustOpenSSL(t, dir, nil, "ec", "-in", "b.pem", "-pubout", "-conv_form", "compressed")
		pkWrite(t, dir, "bc.pem", comp)
		want := pkMustOpenSSL(t, dir, nil, "pkeyutl", "-derive", "-inkey", "a.pem", "-peerkey", "bc.pem")
		pub, err := ParsePublicKey(comp)
		if err != nil {
			t.Fatalf("%s compressed: %v", c, err)
		}
		priv, err := ParsePrivateKey(pkRead(t, dir+"/a.pem"))
		if err != nil {
			t.Fatal(err)
		}
		got, err := ECDH(priv.(*ecdsa.PrivateKey), pub.(*ecdsa.PublicKey))
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s: ECDH %x %v, openssl %x", c, got, err, want)
		}
		if !IsCompressedECKey(comp) || IsCompressedECKey(pkMustOpenSSL(t, dir, nil, "ec", "-in", "b.pem", "-pubout")) || IsCompressedECKey(pkRead(t, dir+"/b.pem")) {
			t.Fatalf("%s: IsCompressedECKey is wrong", c)
		}
		// A private key with a compressed point: SEC1 and PKCS#8.
		privC := pkMustOpenSSL(t, dir, nil, "ec", "-in", "b.pem", "-conv_form", "compressed", "-outform", "DER")
		pkWrite(t, dir, "bc.der", privC)
		p8C := pkMustOpenSSL(t, dir, nil, "pkcs8", "-topk8", "-nocrypt", "-inform", "DER", "-in", "bc.der")
		if !IsCompressedECKey(privC) || !IsCompressedECKey(p8C) {
			t.Fatalf("%s: compressed private key not recognised", c)
		}
		bk, err := ParsePrivateKey(privC)
		if err != nil {
			t.Fatal(err)
		}
		if der, err := MarshalECPrivateKeyCompressed(bk.(*ecdsa.PrivateKey)); err != nil || !bytes.Equal(der, privC) {
			t.Fatalf("%s: compressed SEC1 differs from openssl's: %v", c, err)
		}
		der, err := MarshalECPublicKeyCompressedDER(pub.(*ecdsa.PublicKey))
		if wantDER := pkMustOpenSSL(t, dir, nil, "ec", "-in", "b.pem", "-pubout", "-conv_form", "compressed", "-outform", "DER"); err != nil || !bytes.Equal(der, wantDER) {
			t.Fatalf("%s: compressed SPKI differs from openssl's: %v", c, err)
		}
	}
	// A compressed point that is not on the curve is refused.
	bad := []byte("-----BEGIN PUBLIC KEY-----\nMDkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDIgAC//////////////////////////////////////////8=\n-----END PUBLIC KEY-----\n")
	if _, err := ParsePublicKey(bad); err == nil {
		t.Fatal("compressed point off the curve accepted")
	}
}

func TestECDHRefusesMismatch(t *testing.T) {
	a, _ := GenerateECKey("prime256v1")
	b, _ := GenerateECKey("P-384")
	if _, err := ECDH(a, &b.PublicKey); err == nil {
		t.Fatal("curve mismatch accepted")
	}
	bad := a.PublicKey
	bad.X = bad.X.Add(bad.X, bad.X)
	if _, err := ECDH(a, &bad); err == nil {
		t.Fatal("point off the curve accepted")
	}
	if _, err := GenerateECKey("secp256k1"); err == nil {
		t.Fatal("secp256k1 accepted")
	}
}
