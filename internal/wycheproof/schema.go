package wycheproof

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Note describes one flag of a file.
type Note struct {
	BugType     string   `json:"bugType"`
	Description string   `json:"description"`
	Effect      string   `json:"effect,omitempty"`
	Links       []string `json:"links,omitempty"`
	CVEs        []string `json:"cves,omitempty"`
}

// File is one Wycheproof vector file with groups of type G.
type File[G Group] struct {
	Algorithm     string          `json:"algorithm"`
	Schema        string          `json:"schema"`
	NumberOfTests int             `json:"numberOfTests"`
	Header        []string        `json:"header"`
	Notes         map[string]Note `json:"notes"`
	TestGroups    []G             `json:"testGroups"`
}

// Group is the set of group types this package reads.
type Group interface {
	RSAOAEPGroup | ECDHGroup | ECDHPemGroup
}

// Test holds the fields every Wycheproof test has.
type Test struct {
	TcID    int      `json:"tcId"`
	Comment string   `json:"comment"`
	Flags   []string `json:"flags"`
	// Result is "valid", "invalid" or "acceptable".
	Result string `json:"result"`
}

// Source names the tool that generated a group.
type Source struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// RSAOAEPGroup is a group of rsaes_oaep_decrypt_schema_v1.json.
type RSAOAEPGroup struct {
	Type string `json:"type"`
	// SHA is the label hash ("SHA-256"), MGFSHA the MGF1 hash.
	SHA    string `json:"sha"`
	MGF    string `json:"mgf"`
	MGFSHA string `json:"mgfSha"`
	// KeySize is the modulus size in bits.
	KeySize int `json:"keySize"`
	// PrivateKeyPkcs8 is the private key as PKCS#8 DER.
	PrivateKeyPkcs8 Hex             `json:"privateKeyPkcs8"`
	PrivateKeyPem   string          `json:"privateKeyPem"`
	PrivateKey      json.RawMessage `json:"privateKey"`
	PrivateKeyJwk   json.RawMessage `json:"privateKeyJwk,omitempty"`
	Source          Source          `json:"source"`
	Tests           []RSAOAEPTest   `json:"tests"`
}

// RSAOAEPTest is one OAEP decryption case.
type RSAOAEPTest struct {
	Test
	Msg   Hex `json:"msg"`
	Ct    Hex `json:"ct"`
	Label Hex `json:"label"`
}

// ECDHGroup is a group of ecdh_test_schema_v1.json (Encoding "asn": the
// public key is SubjectPublicKeyInfo DER) or ecdh_ecpoint_test_schema_v1.json
// (Encoding "ecpoint": an X9.62 point).
type ECDHGroup struct {
	Type     string     `json:"type"`
	Curve    string     `json:"curve"`
	Encoding string     `json:"encoding"`
	Source   Source     `json:"source"`
	Tests    []ECDHTest `json:"tests"`
}

// ECDHTest is one ECDH case. Private is a big-endian integer (it may carry a
// leading zero byte, as in ASN.1).
type ECDHTest struct {
	Test
	Public  Hex `json:"public"`
	Private Hex `json:"private"`
	Shared  Hex `json:"shared"`
}

// ECDHPemGroup is a group of ecdh_pem_test_schema_v1.json: both keys are
// PEM text (SubjectPublicKeyInfo and PKCS#8).
type ECDHPemGroup struct {
	Type     string        `json:"type"`
	Curve    string        `json:"curve"`
	Encoding string        `json:"encoding"`
	Source   Source        `json:"source"`
	Tests    []ECDHPemTest `json:"tests"`
}

// ECDHPemTest is one ECDH case with PEM keys.
type ECDHPemTest struct {
	Test
	Public  string `json:"public"`
	Private string `json:"private"`
	Shared  Hex    `json:"shared"`
}

// Hex is a byte string written as hex in JSON.
type Hex []byte

// UnmarshalJSON decodes a JSON hex string; anything else is an error.
func (h *Hex) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil || string(data) == "null" {
		return fmt.Errorf("want a hex string, got %.40s", data)
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return fmt.Errorf("bad hex string: %v", err)
	}
	*h = append(Hex{}, b...)
	return nil
}

// Load reads dir/name strictly (unknown fields are errors) and checks it:
// numberOfTests, unique tcIds, known results and flags that have notes.
func Load[G Group](dir, name string) (*File[G], error) {
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return nil, fmt.Errorf("wycheproof file %s: %w", name, err)
	}
	f, err := Decode[G](bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("wycheproof file %s: %w", name, err)
	}
	return f, nil
}

// Decode reads one file strictly; see Load.
func Decode[G Group](r io.Reader) (*File[G], error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var f File[G]
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("malformed: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("malformed: data after the top-level object")
	}
	if f.Algorithm == "" || f.Schema == "" || len(f.TestGroups) == 0 {
		return nil, errors.New(`missing "algorithm", "schema" or "testGroups"`)
	}
	seen := map[int]bool{}
	for _, t := range f.tests() {
		if t.TcID <= 0 || seen[t.TcID] {
			return nil, fmt.Errorf("tcId %d is not positive or not unique", t.TcID)
		}
		seen[t.TcID] = true
		switch t.Result {
		case "valid", "invalid", "acceptable":
		default:
			return nil, fmt.Errorf("tcId %d: unknown result %q", t.TcID, t.Result)
		}
		for _, fl := range t.Flags {
			if _, ok := f.Notes[fl]; !ok {
				return nil, fmt.Errorf("tcId %d: flag %q has no note", t.TcID, fl)
			}
		}
	}
	if len(seen) != f.NumberOfTests {
		return nil, fmt.Errorf("numberOfTests is %d but the file has %d tests", f.NumberOfTests, len(seen))
	}
	return &f, nil
}

func (f *File[G]) tests() []*Test {
	var ts []*Test
	for i := range f.TestGroups {
		switch g := any(&f.TestGroups[i]).(type) {
		case *RSAOAEPGroup:
			for j := range g.Tests {
				ts = append(ts, &g.Tests[j].Test)
			}
		case *ECDHGroup:
			for j := range g.Tests {
				ts = append(ts, &g.Tests[j].Test)
			}
		case *ECDHPemGroup:
			for j := range g.Tests {
				ts = append(ts, &g.Tests[j].Test)
			}
		}
	}
	return ts
}
