package partner

import (
	"crypto"
	"crypto/ecdh"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"

	"github.com/kmsconform/kmsconform/oracle"
)

// TestReadPeerKeyForms feeds readPeerKey every form a tool writes its
// public key in: DER and PEM SPKI are taken; a compressed point in SPKI,
// a bare point (compressed or not) and a key on another curve are named.
func TestReadPeerKeyForms(t *testing.T) {
	cv := eccCurves["ECC_NIST_P256"]
	priv, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(priv.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	point := priv.PublicKey().Bytes()
	x, y := point[1:33], point[33:]
	compressed := elliptic.MarshalCompressed(elliptic.P256(), new(big.Int).SetBytes(x), new(big.Int).SetBytes(y))
	type spki struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	var s spki
	if _, err := asn1.Unmarshal(der, &s); err != nil {
		t.Fatal(err)
	}
	s.PublicKey = asn1.BitString{Bytes: compressed, BitLength: 8 * len(compressed)}
	compressedSPKI, err := asn1.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := ecdh.P384().GenerateKey(rand.Reader)
	otherDER, _ := x509.MarshalPKIXPublicKey(other.PublicKey())
	for _, tc := range []struct {
		name    string
		in      []byte
		finding string
		err     bool
	}{
		{"DER SPKI", der, "", false},
		{"PEM SPKI", pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), "", false},
		{"compressed point in SPKI", compressedSPKI, "compressed-spki", false},
		{"bare uncompressed point", point, "raw-point", false},
		{"bare compressed point", compressed, "raw-point", false},
		{"P-384 SPKI", otherDER, "wrong-curve", true},
		{"P-384 bare point", other.PublicKey().Bytes(), "wrong-curve", true},
		{"private key PEM", pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: []byte{1}}), "not-spki", true},
		{"garbage", []byte("hello"), "not-spki", true},
	} {
		pk := readPeerKey(tc.in, cv)
		if pk.finding != tc.finding || (pk.err != "") != tc.err {
			t.Errorf("%s: finding %q err %q, want %q (error %v)", tc.name, pk.finding, pk.err, tc.finding, tc.err)
			continue
		}
		if !tc.err && string(pk.der) != string(der) {
			t.Errorf("%s: converted to %x, want the DER SPKI %x", tc.name, pk.der, der)
		}
	}
}

// TestMatchSecret checks each known transformation of Z is recognised,
// also as hex or base64 text, and that an unrelated secret is not.
func TestMatchSecret(t *testing.T) {
	z := make([]byte, 66)
	rand.Read(z[1:])
	z[0], z[1] = 0, 0x80|z[1]
	h := sha256.Sum256(z)
	hk, _ := oracle.HKDF(crypto.SHA256, z, nil, nil, 32)
	raw := &deriveChecker{kdf: kdf{spec: "raw", name: "raw"}}
	for _, tc := range []struct {
		secret []byte
		want   string
	}{
		{h[:], "hash-sha256"},
		{hk, "hkdf-default"},
		{z[1:], "leading-zeros"},
		{[]byte(hex.EncodeToString(z) + "\n"), "text-hex"},
		{[]byte(base64.StdEncoding.EncodeToString(h[:])), "hash-sha256+text-base64"},
		{append(append([]byte{}, z...), '\n'), "trailing-newline"},
		{z[:32], "truncated"},
		{make([]byte, 66), ""},
	} {
		if got := raw.matchSecret(tc.secret, z); got != tc.want {
			t.Errorf("matchSecret(%x…) = %q, want %q", tc.secret[:4], got, tc.want)
		}
	}
	hkdfd := &deriveChecker{kdf: kdf{spec: "hkdf-sha256::x", name: "hkdf-sha256", info: []byte("x")}}
	if got := hkdfd.matchSecret(z, z); got != "raw-z" {
		t.Errorf("raw Z where HKDF was promised: %q, want raw-z", got)
	}
	var r CaseResult
	raw.explain(&r, "leading-zeros", eccCurves["ECC_NIST_P521"], z)
	if !strings.Contains(r.Diagnosis, "66 bytes on P-521") || r.Fingerprint == nil || len(r.Fingerprint.Stacks) == 0 || strings.Contains(r.Diagnosis+r.Fix, "%!") {
		t.Errorf("explain: %q / %q / %+v", r.Diagnosis, r.Fix, r.Fingerprint)
	}
}

func TestParseKDF(t *testing.T) {
	for in, want := range map[string]kdf{
		"":                      {spec: "raw", name: "raw"},
		"raw":                   {spec: "raw", name: "raw"},
		"hkdf-sha256:salt:info": {spec: "hkdf-sha256:salt:info", name: "hkdf-sha256", salt: []byte("salt"), info: []byte("info")},
		"x963-sha256":           {spec: "x963-sha256", name: "x963-sha256"},
		"x963-sha256:0x0a0b":    {spec: "x963-sha256:0x0a0b", name: "x963-sha256", info: []byte{10, 11}},
		"hkdf-sha256:0x00ff:i":  {spec: "hkdf-sha256:0x00ff:i", name: "hkdf-sha256", salt: []byte{0, 255}, info: []byte("i")},
	} {
		got, err := parseKDF(in)
		if err != nil || got.spec != want.spec || string(got.salt) != string(want.salt) || string(got.info) != string(want.info) {
			t.Errorf("parseKDF(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"hkdf", "sha256", "raw:x", "hkdf-sha256:a", "x963-sha256:0xzz"} {
		if _, err := parseKDF(bad); err == nil {
			t.Errorf("parseKDF(%q) accepted", bad)
		}
	}
}

// TestShortened pins which Z a big-integer round trip changes: Go's
// big.Int.Bytes() and Java's BigInteger.toByteArray() both shorten
// 00 7f…, only Go shortens 00 80… (Java keeps the zero as a sign byte).
func TestShortened(t *testing.T) {
	for _, tc := range []struct {
		z    []byte
		want bool
	}{{[]byte{0, 0x7f, 1}, true}, {[]byte{0, 0, 1}, true}, {[]byte{0, 0x80, 1}, false}, {[]byte{1, 0, 0}, false}} {
		if got := shortened(tc.z); got != tc.want {
			t.Errorf("shortened(%x) = %v, want %v", tc.z, got, tc.want)
		}
	}
}
