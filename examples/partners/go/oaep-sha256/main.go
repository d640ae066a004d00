// Command oaep-sha256 is a correct RSAES_OAEP_SHA_256 partner tool in Go
// (crypto/rsa): SHA-256 for the OAEP label hash and MGF1.
//
//	usage: oaep-sha256 PUBKEY_DER IN OUT
package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"fmt"
	"os"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "oaep-sha256:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) != 3 {
		return fmt.Errorf("usage: oaep-sha256 PUBKEY_DER IN OUT")
	}
	der, err := os.ReadFile(args[0])
	if err != nil {
		return err
	}
	pk, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return err
	}
	pub, ok := pk.(*rsa.PublicKey)
	if !ok {
		return fmt.Errorf("not an RSA public key")
	}
	in, err := os.ReadFile(args[1])
	if err != nil {
		return err
	}
	ct, err := rsa.EncryptOAEP(sha256.New(), rand.Reader, pub, in, nil)
	if err != nil {
		return err // e.g. "message too long" past the OAEP limit
	}
	return os.WriteFile(args[2], ct, 0o644)
}
