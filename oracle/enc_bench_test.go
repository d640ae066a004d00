package oracle

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"io"
	"testing"
)

const benchSize = 64 << 20

func benchData(b *testing.B) []byte {
	b.Helper()
	data := make([]byte, benchSize)
	for i := range data {
		data[i] = byte(i * 7)
	}
	return data
}

var benchParams = EncParams{Cipher: "aes-256-cbc", Key: make([]byte, 32), IV: make([]byte, 16)}

// BenchmarkEncryptCBC is the enc hot path: aes-256-cbc encryption, streamed.
func BenchmarkEncryptCBC(b *testing.B) {
	data := benchData(b)
	b.SetBytes(benchSize)
	for b.Loop() {
		if err := Encrypt(io.Discard, bytes.NewReader(data), nil, benchParams); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecryptCBC is aes-256-cbc decryption through the parallel pipeline.
func BenchmarkDecryptCBC(b *testing.B) {
	var ct bytes.Buffer
	if err := Encrypt(&ct, bytes.NewReader(benchData(b)), nil, benchParams); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(benchSize)
	for b.Loop() {
		if err := Decrypt(io.Discard, bytes.NewReader(ct.Bytes()), nil, benchParams); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCBCDecrypterStdlib is Go's CBC decrypter alone on one core, the
// reference the pipeline is measured against.
func BenchmarkCBCDecrypterStdlib(b *testing.B) {
	data := benchData(b)
	blk, _ := aes.NewCipher(make([]byte, 32))
	b.SetBytes(benchSize)
	for b.Loop() {
		cipher.NewCBCDecrypter(blk, make([]byte, 16)).CryptBlocks(data, data)
	}
}

// BenchmarkCBCEncrypterStdlib is Go's CBC encrypter alone on one core.
func BenchmarkCBCEncrypterStdlib(b *testing.B) {
	data := benchData(b)
	blk, _ := aes.NewCipher(make([]byte, 32))
	b.SetBytes(benchSize)
	for b.Loop() {
		cipher.NewCBCEncrypter(blk, make([]byte, 16)).CryptBlocks(data, data)
	}
}
