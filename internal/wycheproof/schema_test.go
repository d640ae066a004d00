package wycheproof

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const minimalECDH = `{
  "algorithm": "ECDH", "schema": "ecdh_test_schema_v1.json", "numberOfTests": 2,
  "header": [], "notes": {"Normal": {"bugType": "BASIC", "description": "d"}},
  "testGroups": [{"type": "EcdhTest", "source": {"name": "x", "version": "1"}, "curve": "secp256r1", "encoding": "asn",
    "tests": [
      {"tcId": 1, "comment": "", "flags": ["Normal"], "public": "00", "private": "01", "shared": "02", "result": "valid"},
      {"tcId": 2, "comment": "", "flags": [], "public": "00", "private": "01", "shared": "", "result": "invalid"}
    ]}]
}`

func TestDecodeRejectsBrokenFiles(t *testing.T) {
	if _, err := Decode[ECDHGroup](strings.NewReader(minimalECDH)); err != nil {
		t.Fatalf("Decode(minimal) = %v", err)
	}
	cases := []struct{ name, old, new, want string }{
		{"unknown field", `"curve": "secp256r1",`, `"curve": "secp256r1", "hash": "x",`, "unknown field"},
		{"wrong count", `"numberOfTests": 2`, `"numberOfTests": 1`, "numberOfTests"},
		{"duplicate tcId", `"tcId": 2`, `"tcId": 1`, "unique"},
		{"unknown result", `"result": "invalid"`, `"result": "bogus"`, "result"},
		{"flag without note", `"flags": ["Normal"]`, `"flags": ["Other"]`, "note"},
		{"bad hex", `"shared": "02"`, `"shared": "0x"`, "hex"},
		{"truncated", `]}]
}`, `]}`, "malformed"},
		{"trailing data", `]}]
}`, `]}]
} x`, "after the top-level object"},
		{"no algorithm", `"algorithm": "ECDH",`, ``, "algorithm"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(minimalECDH, c.old) {
				t.Fatalf("test bug: %q not in the minimal file", c.old)
			}
			_, err := Decode[ECDHGroup](strings.NewReader(strings.Replace(minimalECDH, c.old, c.new, 1)))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Decode = %v; want an error mentioning %q", err, c.want)
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load[RSAOAEPGroup](dir, "nope.json"); err == nil || !strings.Contains(err.Error(), "nope.json") {
		t.Errorf("Load(missing) = %v; want an error naming the file", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "empty.json"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load[RSAOAEPGroup](dir, "empty.json"); err == nil {
		t.Error("Load(empty file) succeeded")
	}
}

// TestDownloadGivesThePinnedVersion checks that the directory comes from the
// pinned module version.
func TestDownloadGivesThePinnedVersion(t *testing.T) {
	d := vectorDir(t)
	if !strings.Contains(d, "wycheproof@"+Version) {
		t.Errorf("Download() = %s; want the directory of wycheproof@%s", d, Version)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(minimalECDH))
	f.Add([]byte(`{"algorithm": 1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = Decode[ECDHGroup](strings.NewReader(string(data)))
		_, _ = Decode[RSAOAEPGroup](strings.NewReader(string(data)))
	})
}

// TestDownloadFailsWithoutTheModule checks that a missing module is an error
// with a hint (the tests then fail), not an empty directory.
func TestDownloadFailsWithoutTheModule(t *testing.T) {
	t.Setenv("GOPROXY", "off")
	t.Setenv("GOFLAGS", "-modcacherw")
	t.Setenv("GOMODCACHE", t.TempDir())
	d, err := Download(t.Context())
	if err == nil {
		t.Fatalf("Download() with no proxy and an empty module cache = %s; want an error", d)
	}
	if !strings.Contains(err.Error(), "hint:") || !strings.Contains(err.Error(), Version) {
		t.Errorf("error %q should name the version and give a hint", err)
	}
}
