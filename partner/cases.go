package partner

import (
	"crypto"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"strings"

	"github.com/kmsconform/kmsconform/oracle"
)

// KeySpecs are the RSA key specs a partner tool is checked against.
var KeySpecs = []string{"RSA_2048", "RSA_3072", "RSA_4096"}

// oaepLimit is the largest plaintext OAEP takes for a key of k bytes with
// the KMS algorithm alg (oracle.MaxOAEPPlaintextLen: k − 2·hLen − 2).
func oaepLimit(k int, alg string) int {
	h := crypto.SHA256
	if alg == "RSAES_OAEP_SHA_1" {
		h = crypto.SHA1
	}
	return oracle.MaxOAEPPlaintextLen(k, h)
}

// specBytes is the modulus size of an RSA_* key spec.
func specBytes(spec string) int {
	var bits int
	fmt.Sscanf(strings.TrimPrefix(spec, "RSA_"), "%d", &bits)
	return bits / 8
}

// Case is one input given to the partner's tool.
type Case struct {
	// Name says what the case checks, e.g. "RSA_2048 limit (190 bytes)".
	Name string `json:"name"`
	// KeySpec is the KMS key spec.
	KeySpec string `json:"key_spec"`
	// Kind is empty, text, binary, limit or over-limit.
	Kind string `json:"kind"`
	// Size is the input length in bytes.
	Size int `json:"size"`

	input []byte
}

// rsaCases are the inputs for a tool that RSA-encrypts its input directly.
func rsaCases(alg string, specs []string) []Case {
	var out []Case
	for _, spec := range specs {
		lim := oaepLimit(specBytes(spec), alg)
		add := func(kind string, in []byte, name string) {
			out = append(out, Case{Name: fmt.Sprintf("%s %s", spec, name), KeySpec: spec, Kind: kind, Size: len(in), input: in})
		}
		add("binary", random(32), "32-byte binary key")
		add("limit", random(lim), fmt.Sprintf("at the limit (%d bytes)", lim))
		add("over-limit", random(lim+1), fmt.Sprintf("one past the limit (%d bytes)", lim+1))
		if spec == specs[0] {
			add("text", []byte("0123456789abcdef0123456789ABCDEF\n"), "text with newline")
			add("empty", nil, "empty input")
			add("binary", []byte{0}, "a single zero byte")
		}
	}
	return out
}

// hybridCases are the inputs for a tool that encrypts data under a fresh
// key and wraps that key with RSA.
func hybridCases(specs []string) []Case {
	var out []Case
	for _, spec := range specs {
		add := func(kind string, in []byte, name string) {
			out = append(out, Case{Name: fmt.Sprintf("%s %s", spec, name), KeySpec: spec, Kind: kind, Size: len(in), input: in})
		}
		add("text", []byte("id,amount\n1,100.00\n2,250.50\n"), "CSV text")
		if spec == specs[0] {
			add("binary", random(100<<10), "100 KiB binary")
			add("empty", nil, "empty data")
			add("binary", []byte{0}, "a single zero byte")
		}
	}
	return out
}

func random(n int) []byte {
	b := make([]byte, n)
	rand.Read(b) // never fails since Go 1.24
	return b
}

// pemPublic is der as a PUBLIC KEY PEM block.
func pemPublic(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}
