package flows

import (
	"strings"

	"github.com/kmsconform/kmsconform/failclass"
)

// Flow 4 — seed 001's troubleshooting and the issues partners report: each
// "bad decrypt" is reproduced, and the documented fix must then work.
func init() {
	// A wrong key fails the padding check, or (1 in 256) passes it and
	// the bytes differ.
	badDecrypt := []failclass.Class{failclass.BadDecrypt, failclass.Mismatch}
	f := &Flow{ID: 4, Title: "bad-decrypt reproductions, each with its documented fix", Seeds: []string{"001"}}
	f.Cases = []Case{
		{
			// The old side is 1.0.2 (md5 default), the oracle's stand-in.
			Name: "md5-default-fix-md-md5", Params: P("old_side", "producer", "fix", "consumer adds -md md5"),
			Producer: "oracle@1.0.2",
			Expect:   MustPass,
			Rules:    []Rule{{If: DefaultMDDiffers, Then: MustFail("1.0.2 derives the key with md5 by default, 1.1.0+ with sha256", badDecrypt...)}},
			Run: func(x *X) {
				legacyEnc(x)
				x.Consumer("enc", "-d", "-aes-256-cbc", "-in", "DATA.enc", "-out", "DATA_plaintext", "-pass", "file:./key.bin")
				x.Same("DATA", "DATA_plaintext")
			},
			Fix: func(x *X) {
				x.Consumer("enc", "-d", "-aes-256-cbc", "-md", "md5", "-in", "DATA.enc", "-out", "DATA_plaintext", "-pass", "file:./key.bin")
				x.Same("DATA", "DATA_plaintext")
			},
		},
		{
			Name: "md5-default-fix-md-sha256", Params: P("old_side", "producer", "fix", "producer adds -md sha256"),
			Producer: "oracle@1.0.2",
			Expect:   MustPass,
			Rules:    []Rule{{If: DefaultMDDiffers, Then: MustFail("1.0.2 derives the key with md5 by default, 1.1.0+ with sha256", badDecrypt...)}},
			Run: func(x *X) {
				legacyEnc(x)
				x.Consumer("enc", "-d", "-aes-256-cbc", "-in", "DATA.enc", "-out", "DATA_plaintext", "-pass", "file:./key.bin")
				x.Same("DATA", "DATA_plaintext")
			},
			Fix: func(x *X) {
				x.Producer("enc", "-aes-256-cbc", "-md", "sha256", "-salt", "-in", "DATA", "-out", "DATA.enc", "-pass", "file:./key.bin")
				x.Consumer("enc", "-d", "-aes-256-cbc", "-md", "sha256", "-in", "DATA.enc", "-out", "DATA_plaintext", "-pass", "file:./key.bin")
				x.Same("DATA", "DATA_plaintext")
			},
		},
		{
			Name: "crlf-key-file", Params: P("fix", "dos2unix keyplaintext.bin"), Needs: Both(FeaturePBKDF2),
			Expect: MustFail("file: keeps the \\r of a Windows CRLF key file in the password", badDecrypt...),
			Run: func(x *X) {
				pbkdf2Enc(x)
				k := x.ReadFile("key.bin")
				x.WriteFile("keyplaintext.bin", []byte(strings.ReplaceAll(string(k), "\n", "\r\n")), "unix2dos -n key.bin keyplaintext.bin  # the key file as saved on Windows")
				x.Consumer("enc", "-d", "-aes-256-cbc", "-in", "DATA.enc", "-out", "DATA_plaintext", "-pass", "file:./keyplaintext.bin", "-pbkdf2")
				x.Same("DATA", "DATA_plaintext")
			},
			Fix: func(x *X) {
				k := x.ReadFile("keyplaintext.bin")
				x.WriteFile("keyplaintext.bin", []byte(strings.ReplaceAll(string(k), "\r\n", "\n")), "dos2unix keyplaintext.bin")
				x.Consumer("enc", "-d", "-aes-256-cbc", "-in", "DATA.enc", "-out", "DATA_plaintext", "-pass", "file:./keyplaintext.bin", "-pbkdf2")
				x.Same("DATA", "DATA_plaintext")
			},
		},
		{
			Name: "pbkdf2-one-side", Params: P("fix", "consumer adds -pbkdf2"), Needs: Both(FeaturePBKDF2),
			Expect: MustFail("the producer used PBKDF2, the consumer the legacy EVP_BytesToKey", badDecrypt...),
			Run: func(x *X) {
				pbkdf2Enc(x)
				x.Consumer("enc", "-d", "-aes-256-cbc", "-in", "DATA.enc", "-out", "DATA_plaintext", "-pass", "file:./key.bin")
				x.Same("DATA", "DATA_plaintext")
			},
			Fix: func(x *X) {
				x.Consumer("enc", "-d", "-aes-256-cbc", "-in", "DATA.enc", "-out", "DATA_plaintext", "-pass", "file:./key.bin", "-pbkdf2")
				x.Same("DATA", "DATA_plaintext")
			},
		},
		{
			Name: "iter-mismatch", Params: P("producer_iter", "100000", "consumer_iter", "10000 (default)", "fix", "consumer adds -iter 100000"), Needs: Both(FeaturePBKDF2),
			Expect: MustFail("PBKDF2 iteration counts differ", badDecrypt...),
			Run: func(x *X) {
				x.ProducerTo("key.bin", "rand", "-base64", "32")
				x.RandomFile("DATA", 1000)
				x.Producer("enc", "-aes-256-cbc", "-salt", "-in", "DATA", "-out", "DATA.enc", "-pass", "file:./key.bin", "-pbkdf2", "-iter", "100000")
				x.Consumer("enc", "-d", "-aes-256-cbc", "-in", "DATA.enc", "-out", "DATA_plaintext", "-pass", "file:./key.bin", "-pbkdf2")
				x.Same("DATA", "DATA_plaintext")
			},
			Fix: func(x *X) {
				x.Consumer("enc", "-d", "-aes-256-cbc", "-in", "DATA.enc", "-out", "DATA_plaintext", "-pass", "file:./key.bin", "-pbkdf2", "-iter", "100000")
				x.Same("DATA", "DATA_plaintext")
			},
		},
		{
			Name: "explicit-salt-no-header", Params: P("salt", "-S 0011223344556677", "fix", "prepend Salted__ and the salt"), Needs: Both(FeaturePBKDF2),
			Expect: MustFail("3.0+ writes no Salted__ header with -S", failclass.BadMagic, failclass.BadDecrypt, failclass.Mismatch),
			Rules:  []Rule{{If: ProducerHeaderWithS, Then: MustPass}},
			Run: func(x *X) {
				x.ProducerTo("key.bin", "rand", "-base64", "32")
				x.RandomFile("DATA", 1000)
				x.Producer("enc", "-aes-256-cbc", "-S", "0011223344556677", "-in", "DATA", "-out", "DATA.enc", "-pass", "file:./key.bin", "-pbkdf2")
				x.Consumer("enc", "-d", "-aes-256-cbc", "-in", "DATA.enc", "-out", "DATA_plaintext", "-pass", "file:./key.bin", "-pbkdf2")
				x.Same("DATA", "DATA_plaintext")
			},
			// The fix that works for every consumer: put the header back.
			// (`-S` on the decrypting side works for 3.x consumers only:
			// 1.1.1 reads the header even with -S — pinned by the matrix.)
			Fix: func(x *X) {
				enc := x.ReadFile("DATA.enc")
				x.WriteFile("DATA.salted.enc", append([]byte("Salted__\x00\x11\x22\x33\x44\x55\x66\x77"), enc...),
					`{ printf 'Salted__\000\021\042\063\104\125\146\167'; cat DATA.enc; } > DATA.salted.enc`)
				x.Consumer("enc", "-d", "-aes-256-cbc", "-in", "DATA.salted.enc", "-out", "DATA_plaintext", "-pass", "file:./key.bin", "-pbkdf2")
				x.Same("DATA", "DATA_plaintext")
			},
		},
		{
			Name: "oaep-sha1-as-sha256", Params: P("wrap", "rsautl -oaep (SHA-1)", "kms_algorithm", "RSAES_OAEP_SHA_256", "fix", "RSAES_OAEP_SHA_1"), KMSConsumer: true,
			Expect: MustFail("rsautl -oaep is OAEP with SHA-1", failclass.InvalidCiphertext),
			Run: func(x *X) {
				kid := wrapKey(x, "rsautl", "-encrypt", "-oaep", "-inkey", "pubkey.pem", "-pubin", "-in", "key.bin", "-out", "key.bin.enc")
				x.Decrypt(kid, "RSAES_OAEP_SHA_256", "key.bin.enc", "keyplaintext.bin")
			},
			Fix: func(x *X) { unwrapKey(x, "RSAES_OAEP_SHA_1") },
		},
		{
			Name: "oaep-sha256-as-sha1", Params: P("wrap", "pkeyutl rsa_oaep_md:sha256", "kms_algorithm", "RSAES_OAEP_SHA_1", "fix", "RSAES_OAEP_SHA_256"), KMSConsumer: true,
			Needs:  []Need{{Producer, FeatureOAEPMD}},
			Expect: MustFail("the key was wrapped with OAEP SHA-256", failclass.InvalidCiphertext),
			Run: func(x *X) {
				kid := wrapKey(x, "pkeyutl", "-encrypt", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256", "-in", "key.bin", "-pubin", "-inkey", "pubkey.pem", "-out", "key.bin.enc")
				x.Decrypt(kid, "RSAES_OAEP_SHA_1", "key.bin.enc", "keyplaintext.bin")
			},
			Fix: func(x *X) { unwrapKey(x, "RSAES_OAEP_SHA_256") },
		},
		{
			Name: "oaep-md-without-padding-mode", Params: P("wrap", "pkeyutl -pkeyopt rsa_oaep_md:sha256 only", "fix", "add -pkeyopt rsa_padding_mode:oaep"), KMSConsumer: true,
			Needs:  []Need{{Producer, FeatureOAEPMD}},
			Expect: MustFail("without rsa_padding_mode:oaep pkeyutl pads with PKCS#1 v1.5, which KMS never decrypts (1.1.1 refuses rsa_oaep_md before the padding mode)", failclass.InvalidCiphertext, failclass.ParameterRefused),
			Run: func(x *X) {
				kid := wrapKey(x, "pkeyutl", "-encrypt", "-pkeyopt", "rsa_oaep_md:sha256", "-in", "key.bin", "-pubin", "-inkey", "pubkey.pem", "-out", "key.bin.enc")
				x.Decrypt(kid, "RSAES_OAEP_SHA_256", "key.bin.enc", "keyplaintext.bin")
			},
			Fix: func(x *X) {
				x.Producer("pkeyutl", "-encrypt", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256", "-in", "key.bin", "-pubin", "-inkey", "pubkey.pem", "-out", "key.bin.enc")
				unwrapKey(x, "RSAES_OAEP_SHA_256")
			},
		},
		{
			Name: "sha256-label-mgf1-sha1", Params: P("wrap", "OAEP SHA-256 label hash, MGF1-SHA-1 (Java SunJCE default)", "fix", "MGF1 with SHA-256"), KMSConsumer: true,
			Needs:  []Need{{Producer, FeatureOAEPMD}},
			Expect: MustFail("KMS uses the same hash for the label and MGF1", failclass.InvalidCiphertext),
			Run: func(x *X) {
				kid := wrapKey(x, "pkeyutl", "-encrypt", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256", "-pkeyopt", "rsa_mgf1_md:sha1", "-in", "key.bin", "-pubin", "-inkey", "pubkey.pem", "-out", "key.bin.enc")
				x.Decrypt(kid, "RSAES_OAEP_SHA_256", "key.bin.enc", "keyplaintext.bin")
			},
			Fix: func(x *X) {
				x.Producer("pkeyutl", "-encrypt", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256", "-pkeyopt", "rsa_mgf1_md:sha256", "-in", "key.bin", "-pubin", "-inkey", "pubkey.pem", "-out", "key.bin.enc")
				unwrapKey(x, "RSAES_OAEP_SHA_256")
			},
		},
	}
	register(f)
}

// legacyEnc is seed 001 step 4 on an old openssl: no -pbkdf2, default -md.
func legacyEnc(x *X) {
	x.ProducerTo("key.bin", "rand", "-base64", "32")
	x.RandomFile("DATA", 1000)
	x.Producer("enc", "-aes-256-cbc", "-salt", "-in", "DATA", "-out", "DATA.enc", "-pass", "file:./key.bin")
}

// pbkdf2Enc is seed 000 steps 2 and 4.
func pbkdf2Enc(x *X) {
	x.ProducerTo("key.bin", "rand", "-base64", "32")
	x.RandomFile("DATA", 1000)
	x.Producer("enc", "-aes-256-cbc", "-salt", "-in", "DATA", "-out", "DATA.enc", "-pass", "file:./key.bin", "-pbkdf2")
}

// wrapKey fetches the shared RSA_2048 key's public key as PEM, makes
// key.bin and runs the producer's wrapping command; it returns the key id.
func wrapKey(x *X, args ...string) string {
	kid := x.SharedKey("RSA_2048", "ENCRYPT_DECRYPT", "")
	x.GetPublicKey(kid, "pubkey.der")
	x.Producer("rsa", "-pubin", "-inform", "DER", "-in", "pubkey.der", "-pubout", "-outform", "PEM", "-out", "pubkey.pem")
	x.ProducerTo("key.bin", "rand", "-base64", "32")
	x.Producer(args...)
	return kid
}

// unwrapKey decrypts key.bin.enc with the shared RSA_2048 key and alg and
// checks it is key.bin.
func unwrapKey(x *X, alg string) {
	kid := x.SharedKey("RSA_2048", "ENCRYPT_DECRYPT", "")
	x.Decrypt(kid, alg, "key.bin.enc", "keyplaintext.bin")
	x.Same("key.bin", "keyplaintext.bin")
}
