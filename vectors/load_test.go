package vectors

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// minimalKDF is a small valid file; the broken-input cases edit it.
const minimalKDF = `{
  "algorithm": "KDF",
  "schema": "kmsconform_kdf_v1",
  "generatorVersion": "OpenSSL 3.0.19 27 Jan 2026",
  "numberOfTests": 2,
  "notes": {"wrong-digest": "computed with another digest"},
  "testGroups": [
    {"type": "KdfDerive", "kdf": "HKDF", "digest": "SHA256", "mac": "",
     "tests": [
       {"tcId": 1, "comment": "ok", "flags": [], "result": "valid",
        "key": "00ff", "salt": "", "info": "", "iter": 0, "keyLen": 2, "out": "abcd"},
       {"tcId": 2, "comment": "bad", "flags": ["wrong-digest"], "result": "invalid",
        "key": "00ff", "salt": "", "info": "", "iter": 0, "keyLen": 1, "out": "ab"}
     ]}
  ]
}`

func TestDecodeMinimal(t *testing.T) {
	f, err := Decode[KDFGroup](strings.NewReader(minimalKDF))
	if err != nil {
		t.Fatalf("Decode(minimal): %v", err)
	}
	tc := f.TestGroups[0].Tests[0]
	if !bytes.Equal(tc.Key, []byte{0x00, 0xff}) || tc.Salt == nil || len(tc.Salt) != 0 {
		t.Errorf("decoded key %x salt %#v; want 00ff and a non-nil empty salt", tc.Key, tc.Salt)
	}
	if !f.TestGroups[0].Tests[1].HasFlag("wrong-digest") {
		t.Error("HasFlag(wrong-digest) = false")
	}
}

