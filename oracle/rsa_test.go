package oracle

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"testing"
)

var (
	rsaKeyOnce sync.Once
	rsaKeyPEM  []byte
)

// testRSAKey returns one openssl-generated RSA-2048 key, shared by the tests.
func testRSAKey(t *testing.T) (*rsa.PrivateKey, []byte) {
	t.Helper()
	rsaKeyOnce.Do(func() {
		rsaKeyPEM = pkMustOpenSSL(t, t.TempDir(), nil, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048")
	})
	k, err := ParsePrivateKey(rsaKeyPEM)
	if err != nil {
		t.Fatalf("parsing openssl's RSA key: %v", err)
	}
	return k.(*rsa.PrivateKey), rsaKeyPEM
}

type oaepCase struct {
	name       string
	label, mgf crypto.Hash
	labelBytes []byte
	opts       []string
}

var oaepCases = []oaepCase{
	{"sha1", crypto.SHA1, crypto.SHA1, nil, []string{"rsa_padding_mode:oaep"}},
	{"sha256", crypto.SHA256, crypto.SHA256, nil, []string{"rsa_padding_mode:oaep", "rsa_oaep_md:sha256"}},
	{"sha256-mgf1-sha1", crypto.SHA256, crypto.SHA1, nil, []string{"rsa_padding_mode:oaep", "rsa_oaep_md:sha256", "rsa_mgf1_md:sha1"}},
	{"sha512-mgf1-sha224-label", crypto.SHA512, crypto.SHA224, []byte{1, 2, 0xff}, []string{"rsa_padding_mode:oaep", "rsa_oaep_md:sha512", "rsa_mgf1_md:sha224", "rsa_oaep_label:0102ff"}},
	{"sha384", crypto.SHA384, crypto.SHA384, nil, []string{"rsa_padding_mode:oaep", "rsa_oaep_md:sha384"}},
}

func pkeyoptArgs(opts []string) []string {
	var a []string
	for _, o := range opts {
		a = append(a, "-pkeyopt", o)
	}
	return a
}

func TestOAEPBothWaysWithOpenSSL(t *testing.T) {
	priv, pemKey := testRSAKey(t)
	dir := t.TempDir()
	pkWrite(t, dir, "k.pem", pemKey)
	for _, c := range oaepCases {
		t.Run(c.name, func(t *testing.T) {
			p := OAEPParams{LabelHash: c.label, MGF1Hash: c.mgf, Label: c.labelBytes}
			max := MaxOAEPPlaintext(&priv.PublicKey, c.label)
			if want := 256 - 2*c.label.Size() - 2; max != want {
				t.Fatalf("MaxOAEPPlaintext = %d, want %d", max, want)
			}
			for _, n := range []int{0, 1, max} {
				msg := make([]byte, n)
				rand.Read(msg)
				// oracle → openssl
				ct, err := EncryptOAEP(rand.Reader, &priv.PublicKey, msg, p)
				if err != nil {
					t.Fatal(err)
				}
				pkWrite(t, dir, "ct", ct)
				got := pkMustOpenSSL(t, dir, nil, append([]string{"pkeyutl", "-decrypt", "-inkey", "k.pem", "-in", "ct"}, pkeyoptArgs(c.opts)...)...)
				if !bytes.Equal(got, msg) {
					t.Fatalf("openssl decrypted %x, want %x", got, msg)
				}
				// openssl → oracle
				pkWrite(t, dir, "msg", msg)
				ct2 := pkMustOpenSSL(t, dir, nil, append([]string{"pkeyutl", "-encrypt", "-inkey", "k.pem", "-in", "msg"}, pkeyoptArgs(c.opts)...)...)
				pt, err := DecryptOAEP(priv, ct2, p)
				if err != nil || !bytes.Equal(pt, msg) {
					t.Fatalf("oracle decrypt of openssl's ciphertext: %x, %v", pt, err)
				}
			}
			// One past the limit: both refuse with the same reason.
			msg := make([]byte, max+1)
			_, err := EncryptOAEP(rand.Reader, &priv.PublicKey, msg, p)
			pkWrite(t, dir, "big", msg)
			_, stderr, code := pkOpenSSL(t, dir, nil, append([]string{"pkeyutl", "-encrypt", "-inkey", "k.pem", "-in", "big"}, pkeyoptArgs(c.opts)...)...)
			if code != 1 || err == nil || !strings.Contains(stderr, err.(*PKeyError).QueueLines()[9:]) {
				t.Fatalf("over the limit: oracle %v, openssl exit %d %q", err, code, stderr)
			}
		})
	}
}

func TestOAEPWrongParamsFailAlike(t *testing.T) {
	priv, pemKey := testRSAKey(t)
	dir := t.TempDir()
	pkWrite(t, dir, "k.pem", pemKey)
	msg := []byte("thirty-two bytes of data key!!!!")
	ct, err := EncryptOAEP(nil, &priv.PublicKey, msg, OAEPParams{LabelHash: crypto.SHA256, MGF1Hash: crypto.SHA256})
	if err != nil {
		t.Fatal(err)
	}
	pkWrite(t, dir, "ct", ct)
	wrong := []OAEPParams{
		{LabelHash: crypto.SHA1, MGF1Hash: crypto.SHA1},
		{LabelHash: crypto.SHA256, MGF1Hash: crypto.SHA1},
		{LabelHash: crypto.SHA256, MGF1Hash: crypto.SHA256, Label: []byte("x")},
	}
	for _, p := range wrong {
		if _, err := DecryptOAEP(priv, ct, p); Reason(err) != "oaep decoding error" {
			t.Errorf("%+v: err = %v, want oaep decoding error", p, err)
		}
	}
	_, stderr, code := pkOpenSSL(t, dir, nil, "pkeyutl", "-decrypt", "-inkey", "k.pem", "-in", "ct", "-pkeyopt", "rsa_padding_mode:oaep")
	if code != 1 || !strings.Contains(stderr, errOAEPDecoding.QueueLines()[9:]) {
		t.Fatalf("openssl with the wrong hash: exit %d %q", code, stderr)
	}
	// PKCS#1 decryption of an OAEP block fails in both, same queue.
	_, err = DecryptPKCS1v15(priv, ct)
	_, stderr, code = pkOpenSSL(t, dir, nil, "pkeyutl", "-decrypt", "-inkey", "k.pem", "-in", "ct")
	pe := err.(*PKeyError)
	if code != 1 || !strings.Contains(stderr, pe.QueueLines()[9:strings.Index(pe.QueueLines(), "\n")]) || !strings.Contains(stderr, "padding check failed") {
		t.Fatalf("PKCS#1 of OAEP block: oracle %v, openssl exit %d %q", err, code, stderr)
	}
}

func TestPKCS1v15AndRawWithOpenSSL(t *testing.T) {
	priv, pemKey := testRSAKey(t)
	dir := t.TempDir()
	pkWrite(t, dir, "k.pem", pemKey)
	for _, n := range []int{0, 45, 245} {
		msg := bytes.Repeat([]byte{0xa5}, n)
		ct, err := EncryptPKCS1v15(rand.Reader, &priv.PublicKey, msg)
		if err != nil {
			t.Fatal(err)
		}
		pkWrite(t, dir, "ct", ct)
		if got := pkMustOpenSSL(t, dir, nil, "pkeyutl", "-decrypt", "-inkey", "k.pem", "-in", "ct"); !bytes.Equal(got, msg) {
			t.Fatalf("n=%d: openssl got %x", n, got)
		}
		pkWrite(t, dir, "m", msg)
		ct2 := pkMustOpenSSL(t, dir, nil, "pkeyutl", "-encrypt", "-inkey", "k.pem", "-in", "m")
		if pt, err := DecryptPKCS1v15(priv, ct2); err != nil || !bytes.Equal(pt, msg) {
			t.Fatalf("n=%d: oracle got %x %v", n, pt, err)
		}
	}
	if _, err := EncryptPKCS1v15(nil, &priv.PublicKey, make([]byte, 246)); Reason(err) != "data too large for key size" {
		t.Fatalf("246 bytes: %v", err)
	}
	// Raw: deterministic, so byte-identical.
	msg := make([]byte, 256)
	rand.Read(msg[1:])
	msg[1] &= 0x7f
	ct, err := EncryptRaw(&priv.PublicKey, msg)
	if err != nil {
		t.Fatal(err)
	}
	pkWrite(t, dir, "m", msg)
	want := pkMustOpenSSL(t, dir, nil, "pkeyutl", "-encrypt", "-inkey", "k.pem", "-in", "m", "-pkeyopt", "rsa_padding_mode:none")
	if !bytes.Equal(ct, want) {
		t.Fatalf("raw encrypt differs:\n oracle  %x\n openssl %x", ct, want)
	}
	pt, err := DecryptRaw(priv, ct)
	if err != nil || !bytes.Equal(pt, msg) {
		t.Fatalf("raw decrypt: %v", err)
	}
	// Raw errors, each checked against openssl's own queue line.
	for _, tc := range []struct {
		in  []byte
		err *PKeyError
	}{
		{make([]byte, 255), errNoneTooSmall},
		{make([]byte, 257), errNoneTooLarge},
		{bytes.Repeat([]byte{0xff}, 256), errPublicModulus},
	} {
		_, err := EncryptRaw(&priv.PublicKey, tc.in)
		pkWrite(t, dir, "m", tc.in)
		_, stderr, code := pkOpenSSL(t, dir, nil, "pkeyutl", "-encrypt", "-inkey", "k.pem", "-in", "m", "-pkeyopt", "rsa_padding_mode:none")
		if err != tc.err || code != 1 || !strings.Contains(stderr, tc.err.QueueLines()[9:]) {
			t.Errorf("raw %d bytes: oracle %v; openssl exit %d %q", len(tc.in), err, code, stderr)
		}
	}
	// Decrypt errors: too long, >= modulus.
	for _, tc := range []struct {
		in  []byte
		err *PKeyError
	}{
		{make([]byte, 257), errPrivateModLen},
		{bytes.Repeat([]byte{0xff}, 256), errPrivateModulus},
	} {
		_, err := DecryptPKCS1v15(priv, tc.in)
		pkWrite(t, dir, "c", tc.in)
		_, stderr, code := pkOpenSSL(t, dir, nil, "pkeyutl", "-decrypt", "-inkey", "k.pem", "-in", "c")
		if err != tc.err || code != 1 || !strings.Contains(stderr, tc.err.QueueLines()[9:]) {
			t.Errorf("decrypt %d bytes: oracle %v; openssl exit %d %q", len(tc.in), err, code, stderr)
		}
	}
}

func TestGenerateRSAKeySizes(t *testing.T) {
	if _, err := GenerateRSAKey(1024); err == nil {
		t.Fatal("1024-bit keys must be refused")
	}
	k, err := GenerateRSAKey(2048)
	if err != nil || k.N.BitLen() != 2048 || k.E != 65537 {
		t.Fatalf("GenerateRSAKey(2048): %v", err)
	}
}

func TestHashByName(t *testing.T) {
	for name, want := range map[string]crypto.Hash{"sha1": crypto.SHA1, "SHA256": crypto.SHA256, "sha-256": crypto.SHA256, "SHA2-384": crypto.SHA384, "sha512": crypto.SHA512, "sha224": crypto.SHA224} {
		if h, err := HashByName(name); err != nil || h != want {
			t.Errorf("HashByName(%q) = %v, %v", name, h, err)
		}
	}
	if _, err := HashByName("md77"); err == nil {
		t.Error("md77 accepted")
	}
}

// hexOf is a short helper for messages.
func hexOf(b []byte) string { return fmt.Sprintf("%d:%s", len(b), hex.EncodeToString(b)) }

// TestDecryptWithoutCRTValues: a key without precomputed CRT values (built
// by hand, say) decrypts the same, and an inconsistent key fails loudly.
func TestDecryptWithoutCRTValues(t *testing.T) {
	priv, _ := testRSAKey(t)
	bare := &rsa.PrivateKey{PublicKey: priv.PublicKey, D: priv.D, Primes: priv.Primes}
	ct, err := EncryptOAEP(nil, &priv.PublicKey, []byte("no CRT"), OAEPParams{})
	if err != nil {
		t.Fatal(err)
	}
	if pt, err := DecryptOAEP(bare, ct, OAEPParams{}); err != nil || string(pt) != "no CRT" {
		t.Fatalf("without CRT values: %q %v", pt, err)
	}
	broken := *priv
	broken.D = new(big.Int).Add(priv.D, big.NewInt(2))
	broken.Precomputed = rsa.PrecomputedValues{}
	if _, err := DecryptOAEP(&broken, ct, OAEPParams{}); err == nil || !strings.Contains(err.Error(), "inconsistent") {
		t.Fatalf("inconsistent key: %v", err)
	}
}

// TestOAEPKeyTooSmallForHash: RSA-1024 with SHA-512 leaves no room; openssl
// 3.0 says "data too large for key size" on encrypt and "oaep decoding
// error" (another line of rsa_oaep.c) on decrypt.
func TestOAEPKeyTooSmallForHash(t *testing.T) {
	dir := t.TempDir()
	keyPEM := pkMustOpenSSL(t, dir, nil, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024")
	pkWrite(t, dir, "k.pem", keyPEM)
	pkWrite(t, dir, "empty", nil)
	k, err := ParsePrivateKey(keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	priv := k.(*rsa.PrivateKey)
	p := OAEPParams{LabelHash: crypto.SHA512, MGF1Hash: crypto.SHA512}
	opts := []string{"-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha512"}
	_, encErr := EncryptOAEP(nil, &priv.PublicKey, nil, p)
	_, decErr := DecryptOAEP(priv, nil, p)
	for _, c := range []struct {
		err  error
		args []string
	}{
		{encErr, append([]string{"pkeyutl", "-encrypt", "-inkey", "k.pem", "-in", "empty"}, opts...)},
		{decErr, append([]string{"pkeyutl", "-decrypt", "-inkey", "k.pem", "-in", "empty"}, opts...)},
	} {
		_, stderr, code := pkOpenSSL(t, dir, nil, c.args...)
		pe, ok := c.err.(*PKeyError)
		if !ok || code != 1 || !strings.Contains(stderr, pe.QueueLines()[9:]) {
			t.Errorf("%v: oracle %v; openssl exit %d %q", c.args, c.err, code, stderr)
		}
	}
}

// MaxOAEPPlaintextLen gives the limits AWS KMS documents for RSAES_OAEP
// (RSA_2048: 214 bytes with SHA-1, 190 with SHA-256; RSA_3072: 342/318;
// RSA_4096: 470/446); a zero hash is SHA-1, openssl's default.
func TestMaxOAEPPlaintextLen(t *testing.T) {
	for _, c := range []struct {
		k    int
		h    crypto.Hash
		want int
	}{
		{256, crypto.SHA1, 214}, {256, crypto.SHA256, 190}, {256, 0, 214},
		{384, crypto.SHA1, 342}, {384, crypto.SHA256, 318},
		{512, crypto.SHA1, 470}, {512, crypto.SHA256, 446},
		{64, crypto.SHA512, -66},
	} {
		if got := MaxOAEPPlaintextLen(c.k, c.h); got != c.want {
			t.Errorf("MaxOAEPPlaintextLen(%d, %v) = %d, want %d", c.k, c.h, got, c.want)
		}
	}
}
