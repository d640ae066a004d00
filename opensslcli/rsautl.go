package opensslcli

import (
	"crypto"
	"crypto/rsa"

	"github.com/kmsconform/kmsconform/oracle"
)

func init() { register("rsautl", runRsautl) }

var rsautlOpts = map[string]keyOpt{
	"encrypt": {}, "decrypt": {}, "oaep": {}, "pkcs": {}, "raw": {}, "pubin": {},
	"inkey": {value: true}, "keyform": {value: true}, "in": {value: true}, "out": {value: true},
}

// runRsautl is `openssl rsautl` (deprecated in 3.0): -encrypt/-decrypt with
// -pkcs (default), -oaep (SHA-1 for label hash and MGF1) or -raw.
func runRsautl(env *Env, args []string) int {
	if env.Profile.RsautlDeprecated {
		env.Errorf("The command rsautl was deprecated in version 3.0. Use 'pkeyutl' instead.\n")
	}
	a, code := parseKeyOpts(env, "rsautl", args, rsautlOpts, false)
	if a == nil {
		return code
	}
	keyform, ok := keyForm(env, "rsautl", "keyform", a.str("keyform"))
	if !ok {
		return 1
	}
	// The last of -encrypt/-decrypt and of -pkcs/-oaep/-raw wins, but
	// -decrypt anywhere demands a private key, as in openssl.
	op := a.last("encrypt", "decrypt")
	if op == "" {
		env.Errorf("rsautl: kmsconform implements -encrypt and -decrypt only (rsautl defaults to -verify)\n")
		return 1
	}
	pad := rsaPadding{mode: "pkcs1"}
	switch a.last("pkcs", "oaep", "raw") {
	case "oaep":
		pad.mode = "oaep"
	case "raw":
		pad.mode = "none"
	}
	if a.str("inkey") == "" {
		env.Errorf("rsautl: no private key given (-inkey parameter)\n")
		return 1
	}
	pubin := a.flags["pubin"]
	if pubin && a.flags["decrypt"] {
		env.Errorf("A private key is needed for this operation\n")
		return 1
	}
	what := "private key"
	if pubin {
		what = "public key"
	}
	pub, priv, ok := loadKey(env, a.str("inkey"), keyform, pubin, what)
	if !ok {
		return 1
	}
	if priv != nil {
		pub, _ = oracle.PublicOf(priv)
	}
	rsaPub, isRSA := pub.(*rsa.PublicKey)
	if !isRSA {
		env.Errorf("rsautl: Error initializing context\n00000000:error:03000096:digital envelope routines:evp_pkey_asym_cipher_init:operation not supported for this keytype:../crypto/evp/asymcipher.c:188:\n")
		return 1
	}
	return runRSACipher(env, a, op, rsaPub, priv, pad, "RSA operation error")
}

// runRSACipher is the common end of pkeyutl and rsautl -encrypt/-decrypt:
// read -in, create (truncate) -out first as openssl does (so a failed
// operation leaves it empty), run the operation and write the result.
// failMsg is the command's own first error line.
func runRSACipher(env *Env, a *keyArgs, op string, pub *rsa.PublicKey, priv crypto.PrivateKey, pad rsaPadding, failMsg string) int {
	in, err := readInput(env, a.str("in"))
	if err != nil {
		env.Errorf("Can't open \"%s\" for reading, %s\n", a.str("in"), syscallText(err))
		return 1
	}
	if name := a.str("out"); name != "" && name != "-" {
		if err := writeOutput(env, name, nil, op == "decrypt"); err != nil {
			openOutputError(env, name, err)
			return 1
		}
	}
	var out []byte
	if op == "encrypt" {
		out, err = rsaEncrypt(pub, in, pad)
	} else {
		out, err = rsaDecrypt(priv.(*rsa.PrivateKey), in, pad)
	}
	if err != nil {
		pkeyErr(env, failMsg, err)
		return 1
	}
	if err := writeOutput(env, a.str("out"), out, op == "decrypt"); err != nil {
		openOutputError(env, a.str("out"), err)
		return 1
	}
	return 0
}
