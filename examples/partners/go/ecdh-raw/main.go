// Command ecdh-raw is a correct ECDH partner tool in Go (crypto/ecdh): a
// fresh key on the KMS key's curve, its public key as DER
// SubjectPublicKeyInfo, the raw shared secret Z.
//
//	usage: ecdh-raw KMS_PUBKEY_DER PUBKEY_OUT SECRET_OUT
package main

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/x509"
	"fmt"
	"os"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "ecdh-raw:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) != 3 {
		return fmt.Errorf("usage: ecdh-raw KMS_PUBKEY_DER PUBKEY_OUT SECRET_OUT")
	}
	der, err := os.ReadFile(args[0])
	if err != nil {
		return err
	}
	pk, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return err
	}
	ep, ok := pk.(*ecdsa.PublicKey)
	if !ok {
		return fmt.Errorf("the KMS public key is not an EC key")
	}
	kmsPub, err := ep.ECDH()
	if err != nil {
		return err
	}
	priv, err := kmsPub.Curve().GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	z, err := priv.ECDH(kmsPub)
	if err != nil {
		return err
	}
	spki, err := x509.MarshalPKIXPublicKey(priv.PublicKey())
	if err != nil {
		return err
	}
	if err := os.WriteFile(args[1], spki, 0o644); err != nil {
		return err
	}
	return os.WriteFile(args[2], z, 0o600)
}
