package opensslcli

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"strconv"
	"strings"

	"github.com/kmsconform/kmsconform/oracle"
)

func init() { register("genpkey", runGenpkey) }

var genpkeyOpts = map[string]keyOpt{
	"algorithm": {value: true}, "pkeyopt": {value: true, repeat: true},
	"out": {value: true}, "outform": {value: true},
}

// runGenpkey is `openssl genpkey -algorithm RSA|EC [-pkeyopt
// rsa_keygen_bits:N | ec_paramgen_curve:C] [-out F] [-outform PEM|DER]`.
// PEM output is PKCS#8 "PRIVATE KEY"; DER output is the traditional form
// (PKCS#1 or SEC1), as openssl 3.0 writes them.
func runGenpkey(env *Env, args []string) int {
	a, code := parseKeyOpts(env, "genpkey", args, genpkeyOpts, false)
	if a == nil {
		return code
	}
	outform, ok := keyForm(env, "genpkey", "outform", a.str("outform"))
	if !ok {
		return 1
	}
	alg := strings.ToUpper(a.str("algorithm"))
	if alg == "" {
		env.Errorf("genpkey: Use -help for summary.\n")
		return 1
	}
	if alg != "RSA" && alg != "EC" {
		env.Errorf("Error initializing %s context\n00000000:error:0308010C:digital envelope routines:inner_evp_generic_fetch:unsupported:../crypto/evp/evp_fetch.c:386:Global default library context, Algorithm (%s : 0), Properties (<null>)\n", a.str("algorithm"), a.str("algorithm"))
		env.Errorf("kmsconform: hint: kmsconform generates RSA and EC keys only\n")
		return 1
	}
	bits, curve := 2048, ""
	for _, o := range a.vals["pkeyopt"] {
		k, v, _ := strings.Cut(o, ":")
		switch {
		case alg == "RSA" && k == "rsa_keygen_bits":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1024 || n > 16384 {
				env.Errorf("genpkey: Error setting %s parameter:\nkmsconform: hint: rsa_keygen_bits must be a number of bits from 1024 to 16384\n", o)
				return 1
			}
			bits = n
		case alg == "EC" && (k == "ec_paramgen_curve" || k == "group"):
			curve = v
		default:
			env.Errorf("genpkey: Error setting %s parameter:\n00000000:error:03000093:digital envelope routines:default_fixup_args:command not supported:../crypto/evp/ctrl_params_translate.c:582:\n", o)
			return 1
		}
	}
	var key crypto.PrivateKey
	var trad []byte
	switch alg {
	case "RSA":
		env.Errorf("....+++++\n.........+++++\n")
		k, err := rsa.GenerateKey(rand.Reader, bits)
		if err != nil {
			env.Errorf("genpkey: Error generating RSA key\nkmsconform: error: %v\n", err)
			return 1
		}
		key, trad = k, x509.MarshalPKCS1PrivateKey(k)
	case "EC":
		if curve == "" {
			env.Errorf("genpkey: Error generating EC key\n00000000:error:08000087:elliptic curve routines:ec_gen_init:no parameters set\nkmsconform: hint: add -pkeyopt ec_paramgen_curve:P-256\n")
			return 1
		}
		if _, err := oracle.LookupCurve(curve); err != nil || strings.HasPrefix(strings.ToUpper(curve), "ECC_") {
			env.Errorf("genpkey: Error generating EC key\n00000000:error:0800008D:elliptic curve routines:group_new_from_name:invalid curve:../crypto/ec/ec_lib.c:1490:\n")
			return 1
		}
		k, err := oracle.GenerateECKey(curve)
		if err != nil {
			env.Errorf("genpkey: Error generating EC key\nkmsconform: error: %v\n", err)
			return 1
		}
		var ecdsaKey *ecdsa.PrivateKey = k
		der, err := x509.MarshalECPrivateKey(ecdsaKey)
		if err != nil {
			env.Errorf("genpkey: Error generating EC key\nkmsconform: error: %v\n", err)
			return 1
		}
		key, trad = k, der
	}
	var out []byte
	if outform == "DER" {
		out = trad
	} else {
		der, err := oracle.MarshalPrivateKeyPKCS8(key)
		if err != nil {
			env.Errorf("kmsconform: error: %v\n", err)
			return 1
		}
		out = encodeKey("PEM", oracle.PEMPrivateKey, der)
	}
	if err := writeOutput(env, a.str("out"), out, true); err != nil {
		openOutputError(env, a.str("out"), err)
		return 1
	}
	return 0
}
