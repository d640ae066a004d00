package doctor

import "testing"

func TestParseEncArgs(t *testing.T) {
	p, err := ParseEncArgs([]string{"-aes-128-cbc", "-md", "SHA512", "-iter", "1000", "-a", "-A", "-salt"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Cipher != "aes-128-cbc" || p.MD != "sha512" || !p.PBKDF2 || p.Iter != 1000 || !p.Base64 || !p.Base64OneLine || p.NoSalt {
		t.Errorf("parsed %+v", p)
	}
	p, err = ParseEncArgs([]string{"-pbkdf2"})
	if err != nil || p.Cipher != "aes-256-cbc" || p.MD != "sha256" || p.Iter != 10000 {
		t.Errorf("defaults %+v %v", p, err)
	}
	for _, bad := range [][]string{{"-iter"}, {"-iter", "0"}, {"-md", "whirlpool"}, {"-k", "secret"}} {
		if _, err := ParseEncArgs(bad); err == nil {
			t.Errorf("ParseEncArgs(%q) accepted", bad)
		}
	}
}
