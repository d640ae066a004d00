package opensslcli

import (
	"crypto/x509"
	"encoding/asn1"
	"strings"

	"github.com/kmsconform/kmsconform/oracle"
)

func init() { register("ecparam", runEcparam) }

var ecparamOpts = map[string]keyOpt{
	"name": {value: true}, "genkey": {}, "out": {value: true}, "noout": {},
}

// runEcparam is `openssl ecparam -name CURVE [-genkey] [-noout] [-out F]`.
// As openssl 3.0 it writes an "EC PARAMETERS" block (unless -noout) and,
// with -genkey, then a SEC1 "EC PRIVATE KEY" block.
func runEcparam(env *Env, args []string) int {
	a, code := parseKeyOpts(env, "ecparam", args, ecparamOpts, false)
	if a == nil {
		return code
	}
	name := a.str("name")
	if name == "" {
		env.Errorf("ecparam: kmsconform needs -name (prime256v1, secp384r1 or secp521r1); reading parameters with -in is not implemented\n")
		return 1
	}
	c, err := oracle.LookupCurve(name)
	if err != nil || strings.HasPrefix(strings.ToUpper(name), "ECC_") {
		env.Errorf("unable to generate key\n00000000:error:0800008D:elliptic curve routines:group_new_from_name:invalid curve:../crypto/ec/ec_lib.c:1490:\n")
		env.Errorf("kmsconform: hint: use prime256v1 (P-256), secp384r1 (P-384) or secp521r1 (P-521)\n")
		return 1
	}
	if strings.EqualFold(name, "secp256r1") {
		env.Errorf("using curve name prime256v1 instead of secp256r1\n")
	}
	var out []byte
	if !a.flags["noout"] {
		oid, _ := asn1.Marshal(c.OID)
		out = append(out, encodeKey("PEM", oracle.PEMECParameters, oid)...)
	}
	secret := false
	if a.flags["genkey"] {
		k, err := oracle.GenerateECKey(c.NIST)
		if err != nil {
			env.Errorf("unable to generate key\nkmsconform: error: %v\n", err)
			return 1
		}
		der, err := x509.MarshalECPrivateKey(k)
		if err != nil {
			env.Errorf("unable to generate key\nkmsconform: error: %v\n", err)
			return 1
		}
		out = append(out, encodeKey("PEM", oracle.PEMECPrivateKey, der)...)
		secret = true
	}
	if err := writeOutput(env, a.str("out"), out, secret); err != nil {
		openOutputError(env, a.str("out"), err)
		return 1
	}
	return 0
}
