package opensslcli

import (
	"crypto/rsa"
	"crypto/x509"

	"github.com/kmsconform/kmsconform/oracle"
)

func init() { register("rsa", runRsa) }

var rsaOpts = map[string]keyOpt{
	"in": {value: true}, "out": {value: true}, "inform": {value: true}, "outform": {value: true},
	"pubin": {}, "pubout": {}, "noout": {}, "RSAPublicKey_in": {}, "RSAPublicKey_out": {}, "traditional": {},
}

// runRsa is `openssl rsa`: reads an RSA key (private, or public with -pubin
// or -RSAPublicKey_in) and writes it in the requested form, as openssl 3.0:
// private keys as PKCS#8 in PEM and DER (PKCS#1 with -traditional), public as SubjectPublicKeyInfo (or
// PKCS#1 RSAPublicKey with -RSAPublicKey_out).
//
// Lines before 3.0 (1.0.2, 1.1.1, LibreSSL) write private keys as PKCS#1.
func runRsa(env *Env, args []string) int {
	a, code := parseKeyOpts(env, "rsa", args, rsaOpts, false)
	if a == nil {
		return code
	}
	inform, ok := keyForm(env, "rsa", "inform", a.str("inform"))
	if !ok {
		return 1
	}
	outform, ok := keyForm(env, "rsa", "outform", a.str("outform"))
	if !ok {
		return 1
	}
	pubin := a.flags["pubin"] || a.flags["RSAPublicKey_in"]
	what := "private key"
	if pubin {
		what = "public key"
	}
	pub, priv, ok := loadKey(env, a.str("in"), inform, pubin, what)
	if !ok {
		return 1
	}
	var rpub *rsa.PublicKey
	var rpriv *rsa.PrivateKey
	if pubin {
		rpub, ok = pub.(*rsa.PublicKey)
	} else {
		rpriv, ok = priv.(*rsa.PrivateKey)
		if ok {
			rpub = &rpriv.PublicKey
		}
	}
	if !ok {
		env.Errorf("Not an RSA key\n")
		return 1
	}
	if a.flags["noout"] {
		return 0
	}
	var out []byte
	secret := false
	switch {
	case a.flags["RSAPublicKey_out"]:
		out = encodeKey(outform, oracle.PEMRSAPublicKey, x509.MarshalPKCS1PublicKey(rpub))
	case a.flags["pubout"] || pubin:
		der, err := oracle.MarshalPublicKeyDER(rpub)
		if err != nil {
			env.Errorf("kmsconform: error: %v\n", err)
			return 1
		}
		out = encodeKey(outform, oracle.PEMPublicKey, der)
	case a.flags["traditional"] || env.Profile.RSAPrivOutTraditional:
		secret = true
		out = encodeKey(outform, oracle.PEMRSAPrivateKey, x509.MarshalPKCS1PrivateKey(rpriv))
	default:
		secret = true
		der, err := oracle.MarshalPrivateKeyPKCS8(rpriv)
		if err != nil {
			env.Errorf("kmsconform: error: %v\n", err)
			return 1
		}
		out = encodeKey(outform, oracle.PEMPrivateKey, der)
	}
	env.Errorf("writing RSA key\n")
	if err := writeOutput(env, a.str("out"), out, secret); err != nil {
		openOutputError(env, a.str("out"), err)
		return 1
	}
	return 0
}
