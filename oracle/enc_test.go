package oracle

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Key/IV answers recorded from OpenSSL 3.0.19 `enc ... -P`.
func TestKeyDerivationKnownAnswers(t *testing.T) {
	cases := []struct {
		name         string
		pbkdf2       bool
		md, pw       string
		salt         string
		iter         int
		keyLen       int
		wantK, wantI string
	}{
		{"bytestokey sha256 nosalt", false, "sha256", "pw", "", 0, 16, "30C952FAB122C3F9759F02A6D95C3758", "B246B4FEE239957B2D4FEE46E26170C4"},
		{"bytestokey sha256 salt", false, "sha256", "x", "0102000000000000", 0, 32, "DA24672B6428FCF6E8961286A9E60DF2DF403B50DAAABD92530AF0044FC14B34", "7A39860C7B3D3B8864DE8E32AF0683A1"},
		{"bytestokey md5", false, "md5", "x", "", 0, 16, "9DD4E461268C8034F5C8564E155C67A6", "C655CFB544097EF213C59DB9889488AB"},
		{"bytestokey CR kept", false, "sha256", "pw\r", "", 0, 16, "121522617F13AC6179E4059CC6361531", "D4B34B7515C112F2216AD3C2A7126867"},
		{"bytestokey empty password", false, "sha256", "", "", 0, 32, "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", "5DF6E0E2761359D30A8275058E299FCC"},
		{"pbkdf2 iter 5", true, "sha256", "x", "", 5, 32, "701FB43251C9AAABCDE03EB89F8B4CD1C24022025FF517FE4D2B14655A9B9EBC", "EFFBCDEDAC870245F54BB33DBCE9B372"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var salt []byte
			if c.salt != "" {
				salt = unhex(t, c.salt)
			}
			var k, iv []byte
			var err error
			if c.pbkdf2 {
				k, iv, err = PBKDF2Key(c.md, salt, []byte(c.pw), c.iter, c.keyLen, 16)
			} else {
				k, iv, err = BytesToKey(c.md, salt, []byte(c.pw), c.keyLen, 16)
			}
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprintf("%X", k) != c.wantK || fmt.Sprintf("%X", iv) != c.wantI {
				t.Errorf("got key=%X iv=%X, want key=%s iv=%s", k, iv, c.wantK, c.wantI)
			}
		})
	}
}

func TestKeyDerivationRejectsBadInput(t *testing.T) {
	if _, _, err := BytesToKey("nope", nil, []byte("x"), 16, 16); !errors.Is(err, ErrUnknownDigest) {
		t.Errorf("unknown digest: %v", err)
	}
	if _, _, err := BytesToKey("sha256", []byte{1, 2}, []byte("x"), 16, 16); err == nil {
		t.Error("a 2-byte salt must be refused")
	}
	if _, _, err := PBKDF2Key("sha256", nil, []byte("x"), 0, 16, 16); err == nil {
		t.Error("iter 0 must be refused")
	}
}

// sizes around the block size and around the pipeline's chunk size.
var testSizes = []int{0, 1, 15, 16, 17, 31, 32, 33, 1000, encChunkSize - 1, encChunkSize, encChunkSize + 1, 2*encChunkSize + 17}

func TestEncryptDecryptRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, name := range EncCiphers() {
		for _, size := range testSizes {
			if (strings.HasSuffix(name, "cfb1") || strings.HasSuffix(name, "cfb8")) && size > 40000 {
				continue // bit- and byte-wise CFB are slow; the small sizes cover them
			}
			plain := make([]byte, size)
			for i := range plain {
				plain[i] = byte(rng.Uint32())
			}
			for _, b64 := range []bool{false, true} {
				p := EncParams{Cipher: name, PBKDF2: true, Iter: 1, Base64: b64}
				var ct bytes.Buffer
				if err := Encrypt(&ct, bytes.NewReader(plain), []byte("pw"), p); err != nil {
					t.Fatalf("%s size %d: encrypt: %v", name, size, err)
				}
				var pt bytes.Buffer
				if err := Decrypt(&pt, bytes.NewReader(ct.Bytes()), []byte("pw"), p); err != nil {
					t.Fatalf("%s size %d b64 %v: decrypt: %v", name, size, b64, err)
				}
				if !bytes.Equal(pt.Bytes(), plain) {
					t.Fatalf("%s size %d b64 %v: round trip differs", name, size, b64)
				}
			}
		}
	}
}

