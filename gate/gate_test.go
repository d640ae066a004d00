package gate

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kmsconform/kmsconform/flows"
)

const sample = `# a CI job's gate
allow:
  - id: "DeriveSharedSecret*"
    reason: moto lacks ECDH
    until: 2027-01-31
  - id: Decrypt/symmetric/KeyId-of-another-key
    reason: moto ignores KeyId (getmoto/moto#9907)
    until: 2026-06-30
  - id: "GenerateRandom/?"
    reason: stale on purpose
    until: 2027-01-31
engines: [host, oracle]
flows: ["1", "3"]
endpoint: http://127.0.0.1:4566
region: eu-west-1
`

func write(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "kmsconform.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func cells() []flows.Cell {
	return []flows.Cell{
		{ID: "DeriveSharedSecret/ECC_NIST_P256/equals-openssl-derive", Verdict: flows.Unexpected, Message: "moto: UnknownOperation"},
		{ID: "DeriveSharedSecret/RSA-peer", Verdict: flows.ExpectedPass},
		{ID: "Decrypt/symmetric/KeyId-of-another-key", Verdict: flows.Unexpected, Message: "the call succeeded"},
		{ID: "GenerateRandom/12", Verdict: flows.ExpectedPass},
		{ID: "Encrypt/every-key-id-form", Verdict: flows.Unexpected},
	}
}

func TestLoadSample(t *testing.T) {
	f, err := Load(write(t, sample))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Allow) != 3 || f.Allow[0].Line != 3 || f.Allow[1].Line != 6 || f.Allow[0].Reason != "moto lacks ECDH" {
		t.Errorf("allowances: %+v", f.Allow)
	}
	if strings.Join(f.Engines, ",") != "host,oracle" || strings.Join(f.Flows, ",") != "1,3" || f.Endpoint != "http://127.0.0.1:4566" || f.Region != "eu-west-1" {
		t.Errorf("settings: %+v", f)
	}
}

// TestApplyBeforeAndAfter applies the same file on a day when both
// allowances hold and on a day when the second has expired.
func TestApplyBeforeAndAfter(t *testing.T) {
	f, err := Parse("k.yaml", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	before := cells()
	stale := f.Apply(before, time.Date(2026, 6, 30, 23, 59, 0, 0, time.UTC)) // last day of the second
	if before[0].Verdict != flows.Allowed || before[0].Allowance != "moto lacks ECDH (until 2027-01-31)" {
		t.Errorf("glob allowance: %+v", before[0])
	}
	if before[2].Verdict != flows.Allowed || before[2].Allowance != "moto ignores KeyId (getmoto/moto#9907) (until 2026-06-30)" {
		t.Errorf("exact allowance on its last day: %+v", before[2])
	}
	if before[1].Verdict != flows.ExpectedPass || before[4].Verdict != flows.Unexpected {
		t.Errorf("cells no allowance covers changed: %+v %+v", before[1], before[4])
	}
	if len(stale) != 1 || stale[0].Allowance.ID != "GenerateRandom/?" || stale[0].Matched != 0 {
		t.Errorf("stale = %+v, want only GenerateRandom/? matching nothing (12 has two characters)", stale)
	}

	after := cells()
	f.Apply(after, time.Date(2026, 7, 1, 0, 0, 1, 0, time.UTC))
	if after[2].Verdict != flows.Unexpected || !strings.HasPrefix(after[2].Message, "allowance expired on 2026-06-30 (moto ignores KeyId") ||
		!strings.HasSuffix(after[2].Message, ": the call succeeded") {
		t.Errorf("expired allowance: %+v", after[2])
	}
	if after[0].Verdict != flows.Allowed {
		t.Errorf("live glob allowance after the other expired: %+v", after[0])
	}
}

func TestStaleOnlyPassing(t *testing.T) {
	f, err := Parse("k.yaml", []byte("allow:\n  - {id: \"DeriveSharedSecret/RSA-*\", reason: fixed upstream, until: 2030-01-01}\n"))
	if err != nil {
		t.Fatal(err)
	}
	stale := f.Apply(cells(), time.Now())
	if len(stale) != 1 || stale[0].Matched != 1 || !strings.Contains(stale[0].String(), "only passing cells") {
		t.Errorf("stale = %+v", stale)
	}
	if err := StaleError("k.yaml", stale); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("StaleError = %v", err)
	}
	if StaleError("k.yaml", nil) != nil {
		t.Error("StaleError of nothing is an error")
	}
}

func TestApplyReport(t *testing.T) {
	f, _ := Parse("k.yaml", []byte(sample))
	rep := &flows.Report{Cells: cells()}
	f.ApplyReport(rep, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if rep.Unexpected() != 1 {
		t.Errorf("unexpected after the gate: %d, want 1", rep.Unexpected())
	}
	var nilFile *File
	if nilFile.ApplyReport(rep, time.Now()) != nil {
		t.Error("a nil gate file reported stale allowances")
	}
}

func TestBadFiles(t *testing.T) {
	for _, c := range []struct{ name, body, want string }{
		{"yaml syntax", "allow:\n  - id: x\n    reason: a: b\n", "k.yaml:3: mapping values are not allowed"},
		{"unknown top key", "allow: []\nengine: [host]\n", `k.yaml:2: unknown key "engine"`},
		{"unknown allowance key", "allow:\n  - id: x\n    reason: r\n    untill: 2027-01-01\n", `k.yaml:4: unknown key "untill" in an allowance`},
		{"bad date", "allow:\n  - id: x\n    reason: r\n    until: 31/01/2027\n", `k.yaml:4: until "31/01/2027" is not a date`},
		{"no reason", "\nallow:\n  - id: x\n    until: 2027-01-01\n", "k.yaml:3: the allowance lacks reason"},
		{"no until", "allow:\n  - id: x\n    reason: r\n", "k.yaml:2: the allowance lacks until"},
		{"not a mapping", "allow:\n  - just-an-id\n", "k.yaml:2: an allowance must be a mapping"},
		{"wrong type", "allow: []\nengines: host\n", "k.yaml:2:"},
	} {
		_, err := Parse("k.yaml", []byte(c.body))
		var ge *Error
		if err == nil || !errors.As(err, &ge) || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one starting %q", c.name, err, c.want)
		}
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.yaml")); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("missing file: %v", err)
	}
	if f, err := Parse("empty.yaml", nil); err != nil || len(f.Allow) != 0 {
		t.Errorf("an empty file: %v %v", f, err)
	}
}
