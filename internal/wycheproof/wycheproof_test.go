package wycheproof

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/kmsconform/kmsconform/oracle"
)

var (
	dirOnce sync.Once
	dir     string
	dirErr  error
)

// vectorDir downloads the pinned module once per test binary. Failing to
// get it fails the test: Wycheproof is never skipped.
func vectorDir(t *testing.T) string {
	t.Helper()
	dirOnce.Do(func() { dir, dirErr = Download(context.Background()) })
	if dirErr != nil {
		t.Fatalf("cannot get the Wycheproof vectors: %v", dirErr)
	}
	return dir
}

// rsaOAEPFiles are the RSA-OAEP files run against the oracle: every
// two-prime file of the pinned version (2048, 3072, 4096 bits and the misc
// file's other sizes and hash pairs).
func rsaOAEPFiles(t *testing.T) []string {
	files, err := filepath.Glob(filepath.Join(vectorDir(t), "rsa_oaep_*_test.json"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
	}
	sort.Strings(names)
	// The pinned version has these; a missing one means the pin or the
	// module cache is wrong.
	for _, want := range []string{
		"rsa_oaep_2048_sha1_mgf1sha1_test.json", "rsa_oaep_2048_sha256_mgf1sha1_test.json",
		"rsa_oaep_2048_sha256_mgf1sha256_test.json", "rsa_oaep_3072_sha256_mgf1sha256_test.json",
		"rsa_oaep_4096_sha256_mgf1sha256_test.json", "rsa_oaep_4096_sha512_mgf1sha1_test.json",
		"rsa_oaep_misc_test.json",
	} {
		if sort.SearchStrings(names, want) == len(names) || names[sort.SearchStrings(names, want)] != want {
			t.Fatalf("%s@%s has no %s (found %v)", Module, Version, want, names)
		}
	}
	return names
}

// tally counts outcomes per result, and acceptable outcomes per flag.
type tally struct {
	mu         sync.Mutex
	passed     map[string]int
	acceptable map[string]int // "flag: accepted" / "flag: rejected"
}

func newTally() *tally { return &tally{passed: map[string]int{}, acceptable: map[string]int{}} }

func (ty *tally) add(result string, flags []string, accepted bool) {
	ty.mu.Lock()
	defer ty.mu.Unlock()
	ty.passed[result]++
	if result == "acceptable" {
		verdict := "rejected"
		if accepted {
			verdict = "accepted"
		}
		for _, f := range flags {
			ty.acceptable[f+": "+verdict]++
		}
	}
}

func (ty *tally) report(t *testing.T, what string) {
	var keys []string
	for k := range ty.acceptable {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "\n  acceptable %s: %d", k, ty.acceptable[k])
	}
	t.Logf("%s: %d valid passed, %d invalid rejected, %d acceptable recorded%s",
		what, ty.passed["valid"], ty.passed["invalid"], ty.passed["acceptable"], b.String())
}

func hashOf(t *testing.T, name string) crypto.Hash {
	t.Helper()
	h, err := oracle.HashByName(name)
	if err != nil {
		t.Fatalf("hash %q: %v", name, err)
	}
	return h
}

func TestRSAOAEPAgainstOracle(t *testing.T) {
	ty := newTally()
	for _, name := range rsaOAEPFiles(t) {
		t.Run(strings.TrimSuffix(name, "_test.json"), func(t *testing.T) {
			t.Parallel()
			f, err := Load[RSAOAEPGroup](vectorDir(t), name)
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range f.TestGroups {
				if g.MGF != "MGF1" {
					t.Fatalf("group with MGF %q: this test knows only MGF1", g.MGF)
				}
				k, err := oracle.ParsePrivateKey(g.PrivateKeyPkcs8)
				if err != nil {
					t.Fatalf("oracle.ParsePrivateKey(%d-bit PKCS#8): %v", g.KeySize, err)
				}
				priv, ok := k.(*rsa.PrivateKey)
				if !ok {
					t.Fatalf("oracle.ParsePrivateKey gave %T, want *rsa.PrivateKey", k)
				}
				p := oracle.OAEPParams{LabelHash: hashOf(t, g.SHA), MGF1Hash: hashOf(t, g.MGFSHA)}
				for _, tc := range g.Tests {
					p.Label = tc.Label
					got, err := oracle.DecryptOAEP(priv, tc.Ct, p)
					accepted := err == nil && bytes.Equal(got, tc.Msg)
					switch tc.Result {
					case "valid":
						if !accepted {
							t.Errorf("tcId %d (%s, %v, %d-bit %s/MGF1-%s): oracle = %x, %v; want %x",
								tc.TcID, tc.Comment, tc.Flags, g.KeySize, g.SHA, g.MGFSHA, got, err, tc.Msg)
						}
					case "invalid":
						if err == nil {
							t.Errorf("tcId %d (%s, %v): oracle decrypted an invalid ciphertext to %x; it must fail",
								tc.TcID, tc.Comment, tc.Flags, got)
						}
					case "acceptable":
						if err == nil && !accepted {
							t.Errorf("tcId %d (%s, %v): acceptable case decrypted to %x, want %x or an error",
								tc.TcID, tc.Comment, tc.Flags, got, tc.Msg)
						}
					}
					ty.add(tc.Result, tc.Flags, accepted)
				}
			}
		})
	}
	t.Cleanup(func() { ty.report(t, "RSA-OAEP") })
}

// ecdhFiles are the ECDH files on the curves KMS offers: SubjectPublicKeyInfo
// public keys and raw X9.62 points.
var ecdhFiles = []string{
	"ecdh_secp256r1_test.json", "ecdh_secp384r1_test.json", "ecdh_secp521r1_test.json",
	"ecdh_secp256r1_ecpoint_test.json", "ecdh_secp384r1_ecpoint_test.json", "ecdh_secp521r1_ecpoint_test.json",
}