func TestDecryptErrors(t *testing.T) {
	// A fixed salt: with a random one about 1 wrong password in 256 passes
	// the padding check, as in openssl.
	p := EncParams{Cipher: "aes-256-cbc", PBKDF2: true, Salt: []byte("saltsalt")}
	var ct bytes.Buffer
	if err := Encrypt(&ct, strings.NewReader("secret data"), []byte("right"), p); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		in   []byte
		pw   string
		p    EncParams
		want error
	}{
		{"wrong password", ct.Bytes(), "wrong", p, ErrBadDecrypt},
		{"no header", []byte("plain text, not salted"), "right", EncParams{Cipher: "aes-256-cbc"}, ErrBadMagicNumber},
		{"empty", nil, "right", EncParams{Cipher: "aes-256-cbc"}, ErrReadInput},
		{"truncated header", []byte("Salted__abc"), "right", EncParams{Cipher: "aes-256-cbc"}, ErrReadInput},
		{"header only", []byte("Salted__12345678"), "right", EncParams{Cipher: "aes-256-cbc"}, ErrBadDecrypt},
		{"partial block", ct.Bytes()[:ct.Len()-1], "right", p, ErrBadDecrypt},
		{"bad base64", []byte("!!!!\n"), "right", EncParams{Cipher: "aes-256-cbc", Base64: true}, ErrBadBase64},
		{"one base64 line without newline", []byte("U2FsdGVkX1+rq6urq6urqw=="), "right", EncParams{Cipher: "aes-256-cbc", Base64: true}, ErrBadBase64},
		{"truncated base64", []byte("U2FsdGVkX1\n"), "right", EncParams{Cipher: "aes-256-cbc", Base64: true}, ErrBadBase64},
		{"wrapped input with -A", []byte("U2FsdGVk\nX19hYmNkZWZnaA==\n"), "right", EncParams{Cipher: "aes-256-cbc", Base64: true, Base64OneLine: true}, ErrBadBase64},
		{"unknown cipher", ct.Bytes(), "right", EncParams{Cipher: "des3"}, ErrUnknownCipher},
		{"pbkdf2 under 1.0.2", ct.Bytes(), "right", EncParams{Cipher: "aes-256-cbc", PBKDF2: true, Profile: profiles["1.0.2"]}, ErrNotInProfile},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Decrypt(io.Discard, bytes.NewReader(c.in), []byte(c.pw), c.p)
			if !errors.Is(err, c.want) {
				t.Errorf("got %v, want %v", err, c.want)
			}
		})
	}
	if err := Decrypt(io.Discard, bytes.NewReader(nil), nil, EncParams{Cipher: "aes-128-cbc"}); !errors.Is(err, ErrNoKey) {
		t.Errorf("no password and no key: %v", err)
	}
	if err := Encrypt(io.Discard, strings.NewReader("17 bytes of text!"), nil,
		EncParams{Cipher: "aes-128-cbc", NoPad: true, Key: make([]byte, 16), IV: make([]byte, 16)}); !errors.Is(err, ErrBadEncrypt) {
		t.Errorf("-nopad with a partial block: %v", err)
	}
}

// The padding check accepts exactly the PKCS#7 paddings 1..16.
func TestUnpad(t *testing.T) {
	for n := 0; n <= 17; n++ {
		blk := bytes.Repeat([]byte{byte(n)}, 16)
		_, err := unpad(blk)
		if ok := n >= 1 && n <= 16; ok != (err == nil) {
			t.Errorf("pad %d: err %v", n, err)
		}
	}
	blk := bytes.Repeat([]byte{3}, 16)
	blk[13] = 2
	if _, err := unpad(blk); err == nil {
		t.Error("inconsistent padding accepted")
	}
}

// Base64 output is wrapped at 64 columns with a final newline; -A is one line.
func TestBase64Writer(t *testing.T) {
	for _, n := range []int{0, 1, 47, 48, 49, 96, 100} {
		var wrapped, one bytes.Buffer
		data := bytes.Repeat([]byte{0xAB}, n)
		for _, c := range []struct {
			buf *bytes.Buffer
			one bool
		}{{&wrapped, false}, {&one, true}} {
			w := NewBase64Writer(c.buf, c.one)
			if _, err := w.Write(data); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
		}
		if n == 0 && (wrapped.Len() != 0 || one.Len() != 0) {
			t.Errorf("empty input must give no output: %q %q", wrapped.String(), one.String())
		}
		if strings.Contains(one.String(), "\n") {
			t.Errorf("-A output has a newline: %q", one.String())
		}
		for i, line := range strings.Split(strings.TrimSuffix(wrapped.String(), "\n"), "\n") {
			if n > 0 && (len(line) > 64 || line == "") {
				t.Errorf("n=%d line %d has %d chars", n, i, len(line))
			}
		}
		got, err := io.ReadAll(NewBase64Reader(bytes.NewReader(wrapped.Bytes()), false))
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("n=%d: decode wrapped: %v", n, err)
		}
	}
}

func TestRandFormats(t *testing.T) {
	var b bytes.Buffer
	if err := Rand(&b, nil, 32, RandBase64); err != nil || b.Len() != 45 || !strings.HasSuffix(b.String(), "\n") {
		t.Errorf("rand -base64 32: %q %v", b.String(), err)
	}
	b.Reset()
	if err := Rand(&b, nil, 5, RandHex); err != nil || b.Len() != 11 {
		t.Errorf("rand -hex 5: %q %v", b.String(), err)
	}
	b.Reset()
	if err := Rand(&b, nil, 7, RandRaw); err != nil || b.Len() != 7 {
		t.Errorf("rand 7: %d %v", b.Len(), err)
	}
	if err := Rand(&b, nil, -1, RandRaw); err == nil {
		t.Error("negative count accepted")
	}
}

