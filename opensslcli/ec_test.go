package opensslcli

import (
	"bytes"
	"encoding/pem"
	"strings"
	"testing"
)

// TestKeyConversionsIdentical: rsa/ec conversions give byte-identical
// output, stderr and exit code to the real openssl.
func TestKeyConversionsIdentical(t *testing.T) {
	f := pkFixtures(t)
	files := map[string][]byte{"k.pem": f.rsaPriv, "pub.pem": f.rsaPub, "pub.der": f.rsaPubDER, "e.pem": f.ecA, "b.pem": f.ecB}
	// Derived inputs come from the real openssl.
	d, _ := pkDirs(t, files)
	files["a.der"] = pkMust(t, "ec DER", pkReal(t, d, nil, "ec", "-in", "b.pem", "-pubout", "-outform", "DER")).stdout
	files["ek.der"] = pkMust(t, "ec DER", pkReal(t, d, nil, "ec", "-in", "b.pem", "-outform", "DER")).stdout
	files["bc.pem"] = pkMust(t, "ec compressed", pkReal(t, d, nil, "ec", "-in", "b.pem", "-pubout", "-conv_form", "compressed")).stdout
	files["bcpriv.pem"] = pkMust(t, "ec compressed", pkReal(t, d, nil, "ec", "-in", "b.pem", "-conv_form", "compressed")).stdout
	files["pkcs1pub.pem"] = pkMust(t, "rsa", pkReal(t, d, nil, "rsa", "-in", "k.pem", "-RSAPublicKey_out")).stdout
	cases := []struct {
		args  []string
		stdin []byte
	}{
		{[]string{"ec", "-in", "e.pem", "-pubout", "-outform", "DER"}, nil},
		{[]string{"ec", "-pubin", "-inform", "DER", "-outform", "PEM", "-in", "a.der", "-out", "a.pem"}, nil},
		{[]string{"ec", "-in", "b.pem"}, nil},
		{[]string{"ec", "-in", "b.pem", "-outform", "DER"}, nil},
		{[]string{"ec", "-in", "ek.der", "-inform", "DER", "-pubout"}, nil},
		{[]string{"ec", "-in", "b.pem", "-noout"}, nil},
		{[]string{"ec", "-in", "k.pem"}, nil},
		{[]string{"ec", "-in", "k.pem", "-outform", "DER"}, nil},
		{[]string{"ec", "-in", "k.pem", "-pubout"}, nil},
		{[]string{"ec", "-pubin", "-in", "pub.pem"}, nil},
		{[]string{"ec", "-in", "nofile"}, nil},
		{[]string{"ec", "-in", "b.pem", "-pubout", "-conv_form", "compressed"}, nil},
		{[]string{"ec", "-in", "b.pem", "-pubout", "-conv_form", "compressed", "-outform", "DER"}, nil},
		{[]string{"ec", "-pubin", "-in", "bc.pem"}, nil},
		{[]string{"ec", "-pubin", "-in", "bc.pem", "-conv_form", "uncompressed"}, nil},
		{[]string{"ec", "-in", "b.pem", "-pubout", "-conv_form", "foo"}, nil},
		{[]string{"ec", "-in", "b.pem", "-conv_form", "compressed"}, nil},
		{[]string{"ec", "-in", "bcpriv.pem"}, nil},
		{[]string{"ec", "-in", "bcpriv.pem", "-pubout"}, nil},
		{[]string{"ec", "-in", "bcpriv.pem", "-conv_form", "uncompressed", "-outform", "DER"}, nil},
		{[]string{"rsa", "-pubin", "-inform", "DER", "-pubout", "-outform", "PEM", "-out", "pubkey.pem"}, f.rsaPubDER},
		{[]string{"rsa", "-in", "k.pem", "-pubout"}, nil},
		{[]string{"rsa", "-in", "k.pem", "-pubout", "-outform", "DER"}, nil},
		{[]string{"rsa", "-in", "k.pem"}, nil},
		{[]string{"rsa", "-in", "k.pem", "-outform", "DER"}, nil},
		{[]string{"rsa", "-in", "k.pem", "-traditional"}, nil},
		{[]string{"rsa", "-in", "k.pem", "-noout"}, nil},
		{[]string{"rsa", "-pubin", "-in", "pub.pem", "-RSAPublicKey_out"}, nil},
		{[]string{"rsa", "-RSAPublicKey_in", "-in", "pkcs1pub.pem", "-pubout"}, nil},
		{[]string{"rsa", "-in", "pub.der", "-pubin"}, nil},
		{[]string{"rsa", "-in", "e.pem"}, nil},
		{[]string{"ecparam", "-name", "P-384"}, nil},
		{[]string{"ecparam", "-name", "secp256r1"}, nil},
		{[]string{"ecparam", "-name", "secp521r1", "-noout"}, nil},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, "_"), func(t *testing.T) {
			real, ours := pkDirs(t, files)
			r := pkReal(t, real, c.stdin, c.args...)
			o := pkOurs(t, ours, c.stdin, "", c.args...)
			if r.code != o.code {
				t.Fatalf("exit: openssl %d %q, kmsconform %d %q", r.code, r.stderr, o.code, o.stderr)
			}
			if !bytes.Equal(r.stdout, o.stdout) {
				t.Errorf("stdout differs:\nopenssl    %q\nkmsconform %q", r.stdout, o.stdout)
			}
			if r.code == 0 && r.stderr != o.stderr {
				t.Errorf("stderr: openssl %q, kmsconform %q", r.stderr, o.stderr)
			}
			for name, data := range r.files {
				if !bytes.Equal(o.files[name], data) {
					t.Errorf("file %s differs", name)
				}
			}
		})
	}
}

