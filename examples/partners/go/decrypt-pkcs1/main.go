// Command decrypt-pkcs1 is a broken consumer of KMS data key pairs in Go:
// it parses the private key with x509.ParsePKCS1PrivateKey, but KMS gives
// PKCS#8 ("PRIVATE KEY"), so it fails on every key KMS returns. The
// decryption itself (RSAES_OAEP_SHA_256) is right.
//
//	usage: decrypt-pkcs1 PRIVKEY_PEM IN OUT
package main

import (
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "decrypt-pkcs1:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) != 3 {
		return fmt.Errorf("usage: decrypt-pkcs1 PRIVKEY_PEM IN OUT")
	}
	b, err := os.ReadFile(args[0])
	if err != nil {
		return err
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		return fmt.Errorf("no PEM block in %s", args[0])
	}
	priv, err := x509.ParsePKCS1PrivateKey(blk.Bytes) // the mistake: KMS keys are PKCS#8
	if err != nil {
		return err
	}
	ct, err := os.ReadFile(args[1])
	if err != nil {
		return err
	}
	pt, err := rsa.DecryptOAEP(sha256.New(), nil, priv, ct, nil)
	if err != nil {
		return err
	}
	return os.WriteFile(args[2], pt, 0o600)
}
