package main

import (
	"os"
	"path/filepath"
	"strconv"
)

// keyStore hands out the fixed test keys, generating each with openssl the
// first time it is asked for. These are published test keys: never use them
// for anything else.
type keyStore struct {
	t   *tool
	dir string
}

func (k *keyStore) rsa(bits int) string {
	return k.get("rsa"+strconv.Itoa(bits)+".pem", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:"+strconv.Itoa(bits))
}

func (k *keyStore) ec(curve, name string) string {
	return k.get("ec-"+curve+"-"+name+".pem", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:"+curve)
}

func (k *keyStore) get(file string, genArgs ...string) string {
	path := filepath.Join(k.dir, file)
	if _, err := os.Stat(path); err == nil {
		return path
	}
	if err := os.MkdirAll(k.dir, 0o755); err != nil {
		fatalf("%v", err)
	}
	pem := k.t.must(nil, append([]string{"genpkey"}, genArgs...)...)
	if err := os.WriteFile(path, pem, 0o600); err != nil {
		fatalf("%v", err)
	}
	return path
}
