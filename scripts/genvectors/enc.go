package main

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"strings"

	"github.com/kmsconform/kmsconform/vectors"
)

var encNotes = map[string]string{
	"CRLF-password":           "The password file was written on Windows: `-pass file:` strips only the trailing \\n, so the decrypting side's password ends in \\r and decryption fails (fix: dos2unix).",
	"md5-default":             "Without -md, OpenSSL up to 1.0.2 and LibreSSL derive the key with MD5, 1.1.0 and later with SHA-256: ciphertext from one does not decrypt on the other without an explicit -md.",
	"wrong-md":                "The two sides name different -md digests for the key derivation.",
	"no-pbkdf2":               "One side used -pbkdf2 and the other did not (EVP_BytesToKey instead).",
	"iter-mismatch":           "Both sides used -pbkdf2 but with different -iter counts (default 10000).",
	"explicit-salt-no-header": "From OpenSSL 3.0, `enc -S hex` writes no Salted__ header: a decryptor that expects the header fails (OpenSSL issues #19730, #22057).",
	"salt-mismatch":           "One side used -nosalt and the other expected a Salted__ header or the reverse.",
	"wrong-password":          "The decrypting side has a different password.",
	"no-integrity":            "A stream mode (CTR/CFB/OFB) has no padding: a wrong key decrypts to garbage with exit 0, so only comparing bytes catches it.",
	"rand-base64-password":    "The password is the 44-character text that `openssl rand -base64 32` writes (as in the runbooks), not 32 random bytes.",
	"base64":                  "The ciphertext is base64 text (-a), wrapped at 64 columns.",
	"empty-message":           "The plaintext is empty: the ciphertext is one block of padding (or nothing in a stream mode).",
	"block-boundary":          "The plaintext length is a multiple of the block size: a whole block of padding is added.",
	"pbkdf2":                  "Key and IV come from PBKDF2-HMAC (-pbkdf2).",
	"evp-bytestokey":          "Key and IV come from EVP_BytesToKey with one iteration (no -pbkdf2).",
	"explicit-salt":           "The salt is given with -S.",
	"nosalt":                  "No salt (-nosalt): the ciphertext is deterministic.",
	"stream-mode":             "A mode without padding (CTR, CFB, OFB).",
	"ecb":                     "ECB mode: no IV.",
}

// compatDefaultMD is the enc digest without -md of each compat profile the
// generator uses (the oracle's Profile.EncDefaultMD; vectors tests check
// the files against the oracle's own profiles).
var compatDefaultMD = map[string]string{"3.0": "sha256", "1.1.1": "sha256", "1.0.2": "md5", "libressl-2.8": "md5"}

// compatSaltHeader lists the compat profiles whose `enc -S` writes and reads
// the Salted__ header (the oracle's Profile.EncHeaderWithExplicitSalt).
var compatSaltHeader = map[string]bool{"1.1.1": true, "1.0.2": true, "libressl-2.8": true}

// encCase says how the encrypting side ran and what the decrypting side uses.
type encCase struct {
	comment string
	flags   []string
	result  vectors.Result
	encArgs []string // the encrypting side's options besides cipher, -pass, -in
	encPass []byte
	decPass []byte // nil: same as encPass
	msg     []byte
	by111   bool // encrypted by the OpenSSL 1.1.1 binary instead of the host's
}

type encGroupSpec struct {
	g     vectors.EncGroup
	cases []encCase
}

