package flows

// Flow 1 — seeds 000/001: the partner wraps a random key with rsautl OAEP
// (SHA-1), encrypts DATA with enc -pbkdf2 -pass file:, the owner unwraps the
// key with KMS RSAES_OAEP_SHA_1 and decrypts DATA.
func init() {
	f := &Flow{ID: 1, Title: "rsautl -oaep key wrap + enc -pbkdf2, unwrapped by KMS RSAES_OAEP_SHA_1", Seeds: []string{"000", "001"}}
	for _, spec := range []string{"RSA_2048", "RSA_3072", "RSA_4096"} {
		f.Cases = append(f.Cases, Case{
			Name: spec, Params: P("key_spec", spec), Needs: Both(FeaturePBKDF2), Expect: MustPass,
			Run: func(x *X) { flow1(x, spec) },
		})
	}
	register(f)
}

func flow1(x *X, spec string) {
	kid := x.SharedKey(spec, "ENCRYPT_DECRYPT", "")
	// 1 - owner: the public key, DER from KMS, PEM by openssl rsa.
	x.GetPublicKey(kid, "pubkey.der")
	x.Consumer("rsa", "-pubin", "-inform", "DER", "-in", "pubkey.der", "-pubout", "-outform", "PEM", "-out", "pubkey.pem")
	// 2 - partner: a random key.
	x.ProducerTo("key.bin", "rand", "-base64", "32")
	// 3 - partner: wrap it (method 1, rsautl).
	x.Producer("rsautl", "-encrypt", "-oaep", "-inkey", "pubkey.pem", "-pubin", "-in", "key.bin", "-out", "key.bin.enc")
	// 4 - partner: encrypt the data.
	x.RandomFile("DATA", 4096)
	x.Producer("enc", "-aes-256-cbc", "-salt", "-in", "DATA", "-out", "DATA.enc", "-pass", "file:./key.bin", "-pbkdf2")
	// 6 - owner: unwrap through KMS.
	x.Decrypt(kid, "RSAES_OAEP_SHA_1", "key.bin.enc", "keyplaintext.bin")
	x.Same("key.bin", "keyplaintext.bin")
	// 7 - owner: decrypt the data.
	x.Consumer("enc", "-d", "-aes-256-cbc", "-in", "DATA.enc", "-out", "DATA_plaintext", "-pass", "file:./keyplaintext.bin", "-pbkdf2")
	x.Same("DATA", "DATA_plaintext")
}
