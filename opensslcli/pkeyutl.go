package opensslcli

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"strings"

	"github.com/kmsconform/kmsconform/oracle"
)

func init() { register("pkeyutl", runPkeyutl) }

var pkeyutlOpts = map[string]keyOpt{
	"encrypt": {}, "decrypt": {}, "derive": {}, "pubin": {},
	"inkey": {value: true}, "keyform": {value: true}, "peerkey": {value: true}, "peerform": {value: true},
	"in": {value: true}, "out": {value: true}, "pkeyopt": {value: true, repeat: true},
}

// rsaPadding is the RSA configuration -pkeyopt builds up.
type rsaPadding struct {
	mode     string // "pkcs1", "oaep", "none" or an unknown value
	oaepMD   crypto.Hash
	mgf1MD   crypto.Hash
	label    []byte
	mdGiven  bool
	mgfGiven bool
}

// runPkeyutl is `openssl pkeyutl`: -encrypt, -decrypt and -derive with RSA
// and EC keys.
func runPkeyutl(env *Env, args []string) int {
	a, code := parseKeyOpts(env, "pkeyutl", args, pkeyutlOpts, false)
	if a == nil {
		return code
	}
	keyform, ok := keyForm(env, "pkeyutl", "keyform", a.str("keyform"))
	if !ok {
		return 1
	}
	peerform, ok := keyForm(env, "pkeyutl", "peerform", a.str("peerform"))
	if !ok {
		return 1
	}
	op := a.last("encrypt", "decrypt", "derive")
	if op == "" {
		op = "sign"
	}
	if a.str("inkey") == "" {
		env.Errorf("pkeyutl: no private key given (-inkey parameter).\npkeyutl: Use -help for summary.\n")
		return 1
	}
	pubin := a.flags["pubin"]
	if pubin && (op == "decrypt" || op == "derive" || op == "sign") {
		env.Errorf("A private key is needed for this operation\npkeyutl: Error initializing context\n")
		return 1
	}
	if op == "sign" {
		env.Errorf("pkeyutl: kmsconform implements -encrypt, -decrypt and -derive only\nkmsconform: hint: sign and verify are not part of the runbooks; use the real openssl\n")
		return 1
	}
	what := "private key"
	if pubin {
		what = "public key"
	}
	pub, priv, ok := loadKey(env, a.str("inkey"), keyform, pubin, what)
	if !ok {
		env.Errorf("pkeyutl: Error initializing context\n")
		return 1
	}
	if priv != nil {
		pub, _ = oracle.PublicOf(priv)
	}
	if op == "derive" {
		if len(a.vals["pkeyopt"]) > 0 {
			// ECDH options (cofactor mode, X9.63 KDF) would change the output.
			env.Errorf("pkeyutl: kmsconform implements -derive without -pkeyopt only\nkmsconform: hint: derive the raw secret, then run `openssl kdf` on it\n")
			return 1
		}
		return pkeyDerive(env, a, priv, peerform)
	}
	rsaPub, isRSA := pub.(*rsa.PublicKey)
	if !isRSA {
		env.Errorf("pkeyutl: Error initializing context\n")
		env.Errorf("00000000:error:03000096:digital envelope routines:evp_pkey_asym_cipher_init:operation not supported for this keytype:../crypto/evp/asymcipher.c:188:\n")
		return 1
	}
	pad, ok := parseRSAPkeyopts(env, a.vals["pkeyopt"])
	if !ok {
		return 1
	}
	return runRSACipher(env, a, op, rsaPub, priv, pad, "Public Key operation error")
}

// parseRSAPkeyopts applies -pkeyopt values in order, as openssl 3.0 does:
// rsa_oaep_md and rsa_mgf1_md are recorded whatever the padding, but only
// take effect with rsa_padding_mode:oaep (the 3.x quirk: alone they leave
// PKCS#1 v1.5 in force, silently). Before 3.0 they are refused unless
// rsa_padding_mode:oaep came first.
func parseRSAPkeyopts(env *Env, opts []string) (rsaPadding, bool) {
	p := rsaPadding{mode: "pkcs1"}
	for _, o := range opts {
		k, v, found := strings.Cut(o, ":")
		bad := func(reason string) (rsaPadding, bool) {
			env.Errorf("pkeyutl: Can't set parameter \"%s\":\n%s\n", o, reason)
			return p, false
		}
		if !found {
			return bad("00000000:error:03000093:digital envelope routines:default_fixup_args:command not supported:../crypto/evp/ctrl_params_translate.c:582:[action:2, state:4] name=" + o)
		}
		switch k {
		case "rsa_padding_mode":
			p.mode = strings.ToLower(v)
		case "rsa_oaep_md", "rsa_mgf1_md":
			if !env.Profile.PkeyutlOAEPMD {
				env.Errorf("parameter setting error\n00000000:error:06089093:digital envelope routines:EVP_PKEY_CTX_ctrl_str:command not supported:pmeth_lib.c:360:\n")
				env.Errorf("kmsconform: hint: %s has no -pkeyopt %s (the macOS LibreSSL pkeyutl issue); use OpenSSL 1.1.1 or later\n", env.Profile.Description, k)
				return p, false
			}
			if env.Profile.OAEPMDNeedsOAEPMode && p.mode != "oaep" {
				// 1.1.1 checks the padding mode when the digest is set.
				env.Errorf("pkeyutl: Can't set parameter \"%s\":\n00000000:error:0408F08D:rsa routines:pkey_rsa_ctrl:invalid padding mode:../crypto/rsa/rsa_pmeth.c:491:\n", o)
				env.Errorf("kmsconform: hint: %s needs -pkeyopt rsa_padding_mode:oaep before -pkeyopt %s\n", env.Profile.Description, k)
				return p, false
			}
			h, err := oracle.HashByName(v)
			if err != nil {
				return bad("00000000:error:0308010C:digital envelope routines:inner_evp_generic_fetch:unsupported:../crypto/evp/evp_fetch.c:386:Global default library context, Algorithm (" + v + " : 0), Properties ()")
			}
			if k == "rsa_oaep_md" {
				p.oaepMD, p.mdGiven = h, true
			} else {
				p.mgf1MD, p.mgfGiven = h, true
			}
		case "rsa_oaep_label":
			b, err := hex.DecodeString(v)
			if err != nil {
				return bad("00000000:error:07800066:common libcrypto routines:hexstr2buf_sep:illegal hex digit:../crypto/o_str.c:167:")
			}
			p.label = b
		default:
			return bad("00000000:error:03000093:digital envelope routines:default_fixup_args:command not supported:../crypto/evp/ctrl_params_translate.c:582:[action:2, state:4] name=" + k + ", value=" + v)
		}
	}
	return p, true
}

