package opensslcli

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// queueLine strips the thread-id prefix openssl puts on error-queue lines,
// so that openssl's stderr and kmsconform's compare.
var queuePrefix = regexp.MustCompile(`(?m)^[0-9A-F]{16}:error:`)

func pkNormStderr(s string) string { return queuePrefix.ReplaceAllString(s, "00000000:error:") }

// TestSeedRSACommands runs the seeds' RSA commands unchanged through
// kmsconform and checks the real openssl accepts the result, both ways.
func TestSeedRSACommands(t *testing.T) {
	f := pkFixtures(t)
	key := []byte("VGhpcyBpcyBhIGJhc2U2NCBrZXkgb2YgNDQgY2hhcnM=\n")
	files := map[string][]byte{"private.key": f.rsaPriv, "pubkey.pem": f.rsaPub, "public.key": f.rsaPub, "public_key.der": f.rsaPubDER, "key.bin": key}
	cases := []struct {
		name    string
		encrypt []string // run by kmsconform, producing "out"
		decrypt []string // run by openssl on "out"
	}{
		{"rsautl-oaep", []string{"rsautl", "-encrypt", "-oaep", "-inkey", "pubkey.pem", "-pubin", "-in", "key.bin", "-out", "out"},
			[]string{"rsautl", "-decrypt", "-oaep", "-inkey", "private.key", "-in", "out"}},
		{"pkeyutl-oaep-sha256", []string{"pkeyutl", "-encrypt", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256", "-in", "key.bin", "-pubin", "-inkey", "pubkey.pem", "-out", "out"},
			[]string{"pkeyutl", "-decrypt", "-inkey", "private.key", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256", "-in", "out"}},
		{"pkeyutl-der-keyform", []string{"pkeyutl", "-in", "key.bin", "-out", "out", "-inkey", "public_key.der", "-keyform", "DER", "-pubin", "-encrypt", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256"},
			[]string{"pkeyutl", "-decrypt", "-inkey", "private.key", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256", "-in", "out"}},
		{"pkeyutl-der-autodetect", []string{"pkeyutl", "-encrypt", "-pubin", "-inkey", "public_key.der", "-in", "key.bin", "-out", "out"},
			[]string{"pkeyutl", "-decrypt", "-inkey", "private.key", "-in", "out"}},
		{"pkeyutl-pkcs1", []string{"pkeyutl", "-encrypt", "-pubin", "-inkey", "public.key", "-in", "key.bin", "-out", "out"},
			[]string{"pkeyutl", "-decrypt", "-inkey", "private.key", "-in", "out"}},
		// The 3.x quirk: rsa_oaep_md without rsa_padding_mode:oaep is PKCS#1 v1.5.
		{"oaep-md-alone-is-pkcs1", []string{"pkeyutl", "-encrypt", "-pubin", "-inkey", "public.key", "-pkeyopt", "rsa_oaep_md:sha256", "-in", "key.bin", "-out", "out"},
			[]string{"pkeyutl", "-decrypt", "-inkey", "private.key", "-in", "out"}},
		{"oaep-label-mgf1", []string{"pkeyutl", "-encrypt", "-pubin", "-inkey", "public.key", "-pkeyopt", "rsa_oaep_md:sha256", "-pkeyopt", "rsa_mgf1_md:sha1", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_label:c0ffee", "-in", "key.bin", "-out", "out"},
			[]string{"pkeyutl", "-decrypt", "-inkey", "private.key", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256", "-pkeyopt", "rsa_mgf1_md:sha1", "-pkeyopt", "rsa_oaep_label:c0ffee", "-in", "out"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			real, ours := pkDirs(t, files)
			pkMust(t, "kmsconform", pkOurs(t, ours, nil, "", c.encrypt...))
			if err := os.WriteFile(filepath.Join(real, "out"), pkFiles(t, ours)["out"], 0o600); err != nil {
				t.Fatal(err)
			}
			got := pkMust(t, "openssl decrypt", pkReal(t, real, nil, c.decrypt...)).stdout
			if !bytes.Equal(got, key) {
				t.Fatalf("openssl decrypted %q", got)
			}
			// The other way: openssl encrypts, kmsconform decrypts.
			enc := append([]string(nil), c.encrypt...)
			pkMust(t, "openssl encrypt", pkReal(t, real, nil, enc...))
			if err := os.WriteFile(filepath.Join(ours, "out"), pkFiles(t, real)["out"], 0o600); err != nil {
				t.Fatal(err)
			}
			got = pkMust(t, "kmsconform decrypt", pkOurs(t, ours, nil, "", c.decrypt...)).stdout
			if !bytes.Equal(got, key) {
				t.Fatalf("kmsconform decrypted %q", got)
			}
		})
	}
	// The seed's decrypt command with -out writes the plaintext file.
	real, ours := pkDirs(t, files)
	pkMust(t, "openssl", pkReal(t, real, nil, "pkeyutl", "-encrypt", "-pubin", "-inkey", "public.key", "-in", "key.bin", "-out", "x"))
	if err := os.WriteFile(filepath.Join(ours, "x"), pkFiles(t, real)["x"], 0o600); err != nil {
		t.Fatal(err)
	}
	r := pkMust(t, "kmsconform", pkOurs(t, ours, nil, "", "pkeyutl", "-decrypt", "-inkey", "private.key", "-in", "x", "-out", "y"))
	if !bytes.Equal(r.files["y"], key) {
		t.Fatalf("y = %q", r.files["y"])
	}
	if st, _ := os.Stat(filepath.Join(ours, "y")); st.Mode().Perm() != 0o600 {
		t.Fatalf("decrypted key file mode %v, want 0600", st.Mode().Perm())
	}
}

// TestSeedDERPrivateKey: seed 002 decrypts with the PKCS#8 DER private key
// KMS GenerateDataKeyPair returns, with no -keyform (3.x autodetects; 1.1.1
// needs -keyform DER).
func TestSeedDERPrivateKey(t *testing.T) {
	f := pkFixtures(t)
	d, _ := pkDirs(t, map[string][]byte{"k.pem": f.rsaPriv})
	der := pkMust(t, "pkcs8 der", pkReal(t, d, nil, "pkcs8", "-topk8", "-nocrypt", "-in", "k.pem", "-outform", "DER")).stdout
	real, ours := pkDirs(t, map[string][]byte{"private.key": der, "public.key": f.rsaPubDER, "input.txt": []byte("secret data\n")})
	pkMust(t, "openssl", pkReal(t, real, nil, "pkeyutl", "-encrypt", "-pubin", "-inkey", "public.key", "-in", "./input.txt", "-out", "./input.txt.encrypted"))
	if err := os.WriteFile(filepath.Join(ours, "input.txt.encrypted"), pkFiles(t, real)["input.txt.encrypted"], 0o600); err != nil {
		t.Fatal(err)
	}
	o := pkMust(t, "kmsconform", pkOurs(t, ours, nil, "", "pkeyutl", "-decrypt", "-inkey", "private.key", "-in", "./input.txt.encrypted", "-out", "./input.txt.decrypted"))
	if string(o.files["input.txt.decrypted"]) != "secret data\n" {
		t.Fatalf("decrypted %q", o.files["input.txt.decrypted"])
	}
	if r := pkOurs(t, ours, nil, "1.1.1", "pkeyutl", "-decrypt", "-inkey", "private.key", "-in", "./input.txt.encrypted"); r.code != 1 || !strings.Contains(r.stderr, "unable to load Private Key") {
		t.Fatalf("1.1.1 without -keyform DER: exit %d %q", r.code, r.stderr)
	}
	pkMust(t, "1.1.1 -keyform DER", pkOurs(t, ours, nil, "1.1.1", "pkeyutl", "-decrypt", "-inkey", "private.key", "-keyform", "DER", "-in", "./input.txt.encrypted"))
}

// TestLastFlagWins: openssl lets a later -encrypt/-decrypt or padding flag
// override an earlier one.
func TestLastFlagWins(t *testing.T) {
	f := pkFixtures(t)
	files := map[string][]byte{"k.pem": f.rsaPriv, "pub.pem": f.rsaPub, "m191": make([]byte, 191)}
	for _, args := range [][]string{
		{"rsautl", "-encrypt", "-oaep", "-pkcs", "-pubin", "-inkey", "pub.pem", "-in", "m191", "-out", "c"},
		{"pkeyutl", "-decrypt", "-encrypt", "-inkey", "k.pem", "-in", "m191", "-out", "c"},
	} {
		real, ours := pkDirs(t, files)
		r := pkMust(t, "openssl", pkReal(t, real, nil, args...))
		pkMust(t, "kmsconform", pkOurs(t, ours, nil, "", args...))
		// Both wrote a PKCS#1 v1.5 ciphertext: the real openssl decrypts each.
		if err := os.WriteFile(filepath.Join(real, "c2"), pkFiles(t, ours)["c"], 0o600); err != nil {
			t.Fatal(err)
		}
		for _, c := range []string{"c", "c2"} {
			if got := pkMust(t, "decrypt", pkReal(t, real, nil, "pkeyutl", "-decrypt", "-inkey", "k.pem", "-in", c)).stdout; !bytes.Equal(got, make([]byte, 191)) {
				t.Errorf("%v: %s decrypts to %x", args, c, got)
			}
		}
		_ = r
	}
}

// TestRSAFailuresMatchOpenSSL: same exit code and the same key lines on stderr.
func TestRSAFailuresMatchOpenSSL(t *testing.T) {
	f := pkFixtures(t)
	files := map[string][]byte{"private.key": f.rsaPriv, "pub.pem": f.rsaPub, "m191": make([]byte, 191), "m190": make([]byte, 190), "m215": make([]byte, 215), "m246": make([]byte, 246), "m255": make([]byte, 255), "garbage": bytes.Repeat([]byte{0x42}, 256)}
	cases := [][]string{
		{"pkeyutl", "-encrypt", "-pubin", "-inkey", "pub.pem", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256", "-in", "m191"},
		{"pkeyutl", "-encrypt", "-pubin", "-inkey", "pub.pem", "-in", "m246"},
		{"pkeyutl", "-encrypt", "-pubin", "-inkey", "pub.pem", "-pkeyopt", "rsa_padding_mode:none", "-in", "m255"},
		{"rsautl", "-encrypt", "-oaep", "-pubin", "-inkey", "pub.pem", "-in", "m215"},
		{"rsautl", "-encrypt", "-pubin", "-inkey", "pub.pem", "-in", "m246"},
		{"pkeyutl", "-decrypt", "-inkey", "private.key", "-pkeyopt", "rsa_padding_mode:oaep", "-in", "garbage"},
		{"pkeyutl", "-decrypt", "-inkey", "private.key", "-in", "garbage"},
		{"rsautl", "-decrypt", "-inkey", "private.key", "-in", "garbage"},
		{"pkeyutl", "-decrypt", "-pubin", "-inkey", "pub.pem", "-in", "garbage"},
		{"pkeyutl", "-encrypt", "-pubin", "-inkey", "pub.pem", "-bogus", "-in", "m190"},
		{"pkeyutl", "-encrypt", "-pubin", "-inkey", "pub.pem", "-in"},
		{"pkeyutl", "-encrypt", "-pubin", "-inkey", "pub.pem", "-pkeyopt", "rsa_oaep_label:zz", "-in", "m190"},
		{"pkeyutl", "-encrypt", "-pubin", "-inkey", "pub.pem", "-pkeyopt", "rsa_oaep_md:md77", "-in", "m190"},
		{"pkeyutl", "-encrypt", "-pubin", "-inkey", "pub.pem", "-pkeyopt", "bogus:1", "-in", "m190"},
		{"pkeyutl", "-encrypt", "-pubin", "-inkey", "nonexist.pem", "-in", "m190"},
		{"pkeyutl", "-encrypt", "-inkey", "pub.pem", "-in", "m190"},
		{"pkeyutl", "-encrypt", "-pubin", "-inkey", "pub.pem", "-keyform", "DER", "-in", "m190"},
		{"pkeyutl", "-encrypt", "-pubin", "-inkey", "pub.pem", "-keyform", "XYZ", "-in", "m190"},
		{"pkeyutl", "-encrypt", "-pubin", "-inkey", "pub.pem", "-pkeyopt", "rsa_padding_mode:foo", "-in", "m190"},
		{"rsa", "-in", "private.key", "-outform", "XYZ"},
		{"rsa", "-in", "private.key", "extra"},
		{"pkeyutl", "-encrypt", "-in", "m190"},
		{"rsautl", "-decrypt", "-encrypt", "-pubin", "-inkey", "pub.pem", "-in", "m190"},
		{"ec", "-in", "private.key", "-inform", "xyz"},
	}
	for _, args := range cases {
		t.Run(strings.Join(args, "_"), func(t *testing.T) {
			real, ours := pkDirs(t, files)
			r := pkReal(t, real, nil, args...)
			o := pkOurs(t, ours, nil, "", args...)
			if r.code != o.code || r.code == 0 {
				t.Fatalf("exit: openssl %d, kmsconform %d (%s)", r.code, o.code, o.stderr)
			}
			// Every line kmsconform prints that openssl also could is there
			// verbatim: compare the first line and the first queue line.
			rs, os := pkNormStderr(r.stderr), o.stderr
			for _, line := range strings.SplitN(rs, "\n", 3)[:2] {
				if line != "" && !strings.Contains(os, line) {
					t.Errorf("openssl's line %q missing from kmsconform's stderr:\n%s", line, os)
				}
			}
		})
	}
}

// TestCompatProfiles: the version behaviours that are data in oracle.Profile.
func TestCompatProfiles(t *testing.T) {
	f := pkFixtures(t)
	files := map[string][]byte{"pub.der": f.rsaPubDER, "pub.pem": f.rsaPub, "m": []byte("hi")}
	_, ours := pkDirs(t, files)
	// 1.1.1: a DER key needs -keyform DER.
	if r := pkOurs(t, ours, nil, "1.1.1", "pkeyutl", "-encrypt", "-pubin", "-inkey", "pub.der", "-in", "m"); r.code != 1 || !strings.Contains(r.stderr, "unable to load Public Key") {
		t.Errorf("1.1.1 DER without -keyform: exit %d %q", r.code, r.stderr)
	}
	pkMust(t, "1.1.1 -keyform DER", pkOurs(t, ours, nil, "1.1.1", "pkeyutl", "-encrypt", "-pubin", "-inkey", "pub.der", "-keyform", "DER", "-in", "m"))
	// LibreSSL 2.8: no rsa_oaep_md.
	if r := pkOurs(t, ours, nil, "libressl-2.8", "pkeyutl", "-encrypt", "-pubin", "-inkey", "pub.pem", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256", "-in", "m"); r.code != 1 || !strings.Contains(r.stderr, "parameter setting error") {
		t.Errorf("libressl rsa_oaep_md: exit %d %q", r.code, r.stderr)
	}
	// 1.1.1: no kdf command.
	if r := pkOurs(t, ours, nil, "1.1.1", "kdf", "-keylen", "4", "-kdfopt", "digest:SHA256", "-kdfopt", "key:x", "SSKDF"); r.code != 1 || !strings.Contains(r.stderr, "Invalid command 'kdf'") {
		t.Errorf("1.1.1 kdf: exit %d %q", r.code, r.stderr)
	}
	// 1.1.1 (checked with 1.1.1w): rsa_oaep_md alone or before
	// rsa_padding_mode:oaep is refused; after it, it works.
	for _, opts := range [][]string{{"rsa_oaep_md:sha256"}, {"rsa_oaep_md:sha256", "rsa_padding_mode:oaep"}, {"rsa_mgf1_md:sha1"}} {
		args := []string{"pkeyutl", "-encrypt", "-pubin", "-inkey", "pub.pem", "-in", "m"}
		for _, o := range opts {
			args = append(args, "-pkeyopt", o)
		}
		if r := pkOurs(t, ours, nil, "1.1.1", args...); r.code != 1 || !strings.Contains(r.stderr, "invalid padding mode") {
			t.Errorf("1.1.1 %v: exit %d %q", opts, r.code, r.stderr)
		}
		if r := pkOurs(t, ours, nil, "", args...); r.code != 0 {
			t.Errorf("3.0 %v: exit %d %q", opts, r.code, r.stderr)
		}
	}
	pkMust(t, "1.1.1 mode first", pkOurs(t, ours, nil, "1.1.1", "pkeyutl", "-encrypt", "-pubin", "-inkey", "pub.pem", "-in", "m", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256"))
	// 1.1.1's ec reads EC keys only; 3.0's writes an RSA key too.
	if r := pkOurs(t, d0(t, f), nil, "1.1.1", "ec", "-in", "k.pem"); r.code != 1 || !strings.Contains(r.stderr, "expecting a ec key") {
		t.Errorf("1.1.1 ec of an RSA key: exit %d %q", r.code, r.stderr)
	}
	// 1.1.1: `rsa` writes private keys as PKCS#1 "RSA PRIVATE KEY".
	d, _ := pkDirs(t, map[string][]byte{"k.pem": f.rsaPriv})
	if r := pkMust(t, "rsa 1.1.1", pkOurs(t, d, nil, "1.1.1", "rsa", "-in", "k.pem")); !bytes.HasPrefix(r.stdout, []byte("-----BEGIN RSA PRIVATE KEY-----\n")) {
		t.Errorf("1.1.1 rsa output %.40q", r.stdout)
	}
	// rsautl's deprecation warning: 3.x prints it, 1.1.1 does not.
	r3 := pkMust(t, "rsautl 3.0", pkOurs(t, ours, nil, "", "rsautl", "-encrypt", "-pubin", "-inkey", "pub.pem", "-in", "m"))
	r1 := pkMust(t, "rsautl 1.1.1", pkOurs(t, ours, nil, "1.1.1", "rsautl", "-encrypt", "-pubin", "-inkey", "pub.pem", "-in", "m"))
	real := pkReal(t, ours, nil, "rsautl", "-encrypt", "-pubin", "-inkey", "pub.pem", "-in", "m")
	if r3.stderr != real.stderr || strings.Contains(r1.stderr, "deprecated") {
		t.Errorf("rsautl warning: 3.0 %q (openssl %q), 1.1.1 %q", r3.stderr, real.stderr, r1.stderr)
	}
}

// TestOutputFileOnFailure: like openssl, a failed operation leaves an
// empty -out file, and a raw decryption is byte-identical.
func TestOutputFileOnFailure(t *testing.T) {
	f := pkFixtures(t)
	files := map[string][]byte{"private.key": f.rsaPriv, "pub.pem": f.rsaPub, "m246": make([]byte, 246), "m255": make([]byte, 255)}
	for _, args := range [][]string{
		{"pkeyutl", "-encrypt", "-pubin", "-inkey", "pub.pem", "-in", "m246", "-out", "o"},
		{"rsautl", "-encrypt", "-pubin", "-inkey", "pub.pem", "-in", "m246", "-out", "o"},
		{"pkeyutl", "-decrypt", "-inkey", "private.key", "-pkeyopt", "rsa_padding_mode:none", "-in", "m255", "-out", "o"},
		{"pkeyutl", "-encrypt", "-pubin", "-inkey", "pub.pem", "-in", "m246", "-out", "nodir/o"},
		{"pkeyutl", "-encrypt", "-pubin", "-inkey", "pub.pem", "-in", "nofile", "-out", "o"},
	} {
		real, ours := pkDirs(t, files)
		r, o := pkReal(t, real, nil, args...), pkOurs(t, ours, nil, "", args...)
		if r.code != o.code {
			t.Errorf("%v: exit openssl %d, kmsconform %d %q", args, r.code, o.code, o.stderr)
		}
		if want, got := r.files["o"], o.files["o"]; !bytes.Equal(want, got) || (want == nil) != (got == nil) {
			t.Errorf("%v: -out file: openssl %x, kmsconform %x", args, want, got)
		}
		if first := strings.SplitN(r.stderr, "\n", 2)[0]; !strings.Contains(o.stderr, first) {
			t.Errorf("%v: stderr: openssl %q, kmsconform %q", args, r.stderr, o.stderr)
		}
	}
}

// d0 is a directory holding the fixture RSA key as k.pem.
func d0(t *testing.T, f *pkFixture) string {
	d, _ := pkDirs(t, map[string][]byte{"k.pem": f.rsaPriv})
	return d
}

// TestHelpExitsZero: -help prints a usage summary on stderr and exits 0, as
// openssl does.
func TestHelpExitsZero(t *testing.T) {
	for _, c := range []string{"pkeyutl", "rsautl", "rsa", "ec", "ecparam", "genpkey", "kdf"} {
		r := pkOurs(t, t.TempDir(), nil, "", c, "-help")
		if r.code != 0 || len(r.stdout) != 0 || !strings.Contains(r.stderr, "Usage: "+c+" ") {
			t.Errorf("%s -help: exit %d, stdout %q, stderr %q", c, r.code, r.stdout, r.stderr)
		}
	}
}
