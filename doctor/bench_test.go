package doctor

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/pbkdf2"
	"os/exec"
	"testing"
)

// benchFile is a 64 KiB file made by the real openssl with a password the
// doctor is not given: the search must try everything and find nothing,
// its worst case.
func benchFile(b *testing.B) ([]byte, PassSource) {
	b.Helper()
	dir := b.TempDir()
	plainText := bytes.Repeat([]byte("ledger line 0001,100.00\n"), 64<<10/24)
	cmd := exec.Command("openssl", "enc", "-aes-256-cbc", "-pbkdf2", "-pass", "pass:the producer's", "-out", dir+"/data.enc")
	cmd.Stdin = bytes.NewReader(plainText)
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("openssl enc: %v\n%s", err, out)
	}
	data, err := readFile(dir + "/data.enc")
	if err != nil {
		b.Fatal(err)
	}
	return data, PassSource{Spec: "pass:not the producer's", Password: []byte("not the producer's")}
}

// BenchmarkDiagnoseEnc is the doctor's search: one PBKDF2 pass per
// (digest, password variant) serving every iteration count, a padding
// check on the last block before any full decryption, on every CPU.
func BenchmarkDiagnoseEnc(b *testing.B) {
	data, src := benchFile(b)
	for b.Loop() {
		rep, err := DiagnoseEnc(context.Background(), EncRequest{Data: data, Pass: src, Expect: []byte("x")})
		if err != nil || rep.Found != nil {
			b.Fatalf("unexpected result %v %+v", err, rep.Found)
		}
	}
}

// BenchmarkDiagnoseEncNaive is the reference: the same candidates, each
// (digest, iteration count) derived separately with crypto/pbkdf2 and every
// block-mode candidate decrypted in full, on one goroutine.
func BenchmarkDiagnoseEncNaive(b *testing.B) {
	data, src := benchFile(b)
	salt, ct := data[8:16], data[16:]
	for b.Loop() {
		hits := 0
		for _, v := range passwordVariants(src) {
			for _, md := range digests {
				newH, _ := newHash(md)
				for _, iter := range append([]int{0}, iterCounts...) {
					var km []byte
					if iter == 0 {
						var err error
						if km, err = legacyKeyMaterial(md, v.password, salt, 48); err != nil {
							b.Fatal(err)
						}
					} else {
						var err error
						km, err = pbkdf2.Key(newH, string(v.password), salt, iter, 48)
						if err != nil {
							b.Fatal(err)
						}
					}
					for _, c := range encCiphers {
						if !c.padded() {
							continue
						}
						blk, _ := aes.NewCipher(km[:c.keyLen])
						if _, ok := decryptAll(blk, c, km[c.keyLen:c.keyLen+c.ivLen], ct, 0); ok {
							hits++
						}
					}
				}
			}
		}
		_ = hits
	}
}