func TestDecodeRejectsBrokenFiles(t *testing.T) {
	cases := []struct{ name, old, new, want string }{
		{"not JSON", minimalKDF, "{not json", "malformed"},
		{"empty input", minimalKDF, "", "malformed"},
		{"trailing data", `}
  ]
}`, `}
  ]
} {}`, "after the top-level object"},
		{"unknown top-level field", `"numberOfTests": 2,`, `"numberOfTests": 2, "extra": 1,`, "unknown field"},
		{"unknown test field", `"keyLen": 2,`, `"keyLen": 2, "tag": "",`, "unknown field"},
		{"unknown group field", `"mac": "",`, `"mac": "", "curve": "P-256",`, "unknown field"},
		{"wrong schema", `"kmsconform_kdf_v1"`, `"kmsconform_enc_decrypt_v1"`, `"schema"`},
		{"missing algorithm", `"algorithm": "KDF",`, ``, `"algorithm"`},
		{"no generatorVersion", `"generatorVersion": "OpenSSL 3.0.19 27 Jan 2026",`, ``, "generatorVersion"},
		{"made-up generatorVersion", `"OpenSSL 3.0.19 27 Jan 2026"`, `"3.0"`, "generatorVersion"},
		{"numberOfTests too high", `"numberOfTests": 2`, `"numberOfTests": 3`, "numberOfTests"},
		{"numberOfTests missing", `"numberOfTests": 2,`, ``, "numberOfTests"},
		{"duplicate tcId", `"tcId": 2`, `"tcId": 1`, "duplicate tcId 1"},
		{"zero tcId", `"tcId": 2`, `"tcId": 0`, "positive"},
		{"tcId as string", `"tcId": 2`, `"tcId": "2"`, "malformed"},
		{"unknown result", `"result": "invalid"`, `"result": "maybe"`, `"result"`},
		{"flag without note", `"flags": ["wrong-digest"]`, `"flags": ["md5-default"]`, "notes"},
		{"flags missing", `"flags": [], `, ``, `"flags"`},
		{"notes missing", `"notes": {"wrong-digest": "computed with another digest"},`, ``, `"notes"`},
		{"empty note", `"computed with another digest"`, `""`, "non-empty"},
		{"bad hex", `"out": "abcd"`, `"out": "abcg"`, "hex"},
		{"upper-case hex", `"out": "abcd"`, `"out": "ABCD"`, "hex"},
		{"odd hex", `"out": "abcd"`, `"out": "abc"`, "hex"},
		{"hex as number", `"out": "abcd"`, `"out": 12`, "hex"},
		{"hex null", `"out": "abcd"`, `"out": null`, "hex"},
		{"missing out", `, "out": "abcd"`, ``, `"out"`},
		{"missing key", `"key": "00ff", "salt": "", "info": "", "iter": 0, "keyLen": 2`, `"salt": "", "info": "", "iter": 0, "keyLen": 2`, `"key"`},
		{"keyLen disagrees with out", `"keyLen": 2`, `"keyLen": 3`, "keyLen"},
		{"unknown kdf", `"kdf": "HKDF"`, `"kdf": "SCRYPT"`, `"kdf"`},
		{"wrong group type", `"type": "KdfDerive"`, `"type": "EcdhDerive"`, `"type"`},
		{"mac on HKDF", `"mac": ""`, `"mac": "HMAC"`, `"mac"`},
		{"iter on HKDF", `"iter": 0, "keyLen": 1`, `"iter": 5, "keyLen": 1`, `"iter"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(minimalKDF, c.old) {
				t.Fatalf("test bug: %q not in the minimal file", c.old)
			}
			in := strings.Replace(minimalKDF, c.old, c.new, 1)
			_, err := Decode[KDFGroup](strings.NewReader(in))
			if err == nil {
				t.Fatalf("Decode accepted a broken file (%s)", c.name)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not mention %q", err, c.want)
			}
		})
	}
}

// TestDecodeRejectsBrokenGroups checks the per-schema rules of the other
// group types on small hand-written groups.
func TestDecodeRejectsNoGroups(t *testing.T) {
	for _, in := range []string{
		`{"algorithm": "x", "schema": "kmsconform_kdf_v1", "generatorVersion": "OpenSSL 3", "numberOfTests": 0, "notes": {}, "testGroups": []}`,
		`{"algorithm": "x", "schema": "kmsconform_kdf_v1", "generatorVersion": "OpenSSL 3", "numberOfTests": 0, "notes": {}}`,
	} {
		if _, err := Decode[KDFGroup](strings.NewReader(in)); err == nil || !strings.Contains(err.Error(), "testGroups") {
			t.Errorf("Decode(%s) = %v; want an error about testGroups", in, err)
		}
	}
}

func TestDecodeRejectsBrokenGroups(t *testing.T) {
	wrap := func(schema, group string) string {
		return `{"algorithm": "x", "schema": "` + schema + `", "generatorVersion": "OpenSSL 3.0.19", "numberOfTests": 1,
		"notes": {}, "testGroups": [` + group + `]}`
	}
	encTest := `"tests": [{"tcId": 1, "comment": "", "flags": [], "result": "valid", "password": "70", "msg": "", "ct": "00"}]`
	rsaTest := `"tests": [{"tcId": 1, "comment": "", "flags": [], "result": "valid", "label": "", "msg": "", "ct": "00"}]`
	ecTest := `"tests": [{"tcId": 1, "comment": "", "flags": [], "result": "valid", "private": "00", "public": "00", "shared": "01"}]`
	pem := `"-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n"`
	cases := []struct {
		name, in, want string
		decode         func(string) error
	}{
		{"enc ok", wrap(SchemaEnc, `{"type": "EncDecrypt", "compat": "3.0", "cipher": "aes-256-cbc", "md": "", "pbkdf2": false, "iter": 0, "saltMode": "header", "base64": false, `+encTest+`}`), "", decodeAs[EncGroup]},
		{"enc bad saltMode", wrap(SchemaEnc, `{"type": "EncDecrypt", "compat": "3.0", "cipher": "aes-256-cbc", "md": "", "pbkdf2": false, "iter": 0, "saltMode": "salted", "base64": false, `+encTest+`}`), "saltMode", decodeAs[EncGroup]},
		{"enc explicit without salt", wrap(SchemaEnc, `{"type": "EncDecrypt", "compat": "3.0", "cipher": "aes-256-cbc", "md": "", "pbkdf2": false, "iter": 0, "saltMode": "explicit", "base64": false, `+encTest+`}`), `"salt"`, decodeAs[EncGroup]},
		{"enc short salt", wrap(SchemaEnc, `{"type": "EncDecrypt", "compat": "3.0", "cipher": "aes-256-cbc", "md": "", "pbkdf2": false, "iter": 0, "saltMode": "explicit", "salt": "0102", "base64": false, `+encTest+`}`), "8 bytes", decodeAs[EncGroup]},
		{"enc iter without pbkdf2", wrap(SchemaEnc, `{"type": "EncDecrypt", "compat": "3.0", "cipher": "aes-256-cbc", "md": "", "pbkdf2": false, "iter": 10, "saltMode": "header", "base64": false, `+encTest+`}`), `"iter"`, decodeAs[EncGroup]},
		{"enc no cipher", wrap(SchemaEnc, `{"type": "EncDecrypt", "compat": "3.0", "cipher": "", "md": "", "pbkdf2": false, "iter": 0, "saltMode": "header", "base64": false, `+encTest+`}`), `"cipher"`, decodeAs[EncGroup]},
		{"enc no tests", wrap(SchemaEnc, `{"type": "EncDecrypt", "compat": "3.0", "cipher": "aes-256-cbc", "md": "", "pbkdf2": false, "iter": 0, "saltMode": "header", "base64": false, "tests": []}`), "no tests", decodeAs[EncGroup]},
		{"rsa ok", wrap(SchemaRSA, `{"type": "RsaDecrypt", "keySize": 2048, "privateKeyPem": `+pem+`, "padding": "oaep", "sha": "sha256", "mgfSha": "sha1", `+rsaTest+`}`), "", decodeAs[RSAGroup]},
		{"rsa oaep without mgfSha", wrap(SchemaRSA, `{"type": "RsaDecrypt", "keySize": 2048, "privateKeyPem": `+pem+`, "padding": "oaep", "sha": "sha256", `+rsaTest+`}`), `"mgfSha"`, decodeAs[RSAGroup]},
		{"rsa pkcs1 with sha", wrap(SchemaRSA, `{"type": "RsaDecrypt", "keySize": 2048, "privateKeyPem": `+pem+`, "padding": "pkcs1", "sha": "sha256", `+rsaTest+`}`), `"sha"`, decodeAs[RSAGroup]},
		{"rsa unknown padding", wrap(SchemaRSA, `{"type": "RsaDecrypt", "keySize": 2048, "privateKeyPem": `+pem+`, "padding": "pss", `+rsaTest+`}`), `"padding"`, decodeAs[RSAGroup]},
		{"rsa no PEM", wrap(SchemaRSA, `{"type": "RsaDecrypt", "keySize": 2048, "privateKeyPem": "", "padding": "pkcs1", `+rsaTest+`}`), `"privateKeyPem"`, decodeAs[RSAGroup]},
		{"rsa missing label", wrap(SchemaRSA, `{"type": "RsaDecrypt", "keySize": 2048, "privateKeyPem": `+pem+`, "padding": "pkcs1", "tests": [{"tcId": 1, "comment": "", "flags": [], "result": "valid", "msg": "", "ct": "00"}]}`), `"label"`, decodeAs[RSAGroup]},
		{"ecdh ok", wrap(SchemaECDH, `{"type": "EcdhDerive", "curve": "P-384", `+ecTest+`}`), "", decodeAs[ECDHGroup]},
		{"ecdh unknown curve", wrap(SchemaECDH, `{"type": "EcdhDerive", "curve": "secp256k1", `+ecTest+`}`), `"curve"`, decodeAs[ECDHGroup]},
		{"ecdh valid without shared", wrap(SchemaECDH, `{"type": "EcdhDerive", "curve": "P-256", "tests": [{"tcId": 1, "comment": "", "flags": [], "result": "valid", "private": "00", "public": "00", "shared": ""}]}`), `"shared"`, decodeAs[ECDHGroup]},
		{"ecdh group in an rsa file", wrap(SchemaRSA, `{"type": "EcdhDerive", "curve": "P-256", `+ecTest+`}`), "unknown field", decodeAs[RSAGroup]},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.decode(c.in)
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("Decode rejected a good file: %v", err)
			case c.want != "" && err == nil:
				t.Fatalf("Decode accepted a broken file")
			case c.want != "" && !strings.Contains(err.Error(), c.want):
				t.Errorf("error %q does not mention %q", err, c.want)
			}
		})
	}
}

func decodeAs[G Group](in string) error {
	_, err := Decode[G](strings.NewReader(in))
	return err
}

func TestLoadNamesTheFile(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"algorithm": 1}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{bad, filepath.Join(dir, "missing.json")} {
		_, err := Load[KDFGroup](p)
		if err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("Load(%s) = %v; want an error naming the file", p, err)
		}
	}
}

// TestCommittedFilesLoad loads every committed file strictly and checks that
// a re-encoding gives the same bytes (the files are canonical generator output).
func TestCommittedFilesLoad(t *testing.T) {
	checkCanonical[EncGroup](t, FileEnc)
	checkCanonical[EncGroup](t, FileEnc111)
	checkCanonical[RSAGroup](t, FileRSA)
	checkCanonical[ECDHGroup](t, FileECDH)
	checkCanonical[KDFGroup](t, FileKDF)
}

func checkCanonical[G Group](t *testing.T, name string) {
	t.Helper()
	f, err := Load[G](name)
	if err != nil {
		t.Fatalf("committed vector file does not load: %v", err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), data) {
		t.Errorf("%s is not what the generator writes: regenerate it with scripts/gen-vectors.sh instead of editing by hand", name)
	}
	if f.NumberOfTests == 0 {
		t.Errorf("%s has no tests", name)
	}
}
