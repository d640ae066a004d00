package doctor

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestReadPassSpec(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "crlf.txt", "s3cret\r\nsecond line\n")
	src, err := ReadPassSpec("file:" + filepath.Join(dir, "crlf.txt"))
	if err != nil || string(src.Password) != "s3cret\r" || !src.FileCRLF {
		t.Errorf("file: gave %q crlf=%v err=%v; want openssl's first line with its CR", src.Password, src.FileCRLF, err)
	}
	t.Setenv("KMSCONFORM_TEST_PW", "from env")
	if src, err := ReadPassSpec("env:KMSCONFORM_TEST_PW"); err != nil || string(src.Password) != "from env" {
		t.Errorf("env: gave %q, %v", src.Password, err)
	}
	for spec, want := range map[string]string{
		"stdin":                  "cannot be retried",
		"fd:3":                   "cannot be retried",
		"secret":                 "has no source",
		"env:KMSCONFORM_UNSET_X": "is not set",
		"file:/nonexistent/pw":   "no such file",
		"zip:x":                  "unknown source",
	} {
		if _, err := ReadPassSpec(spec); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ReadPassSpec(%q) = %v, want an error with %q", spec, err, want)
		}
	}
}

func TestPasswordVariantsAreDistinct(t *testing.T) {
	vs := passwordVariants(PassSource{Password: []byte("pw\r")})
	seen := map[string]bool{}
	for _, v := range vs {
		if seen[string(v.password)] {
			t.Errorf("variant %q repeats %q", v.name, v.password)
		}
		seen[string(v.password)] = true
	}
	if !seen["pw"] || !seen["pw\r"] || !seen["pw\r\r"] {
		t.Errorf("variants %v lack the CR-stripped or CR-added password", seen)
	}
}