func (p rsaPadding) oaep() oracle.OAEPParams {
	o := oracle.OAEPParams{LabelHash: crypto.SHA1, MGF1Hash: crypto.SHA1, Label: p.label}
	if p.mdGiven {
		o.LabelHash, o.MGF1Hash = p.oaepMD, p.oaepMD
	}
	if p.mgfGiven {
		o.MGF1Hash = p.mgf1MD
	}
	return o
}

var errUnknownPadding = &oracle.PKeyError{Code: "02000076", Func: "rsa_ossl_public_encrypt", Reason: "unknown padding type", Location: "../crypto/rsa/rsa_ossl.c:126"}

func rsaEncrypt(pub *rsa.PublicKey, in []byte, p rsaPadding) ([]byte, error) {
	switch p.mode {
	case "pkcs1":
		return oracle.EncryptPKCS1v15(rand.Reader, pub, in)
	case "oaep":
		return oracle.EncryptOAEP(rand.Reader, pub, in, p.oaep())
	case "none":
		return oracle.EncryptRaw(pub, in)
	}
	return nil, errUnknownPadding
}

func rsaDecrypt(priv *rsa.PrivateKey, in []byte, p rsaPadding) ([]byte, error) {
	switch p.mode {
	case "pkcs1":
		return oracle.DecryptPKCS1v15(priv, in)
	case "oaep":
		return oracle.DecryptOAEP(priv, in, p.oaep())
	case "none":
		return oracle.DecryptRaw(priv, in)
	}
	return nil, errUnknownPadding
}

// pkeyDerive is `pkeyutl -derive -inkey MINE -peerkey THEIRS`: raw ECDH.
func pkeyDerive(env *Env, a *keyArgs, priv crypto.PrivateKey, peerform string) int {
	mine, ok := priv.(*ecdsa.PrivateKey)
	if !ok {
		env.Errorf("pkeyutl: Error initializing context\n00000000:error:03000096:digital envelope routines:EVP_PKEY_derive_init_ex:operation not supported for this keytype:../crypto/evp/exchange.c:359:\n")
		return 1
	}
	peerName := a.str("peerkey")
	if peerName == "" {
		env.Errorf("Key derivation failed\n00000000:error:1C800080:Provider routines:ecdh_plain_derive:missing key:../providers/implementations/exchange/ecdh_exch.c:429:\n")
		return 1
	}
	peerFail := func() int {
		env.Errorf("Error reading peer key %s\npkeyutl: Error setting up peer key\npkeyutl: Error initializing context\n", peerName)
		return 1
	}
	// openssl 3.0 reads the peer key as a public key only: a private key
	// file is refused.
	data, err := readInput(env, peerName)
	if err != nil {
		env.Errorf("Could not open file or uri for loading peer key from %s\n", peerName)
		return peerFail()
	}
	var peer *ecdsa.PublicKey
	if !env.Profile.KeyformAutodetect && peerform != "DER" && !oracle.IsPEM(data) {
		env.Errorf("unable to load Peer Key\nkmsconform: hint: add -peerform DER for a DER peer key\n")
		return peerFail()
	}
	if k, err := oracle.ParsePublicKey(data); err == nil {
		peer, _ = k.(*ecdsa.PublicKey)
	}
	if peer == nil || peer.Curve != mine.Curve {
		env.Errorf("Could not read peer key from %s\n00000000:error:1608010C:STORE routines:ossl_store_handle_load_result:unsupported:../crypto/store/store_result.c:149:\n", peerName)
		if peer != nil {
			env.Errorf("kmsconform: hint: the peer key is on a different curve than -inkey\n")
		}
		return peerFail()
	}
	secret, err := oracle.ECDH(mine, peer)
	if err != nil {
		env.Errorf("Key derivation failed\n00000000:error:kmsconform:%v\n", err)
		return 1
	}
	if err := writeOutput(env, a.str("out"), secret, true); err != nil {
		openOutputError(env, a.str("out"), err)
		return 1
	}
	return 0
}
