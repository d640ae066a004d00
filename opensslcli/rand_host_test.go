package opensslcli

import (
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRandMatchesHost compares `rand` with the host openssl: the shape of
// the output (random, so not the bytes), messages and exit codes.
func TestRandMatchesHost(t *testing.T) {
	dir := t.TempDir()
	cases := [][]string{
		{"rand", "-base64", "32"}, {"rand", "-base64", "48"}, {"rand", "-base64", "49"}, {"rand", "-base64", "100"},
		{"rand", "-hex", "16"}, {"rand", "-hex"}, {"rand"}, {"rand", "7"}, {"rand", "-hex", "-base64", "4"},
		{"rand", "-base64", "0"}, {"rand", "-hex", "-1"}, {"rand", "abc"}, {"rand", "1k"}, {"rand", "5", "6"},
		{"rand", "-out"}, {"rand", "-bogus", "3"},
	}
	for _, args := range cases {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			h := encRunHost(t, dir, nil, nil, args...)
			o := encRunOracle(dir, nil, nil, args...)
			if h.code != o.code || encKeyLines(h.stderr) != encKeyLines(o.stderr) {
				t.Errorf("openssl: code %d stderr %q; oracle: code %d stderr %q", h.code, h.stderr, o.code, o.stderr)
			}
			if shape(h.stdout) != shape(o.stdout) {
				t.Errorf("output shape: openssl %q, oracle %q", h.stdout, o.stdout)
			}
		})
	}
	// rand -base64 32 > key.bin: 44 characters and a newline that decode to 32 bytes.
	if c := Main([]string{"rand", "-base64", "-out", "key.bin", "32"}, Env{Dir: dir}); c != 0 {
		t.Fatalf("rand -out: exit %d", c)
	}
	b, err := os.ReadFile(filepath.Join(dir, "key.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(filepath.Join(dir, "key.bin")); err != nil {
		t.Error(err)
	} else if st.Mode().Perm() != 0o600 {
		t.Errorf("rand -out must create a 0600 file, got %v", st.Mode())
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSuffix(string(b), "\n"))
	if len(b) != 45 || err != nil || len(raw) != 32 {
		t.Errorf("rand -base64 32: %d bytes %q (decode err %v)", len(b), b, err)
	}
	o := encRunOracle(dir, nil, nil, "rand", "-hex", "8")
	if _, err := hex.DecodeString(strings.TrimSuffix(string(o.stdout), "\n")); err != nil || len(o.stdout) != 17 {
		t.Errorf("rand -hex 8: %q", o.stdout)
	}
}

// shape maps each letter/digit class to one symbol so random outputs compare.
func shape(b []byte) string {
	var s strings.Builder
	for _, c := range b {
		switch {
		case c == '\n' || c == '=':
			s.WriteByte(c)
		default:
			s.WriteByte('x')
		}
	}
	return s.String()
}
