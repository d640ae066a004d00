package opensslcli

import (
	"bytes"
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kmsconform/kmsconform/oracle"
)

// FuzzKeyCommands runs rsa, ec, ecparam, pkeyutl, rsautl and kdf with
// arbitrary arguments over real key files: any input gives an exit code and
// a message, never a panic. Arguments that could write outside the test
// directory or run for minutes (paths, PBKDF2 iteration counts) are left out.
func FuzzKeyCommands(f *testing.F) {
	dir := f.TempDir()
	rsaKey, err := oracle.GenerateRSAKey(2048)
	if err != nil {
		f.Fatal(err)
	}
	ecKey, err := oracle.GenerateECKey("P-256")
	if err != nil {
		f.Fatal(err)
	}
	p8, _ := oracle.MarshalPrivateKeyPKCS8(rsaKey)
	ec8, _ := oracle.MarshalPrivateKeyPKCS8(ecKey)
	rpub, _ := oracle.MarshalPublicKeyDER(&rsaKey.PublicKey)
	epub, _ := oracle.MarshalPublicKeyDER(&ecKey.PublicKey)
	sec1, _ := x509.MarshalECPrivateKey(ecKey)
	files := map[string][]byte{
		"r.pem": oracle.EncodePEM(oracle.PEMPrivateKey, p8), "r.der": p8, "rpub.pem": oracle.EncodePEM(oracle.PEMPublicKey, rpub), "rpub.der": rpub,
		"e.pem": oracle.EncodePEM(oracle.PEMECPrivateKey, sec1), "e8.der": ec8, "epub.pem": oracle.EncodePEM(oracle.PEMPublicKey, epub), "epub.der": epub,
		"m": []byte("message"), "big": bytes.Repeat([]byte{1}, 300), "junk": []byte("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			f.Fatal(err)
		}
	}
	for _, seed := range []string{
		"pkeyutl -encrypt -pubin -inkey rpub.pem -in m -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256",
		"pkeyutl -decrypt -inkey r.der -in big",
		"pkeyutl -derive -inkey e.pem -peerkey epub.der -peerform DER",
		"pkeyutl -derive -inkey r.pem -peerkey junk",
		"rsautl -encrypt -raw -pubin -inkey rpub.der -keyform DER -in m",
		"rsa -in r.pem -RSAPublicKey_out -outform DER",
		"ec -pubin -in epub.der -inform DER -conv_form compressed",
		"ecparam -name secp384r1 -genkey -noout",
		"kdf -keylen 70 -kdfopt digest:SHA512 -kdfopt hexkey:00 -kdfopt mode:EXPAND_ONLY HKDF",
		"kdf -keylen 9 -mac HMAC -digest SHA1 -kdfopt key:k -kdfopt mode:FEEDBACK KBKDF",
		"--compat libressl-2.8 pkeyutl -encrypt -pubin -inkey rpub.der -in m -pkeyopt rsa_oaep_md:sha1",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Fields(line)
		for _, a := range args {
			if strings.ContainsAny(a, `/\`) || strings.Contains(a, "..") || strings.Contains(a, "iter") || strings.HasPrefix(a, "genpkey") || strings.Contains(a, "rand") || strings.Contains(a, "enc") && !strings.Contains(a, "encrypt") {
				return
			}
		}
		if len(args) == 0 {
			return
		}
		switch args[0] {
		case "rsa", "ec", "ecparam", "pkeyutl", "rsautl", "kdf", "--compat":
		default:
			return
		}
		var out, errb bytes.Buffer
		code := Main(args, Env{Dir: dir, Stdin: bytes.NewReader(nil), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }})
		if code != 0 && errb.Len() == 0 {
			t.Fatalf("%q: exit %d with nothing on stderr", line, code)
		}
	})
}
