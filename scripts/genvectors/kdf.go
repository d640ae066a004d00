package main

import (
	"bytes"
	"strings"

	"github.com/kmsconform/kmsconform/vectors"
)

var kdfNotes = map[string]string{
	"kdf-confusion": "The expected output was computed with another KDF (SSKDF and X9.63 KDF differ only in where the counter goes): the two sides disagree on the KDF.",
	"wrong-digest":  "The expected output was computed with another digest.",
	"empty-info":    "No info / context (hexinfo omitted).",
	"empty-salt":    "No salt (HKDF then uses a zero salt of the hash length).",
	"long-output":   "The output is longer than one hash block, so the counter runs past 1.",
	"ecdh-secret":   "The secret has the size of an ECDH P-256 shared secret, as in the KMS DeriveSharedSecret flows.",
}

type kdfCase struct {
	comment          string
	flags            []string
	result           vectors.Result
	key, salt, info  []byte
	iter, keyLen     int
	computeKDF, hash string // for invalid cases: how the expected output was really computed
}

func genKDF(t *tool, version string) *vectors.File[vectors.KDFGroup] {
	f := &vectors.File[vectors.KDFGroup]{
		Algorithm:        "KDF",
		Schema:           vectors.SchemaKDF,
		GeneratorVersion: version,
		Header:           []string{"`openssl kdf -binary` answers recorded by scripts/gen-vectors.sh from the openssl named in generatorVersion.", "Fields follow -kdfopt names: KBKDF's salt is its label and info its context; PBKDF2's key is the password."},
		Notes:            kdfNotes,
	}
	in := func(label string, n int) []byte { return det("kdf/"+label, n) }
	none := []byte{}
	type spec struct {
		kdf, digest, mac string
		cases            []kdfCase
	}
	v := func(comment string, key, salt, info []byte, iter, n int, flags ...string) kdfCase {
		return kdfCase{comment: comment, flags: flags, result: vectors.Valid, key: key, salt: salt, info: info, iter: iter, keyLen: n}
	}
	confuse := func(kdf, hash string, flag string) kdfCase {
		return kdfCase{comment: "expected output computed with " + kdf + " " + hash, flags: []string{flag}, result: vectors.Invalid,
			key: in("secret32", 32), salt: none, info: in("info", 20), keyLen: 32, computeKDF: kdf, hash: hash}
	}
	var specs []spec
	for _, d := range []string{"SHA1", "SHA256", "SHA384", "SHA512"} {
		for _, k := range []string{"SSKDF", "X963KDF"} {
			s := spec{kdf: k, digest: d, cases: []kdfCase{
				v(k+" "+d+" on an ECDH-sized secret", in("secret32", 32), none, in("info", 20), 0, 32, "ecdh-secret"),
				v(k+" "+d+" without info", in("secret48", 48), none, none, 0, 16, "empty-info"),
				v(k+" "+d+" 100-byte output", in("secret66", 66), none, in("info2", 7), 0, 100, "long-output"),
			}}
			if d == "SHA256" {
				otherKDF := map[string]string{"SSKDF": "X963KDF", "X963KDF": "SSKDF"}[k]
				s.cases = append(s.cases, confuse(otherKDF, "SHA256", "kdf-confusion"), confuse(k, "SHA1", "wrong-digest"))
			}
			specs = append(specs, s)
		}
		hk := spec{kdf: "HKDF", digest: d, cases: []kdfCase{
			v("HKDF "+d, in("secret32", 32), in("salt", 16), in("info", 20), 0, 32, "ecdh-secret"),
			v("HKDF "+d+" without salt", in("secret48", 48), none, in("info", 10), 0, 42, "empty-salt"),
			v("HKDF "+d+" without info, 100-byte output", in("secret66", 66), in("salt2", 5), none, 0, 100, "empty-info", "long-output"),
		}}
		if d == "SHA256" {
			hk.cases = append(hk.cases, kdfCase{comment: "expected output computed with HKDF SHA384", flags: []string{"wrong-digest"}, result: vectors.Invalid,
				key: in("secret32", 32), salt: in("salt", 16), info: in("info", 20), keyLen: 32, computeKDF: "HKDF", hash: "SHA384"})
		}
		specs = append(specs, hk)
		kb := spec{kdf: "KBKDF", digest: d, mac: "HMAC", cases: []kdfCase{
			v("KBKDF counter HMAC-"+d, in("secret32", 32), in("label", 9), in("context", 24), 0, 32, "ecdh-secret"),
			v("KBKDF counter HMAC-"+d+" without context, 100-byte output", in("secret16", 16), in("label2", 4), none, 0, 100, "empty-info", "long-output"),
		}}
		specs = append(specs, kb)
		pb := spec{kdf: "PBKDF2", digest: d, cases: []kdfCase{
			v("PBKDF2 "+d+" iter 1", detText("kdf/pw", 20), in("salt", 8), none, 1, 32),
			v("PBKDF2 "+d+" iter 10000, key and IV length", detText("kdf/pw2", 44), in("salt2", 8), none, 10000, 48),
		}}
		specs = append(specs, pb)
	}
	id := 0
	for _, s := range specs {
		g := vectors.KDFGroup{Type: "KdfDerive", KDF: s.kdf, Digest: s.digest, Mac: s.mac}
		for _, c := range s.cases {
			id++
			test := vectors.KDFTest{
				Case: vectors.Case{TcID: id, Comment: c.comment, Flags: c.flags, Result: c.result},
				Key:  c.key, Salt: c.salt, Info: c.info, Iter: c.iter, KeyLen: c.keyLen,
			}
			if test.Flags == nil {
				test.Flags = []string{}
			}
			own := t.must(nil, g.OpenSSLArgs(&test)...)
			if c.result == vectors.Valid {
				test.Out = own
			} else {
				cg := vectors.KDFGroup{KDF: c.computeKDF, Digest: c.hash, Mac: s.mac}
				test.Out = t.must(nil, cg.OpenSSLArgs(&test)...)
				if bytes.Equal(test.Out, own) {
					fatalf("tcId %d: %s and %s %s agree; not an invalid case", id, strings.Join(g.OpenSSLArgs(&test), " "), c.computeKDF, c.hash)
				}
				test.Comment += ": openssl " + strings.Join(cg.OpenSSLArgs(&test), " ")
			}
			if len(test.Out) != c.keyLen {
				fatalf("tcId %d: openssl kdf gave %d bytes, want %d", id, len(test.Out), c.keyLen)
			}
			g.Tests = append(g.Tests, test)
		}
		f.TestGroups = append(f.TestGroups, g)
	}
	f.NumberOfTests = id
	return f
}
