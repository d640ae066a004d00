package vectors_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/base64"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kmsconform/kmsconform/oracle"
	"github.com/kmsconform/kmsconform/vectors"
)

// Every committed vector against the oracle library: valid cases must give
// the recorded output byte for byte, invalid cases must fail or differ,
// acceptable cases are logged with what happened.

// vectorsDir lets `make vectors-check` run these tests on freshly generated
// files instead of the committed ones.
var vectorsDir = flag.String("vectors.dir", ".", "directory of the vector files to check")

func load[G vectors.Group](t *testing.T, name string) *vectors.File[G] {
	t.Helper()
	f, err := vectors.Load[G](filepath.Join(*vectorsDir, name))
	if err != nil {
		t.Fatalf("%v (regenerate with scripts/gen-vectors.sh)", err)
	}
	return f
}

// verdict checks one outcome against the case's expected result.
func verdict(t *testing.T, c vectors.Case, what string, got []byte, err error, want []byte) {
	t.Helper()
	matched := err == nil && bytes.Equal(got, want)
	switch c.Result {
	case vectors.Valid:
		if !matched {
			t.Errorf("tcId %d (%s; flags %v): %s = %x, err %v; want %x", c.TcID, c.Comment, c.Flags, what, got, err, want)
		}
	case vectors.Invalid:
		if matched {
			t.Errorf("tcId %d (%s; flags %v): %s gave the expected output of an invalid case; it must fail or differ", c.TcID, c.Comment, c.Flags, what)
		}
	case vectors.Acceptable:
		if err == nil && !matched {
			t.Errorf("tcId %d (%s; flags %v): acceptable case: %s = %x; want %x or an error", c.TcID, c.Comment, c.Flags, what, got, want)
		}
		t.Logf("tcId %d acceptable (%v): oracle %s", c.TcID, c.Flags, map[bool]string{true: "accepts", false: fmt.Sprintf("rejects: %v", err)}[matched])
	}
}

func encParams(t *testing.T, g *vectors.EncGroup) oracle.EncParams {
	t.Helper()
	prof, err := oracle.LookupProfile(g.Compat)
	if err != nil {
		t.Fatalf("group compat %q: %v", g.Compat, err)
	}
	p := oracle.EncParams{Cipher: g.Cipher, MD: g.MD, PBKDF2: g.PBKDF2, Iter: g.Iter, NoSalt: g.SaltMode == "nosalt", Base64: g.Base64, Profile: prof}
	if g.SaltMode == "explicit" {
		p.Salt = g.Salt
	}
	return p
}

func TestEncVectorsAgainstOracle(t *testing.T) {
	for _, name := range []string{vectors.FileEnc, vectors.FileEnc111} {
		t.Run(name, func(t *testing.T) { checkEncFile(t, load[vectors.EncGroup](t, name)) })
	}
}

func checkEncFile(t *testing.T, f *vectors.File[vectors.EncGroup]) {
	for gi := range f.TestGroups {
		g := &f.TestGroups[gi]
		for _, tc := range g.Tests {
			// Decrypt, capturing the derived key and IV.
			p := encParams(t, g)
			var key, iv []byte
			p.OnKey = func(_, k, v []byte) error { key, iv = k, v; return nil }
			var out bytes.Buffer
			err := oracle.Decrypt(&out, bytes.NewReader(tc.Ct), tc.Password, p)
			verdict(t, tc.Case, "oracle.Decrypt", out.Bytes(), err, tc.Msg)
			if tc.Key != nil && (!bytes.Equal(key, tc.Key) || !bytes.Equal(iv, []byte(tc.IV))) {
				t.Errorf("tcId %d (%s): derived key %x iv %x; openssl -P printed key %x iv %x", tc.TcID, tc.Comment, key, iv, tc.Key, tc.IV)
			}
			if tc.Result != vectors.Valid {
				continue
			}
			// Encrypt must reproduce openssl's bytes, with the recorded salt:
			// the header's, where the profile reads one.
			p = encParams(t, g)
			if g.SaltMode == "header" || (g.SaltMode == "explicit" && p.Profile.EncHeaderWithExplicitSalt) {
				raw := []byte(tc.Ct)
				if g.Base64 {
					if raw, err = base64.StdEncoding.DecodeString(strings.ReplaceAll(string(raw), "\n", "")); err != nil {
						t.Fatalf("tcId %d: recorded base64 ct: %v", tc.TcID, err)
					}
				}
				if len(raw) < 16 {
					t.Fatalf("tcId %d: recorded ct has no Salted__ header", tc.TcID)
				}
				if g.SaltMode == "header" {
					p.Rand = bytes.NewReader(raw[8:16])
				} else {
					p.Salt = raw[8:16]
				}
			}
			out.Reset()
			err = oracle.Encrypt(&out, bytes.NewReader(tc.Msg), tc.Password, p)
			if err != nil || !bytes.Equal(out.Bytes(), tc.Ct) {
				t.Errorf("tcId %d (%s): oracle.Encrypt = %x, err %v; openssl wrote %x", tc.TcID, tc.Comment, out.Bytes(), err, tc.Ct)
			}
		}
	}
}

