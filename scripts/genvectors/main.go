// Command genvectors records kmsconform's known-answer vectors from a real
// openssl binary (3.0 or later: it needs `openssl kdf`). Run it through
// scripts/gen-vectors.sh. Every case's verdict is checked against the same
// binary before it is written; messages, passwords and keys are fixed, so
// only what openssl randomises (salts, OAEP and PKCS#1 padding) changes
// between runs.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/kmsconform/kmsconform/vectors"
)

func main() {
	bin := flag.String("openssl", "openssl", "the openssl binary to record from")
	out := flag.String("out", "vectors", "directory to write the vector files to")
	bin111 := flag.String("openssl111", "", "an OpenSSL 1.1.1 binary (e.g. from scripts/genvectors/fetch-openssl111.sh); when given, "+vectors.FileEnc111+" is recorded too")
	keyDir := flag.String("keys", "scripts/genvectors/testkeys", "directory of the fixed test keys (created with openssl if missing)")
	flag.Parse()

	dir, err := os.MkdirTemp("", "genvectors-")
	if err != nil {
		fatalf("%v", err)
	}
	cleanup = func() { os.RemoveAll(dir) }
	defer cleanup()
	t := &tool{bin: *bin, dir: dir}
	version := strings.TrimSpace(string(t.must(nil, "version")))
	if !strings.HasPrefix(version, "OpenSSL 3.") && !strings.HasPrefix(version, "OpenSSL 4.") {
		fatalf("%q is not OpenSSL 3.x or 4.x (the kdf command is needed)", version)
	}
	absKeys, err := filepath.Abs(*keyDir)
	if err != nil {
		fatalf("%v", err)
	}
	keys := &keyStore{t: t, dir: absKeys}

	write(*out, vectors.FileEnc, genEnc(t, version))
	write(*out, vectors.FileRSA, genRSA(t, keys, version))
	write(*out, vectors.FileECDH, genECDH(t, keys, version))
	write(*out, vectors.FileKDF, genKDF(t, version))
	if *bin111 != "" {
		t111 := &tool{bin: *bin111, dir: dir}
		v111 := strings.TrimSpace(string(t111.must(nil, "version")))
		if !strings.HasPrefix(v111, "OpenSSL 1.1.1") {
			fatalf("-openssl111 %s is %q, not OpenSSL 1.1.1", *bin111, v111)
		}
		write(*out, vectors.FileEnc111, genEnc111(t, t111, v111, version))
	} else {
		fmt.Printf("genvectors: %s kept as it is (no -openssl111 binary)\n", vectors.FileEnc111)
	}
}

// write encodes f, checks it with the strict loader and writes it.
func write[G vectors.Group](dir, name string, f *vectors.File[G]) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		fatalf("%s: %v", name, err)
	}
	if _, err := vectors.Decode[G](bytes.NewReader(buf.Bytes())); err != nil {
		fatalf("%s does not pass the loader: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
		fatalf("%v", err)
	}
	fmt.Printf("genvectors: %s: %d tests\n", name, f.NumberOfTests)
}

var cleanup = func() {}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "genvectors: error: "+format+"\n", args...)
	cleanup()
	os.Exit(1)
}

func itoa(n int) string { return strconv.Itoa(n) }
