package differential

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	mrand "math/rand/v2"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kmsconform/kmsconform/oracle"
)

// pkRandHex returns n random bytes as hex (n may be 0).
func pkRandHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// pkKDFArgs builds one random `openssl kdf` invocation for a KDF and digest.
func pkKDFArgs(kdf, digest string, binary bool) []string {
	keylen := 1 + mrand.IntN(100)
	args := []string{"kdf", "-keylen", fmt.Sprint(keylen), "-kdfopt", "digest:" + digest}
	if binary {
		args = append(args, "-binary")
	}
	secret := "hexkey:" + pkRandHex(1+mrand.IntN(66))
	switch kdf {
	case "SSKDF", "X963KDF":
		args = append(args, "-kdfopt", secret, "-kdfopt", "hexinfo:"+pkRandHex(1+mrand.IntN(40)))
	case "HKDF":
		args = append(args, "-kdfopt", secret, "-kdfopt", "hexsalt:"+pkRandHex(1+mrand.IntN(32)), "-kdfopt", "hexinfo:"+pkRandHex(mrand.IntN(40)+1))
	case "KBKDF":
		args = append(args, "-kdfopt", "mac:HMAC", "-kdfopt", secret, "-kdfopt", "hexsalt:"+pkRandHex(1+mrand.IntN(20)), "-kdfopt", "hexinfo:"+pkRandHex(1+mrand.IntN(40)))
	case "SSKDF-HMAC":
		kdf = "SSKDF"
		args = append(args, "-kdfopt", "mac:HMAC", "-kdfopt", secret, "-kdfopt", "hexinfo:"+pkRandHex(1+mrand.IntN(40)))
		if mrand.IntN(2) == 0 {
			args = append(args, "-kdfopt", "hexsalt:"+pkRandHex(1+mrand.IntN(64)))
		}
	case "KBKDF-FEEDBACK":
		kdf = "KBKDF"
		args = append(args, "-kdfopt", "mac:HMAC", "-kdfopt", "mode:FEEDBACK", "-kdfopt", secret, "-kdfopt", "hexsalt:"+pkRandHex(1+mrand.IntN(20)), "-kdfopt", "hexinfo:"+pkRandHex(1+mrand.IntN(40)))
		if mrand.IntN(2) == 0 {
			h, _ := oracle.HashByName(digest)
			args = append(args, "-kdfopt", "hexseed:"+pkRandHex(h.Size()))
		}
	case "PBKDF2":
		args = append(args, "-kdfopt", "pass:"+pkRandHex(1+mrand.IntN(12)), "-kdfopt", "hexsalt:"+pkRandHex(8+mrand.IntN(16)), "-kdfopt", fmt.Sprintf("iter:%d", 1+mrand.IntN(3000)))
	}
	return append(args, kdf)
}

var _ = Describe("openssl kdf, oracle vs host openssl", Label("kdf"), func() {
	var entries []TableEntry
	for _, kdf := range []string{"SSKDF", "X963KDF", "HKDF", "KBKDF", "KBKDF-FEEDBACK", "SSKDF-HMAC", "PBKDF2"} {
		for _, digest := range []string{"SHA1", "SHA256", "SHA384", "SHA512"} {
			entries = append(entries, Entry(kdf+" "+digest, Label("kdf:"+kdf), kdf, digest))
		}
	}
	DescribeTable("gives byte-identical output for random parameters", func(kdf, digest string) {
		dir := GinkgoT().TempDir()
		for i := 0; i < 6; i++ {
			args := pkKDFArgs(kdf, digest, i%2 == 1)
			h := pkOK("host", args, pkHost(dir, nil, args...))
			o := pkOK("oracle", args, pkOracle(dir, nil, args...))
			Expect(o).To(Equal(h), "openssl %s\nhost   %q\noracle %q", strings.Join(args, " "), h, o)
		}
	}, entries)

	It("derives the AWS Encryption SDK ECDH keyring key exactly as the host's KBKDF", func() {
		dir := GinkgoT().TempDir()
		secret, sender, recipient, salt := make([]byte, 32), make([]byte, 91), make([]byte, 91), make([]byte, 32)
		for _, b := range [][]byte{secret, sender, recipient, salt} {
			_, _ = rand.Read(b)
		}
		ctx := []byte("\x00\x01\x00\x03app\x00\x04demo")
		got, err := oracle.ESDKECDHKeyringKeyWithSalt("P-256", secret, sender, recipient, ctx, salt)
		Expect(err).NotTo(HaveOccurred())
		fixed, err := oracle.ESDKECDHFixedInfo("P-256", sender, recipient, ctx)
		Expect(err).NotTo(HaveOccurred())
		args := []string{"kdf", "-keylen", "64", "-binary", "-kdfopt", "mac:HMAC", "-kdfopt", "digest:SHA384", "-kdfopt", "hexkey:" + hex.EncodeToString(secret),
			"-kdfopt", "hexsalt:" + hex.EncodeToString(fixed), "-kdfopt", "hexinfo:" + hex.EncodeToString(salt), "KBKDF"}
		Expect(got).To(Equal(pkOK("host", args, pkHost(dir, nil, args...))))
		Expect(pkOK("oracle", args, pkOracle(dir, nil, args...))).To(Equal(got))
	})
})