func hashOf(t *testing.T, name string) crypto.Hash {
	t.Helper()
	h, err := oracle.HashByName(name)
	if err != nil {
		t.Fatalf("digest %q: %v", name, err)
	}
	return h
}

func TestRSAVectorsAgainstOracle(t *testing.T) {
	f := load[vectors.RSAGroup](t, vectors.FileRSA)
	for _, g := range f.TestGroups {
		k, err := oracle.ParsePrivateKey([]byte(g.PrivateKeyPem))
		if err != nil {
			t.Fatalf("oracle.ParsePrivateKey(%d-bit group key): %v", g.KeySize, err)
		}
		priv, ok := k.(*rsa.PrivateKey)
		if !ok || priv.N.BitLen() != g.KeySize {
			t.Fatalf("group key: %T; want a %d-bit RSA key", k, g.KeySize)
		}
		for _, tc := range g.Tests {
			var got []byte
			if g.Padding == "pkcs1" {
				got, err = oracle.DecryptPKCS1v15(priv, tc.Ct)
				verdict(t, tc.Case, "oracle.DecryptPKCS1v15", got, err, tc.Msg)
				continue
			}
			p := oracle.OAEPParams{LabelHash: hashOf(t, g.SHA), MGF1Hash: hashOf(t, g.MGFSHA), Label: tc.Label}
			got, err = oracle.DecryptOAEP(priv, tc.Ct, p)
			verdict(t, tc.Case, fmt.Sprintf("oracle.DecryptOAEP(%s/MGF1-%s)", g.SHA, g.MGFSHA), got, err, tc.Msg)
			if tc.Result == vectors.Invalid && err == nil {
				t.Errorf("tcId %d (%s): OAEP decoding of a mismatched ciphertext succeeded; it must fail", tc.TcID, tc.Comment)
			}
		}
	}
}

func TestECDHVectorsAgainstOracle(t *testing.T) {
	f := load[vectors.ECDHGroup](t, vectors.FileECDH)
	for _, g := range f.TestGroups {
		ci, err := oracle.LookupCurve(g.Curve)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range g.Tests {
			got, err := derive(ci, tc)
			verdict(t, tc.Case, "oracle ECDH", got, err, tc.Shared)
			if tc.Result == vectors.Invalid && err == nil {
				t.Errorf("tcId %d (%s): the oracle derived with a key openssl refuses; it must reject it", tc.TcID, tc.Comment)
			}
		}
	}
}

func derive(ci oracle.CurveInfo, tc vectors.ECDHTest) ([]byte, error) {
	k, err := oracle.ParsePrivateKey(tc.Private)
	if err != nil {
		return nil, fmt.Errorf("private key: %w", err)
	}
	priv, ok := k.(*ecdsa.PrivateKey)
	if !ok || priv.Curve != ci.Curve {
		return nil, fmt.Errorf("private key is %T, not on %s", k, ci.NIST)
	}
	pk, err := oracle.ParsePublicKey(tc.Public)
	if err != nil {
		return nil, fmt.Errorf("peer key: %w", err)
	}
	pub, ok := pk.(*ecdsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("peer key is %T, not EC", pk)
	}
	return oracle.ECDH(priv, pub)
}

func TestKDFVectorsAgainstOracle(t *testing.T) {
	f := load[vectors.KDFGroup](t, vectors.FileKDF)
	for _, g := range f.TestGroups {
		h := hashOf(t, g.Digest)
		for _, tc := range g.Tests {
			var got []byte
			var err error
			switch g.KDF {
			case "SSKDF":
				got, err = oracle.SSKDF(h, tc.Key, tc.Info, tc.KeyLen)
			case "X963KDF":
				got, err = oracle.X963KDF(h, tc.Key, tc.Info, tc.KeyLen)
			case "HKDF":
				got, err = oracle.HKDF(h, tc.Key, tc.Salt, tc.Info, tc.KeyLen)
			case "KBKDF":
				if g.Mac != "HMAC" {
					t.Fatalf("KBKDF with mac %q: the oracle has HMAC only", g.Mac)
				}
				got, err = oracle.KBKDFCounterHMAC(h, tc.Key, tc.Salt, tc.Info, tc.KeyLen)
			case "PBKDF2":
				got, err = oracle.PBKDF2(h, tc.Key, tc.Salt, tc.Iter, tc.KeyLen)
			default:
				t.Fatalf("unknown KDF %q", g.KDF)
			}
			verdict(t, tc.Case, "oracle."+g.KDF+"/"+g.Digest, got, err, tc.Out)
		}
	}
}
