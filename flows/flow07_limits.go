package flows

import (
	"crypto"
	"strconv"

	"github.com/kmsconform/kmsconform/failclass"
	"github.com/kmsconform/kmsconform/oracle"
)

// Flow 7 — the largest plaintext per key size and OAEP hash: accepted by
// openssl and by KMS Encrypt, and one byte more refused by both.
func init() {
	f := &Flow{ID: 7, Title: "plaintext limits: k - 2*hLen - 2 accepted by openssl and KMS, one byte more refused by both", Seeds: []string{"001"}}
	for _, spec := range []struct {
		name string
		k    int
	}{{"RSA_2048", 256}, {"RSA_3072", 384}, {"RSA_4096", 512}} {
		for _, h := range []struct {
			alg, md string
			hash    crypto.Hash
		}{{"RSAES_OAEP_SHA_1", "sha1", crypto.SHA1}, {"RSAES_OAEP_SHA_256", "sha256", crypto.SHA256}} {
			max := oracle.MaxOAEPPlaintextLen(spec.k, h.hash)
			f.Cases = append(f.Cases, Case{
				Name: spec.name + "-" + h.alg, Params: P("key_spec", spec.name, "algorithm", h.alg, "max_plaintext", strconv.Itoa(max)),
				KMSConsumer: true, Needs: []Need{{Producer, FeatureOAEPMD}}, Expect: MustPass,
				Run: func(x *X) { flow7(x, spec.name, h.alg, h.md, max) },
			})
		}
	}
	register(f)
}

func flow7(x *X, spec, alg, md string, max int) {
	kid := x.SharedKey(spec, "ENCRYPT_DECRYPT", "")
	x.GetPublicKey(kid, "pubkey.der")
	wrap := func(in, out string) {
		x.Producer("pkeyutl", "-encrypt", "-pubin", "-keyform", "DER", "-inkey", "pubkey.der", "-in", in, "-out", out,
			"-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:"+md)
	}
	x.Producer("rand", "-out", "max.bin", strconv.Itoa(max))
	wrap("max.bin", "max.bin.enc")
	x.Decrypt(kid, alg, "max.bin.enc", "max.bin.dec")
	x.Same("max.bin", "max.bin.dec")
	x.Encrypt(kid, alg, "max.bin", "max.kms.enc")
	x.Decrypt(kid, alg, "max.kms.enc", "max.kms.dec")
	x.Same("max.bin", "max.kms.dec")
	x.Producer("rand", "-out", "over.bin", strconv.Itoa(max+1))
	x.Refused(failclass.DataTooLarge, func() { wrap("over.bin", "over.bin.enc") })
	x.Refused(failclass.Validation, func() { x.Encrypt(kid, alg, "over.bin", "over.kms.enc") })
	if x.Exists("over.kms.enc") {
		x.failf("KMS refused %d bytes but over.kms.enc was written", max+1)
	}
}
