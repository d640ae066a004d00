package opensslcli

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"

	"github.com/kmsconform/kmsconform/oracle"
)

func init() { register("ec", runEC) }

var ecOpts = map[string]keyOpt{
	"in": {value: true}, "out": {value: true}, "inform": {value: true}, "outform": {value: true},
	"pubin": {}, "pubout": {}, "noout": {}, "conv_form": {value: true},
}

// runEC is `openssl ec`: reads an EC key (private, or public with -pubin)
// and writes it as SEC1 "EC PRIVATE KEY" or, with -pubout or -pubin, as
// SubjectPublicKeyInfo (named curve, uncompressed point), in PEM or DER.
func runEC(env *Env, args []string) int {
	a, code := parseKeyOpts(env, "ec", args, ecOpts, false)
	if a == nil {
		return code
	}
	inform, ok := keyForm(env, "ec", "inform", a.str("inform"))
	if !ok {
		return 1
	}
	outform, ok := keyForm(env, "ec", "outform", a.str("outform"))
	if !ok {
		return 1
	}
	conv := a.str("conv_form")
	switch conv {
	case "", "compressed", "uncompressed":
	case "hybrid":
		env.Errorf("ec: kmsconform does not implement -conv_form hybrid\nkmsconform: hint: use compressed or uncompressed\n")
		return 1
	default:
		env.Errorf("ec: Value must be one of:\n\tuncompressed\n\tcompressed\n\thybrid\nec: Use -help for summary.\n")
		return 1
	}
	pubin := a.flags["pubin"]
	what := "private key"
	if pubin {
		what = "public key"
	}
	env.Errorf("read EC key\n")
	pub, priv, data, ok := loadKeyData(env, a.str("in"), inform, pubin, what)
	if !ok {
		env.Errorf("unable to load Key\n")
		return 1
	}
	if env.Profile.ECReadsOnlyEC {
		// 1.1.1 reads EC keys only (checked with 1.1.1w).
		_, pubEC := pub.(*ecdsa.PublicKey)
		_, privEC := priv.(*ecdsa.PrivateKey)
		if !pubEC && !privEC {
			env.Errorf("unable to load Key\n00000000:error:0608308E:digital envelope routines:EVP_PKEY_get0_EC_KEY:expecting a ec key:../crypto/evp/p_lib.c:529:\n")
			return 1
		}
	}
	if a.flags["noout"] {
		return 0
	}
	// openssl 3.0's ec writes whatever key it read: an RSA key comes out as
	// SubjectPublicKeyInfo or traditional PKCS#1, with exit 0 (pinned in
	// ec_test.go). kmsconform does the same.
	// A compressed point stays compressed unless -conv_form says otherwise.
	compressed := conv == "compressed" || conv == "" && oracle.IsCompressedECKey(data)
	var out []byte
	secret := false
	if a.flags["pubout"] || pubin {
		if priv != nil {
			pub, _ = oracle.PublicOf(priv)
		}
		var der []byte
		var err error
		if ek, isEC := pub.(*ecdsa.PublicKey); isEC && compressed {
			der, err = oracle.MarshalECPublicKeyCompressedDER(ek)
		} else {
			der, err = oracle.MarshalPublicKeyDER(pub)
		}
		if err != nil {
			env.Errorf("kmsconform: error: %v\n", err)
			return 1
		}
		out = encodeKey(outform, oracle.PEMPublicKey, der)
	} else {
		secret = true
		switch k := priv.(type) {
		case *ecdsa.PrivateKey:
			marshal := x509.MarshalECPrivateKey
			if compressed {
				marshal = oracle.MarshalECPrivateKeyCompressed
			}
			der, err := marshal(k)
			if err != nil {
				env.Errorf("kmsconform: error: %v\n", err)
				return 1
			}
			out = encodeKey(outform, oracle.PEMECPrivateKey, der)
		case *rsa.PrivateKey:
			out = encodeKey(outform, oracle.PEMRSAPrivateKey, x509.MarshalPKCS1PrivateKey(k))
		default:
			env.Errorf("kmsconform: error: unsupported key type %T\n", priv)
			return 1
		}
	}
	env.Errorf("writing EC key\n")
	if err := writeOutput(env, a.str("out"), out, secret); err != nil {
		openOutputError(env, a.str("out"), err)
		return 1
	}
	return 0
}
