package kmsfake

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
)

// toPKCS8 turns a PEM private key block (PKCS#8, PKCS#1 RSA or SEC1 EC)
// into PKCS#8 DER.
func toPKCS8(b *pem.Block) ([]byte, error) {
	switch b.Type {
	case "PRIVATE KEY":
		return b.Bytes, nil
	case "RSA PRIVATE KEY":
		k, err := x509.ParsePKCS1PrivateKey(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("RSA PRIVATE KEY: %w", err)
		}
		return x509.MarshalPKCS8PrivateKey(k)
	case "EC PRIVATE KEY":
		k, err := x509.ParseECPrivateKey(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("EC PRIVATE KEY: %w (secp256k1 keys must be given as PKCS#8 'PRIVATE KEY')", err)
		}
		return x509.MarshalPKCS8PrivateKey(k)
	}
	return nil, fmt.Errorf("PEM block %q is not a private key (want PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)", b.Type)
}
