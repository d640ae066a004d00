package main

import (
	"bytes"
	"encoding/hex"
	"strings"

	"github.com/kmsconform/kmsconform/vectors"
)

var rsaNotes = map[string]string{
	"oaep-sha1":                    "OAEP with SHA-1 label hash and MGF1-SHA-1: `rsautl -oaep`, pkeyutl's OAEP default, KMS RSAES_OAEP_SHA_1.",
	"oaep-sha256":                  "OAEP with SHA-256 label hash and MGF1-SHA-256: `pkeyutl -pkeyopt rsa_oaep_md:sha256`, KMS RSAES_OAEP_SHA_256.",
	"mgf1-sha1":                    "SHA-256 label hash with MGF1-SHA-1, the SunJCE default of RSA/ECB/OAEPWithSHA-256AndMGF1Padding: KMS RSAES_OAEP_SHA_256 rejects it.",
	"wrong-oaep-hash":              "The two sides use different OAEP hashes (SHA-1 vs SHA-256).",
	"oaep-md-without-padding-mode": "In 3.x, -pkeyopt rsa_oaep_md:sha256 without rsa_padding_mode:oaep is silently ignored: the output is PKCS#1 v1.5, which KMS never decrypts.",
	"pkcs1-vs-oaep":                "One side used PKCS#1 v1.5 padding and the other OAEP.",
	"label":                        "OAEP with a non-empty label (rsa_oaep_label).",
	"wrong-label":                  "The two sides use different OAEP labels.",
	"max-length":                   "The longest plaintext the padding allows: k-2*hLen-2 for OAEP, k-11 for PKCS#1 v1.5.",
	"empty-message":                "The plaintext is empty.",
	"rsautl":                       "Encrypted with the deprecated `openssl rsautl`.",
	"runbook-key":                  "The plaintext is a 45-byte key file: `openssl rand -base64 32` output with its newline, as the runbooks wrap it.",
}

type rsaCase struct {
	comment string
	flags   []string
	result  vectors.Result
	encArgs []string // e.g. pkeyutl -encrypt -pkeyopt ...; -pubin -inkey pub.pem -in msg.bin are added
	label   []byte   // the decrypting side's label (oaep groups)
	msg     []byte
}