func genEnc(t *tool, version string) *vectors.File[vectors.EncGroup] {
	pw := detText("enc/pw", 16)
	randPW := append([]byte(base64.StdEncoding.EncodeToString(det("enc/rand", 32))), '\n')
	randPW = randPW[:44]
	salt := det("enc/salt", 8)
	saltHex := hex.EncodeToString(salt)
	msg := func(n int) []byte { return det("enc/msg/"+itoa(n), n) }
	valid := func(comment string, n int, encArgs []string, flags ...string) encCase {
		fl := append([]string{}, flags...)
		switch {
		case n == 0:
			fl = append(fl, "empty-message")
		case n%16 == 0:
			fl = append(fl, "block-boundary")
		}
		return encCase{comment: comment, flags: fl, result: vectors.Valid, encArgs: encArgs, encPass: pw, msg: msg(n)}
	}
	invalid := func(comment string, encArgs []string, flag string) encCase {
		return encCase{comment: comment, flags: []string{flag}, result: vectors.Invalid, encArgs: encArgs, encPass: pw, msg: msg(40)}
	}
	b2k := "evp-bytestokey"
	specs := []encGroupSpec{
		{g: vectors.EncGroup{Compat: "3.0", Cipher: "aes-256-cbc", MD: "sha256", SaltMode: "header"}, cases: []encCase{
			valid("enc -md sha256, empty message", 0, []string{"-md", "sha256"}, b2k),
			valid("enc -md sha256", 1, []string{"-md", "sha256"}, b2k),
			valid("enc -md sha256", 16, []string{"-md", "sha256"}, b2k),
			valid("enc -md sha256", 33, []string{"-md", "sha256"}, b2k),
			valid("enc -md sha256", 1000, []string{"-md", "sha256"}, b2k),
			{comment: "password is `openssl rand -base64 32` output read by -pass file:", flags: []string{"rand-base64-password", b2k}, result: vectors.Valid, encArgs: []string{"-md", "sha256"}, encPass: randPW, msg: msg(32)},
			{comment: "encrypted with -pass file: of a \\n file; decrypting side read the same password from a \\r\\n file", flags: []string{"CRLF-password"}, result: vectors.Invalid, encArgs: []string{"-md", "sha256"}, encPass: pw, decPass: append(append([]byte{}, pw...), '\r'), msg: msg(40)},
			{comment: "encrypted with `openssl rand -base64 32` text from a \\n file; decrypting side's file has \\r\\n", flags: []string{"CRLF-password", "rand-base64-password"}, result: vectors.Invalid, encArgs: []string{"-md", "sha256"}, encPass: randPW, decPass: append(append([]byte{}, randPW...), '\r'), msg: msg(32)},
			invalid("encrypted with -md sha1", []string{"-md", "sha1"}, "wrong-md"),
			invalid("encrypted with -md md5 (what OpenSSL 1.0.2 does without -md)", []string{"-md", "md5"}, "md5-default"),
			invalid("encrypted with -pbkdf2", []string{"-pbkdf2"}, "no-pbkdf2"),
			invalid("encrypted with -S "+saltHex+" by OpenSSL 3.x: no Salted__ header", []string{"-md", "sha256", "-S", saltHex}, "explicit-salt-no-header"),
			invalid("encrypted with -nosalt", []string{"-md", "sha256", "-nosalt"}, "salt-mismatch"),
			{comment: "decrypting side has another password", flags: []string{"wrong-password"}, result: vectors.Invalid, encArgs: []string{"-md", "sha256"}, encPass: pw, decPass: detText("enc/other", 16), msg: msg(40)},
		}},
		{g: vectors.EncGroup{Compat: "3.0", Cipher: "aes-256-cbc", MD: "", SaltMode: "header"}, cases: []encCase{
			valid("enc without -md (sha256 from 1.1.0 on)", 20, nil, b2k),
			valid("enc -md sha256", 48, []string{"-md", "sha256"}, b2k),
			invalid("encrypted without -md by OpenSSL 1.0.2 (same as -md md5)", []string{"-md", "md5"}, "md5-default"),
		}},
		{g: vectors.EncGroup{Compat: "1.0.2", Cipher: "aes-256-cbc", MD: "", SaltMode: "header"}, cases: []encCase{
			valid("encrypted with -md md5; decrypting side is OpenSSL 1.0.2 without -md", 20, []string{"-md", "md5"}, "md5-default", b2k),
			invalid("encrypted without -md by OpenSSL 3.x (sha256); decrypting side is 1.0.2 without -md", nil, "md5-default"),
		}},
		{g: vectors.EncGroup{Compat: "libressl-2.8", Cipher: "aes-256-cbc", MD: "", SaltMode: "header"}, cases: []encCase{
			valid("encrypted with -md md5; decrypting side is macOS LibreSSL 2.8 without -md", 20, []string{"-md", "md5"}, "md5-default", b2k),
			invalid("encrypted without -md by OpenSSL 3.x; decrypting side is LibreSSL 2.8 without -md", nil, "md5-default"),
		}},
		{g: vectors.EncGroup{Compat: "3.0", Cipher: "aes-128-cbc", MD: "md5", SaltMode: "header"}, cases: []encCase{
			valid("enc -aes-128-cbc -md md5", 17, []string{"-md", "md5"}, b2k),
			valid("enc -aes-128-cbc -md md5", 64, []string{"-md", "md5"}, b2k),
		}},
		{g: vectors.EncGroup{Compat: "3.0", Cipher: "aes-256-cbc", MD: "sha256", PBKDF2: true, SaltMode: "header"}, cases: []encCase{
			valid("enc -pbkdf2 (runbook form)", 0, []string{"-salt", "-pbkdf2"}, "pbkdf2"),
			valid("enc -pbkdf2", 45, []string{"-salt", "-pbkdf2"}, "pbkdf2"),
			{comment: "runbook: enc -aes-256-cbc -salt -pbkdf2 -pass file:./key.bin with key.bin from `openssl rand -base64 32`", flags: []string{"pbkdf2", "rand-base64-password"}, result: vectors.Valid, encArgs: []string{"-salt", "-pbkdf2"}, encPass: randPW, msg: msg(300)},
			{comment: "runbook key file written on Windows (\\r\\n) on the decrypting side", flags: []string{"CRLF-password", "rand-base64-password"}, result: vectors.Invalid, encArgs: []string{"-pbkdf2"}, encPass: randPW, decPass: append(append([]byte{}, randPW...), '\r'), msg: msg(32)},
			invalid("encrypted with -pbkdf2 -iter 1000", []string{"-pbkdf2", "-iter", "1000"}, "iter-mismatch"),
			invalid("encrypted without -pbkdf2 (EVP_BytesToKey, -md sha256)", []string{"-md", "sha256"}, "no-pbkdf2"),
			invalid("encrypted with -pbkdf2 -md sha512", []string{"-pbkdf2", "-md", "sha512"}, "wrong-md"),
		}},
		{g: vectors.EncGroup{Compat: "3.0", Cipher: "aes-256-cbc", MD: "sha256", PBKDF2: true, Iter: 1, SaltMode: "header"}, cases: []encCase{
			valid("enc -pbkdf2 -iter 1", 31, []string{"-pbkdf2", "-iter", "1"}, "pbkdf2"),
		}},
		{g: vectors.EncGroup{Compat: "3.0", Cipher: "aes-256-cbc", MD: "sha256", PBKDF2: true, Iter: 1000, SaltMode: "header"}, cases: []encCase{
			valid("enc -pbkdf2 -iter 1000", 31, []string{"-pbkdf2", "-iter", "1000"}, "pbkdf2"),
			invalid("encrypted with -pbkdf2 (default -iter 10000)", []string{"-pbkdf2"}, "iter-mismatch"),
		}},
		{g: vectors.EncGroup{Compat: "3.0", Cipher: "aes-256-cbc", MD: "sha256", PBKDF2: true, Iter: 100000, SaltMode: "header"}, cases: []encCase{
			valid("enc -pbkdf2 -iter 100000", 64, []string{"-pbkdf2", "-iter", "100000"}, "pbkdf2"),
		}},
		{g: vectors.EncGroup{Compat: "3.0", Cipher: "aes-128-cbc", MD: "sha1", PBKDF2: true, Iter: 5000, SaltMode: "header"}, cases: []encCase{
			valid("enc -aes-128-cbc -pbkdf2 -md sha1 -iter 5000", 100, []string{"-pbkdf2", "-md", "sha1", "-iter", "5000"}, "pbkdf2"),
		}},
		{g: vectors.EncGroup{Compat: "3.0", Cipher: "aes-256-cbc", MD: "sha512", PBKDF2: true, SaltMode: "header"}, cases: []encCase{
			valid("enc -pbkdf2 -md sha512", 70, []string{"-pbkdf2", "-md", "sha512"}, "pbkdf2"),
		}},
		{g: vectors.EncGroup{Compat: "3.0", Cipher: "aes-256-cbc", MD: "sha256", SaltMode: "nosalt"}, cases: []encCase{
			valid("enc -nosalt", 0, []string{"-md", "sha256", "-nosalt"}, "nosalt", b2k),
			valid("enc -nosalt", 47, []string{"-md", "sha256", "-nosalt"}, "nosalt", b2k),
			invalid("encrypted with a Salted__ header", []string{"-md", "sha256"}, "salt-mismatch"),
		}},
		{g: vectors.EncGroup{Compat: "3.0", Cipher: "aes-256-cbc", MD: "sha256", SaltMode: "explicit", Salt: salt}, cases: []encCase{
			valid("enc -S "+saltHex+" (3.x: no header)", 5, []string{"-md", "sha256", "-S", saltHex}, "explicit-salt", "explicit-salt-no-header", b2k),
			valid("enc -S "+saltHex+" (3.x: no header)", 32, []string{"-md", "sha256", "-S", saltHex}, "explicit-salt", "explicit-salt-no-header", b2k),
			invalid("encrypted with a random salt and a Salted__ header", []string{"-md", "sha256"}, "explicit-salt-no-header"),
		}},
		{g: vectors.EncGroup{Compat: "3.0", Cipher: "aes-256-cbc", MD: "sha256", PBKDF2: true, SaltMode: "explicit", Salt: salt}, cases: []encCase{
			valid("enc -pbkdf2 -S "+saltHex, 50, []string{"-pbkdf2", "-S", saltHex}, "explicit-salt", "pbkdf2"),
		}},
		{g: vectors.EncGroup{Compat: "3.0", Cipher: "aes-256-cbc", MD: "sha256", SaltMode: "header", Base64: true}, cases: []encCase{
			valid("enc -a", 0, []string{"-md", "sha256", "-a"}, "base64", b2k),
			valid("enc -a (one line)", 10, []string{"-md", "sha256", "-a"}, "base64", b2k),
			valid("enc -a (wrapped at 64 columns)", 200, []string{"-md", "sha256", "-a"}, "base64", b2k),
		}},
		{g: vectors.EncGroup{Compat: "3.0", Cipher: "aes-256-cbc", MD: "sha256", PBKDF2: true, SaltMode: "header", Base64: true}, cases: []encCase{
			valid("enc -pbkdf2 -a", 100, []string{"-pbkdf2", "-a"}, "base64", "pbkdf2"),
		}},
	}
	for _, c := range []string{"aes-128-cbc", "aes-192-cbc", "aes-128-ctr", "aes-192-ctr", "aes-256-ctr", "aes-128-cfb", "aes-256-cfb", "aes-128-ofb", "aes-256-ofb", "aes-128-ecb", "aes-256-ecb"} {
		extra := []string{"nosalt", b2k}
		stream := strings.HasSuffix(c, "ctr") || strings.HasSuffix(c, "cfb") || strings.HasSuffix(c, "ofb")
		if stream {
			extra = append(extra, "stream-mode")
		}
		if strings.HasSuffix(c, "ecb") {
			extra = append(extra, "ecb")
		}
		args := []string{"-md", "sha256", "-nosalt"}
		s := encGroupSpec{g: vectors.EncGroup{Compat: "3.0", Cipher: c, MD: "sha256", SaltMode: "nosalt"}, cases: []encCase{
			valid("enc -"+c+" -nosalt", 1, args, extra...),
			valid("enc -"+c+" -nosalt", 77, args, extra...),
		}}
		if stream {
			s.cases = append(s.cases, encCase{comment: "decrypting side has another password: garbage, exit 0", flags: []string{"no-integrity", "wrong-password"}, result: vectors.Invalid, encArgs: args, encPass: pw, decPass: detText("enc/other", 16), msg: msg(40)})
		}
		specs = append(specs, s)
	}

	return buildEnc(&encTools{host: t}, specs, version,
		"Decryption answers of `openssl enc`, recorded from the openssl named in generatorVersion by scripts/gen-vectors.sh.",
		"Each group is the decrypting side; each test's comment says how the encrypting openssl ran.")
}

