package oracle

import (
	"bytes"
	"crypto"
	"encoding/hex"
	"fmt"
	"testing"
)

// TestKBKDFVariantsMatchOpenSSL: counter and feedback mode, with and without
// seed, separator and L, byte-identical with `openssl kdf ... KBKDF`.
func TestKBKDFVariantsMatchOpenSSL(t *testing.T) {
	dir := t.TempDir()
	key, label, ctx := []byte("key material"), []byte("label"), []byte{0, 1, 2}
	for _, h := range []crypto.Hash{crypto.SHA256, crypto.SHA512} {
		seed := bytes.Repeat([]byte{0x42}, h.Size())
		for _, p := range []KBKDFParams{
			{Hash: h, Key: key, Label: label, Context: ctx},
			{Hash: h, Key: key, Label: label, Context: ctx, Seed: seed},
			{Hash: h, Key: key, Label: label, Context: ctx, Feedback: true},
			{Hash: h, Key: key, Label: label, Context: ctx, Feedback: true, Seed: seed},
			{Hash: h, Key: key, Label: label, Context: ctx, NoL: true},
			{Hash: h, Key: key, Label: label, Context: ctx, NoSeparator: true, Feedback: true},
		} {
			n := 3*h.Size() + 5
			got, err := KBKDF(p, n)
			if err != nil {
				t.Fatal(err)
			}
			mode := "COUNTER"
			if p.Feedback {
				mode = "FEEDBACK"
			}
			args := []string{"kdf", "-keylen", fmt.Sprint(n), "-kdfopt", "mac:HMAC", "-kdfopt", "digest:" + HashName(h), "-kdfopt", "mode:" + mode,
				"-kdfopt", "hexkey:" + hex.EncodeToString(key), "-kdfopt", "hexsalt:" + hex.EncodeToString(label), "-kdfopt", "hexinfo:" + hex.EncodeToString(ctx)}
			if p.Seed != nil {
				args = append(args, "-kdfopt", "hexseed:"+hex.EncodeToString(p.Seed))
			}
			if p.NoL {
				args = append(args, "-kdfopt", "use-l:0")
			}
			if p.NoSeparator {
				args = append(args, "-kdfopt", "use-separator:0")
			}
			out := pkMustOpenSSL(t, dir, nil, append(args, "KBKDF")...)
			if want := parseKDFHex(t, out); !bytes.Equal(got, want) {
				t.Errorf("%+v:\n oracle  %x\n openssl %x", p, got, want)
			}
		}
	}
	_, err := KBKDF(KBKDFParams{Hash: crypto.SHA256, Key: key, Feedback: true, Seed: []byte{1, 2, 3, 4}}, 16)
	_, stderr, code := pkOpenSSL(t, dir, nil, "kdf", "-keylen", "16", "-kdfopt", "mac:HMAC", "-kdfopt", "digest:SHA256", "-kdfopt", "mode:FEEDBACK", "-kdfopt", "key:x", "-kdfopt", "hexseed:01020304", "KBKDF")
	if err == nil || code != 1 || !bytes.Contains([]byte(stderr), []byte("invalid seed length")) {
		t.Fatalf("short seed: oracle %v; openssl exit %d %q", err, code, stderr)
	}
}