func TestECDHAgainstOracle(t *testing.T) {
	ty := newTally()
	for _, name := range ecdhFiles {
		t.Run(strings.TrimSuffix(name, "_test.json"), func(t *testing.T) {
			t.Parallel()
			f, err := Load[ECDHGroup](vectorDir(t), name)
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range f.TestGroups {
				ci, err := oracle.LookupCurve(g.Curve)
				if err != nil {
					t.Fatalf("oracle.LookupCurve(%q): %v", g.Curve, err)
				}
				for _, tc := range g.Tests {
					got, err := ecdhCase(ci, g.Encoding, tc)
					check(t, tc.Test, got, err, tc.Shared)
					ty.add(tc.Result, tc.Flags, err == nil && bytes.Equal(got, tc.Shared))
				}
			}
		})
	}
	t.Cleanup(func() { ty.report(t, "ECDH") })
}

var ecdhPemFiles = []string{"ecdh_secp256r1_pem_test.json", "ecdh_secp384r1_pem_test.json", "ecdh_secp521r1_pem_test.json"}

func TestECDHPemAgainstOracle(t *testing.T) {
	ty := newTally()
	for _, name := range ecdhPemFiles {
		t.Run(strings.TrimSuffix(name, "_test.json"), func(t *testing.T) {
			t.Parallel()
			f, err := Load[ECDHPemGroup](vectorDir(t), name)
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range f.TestGroups {
				ci, err := oracle.LookupCurve(g.Curve)
				if err != nil {
					t.Fatalf("oracle.LookupCurve(%q): %v", g.Curve, err)
				}
				if g.Encoding != "pem" {
					t.Fatalf("encoding %q in a PEM file", g.Encoding)
				}
				for _, tc := range g.Tests {
					got, err := ecdhPemCase(ci, tc)
					check(t, tc.Test, got, err, tc.Shared)
					ty.add(tc.Result, tc.Flags, err == nil && bytes.Equal(got, tc.Shared))
				}
			}
		})
	}
	t.Cleanup(func() { ty.report(t, "ECDH (PEM keys)") })
}

// check applies Wycheproof's rules to one ECDH outcome.
func check(t *testing.T, tc Test, got []byte, err error, want []byte) {
	t.Helper()
	accepted := err == nil && bytes.Equal(got, want)
	switch tc.Result {
	case "valid":
		if !accepted {
			t.Errorf("tcId %d (%s, %v): oracle = %x, %v; want %x", tc.TcID, tc.Comment, tc.Flags, got, err, want)
		}
	case "invalid":
		if err == nil {
			t.Errorf("tcId %d (%s, %v): oracle accepted an invalid key and derived %x; it must reject it (ParsePublicKey, ParsePrivateKey or ECDH error)",
				tc.TcID, tc.Comment, tc.Flags, got)
		}
	case "acceptable":
		if err == nil && !accepted {
			t.Errorf("tcId %d (%s, %v): acceptable case derived %x, want %x or an error", tc.TcID, tc.Comment, tc.Flags, got, want)
		}
	}
}

// ecdhPemCase parses both PEM keys with the oracle and derives.
func ecdhPemCase(ci oracle.CurveInfo, tc ECDHPemTest) ([]byte, error) {
	k, err := oracle.ParsePrivateKey([]byte(tc.Private))
	if err != nil {
		return nil, fmt.Errorf("private key: %w", err)
	}
	priv, ok := k.(*ecdsa.PrivateKey)
	if !ok || priv.Curve != ci.Curve {
		return nil, fmt.Errorf("private key is %T, not on %s", k, ci.NIST)
	}
	pk, err := oracle.ParsePublicKey([]byte(tc.Public))
	if err != nil {
		return nil, err
	}
	pub, ok := pk.(*ecdsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("public key is %T, not EC", pk)
	}
	return oracle.ECDH(priv, pub)
}

// ecdhCase runs one case through the oracle: the public key through
// oracle.ParsePublicKey (a raw point is first wrapped in a named-curve
// SubjectPublicKeyInfo), the private scalar on the group's curve.
func ecdhCase(ci oracle.CurveInfo, encoding string, tc ECDHTest) ([]byte, error) {
	spki := []byte(tc.Public)
	if encoding == "ecpoint" {
		var err error
		if spki, err = wrapPoint(ci, tc.Public); err != nil {
			return nil, err
		}
	} else if encoding != "asn" {
		return nil, fmt.Errorf("unknown public key encoding %q", encoding)
	}
	pk, err := oracle.ParsePublicKey(spki)
	if err != nil {
		return nil, err
	}
	pub, ok := pk.(*ecdsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("public key is %T, not EC", pk)
	}
	d := bytes.TrimLeft(tc.Private, "\x00")
	if len(d) > ci.Size {
		return nil, fmt.Errorf("private scalar of %d bytes is too long for %s", len(d), ci.NIST)
	}
	raw := make([]byte, ci.Size)
	copy(raw[ci.Size-len(d):], d)
	priv, err := ecdsa.ParseRawPrivateKey(ci.Curve, raw)
	if err != nil {
		return nil, fmt.Errorf("private scalar: %w", err)
	}
	return oracle.ECDH(priv, pub)
}

// wrapPoint builds the SubjectPublicKeyInfo of an X9.62 point on ci.
func wrapPoint(ci oracle.CurveInfo, point []byte) ([]byte, error) {
	params, err := asn1.Marshal(ci.OID)
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}{
		Algorithm: pkix.AlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}, Parameters: asn1.RawValue{FullBytes: params}},
		PublicKey: asn1.BitString{Bytes: point, BitLength: 8 * len(point)},
	})
}
