package runbook

import "testing"

// The KMS model comes from the SDK by reflection: operations and members
// as the aws CLI spells them.
func TestKMSModelFromSDK(t *testing.T) {
	m := kmsModel()
	for _, c := range []struct {
		op, member string
		blob       bool
	}{
		{"decrypt", "ciphertext-blob", true},
		{"decrypt", "key-id", false},
		{"derive-shared-secret", "public-key", true},
		{"generate-data-key-pair-without-plaintext", "key-pair-spec", false},
		{"re-encrypt", "destination-key-id", false},
		{"create-key", "bypass-policy-lockout-safety-check", false},
	} {
		op, ok := m[c.op]
		if !ok {
			t.Errorf("no operation %s", c.op)
			continue
		}
		blob, ok := op.Members[c.member]
		if !ok || blob != c.blob {
			t.Errorf("%s --%s: member %v blob %v", c.op, c.member, ok, blob)
		}
	}
	if !m["decrypt"].Bools["dry-run"] {
		t.Errorf("decrypt --dry-run is not a boolean")
	}
	if len(m) < 40 {
		t.Errorf("only %d operations", len(m))
	}
}

func TestKebab(t *testing.T) {
	for in, want := range map[string]string{"GenerateDataKeyPair": "generate-data-key-pair", "KeyId": "key-id", "ReEncrypt": "re-encrypt", "GenerateMac": "generate-mac", "XksProxyURIPath": "xks-proxy-uri-path"} {
		if got := kebab(in); got != want {
			t.Errorf("kebab(%s) = %s, want %s", in, got, want)
		}
	}
}
