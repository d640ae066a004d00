package oracle

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"testing"
)

// The benchmarks put the oracle's OAEP next to crypto/rsa's in the same run,
// for orientation: the oracle trades speed (math/big, blinding, a
// verification exponentiation) for an implementation independent of Go's.

func benchKey(b *testing.B) *rsa.PrivateKey {
	b.Helper()
	k, err := GenerateRSAKey(2048)
	if err != nil {
		b.Fatal(err)
	}
	return k
}

func BenchmarkDecryptOAEP2048Oracle(b *testing.B) {
	k := benchKey(b)
	p := OAEPParams{LabelHash: crypto.SHA256, MGF1Hash: crypto.SHA256}
	ct, _ := EncryptOAEP(rand.Reader, &k.PublicKey, make([]byte, 32), p)
	for b.Loop() {
		if _, err := DecryptOAEP(k, ct, p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecryptOAEP2048Stdlib(b *testing.B) {
	k := benchKey(b)
	ct, _ := rsa.EncryptOAEP(sha256.New(), rand.Reader, &k.PublicKey, make([]byte, 32), nil)
	for b.Loop() {
		if _, err := rsa.DecryptOAEP(sha256.New(), nil, k, ct, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncryptOAEP2048Oracle(b *testing.B) {
	k := benchKey(b)
	p := OAEPParams{LabelHash: crypto.SHA256, MGF1Hash: crypto.SHA256}
	msg := make([]byte, 32)
	for b.Loop() {
		if _, err := EncryptOAEP(rand.Reader, &k.PublicKey, msg, p); err != nil {
			b.Fatal(err)
		}
	}
}
