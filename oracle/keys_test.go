package oracle

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/pem"
	"strings"
	"testing"
)

func TestKeysRoundTripWithOpenSSL(t *testing.T) {
	_, rsaPEM := testRSAKey(t)
	dir := t.TempDir()
	pkWrite(t, dir, "rsa.pem", rsaPEM)
	ecPEM := pkMustOpenSSL(t, dir, nil, "ecparam", "-name", "P-384", "-genkey")
	pkWrite(t, dir, "ec.pem", ecPEM)
	for _, name := range []string{"rsa.pem", "ec.pem"} {
		t.Run(name, func(t *testing.T) {
			priv, err := ParsePrivateKey(pkRead(t, dir+"/"+name))
			if err != nil {
				t.Fatal(err)
			}
			pub, _ := PublicOf(priv)
			der, err := MarshalPublicKeyDER(pub)
			if err != nil {
				t.Fatal(err)
			}
			want := pkMustOpenSSL(t, dir, nil, "pkey", "-in", name, "-pubout", "-outform", "DER")
			if !bytes.Equal(der, want) {
				t.Fatalf("SPKI DER differs from openssl's")
			}
			p8, err := MarshalPrivateKeyPKCS8(priv)
			if err != nil {
				t.Fatal(err)
			}
			// openssl 3.0 writes PKCS#8 for PEM output only (DER output is
			// the traditional PKCS#1/SEC1 form), so compare with the PEM body.
			blk, _ := pem.Decode(pkMustOpenSSL(t, dir, nil, "pkey", "-in", name))
			if blk == nil || blk.Type != PEMPrivateKey || !bytes.Equal(p8, blk.Bytes) {
				t.Fatalf("PKCS#8 DER differs from openssl's")
			}
			// Each encoding parses back.
			for _, form := range [][]string{{"-outform", "DER"}, {"-outform", "PEM"}} {
				b := pkMustOpenSSL(t, dir, nil, append([]string{"pkey", "-in", name}, form...)...)
				if _, err := ParsePrivateKey(b); err != nil {
					t.Errorf("PKCS#8 %v: %v", form, err)
				}
				b = pkMustOpenSSL(t, dir, nil, append([]string{"pkey", "-in", name, "-pubout"}, form...)...)
				if _, err := ParsePublicKey(b); err != nil {
					t.Errorf("SPKI %v: %v", form, err)
				}
			}
			if _, ok := priv.(*rsa.PrivateKey); ok {
				for _, args := range [][]string{{"rsa", "-in", name, "-traditional", "-outform", "DER"}, {"rsa", "-in", name, "-traditional"}} {
					if _, err := ParsePrivateKey(pkMustOpenSSL(t, dir, nil, args...)); err != nil {
						t.Errorf("PKCS#1 %v: %v", args, err)
					}
				}
				for _, args := range [][]string{{"rsa", "-in", name, "-RSAPublicKey_out", "-outform", "DER"}, {"rsa", "-in", name, "-RSAPublicKey_out"}} {
					if _, err := ParsePublicKey(pkMustOpenSSL(t, dir, nil, args...)); err != nil {
						t.Errorf("PKCS#1 public %v: %v", args, err)
					}
				}
			} else {
				if _, ok := priv.(*ecdsa.PrivateKey); !ok {
					t.Fatalf("EC key parsed as %T", priv)
				}
				if _, err := ParsePrivateKey(pkMustOpenSSL(t, dir, nil, "ec", "-in", name, "-outform", "DER")); err != nil {
					t.Errorf("SEC1 DER: %v", err)
				}
			}
		})
	}
}

func TestKeyParseErrorsAreClear(t *testing.T) {
	_, rsaPEM := testRSAKey(t)
	cases := []struct {
		name string
		in   []byte
		pub  bool
		want string
	}{
		{"empty-pub", nil, true, "empty"},
		{"empty-priv", nil, false, "empty"},
		{"garbage-pub", []byte("hello"), true, "neither PEM nor"},
		{"private-as-public", rsaPEM, true, "drop -pubin"},
		{"pem-no-key", []byte("-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n"), false, "no PRIVATE KEY"},
		{"encrypted", []byte("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"), false, "password-protected"},
	}
	for _, c := range cases {
		var err error
		if c.pub {
			_, err = ParsePublicKey(c.in)
		} else {
			_, err = ParsePrivateKey(c.in)
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want it to mention %q", c.name, err, c.want)
		}
	}
}

// FuzzParsePublicKey: any input gives a key or a clear error, never a panic.
func FuzzParsePublicKey(f *testing.F) {
	f.Add([]byte("-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n"))
	f.Add([]byte{0x30, 0x82, 0x01, 0x22, 0x30, 0x0d})
	f.Add([]byte("-----BEGIN RSA PUBLIC KEY-----\n\n-----END RSA PUBLIC KEY-----\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		k, err := ParsePublicKey(data)
		if (k == nil) == (err == nil) {
			t.Fatalf("key %v with error %v", k, err)
		}
		if err != nil && err.Error() == "" {
			t.Fatal("empty error message")
		}
	})
}

// FuzzParsePrivateKey: any input gives a key or a clear error, never a panic.
func FuzzParsePrivateKey(f *testing.F) {
	f.Add([]byte("-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n"))
	f.Add([]byte{0x30, 0x82, 0x04, 0xa4, 0x02, 0x01, 0x00})
	f.Add([]byte("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		k, err := ParsePrivateKey(data)
		if (k == nil) == (err == nil) {
			t.Fatalf("key %v with error %v", k, err)
		}
	})
}
