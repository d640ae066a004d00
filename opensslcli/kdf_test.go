package opensslcli

import (
	"bytes"
	"strings"
	"testing"
)

// TestKdfIdentical: `kmsconform openssl kdf` prints exactly what openssl 3.0 prints.
func TestKdfIdentical(t *testing.T) {
	k := []string{"-kdfopt", "hexkey:000102030405060708090a0b0c0d0e0f"}
	cases := [][]string{
		append([]string{"kdf", "-keylen", "32", "-kdfopt", "digest:SHA256", "-kdfopt", "hexinfo:0102"}, append(k, "SSKDF")...),
		append([]string{"kdf", "-keylen", "48", "-kdfopt", "digest:SHA256", "-kdfopt", "info:a", "-kdfopt", "info:b"}, append(k, "SSKDF")...),
		append([]string{"kdf", "-keylen", "20", "-kdfopt", "digest:sha384", "-kdfopt", "info:xyz"}, append(k, "X963KDF")...),
		append([]string{"kdf", "-keylen", "42", "-kdfopt", "digest:SHA256", "-kdfopt", "salt:s", "-kdfopt", "info:a", "-kdfopt", "info:b"}, append(k, "HKDF")...),
		append([]string{"kdf", "-keylen", "32", "-kdfopt", "digest:SHA256", "-kdfopt", "salt:s", "-kdfopt", "mode:EXTRACT_ONLY"}, append(k, "HKDF")...),
		append([]string{"kdf", "-keylen", "16", "-kdfopt", "digest:SHA256", "-kdfopt", "info:i", "-kdfopt", "mode:EXPAND_ONLY"}, append(k, "HKDF")...),
		append([]string{"kdf", "-keylen", "64", "-kdfopt", "mac:HMAC", "-kdfopt", "digest:SHA384", "-kdfopt", "salt:label", "-kdfopt", "hexinfo:00ff"}, append(k, "KBKDF")...),
		append([]string{"kdf", "-keylen", "64", "-binary", "-kdfopt", "mac:HMAC", "-kdfopt", "digest:SHA256", "-kdfopt", "mode:COUNTER"}, append(k, "KBKDF")...),
		{"kdf", "-keylen", "24", "-kdfopt", "digest:SHA256", "-kdfopt", "pass:password", "-kdfopt", "salt:saltsalt", "PBKDF2"},
		{"kdf", "-keylen", "24", "-kdfopt", "digest:SHA1", "-kdfopt", "pass:password", "-kdfopt", "salt:saltsalt", "-kdfopt", "iter:10", "-out", "o", "PBKDF2"},
		append([]string{"kdf", "-keylen", "40", "-kdfopt", "mac:HMAC", "-kdfopt", "digest:SHA384", "-kdfopt", "salt:s", "-kdfopt", "info:i"}, append(k, "SSKDF")...),
		append([]string{"kdf", "-keylen", "40", "-mac", "HMAC", "-kdfopt", "digest:SHA256"}, append(k, "SSKDF")...),
		// Repeated parameters: the first wins, except HKDF's info.
		{"kdf", "-keylen", "8", "-kdfopt", "digest:SHA256", "-kdfopt", "digest:SHA1", "-kdfopt", "key:a", "-kdfopt", "key:b", "-kdfopt", "info:i", "SSKDF"},
		{"kdf", "-keylen", "8", "-kdfopt", "mac:HMAC", "-kdfopt", "digest:SHA256", "-kdfopt", "key:x", "-kdfopt", "salt:a", "-kdfopt", "salt:b", "-kdfopt", "info:a", "-kdfopt", "info:b", "KBKDF"},
		{"kdf", "-keylen", "8", "-kdfopt", "digest:SHA256", "-kdfopt", "key:a", "-kdfopt", "hexinfo:69", "-kdfopt", "info:j", "HKDF"},
		{"kdf", "-keylen", "8", "-kdfopt", "digest:SHA256", "-kdfopt", "key:a", "-kdfopt", "info:i", "-kdfopt", "info:j", "X963KDF"},
		{"kdf", "-keylen", "8", "-digest", "SHA1", "-kdfopt", "digest:SHA256", "-kdfopt", "key:a", "SSKDF"},
		{"kdf", "-keylen", "8", "-mac", "HMAC", "-digest", "SHA256", "-kdfopt", "key:a", "KBKDF"},
		append([]string{"kdf", "-keylen", "70", "-kdfopt", "mac:HMAC", "-kdfopt", "digest:SHA256", "-kdfopt", "mode:feedback", "-kdfopt", "salt:l", "-kdfopt", "info:c"}, append(k, "KBKDF")...),
		append([]string{"kdf", "-keylen", "70", "-kdfopt", "mac:HMAC", "-kdfopt", "digest:SHA256", "-kdfopt", "mode:FEEDBACK", "-kdfopt", "hexseed:" + strings.Repeat("ab", 32), "-kdfopt", "use-l:0"}, append(k, "KBKDF")...),
		append([]string{"kdf", "-keylen", "20", "-kdfopt", "mac:HMAC", "-kdfopt", "digest:SHA1", "-kdfopt", "use-separator:0", "-kdfopt", "salt:l", "-kdfopt", "info:c"}, append(k, "KBKDF")...),
		// Failures: same exit code and first line.
		append([]string{"kdf", "-keylen", "20", "-kdfopt", "mac:HMAC", "-kdfopt", "digest:SHA1", "-kdfopt", "mode:FEEDBACK", "-kdfopt", "hexseed:0102"}, append(k, "KBKDF")...),
		append([]string{"kdf", "-keylen", "20", "-kdfopt", "mac:HMAC", "-kdfopt", "digest:SHA1", "-kdfopt", "use-l:x"}, append(k, "KBKDF")...),
		{"kdf", "-keylen", "4", "-kdfopt", "digest:SHA256", "-kdfopt", "key", "SSKDF"},
		{"kdf", "-keylen", "4", "-kdfopt", "digest:SHA256", "-kdfopt", "hexkey:zz", "SSKDF"},
		{"kdf", "-keylen", "4", "-kdfopt", "digest:SHA256", "-kdfopt", "pass:p", "-kdfopt", "salt:s", "-kdfopt", "iter:x", "PBKDF2"},
		append([]string{"kdf", "-kdfopt", "digest:SHA256"}, append(k, "SSKDF")...),
		{"kdf", "-keylen", "4", "-kdfopt", "digest:SHA256", "SSKDF"},
		append([]string{"kdf", "-keylen", "4", "-kdfopt", "digest:SHA256"}, append(k, "FOO")...),
		append([]string{"kdf", "-keylen", "4", "-kdfopt", "digest:SHA256", "-kdfopt", "bogus:1"}, append(k, "SSKDF")...),
		append([]string{"kdf", "-keylen", "4", "-kdfopt", "digest:SHA256", "-kdfopt", "mode:EXTRACT_ONLY"}, append(k, "HKDF")...),
		append([]string{"kdf", "-keylen", "4", "-kdfopt", "digest:SHA256"}, append(k, "KBKDF")...),
		append([]string{"kdf", "-keylen", "4"}, append(k, "X963KDF")...),
		append([]string{"kdf", "-keylen", "4", "-kdfopt", "digest:MD77"}, append(k, "SSKDF")...),
		{"kdf", "-keylen", "4", "-kdfopt", "digest:SHA256", "-kdfopt", "pass:x", "PBKDF2"},
	}
	for _, args := range cases {
		t.Run(strings.Join(args, "_"), func(t *testing.T) {
			real, ours := pkDirs(t, nil)
			r := pkReal(t, real, nil, args...)
			o := pkOurs(t, ours, nil, "", args...)
			if r.code != o.code || !bytes.Equal(r.stdout, o.stdout) || !bytes.Equal(r.files["o"], o.files["o"]) {
				t.Fatalf("openssl %d %q %q; kmsconform %d %q %q", r.code, r.stdout, r.stderr, o.code, o.stdout, o.stderr)
			}
			if first := strings.SplitN(pkNormStderr(r.stderr), "\n", 2)[0]; r.code != 0 && !strings.Contains(o.stderr, first) {
				t.Errorf("stderr: openssl %q, kmsconform %q", r.stderr, o.stderr)
			}
		})
	}
}