// encTools are the binaries an enc file is recorded with.
type encTools struct {
	host, v111 *tool
}

// buildEnc runs every case of specs and assembles the file.
func buildEnc(tools *encTools, specs []encGroupSpec, version string, header ...string) *vectors.File[vectors.EncGroup] {
	f := &vectors.File[vectors.EncGroup]{
		Algorithm:        "openssl-enc",
		Schema:           vectors.SchemaEnc,
		GeneratorVersion: version,
		Header:           header,
		Notes:            encNotes,
	}
	id := 0
	for _, s := range specs {
		g := s.g
		g.Type = "EncDecrypt"
		for _, c := range s.cases {
			id++
			g.Tests = append(g.Tests, encTest(tools, &g, c, id))
		}
		f.TestGroups = append(f.TestGroups, g)
	}
	f.NumberOfTests = id
	return f
}

// encTest runs the encrypting openssl for c, derives key and IV with -P for
// valid cases, and checks the verdict by decrypting with real openssl: the
// 1.1.1 binary for compat 1.1.1 groups, the host's otherwise.
func encTest(tools *encTools, g *vectors.EncGroup, c encCase, id int) vectors.EncTest {
	enc, t := tools.host, tools.host
	if c.by111 {
		enc = tools.v111
	}
	if g.Compat == "1.1.1" {
		t = tools.v111
	}
	dec := c.decPass
	if dec == nil {
		dec = c.encPass
	}
	enc.write("msg.bin", c.msg)
	enc.write("encpw.txt", append(append([]byte{}, c.encPass...), '\n'))
	args := append([]string{"enc", "-e", "-" + g.Cipher, "-pass", "file:encpw.txt", "-in", "msg.bin"}, c.encArgs...)
	ct := enc.must(nil, args...)
	by := "openssl"
	if c.by111 {
		by = "openssl-1.1.1"
	}
	test := vectors.EncTest{
		Case:     vectors.Case{TcID: id, Comment: c.comment + ": " + by + " " + strings.Join(c.encArgs, " "), Flags: c.flags, Result: c.result},
		Password: dec, Msg: c.msg, Ct: ct,
	}
	if test.Flags == nil {
		test.Flags = []string{}
	}
	// Check the verdict with the real binary.
	dargs, err := g.OpenSSLArgs(compatDefaultMD[g.Compat], false)
	if err != nil {
		fatalf("tcId %d: %v", id, err)
	}
	t.write("ct.bin", ct)
	t.write("decpw.txt", append(append([]byte{}, dec...), '\n'))
	r, err := t.run(nil, append(dargs, "-pass", "file:decpw.txt", "-in", "ct.bin")...)
	if err != nil {
		fatalf("tcId %d: %v", id, err)
	}
	ok := r.code == 0 && bytes.Equal(r.stdout, c.msg)
	if ok != (c.result == vectors.Valid) {
		fatalf("tcId %d (%s): openssl %s decrypted=%v, but the case says %s (stderr: %s)", id, c.comment, strings.Join(dargs, " "), ok, c.result, r.stderr)
	}
	if c.result == vectors.Valid {
		test.Key, test.IV = encKeyIV(t, g, dargs, ct)
	}
	return test
}

