package vectors

import (
	"bytes"
	"os"
	"testing"
)

// FuzzDecode feeds arbitrary bytes to the loader of every schema: it must
// return an error or a checked file, never panic.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(minimalKDF))
	for _, name := range []string{FileEnc, FileEnc111, FileRSA, FileECDH, FileKDF} {
		if data, err := os.ReadFile(name); err == nil && len(data) < 1<<16 {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = Decode[EncGroup](bytes.NewReader(data))
		_, _ = Decode[RSAGroup](bytes.NewReader(data))
		_, _ = Decode[ECDHGroup](bytes.NewReader(data))
		if kf, err := Decode[KDFGroup](bytes.NewReader(data)); err == nil && kf.NumberOfTests <= 0 {
			t.Fatalf("accepted a file with %d tests", kf.NumberOfTests)
		}
	})
}