// The parallel CBC decryption (one crypto/cipher decrypter per chunk, IV =
// the chunk before's last ciphertext block) must give what one decrypter
// over the whole stream gives, for every key size and for lengths around
// the chunk boundaries; a wrong final padding is still "bad decrypt".
func TestCBCPipelineAgreesWithStdlib(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	rnd := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}
	lengths := []int{0, 1, 15, 16, 17, encChunkSize - 16, encChunkSize - 1, encChunkSize,
		encChunkSize + 1, 3*encChunkSize + 7, (encMaxChunks+2)*encChunkSize - 16}
	for _, kl := range []int{16, 24, 32} {
		key, iv := rnd(kl), rnd(16)
		block, err := aes.NewCipher(key)
		if err != nil {
			t.Fatal(err)
		}
		name := map[int]string{16: "aes-128-cbc", 24: "aes-192-cbc", 32: "aes-256-cbc"}[kl]
		p := EncParams{Cipher: name, Key: key, IV: iv}
		for _, n := range lengths {
			plain := rnd(n)
			pad := 16 - n%16
			padded := append(append([]byte{}, plain...), bytes.Repeat([]byte{byte(pad)}, pad)...)
			want := make([]byte, len(padded))
			cipher.NewCBCEncrypter(block, iv).CryptBlocks(want, padded)
			var ct bytes.Buffer
			if err := Encrypt(&ct, bytes.NewReader(plain), nil, p); err != nil || !bytes.Equal(ct.Bytes(), want) {
				t.Fatalf("%s, %d bytes: encryption differs from one crypto/cipher encrypter (err %v)", name, n, err)
			}
			var got bytes.Buffer
			if err := Decrypt(&got, bytes.NewReader(want), nil, p); err != nil || !bytes.Equal(got.Bytes(), plain) {
				t.Fatalf("%s, %d bytes: parallel decryption differs (err %v)", name, n, err)
			}
			// a flipped bit in the last block breaks the padding: every block
			// but the last is written, then "bad decrypt"
			bad := append([]byte{}, want...)
			bad[len(bad)-1] ^= 0x80
			got.Reset()
			if err := Decrypt(&got, bytes.NewReader(bad), nil, p); !errors.Is(err, ErrBadDecrypt) || got.Len() != len(want)-16 {
				t.Fatalf("%s, %d bytes: broken padding: err %v, %d bytes out", name, n, err, got.Len())
			}
		}
	}
}

// The reference carries no cipher of its own: no assembly, no unsafe, no
// S-box or key schedule; AES comes from crypto/aes.
func TestNoHandWrittenAES(t *testing.T) {
	files, err := filepath.Glob("*")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, ".s") {
			t.Errorf("%s: assembly in the oracle", f)
		}
		if !strings.HasSuffix(f, ".go") || strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{`"unsafe"`, "sbox", "Sbox", "keySchedule", "expandKey", "MixColumns"} {
			if bytes.Contains(src, []byte(bad)) {
				t.Errorf("%s mentions %s: hand-written block-cipher code?", f, bad)
			}
		}
	}
}

type failWriter struct{ left int }

func (f *failWriter) Write(p []byte) (int, error) {
	if f.left <= 0 {
		return 0, errors.New("disk full")
	}
	f.left--
	return len(p), nil
}

type failReader struct {
	r    io.Reader
	left int
}

func (f *failReader) Read(p []byte) (int, error) {
	if f.left <= 0 {
		return 0, errors.New("read failed")
	}
	n, err := f.r.Read(p)
	f.left -= n
	return n, err
}

// Write and read errors in the middle of a large stream come back as
// errors; nothing hangs.
func TestPipelineErrors(t *testing.T) {
	data := make([]byte, 8*encChunkSize+5)
	for _, c := range []string{"aes-256-cbc", "aes-128-ctr", "aes-192-ecb"} {
		for _, dec := range []bool{false, true} {
			p := EncParams{Cipher: c, Key: make([]byte, 32)[:map[string]int{"aes-256-cbc": 32, "aes-128-ctr": 16, "aes-192-ecb": 24}[c]], IV: make([]byte, 16)}
			if c == "aes-192-ecb" {
				p.IV = nil
			}
			run := Encrypt
			if dec {
				run = Decrypt
			}
			if err := run(&failWriter{left: 2}, bytes.NewReader(data), nil, p); err == nil || !strings.Contains(err.Error(), "disk full") {
				t.Errorf("%s decrypt=%v: write error: got %v", c, dec, err)
			}
			if err := run(io.Discard, &failReader{r: bytes.NewReader(data), left: 3 * encChunkSize}, nil, p); err == nil || !strings.Contains(err.Error(), "read failed") {
				t.Errorf("%s decrypt=%v: read error: got %v", c, dec, err)
			}
		}
	}
}
