package flows

import "github.com/kmsconform/kmsconform/failclass"

// Flow 2 — seeds 001/004: pkeyutl OAEP SHA-256 with a PEM or a DER
// (-keyform DER) public key, decrypted by KMS RSAES_OAEP_SHA_256.
func init() {
	f := &Flow{ID: 2, Title: "pkeyutl OAEP SHA-256 (PEM and -keyform DER keys), decrypted by KMS RSAES_OAEP_SHA_256", Seeds: []string{"001", "004"}}
	for _, spec := range []string{"RSA_2048", "RSA_3072", "RSA_4096"} {
		for _, form := range []string{"pem", "der", "der-no-keyform"} {
			c := Case{
				Name: spec + "-" + form, Params: P("key_spec", spec, "key_form", form), KMSConsumer: true,
				Needs: []Need{{Producer, FeatureOAEPMD}}, Expect: MustPass,
				Run: func(x *X) { flow2(x, spec, form) },
			}
			if form == "der-no-keyform" {
				// 1.1.1 reads -inkey as PEM unless told -keyform DER.
				c.Rules = []Rule{{If: ProducerNeedsKeyform, Then: MustFail("this openssl does not detect DER keys: -keyform DER is needed", failclass.KeyUnreadable)}}
			}
			f.Cases = append(f.Cases, c)
		}
	}
	register(f)
}

func flow2(x *X, spec, form string) {
	kid := x.SharedKey(spec, "ENCRYPT_DECRYPT", "")
	x.GetPublicKey(kid, "public_key.der")
	x.ProducerTo("key.b64", "rand", "-base64", "32")
	switch form {
	case "pem": // seed 001 method 2
		x.Producer("rsa", "-pubin", "-inform", "DER", "-in", "public_key.der", "-pubout", "-outform", "PEM", "-out", "pubkey.pem")
		x.Producer("pkeyutl", "-encrypt", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256", "-in", "key.b64", "-pubin", "-inkey", "pubkey.pem", "-out", "key.b64.enc")
	case "der": // seed 004
		x.Producer("pkeyutl", "-in", "key.b64", "-out", "key.b64.enc", "-inkey", "public_key.der", "-keyform", "DER", "-pubin", "-encrypt", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256")
	default: // seed 004 without -keyform DER
		x.Producer("pkeyutl", "-in", "key.b64", "-out", "key.b64.enc", "-inkey", "public_key.der", "-pubin", "-encrypt", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256")
	}
	x.Decrypt(kid, "RSAES_OAEP_SHA_256", "key.b64.enc", "decrypted_key.b64")
	x.Same("key.b64", "decrypted_key.b64")
}