// encKeyIV asks openssl -P for the key and IV the decrypting side derives.
func encKeyIV(t *tool, g *vectors.EncGroup, dargs []string, ct []byte) (key, iv []byte) {
	args := append([]string{}, dargs...)
	args[1] = "-e"
	if g.Base64 {
		args = args[:len(args)-1] // drop -a
		raw, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(string(ct), "\n", ""))
		if err != nil {
			fatalf("base64 ct: %v", err)
		}
		ct = raw
	}
	// Where the decrypting side reads the salt from the header (header mode,
	// and -S up to 1.1.1), derive with the header's salt.
	if g.SaltMode == "header" || (g.SaltMode == "explicit" && compatSaltHeader[g.Compat]) {
		if len(ct) < 16 || string(ct[:8]) != "Salted__" {
			fatalf("expected a Salted__ header")
		}
		for i := 0; i+1 < len(args); i++ {
			if args[i] == "-S" {
				args = append(args[:i:i], args[i+2:]...)
				break
			}
		}
		args = append(args, "-S", hex.EncodeToString(ct[8:16]))
	}
	out := string(t.must(nil, append(args, "-pass", "file:decpw.txt", "-P")...))
	for _, line := range strings.Split(out, "\n") {
		k, v, _ := strings.Cut(line, "=")
		b, err := hex.DecodeString(strings.ToLower(strings.TrimSpace(v)))
		switch strings.TrimSpace(k) {
		case "key":
			key = b
		case "iv":
			iv = b
		default:
			continue
		}
		if err != nil {
			fatalf("openssl -P: %q: %v", line, err)
		}
	}
	if key == nil {
		fatalf("openssl -P printed no key: %q", out)
	}
	return key, iv
}
