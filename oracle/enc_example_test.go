package oracle_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/kmsconform/kmsconform/oracle"
)

// The seed runbooks' `openssl enc -aes-256-cbc -salt -pbkdf2 -pass file:key.bin`
// and its decryption, in-process. A wrong digest or KDF on the decrypting
// side shows up as ErrBadDecrypt ("bad decrypt").
func ExampleEncrypt() {
	// A fixed salt (-S) keeps the example's output the same on every run.
	p := oracle.EncParams{Cipher: "aes-256-cbc", PBKDF2: true, Salt: []byte("8bytesal")}
	password := []byte("dGhlIHBhc3N3b3JkIGZyb20ga2V5LmJpbg==") // first line of key.bin, "\n" stripped
	var ct bytes.Buffer
	if err := oracle.Encrypt(&ct, strings.NewReader("partner data\n"), password, p); err != nil {
		panic(err)
	}
	var pt bytes.Buffer
	if err := oracle.Decrypt(&pt, bytes.NewReader(ct.Bytes()), password, p); err != nil {
		panic(err)
	}
	fmt.Printf("%q\n", pt.String())

	// The same file read with the 1.0.2 defaults (BytesToKey over md5):
	old := oracle.EncParams{Cipher: "aes-256-cbc", MD: "md5", Salt: []byte("8bytesal")}
	err := oracle.Decrypt(&bytes.Buffer{}, bytes.NewReader(ct.Bytes()), password, old)
	fmt.Println(errors.Is(err, oracle.ErrBadDecrypt))
	// Output:
	// "partner data\n"
	// true
}

// EVP_BytesToKey as `openssl enc -aes-128-cbc -md sha256 -nosalt -k pw -P` prints it.
func ExampleBytesToKey() {
	key, iv, _ := oracle.BytesToKey("sha256", nil, []byte("pw"), 16, 16)
	fmt.Printf("key=%X\niv =%X\n", key, iv)
	// Output:
	// key=30C952FAB122C3F9759F02A6D95C3758
	// iv =B246B4FEE239957B2D4FEE46E26170C4
}