func genRSA(t *tool, keys *keyStore, version string) *vectors.File[vectors.RSAGroup] {
	oaep := func(md, mgf string, extra ...string) []string {
		a := []string{"pkeyutl", "-encrypt", "-pkeyopt", "rsa_padding_mode:oaep"}
		if md != "" {
			a = append(a, "-pkeyopt", "rsa_oaep_md:"+md)
		}
		if mgf != "" {
			a = append(a, "-pkeyopt", "rsa_mgf1_md:"+mgf)
		}
		return append(a, extra...)
	}
	pkcs1 := []string{"pkeyutl", "-encrypt"}
	rsautlOAEP := []string{"rsautl", "-encrypt", "-oaep"}
	rsautlPKCS := []string{"rsautl", "-encrypt", "-pkcs"}
	onlyMD := []string{"pkeyutl", "-encrypt", "-pkeyopt", "rsa_oaep_md:sha256"}
	msg := func(n int) []byte { return det("rsa/msg/"+itoa(n), n) }
	runbookKey := append(append([]byte{}, detText("rsa/runbook", 44)...), '\n')
	label := det("rsa/label", 12)
	labelOpt := "rsa_oaep_label:" + hex.EncodeToString(label)
	empty := []byte{}
	v := func(comment string, enc []string, lbl []byte, m []byte, flags ...string) rsaCase {
		return rsaCase{comment: comment, flags: flags, result: vectors.Valid, encArgs: enc, label: lbl, msg: m}
	}
	iv := func(comment string, enc []string, lbl []byte, flag string) rsaCase {
		return rsaCase{comment: comment, flags: []string{flag}, result: vectors.Invalid, encArgs: enc, label: lbl, msg: msg(32)}
	}
	type spec struct {
		bits              int
		padding, sha, mgf string
		cases             []rsaCase
	}
	specs := []spec{
		{2048, "oaep", "sha1", "sha1", []rsaCase{
			v("rsautl -oaep (runbook)", rsautlOAEP, empty, runbookKey, "oaep-sha1", "rsautl", "runbook-key"),
			v("pkeyutl OAEP default digest", oaep("", ""), empty, msg(32), "oaep-sha1"),
			v("pkeyutl OAEP sha1, empty message", oaep("sha1", ""), empty, empty, "oaep-sha1", "empty-message"),
			v("pkeyutl OAEP sha1, 214 bytes", oaep("sha1", ""), empty, msg(214), "oaep-sha1", "max-length"),
			v("pkeyutl OAEP sha1 with label", oaep("sha1", "", "-pkeyopt", labelOpt), label, msg(16), "oaep-sha1", "label"),
			iv("encrypted with OAEP sha256", oaep("sha256", ""), empty, "wrong-oaep-hash"),
			iv("encrypted with PKCS#1 v1.5", pkcs1, empty, "pkcs1-vs-oaep"),
			iv("encrypted with label, decrypted without", oaep("sha1", "", "-pkeyopt", labelOpt), empty, "wrong-label"),
		}},
		{2048, "oaep", "sha256", "sha256", []rsaCase{
			v("pkeyutl OAEP rsa_oaep_md:sha256 (runbook)", oaep("sha256", ""), empty, runbookKey, "oaep-sha256", "runbook-key"),
			v("pkeyutl OAEP sha256 with explicit mgf1 sha256", oaep("sha256", "sha256"), empty, msg(100), "oaep-sha256"),
			v("pkeyutl OAEP sha256, 190 bytes", oaep("sha256", ""), empty, msg(190), "oaep-sha256", "max-length"),
			v("pkeyutl OAEP sha256, empty message", oaep("sha256", ""), empty, empty, "oaep-sha256", "empty-message"),
			v("pkeyutl OAEP sha256 with label", oaep("sha256", "", "-pkeyopt", labelOpt), label, msg(16), "oaep-sha256", "label"),
			iv("encrypted with SHA-256 label hash and MGF1-SHA-1 (Java default)", oaep("sha256", "sha1"), empty, "mgf1-sha1"),
			iv("encrypted with OAEP sha1 (rsautl -oaep)", rsautlOAEP, empty, "wrong-oaep-hash"),
			iv("encrypted with rsa_oaep_md:sha256 but no rsa_padding_mode:oaep (PKCS#1 v1.5 output)", onlyMD, empty, "oaep-md-without-padding-mode"),
			iv("encrypted with PKCS#1 v1.5", pkcs1, empty, "pkcs1-vs-oaep"),
			iv("encrypted without label, decrypted with one", oaep("sha256", ""), label, "wrong-label"),
		}},
		{2048, "oaep", "sha256", "sha1", []rsaCase{
			v("SHA-256 label hash with MGF1-SHA-1 (Java OAEPWithSHA-256AndMGF1Padding)", oaep("sha256", "sha1"), empty, msg(50), "mgf1-sha1"),
			iv("encrypted with OAEP sha256 / MGF1-SHA-256", oaep("sha256", ""), empty, "mgf1-sha1"),
		}},
		{2048, "oaep", "sha384", "sha384", []rsaCase{
			v("pkeyutl OAEP sha384", oaep("sha384", ""), empty, msg(60)),
		}},
		{2048, "oaep", "sha512", "sha512", []rsaCase{
			v("pkeyutl OAEP sha512, 126 bytes", oaep("sha512", ""), empty, msg(126), "max-length"),
		}},
		{2048, "pkcs1", "", "", []rsaCase{
			v("pkeyutl -encrypt with no padding option (PKCS#1 v1.5)", pkcs1, empty, runbookKey, "runbook-key"),
			v("rsautl -pkcs", rsautlPKCS, empty, msg(20), "rsautl"),
			v("PKCS#1 v1.5, 245 bytes", pkcs1, empty, msg(245), "max-length"),
			v("PKCS#1 v1.5, empty message", pkcs1, empty, empty, "empty-message"),
			v("rsa_oaep_md:sha256 without rsa_padding_mode:oaep: silently PKCS#1 v1.5", onlyMD, empty, msg(32), "oaep-md-without-padding-mode"),
			iv("encrypted with OAEP sha256", oaep("sha256", ""), empty, "pkcs1-vs-oaep"),
			iv("encrypted with OAEP sha1", rsautlOAEP, empty, "pkcs1-vs-oaep"),
		}},
		{3072, "oaep", "sha1", "sha1", []rsaCase{
			v("rsautl -oaep, RSA 3072", rsautlOAEP, empty, runbookKey, "oaep-sha1", "rsautl", "runbook-key"),
			v("OAEP sha1, 342 bytes", oaep("sha1", ""), empty, msg(342), "oaep-sha1", "max-length"),
		}},
		{3072, "oaep", "sha256", "sha256", []rsaCase{
			v("OAEP sha256, RSA 3072", oaep("sha256", ""), empty, runbookKey, "oaep-sha256", "runbook-key"),
			v("OAEP sha256, 318 bytes", oaep("sha256", ""), empty, msg(318), "oaep-sha256", "max-length"),
			iv("encrypted with MGF1-SHA-1", oaep("sha256", "sha1"), empty, "mgf1-sha1"),
		}},
		{3072, "pkcs1", "", "", []rsaCase{
			v("PKCS#1 v1.5, RSA 3072", pkcs1, empty, msg(32)),
		}},
		{4096, "oaep", "sha1", "sha1", []rsaCase{
			v("rsautl -oaep, RSA 4096", rsautlOAEP, empty, runbookKey, "oaep-sha1", "rsautl", "runbook-key"),
		}},
		{4096, "oaep", "sha256", "sha256", []rsaCase{
			v("OAEP sha256, RSA 4096", oaep("sha256", ""), empty, runbookKey, "oaep-sha256", "runbook-key"),
			v("OAEP sha256, 446 bytes", oaep("sha256", ""), empty, msg(446), "oaep-sha256", "max-length"),
			iv("encrypted with OAEP sha1", oaep("sha1", ""), empty, "wrong-oaep-hash"),
		}},
		{4096, "pkcs1", "", "", []rsaCase{
			v("PKCS#1 v1.5, 501 bytes, RSA 4096", pkcs1, empty, msg(501), "max-length"),
		}},
	}
	f := &vectors.File[vectors.RSAGroup]{
		Algorithm:        "RSAES",
		Schema:           vectors.SchemaRSA,
		GeneratorVersion: version,
		Header:           []string{"RSA decryption answers (OAEP and PKCS#1 v1.5) for ciphertexts made by the openssl named in generatorVersion, recorded by scripts/gen-vectors.sh.", "Each group is the decrypting side (key, padding, hashes); each test's comment says how the encrypting openssl ran."},
		Notes:            rsaNotes,
	}
	id := 0
	for _, s := range specs {
		keyFile := keys.rsa(s.bits)
		pem := string(t.must(nil, "pkey", "-in", keyFile))
		t.write("pub.pem", t.must(nil, "pkey", "-in", keyFile, "-pubout"))
		g := vectors.RSAGroup{Type: "RsaDecrypt", KeySize: s.bits, PrivateKeyPem: pem, Padding: s.padding, SHA: s.sha, MGFSHA: s.mgf}
		for _, c := range s.cases {
			id++
			t.write("msg.bin", c.msg)
			args := append(append([]string{}, c.encArgs...), "-pubin", "-inkey", "pub.pem", "-in", "msg.bin")
			ct := t.must(nil, args...)
			test := vectors.RSATest{
				Case:  vectors.Case{TcID: id, Comment: c.comment + ": openssl " + strings.Join(c.encArgs, " "), Flags: c.flags, Result: c.result},
				Label: c.label, Msg: c.msg, Ct: ct,
			}
			if test.Flags == nil {
				test.Flags = []string{}
			}
			t.write("ct.bin", ct)
			r, err := t.run(nil, append(g.OpenSSLArgs(keyFile, c.label), "-in", "ct.bin")...)
			if err != nil {
				fatalf("tcId %d: %v", id, err)
			}
			ok := r.code == 0 && bytes.Equal(r.stdout, c.msg)
			if ok != (c.result == vectors.Valid) {
				fatalf("tcId %d (%s): openssl decrypted=%v, but the case says %s (stderr: %s)", id, c.comment, ok, c.result, r.stderr)
			}
			g.Tests = append(g.Tests, test)
		}
		f.TestGroups = append(f.TestGroups, g)
	}
	f.NumberOfTests = id
	return f
}
