package oracle

import (
	"bytes"
	"crypto"
	"encoding/hex"
	"strconv"
	"strings"
	"testing"
)

// parseKDFHex reads `openssl kdf` text output: upper-case hex pairs
// separated by colons, then two newlines (openssl 3.0.19 prints an empty
// line after the value; pinned here).
func parseKDFHex(t *testing.T, out []byte) []byte {
	t.Helper()
	s, ok := strings.CutSuffix(string(out), "\n\n")
	if !ok || strings.ToUpper(s) != s {
		t.Fatalf("openssl kdf output %q is not upper-case hex followed by two newlines", out)
	}
	b, err := hex.DecodeString(strings.ReplaceAll(s, ":", ""))
	if err != nil {
		t.Fatalf("openssl kdf output %q: %v", out, err)
	}
	return b
}

func TestKDFsMatchOpenSSL(t *testing.T) {
	dir := t.TempDir()
	secret := []byte("0123456789abcdef0123456789abcdef")
	info := []byte{0, 1, 2, 0xfe}
	salt := []byte("salty")
	hx := hex.EncodeToString
	for _, h := range []crypto.Hash{crypto.SHA1, crypto.SHA256, crypto.SHA384, crypto.SHA512} {
		for _, n := range []int{1, 32, 64, 100} {
			hn := HashName(h)
			type kc struct {
				name string
				got  func() ([]byte, error)
				args []string
			}
			cases := []kc{
				{"SSKDF", func() ([]byte, error) { return SSKDF(h, secret, info, n) }, []string{"-kdfopt", "hexkey:" + hx(secret), "-kdfopt", "hexinfo:" + hx(info)}},
				{"SSKDF", func() ([]byte, error) { return SSKDFHMAC(h, secret, salt, info, n) }, []string{"-kdfopt", "mac:HMAC", "-kdfopt", "hexkey:" + hx(secret), "-kdfopt", "hexsalt:" + hx(salt), "-kdfopt", "hexinfo:" + hx(info)}},
				{"SSKDF", func() ([]byte, error) { return SSKDFHMAC(h, secret, nil, info, n) }, []string{"-kdfopt", "mac:HMAC", "-kdfopt", "hexkey:" + hx(secret), "-kdfopt", "hexinfo:" + hx(info)}},
				{"X963KDF", func() ([]byte, error) { return X963KDF(h, secret, info, n) }, []string{"-kdfopt", "hexkey:" + hx(secret), "-kdfopt", "hexinfo:" + hx(info)}},
				{"HKDF", func() ([]byte, error) { return HKDF(h, secret, salt, info, n) }, []string{"-kdfopt", "hexkey:" + hx(secret), "-kdfopt", "hexsalt:" + hx(salt), "-kdfopt", "hexinfo:" + hx(info)}},
				{"KBKDF", func() ([]byte, error) { return KBKDFCounterHMAC(h, secret, salt, info, n) }, []string{"-kdfopt", "mac:HMAC", "-kdfopt", "hexkey:" + hx(secret), "-kdfopt", "hexsalt:" + hx(salt), "-kdfopt", "hexinfo:" + hx(info)}},
				{"PBKDF2", func() ([]byte, error) { return PBKDF2(h, []byte("pw"), salt, 3, n) }, []string{"-kdfopt", "pass:pw", "-kdfopt", "hexsalt:" + hx(salt), "-kdfopt", "iter:3"}},
			}
			for _, c := range cases {
				got, err := c.got()
				if err != nil {
					t.Fatalf("%s %s %d: %v", c.name, hn, n, err)
				}
				args := append([]string{"kdf", "-keylen", itoa(n), "-kdfopt", "digest:" + hn}, c.args...)
				args = append(args, c.name)
				out, stderr, code := pkOpenSSL(t, dir, nil, args...)
				if code != 0 {
					t.Fatalf("openssl %v: %s", args, stderr)
				}
				if want := parseKDFHex(t, out); !bytes.Equal(got, want) {
					t.Errorf("%s %s %d:\n oracle  %x\n openssl %x", c.name, hn, n, got, want)
				}
			}
		}
	}
}

func TestESDKECDHKeyringKeyIsKBKDF(t *testing.T) {
	dir := t.TempDir()
	secret := bytes.Repeat([]byte{7}, 48)
	sender, recipient, ctx := []byte("S-pub"), []byte("R-pub"), []byte("ec")
	fixed, err := ESDKECDHFixedInfo("ECC_NIST_P384", sender, recipient, ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := "ecdh-key-derivation\x00p384\x00HMAC_SHA384\x00S-pubR-pub\x00\x01\x00ec"; string(fixed) != want {
		t.Fatalf("FixedInfo %q, want %q", fixed, want)
	}
	salt := bytes.Repeat([]byte{0x5a}, 32)
	for _, s := range [][]byte{salt, nil} {
		got, err := ESDKECDHKeyringKeyWithSalt("P-384", secret, sender, recipient, ctx, s)
		if err != nil || len(got) != 64 {
			t.Fatalf("%x %v", got, err)
		}
		args := []string{"kdf", "-keylen", "64", "-kdfopt", "mac:HMAC", "-kdfopt", "digest:SHA384",
			"-kdfopt", "hexkey:" + hex.EncodeToString(secret), "-kdfopt", "hexsalt:" + hex.EncodeToString(fixed)}
		if s != nil {
			args = append(args, "-kdfopt", "hexinfo:"+hex.EncodeToString(s))
		}
		out := pkMustOpenSSL(t, dir, nil, append(args, "KBKDF")...)
		if want := parseKDFHex(t, out); !bytes.Equal(got, want) {
			t.Fatalf("ESDK key (salt %x):\n oracle  %x\n openssl %x", s, got, want)
		}
	}
	// The kms-api.md form, paired with openssl's KBKDF by the ECDH flow.
	plain, err := ESDKECDHKeyringKey("P-384", secret, sender, recipient, ctx)
	if err != nil {
		t.Fatal(err)
	}
	rest := "ECC_NIST_P384\x00HMAC_SHA384\x00S-pubR-pub\x00\x01\x00ec"
	out := pkMustOpenSSL(t, dir, nil, "kdf", "-keylen", "64", "-kdfopt", "mac:HMAC", "-kdfopt", "digest:SHA384",
		"-kdfopt", "hexkey:"+hex.EncodeToString(secret), "-kdfopt", "salt:"+ESDKECDHLabel,
		"-kdfopt", "hexinfo:"+hex.EncodeToString([]byte(rest)), "KBKDF")
	if want := parseKDFHex(t, out); !bytes.Equal(plain, want) {
		t.Fatalf("kms-api.md form:\n oracle  %x\n openssl %x", plain, want)
	}
	if _, err := ESDKECDHKeyringKey("P-256", secret, sender, recipient, ctx); err == nil {
		t.Fatal("48-byte secret accepted for P-256")
	}
}

func TestKDFBadInput(t *testing.T) {
	if _, err := SSKDF(crypto.SHA256, nil, nil, 32); err == nil {
		t.Error("empty secret accepted")
	}
	if _, err := HKDF(crypto.SHA256, []byte("k"), nil, nil, 0); err == nil {
		t.Error("zero length accepted")
	}
	if _, err := X963KDF(crypto.MD5, []byte("k"), nil, 16); err == nil {
		t.Error("MD5 accepted")
	}
	if _, err := PBKDF2(crypto.SHA256, []byte("k"), nil, 0, 16); err == nil {
		t.Error("iter 0 accepted")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