// TestKeyGenerationReadableByOpenSSL: ecparam -genkey and genpkey output has
// openssl's layout and openssl reads it.
func TestKeyGenerationReadableByOpenSSL(t *testing.T) {
	cases := []struct {
		args   []string
		blocks []string
		check  []string
	}{
		{[]string{"ecparam", "-name", "P-256", "-genkey", "-out", "x.pem"}, []string{"EC PARAMETERS", "EC PRIVATE KEY"}, []string{"ec", "-in", "x.pem", "-noout", "-check"}},
		{[]string{"ecparam", "-name", "P-521", "-genkey", "-noout", "-out", "x.pem"}, []string{"EC PRIVATE KEY"}, []string{"ec", "-in", "x.pem", "-noout", "-check"}},
		{[]string{"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "x.pem"}, []string{"PRIVATE KEY"}, []string{"pkey", "-in", "x.pem", "-noout", "-check"}},
		{[]string{"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "x.pem"}, []string{"PRIVATE KEY"}, []string{"pkey", "-in", "x.pem", "-noout", "-check"}},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, "_"), func(t *testing.T) {
			_, ours := pkDirs(t, nil)
			o := pkMust(t, "kmsconform", pkOurs(t, ours, nil, "", c.args...))
			rest := o.files["x.pem"]
			for _, want := range c.blocks {
				var b *pem.Block
				b, rest = pem.Decode(rest)
				if b == nil || b.Type != want {
					t.Fatalf("want a %s block, got %v", want, b)
				}
			}
			if len(bytes.TrimSpace(rest)) != 0 {
				t.Fatalf("trailing data %q", rest)
			}
			pkMust(t, "openssl check", pkReal(t, ours, nil, c.check...))
		})
	}
	// Bad curve and algorithm: exit 1 like openssl.
	for _, args := range [][]string{{"ecparam", "-name", "foo", "-genkey"}, {"genpkey", "-algorithm", "DSAX"}, {"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:foo"}} {
		_, ours := pkDirs(t, nil)
		r := pkReal(t, ours, nil, args...)
		o := pkOurs(t, ours, nil, "", args...)
		if r.code != 1 || o.code != 1 || !strings.Contains(o.stderr, strings.SplitN(pkNormStderr(r.stderr), "\n", 2)[0]) {
			t.Errorf("%v: openssl %d %q; kmsconform %d %q", args, r.code, r.stderr, o.code, o.stderr)
		}
	}
}

// TestDeriveIdentical: the seed's `pkeyutl -derive -inkey a.pem -peerkey b.pem > ss`.
func TestDeriveIdentical(t *testing.T) {
	f := pkFixtures(t)
	files := map[string][]byte{"a.pem": f.ecA, "b.pem": f.ecB, "bpub.pem": f.ecBPub, "k.pem": f.rsaPriv}
	d, _ := pkDirs(t, files)
	files["bpub.der"] = pkMust(t, "ec", pkReal(t, d, nil, "ec", "-in", "b.pem", "-pubout", "-outform", "DER")).stdout
	files["bc.pem"] = pkMust(t, "ec compressed", pkReal(t, d, nil, "ec", "-in", "b.pem", "-pubout", "-conv_form", "compressed")).stdout
	files["p384.pem"] = pkMust(t, "genpkey", pkReal(t, d, nil, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384")).stdout
	for _, args := range [][]string{
		{"pkeyutl", "-derive", "-inkey", "a.pem", "-peerkey", "b.pem"},
		{"pkeyutl", "-derive", "-inkey", "a.pem", "-peerkey", "bpub.pem", "-out", "ss"},
		{"pkeyutl", "-derive", "-inkey", "a.pem", "-peerkey", "bpub.der", "-peerform", "DER"},
		{"pkeyutl", "-derive", "-inkey", "a.pem", "-peerkey", "bpub.der"},
		{"pkeyutl", "-derive", "-inkey", "a.pem", "-peerkey", "p384.pem"},
		{"pkeyutl", "-derive", "-inkey", "k.pem", "-peerkey", "b.pem"},
		{"pkeyutl", "-derive", "-inkey", "a.pem"},
		{"pkeyutl", "-derive", "-inkey", "a.pem", "-peerkey", "bc.pem"},
	} {
		t.Run(strings.Join(args, "_"), func(t *testing.T) {
			real, ours := pkDirs(t, files)
			r := pkReal(t, real, nil, args...)
			o := pkOurs(t, ours, nil, "", args...)
			if r.code != o.code || !bytes.Equal(r.stdout, o.stdout) || !bytes.Equal(r.files["ss"], o.files["ss"]) {
				t.Fatalf("openssl %d %x %q; kmsconform %d %x %q", r.code, r.stdout, r.stderr, o.code, o.stdout, o.stderr)
			}
			if r.code != 0 && !strings.Contains(o.stderr, strings.SplitN(pkNormStderr(r.stderr), "\n", 2)[0]) {
				t.Errorf("stderr: openssl %q, kmsconform %q", r.stderr, o.stderr)
			}
		})
	}
}
