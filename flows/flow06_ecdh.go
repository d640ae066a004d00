package flows

import (
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/kmsconform/kmsconform/oracle"
)

// Flow 6 — seed 003: ECDH between an openssl key and a KMS KEY_AGREEMENT
// key; pkeyutl -derive and DeriveSharedSecret must agree, then both sides
// run the same KDF (openssl kdf) and exchange data with enc -K -iv.
func init() {
	f := &Flow{ID: 6, Title: "ECDH: pkeyutl -derive = DeriveSharedSecret, then a KDF on both sides and enc -K -iv", Seeds: []string{"003"}}
	curves := []struct{ spec, name string }{{"ECC_NIST_P256", "prime256v1"}, {"ECC_NIST_P384", "secp384r1"}, {"ECC_NIST_P521", "secp521r1"}}
	for _, cv := range curves {
		for _, kdf := range []string{"SSKDF", "X963KDF", "HKDF", "ESDK-KEYRING", "ESDK-MPL"} {
			f.Cases = append(f.Cases, Case{
				Name: cv.spec + "-" + kdf, Params: P("key_spec", cv.spec, "curve", cv.name, "kdf", kdf),
				Needs: Both(FeatureKDF), Expect: MustPass,
				Run: func(x *X) { flow6(x, cv.spec, cv.name, kdf) },
			})
		}
	}
	register(f)
}

func flow6(x *X, spec, curve, kdf string) {
	kid := x.SharedKey(spec, "KEY_AGREEMENT", "")
	// Partner: an EC key pair with openssl, the public half as DER for KMS.
	x.Producer("ecparam", "-name", curve, "-genkey", "-noout", "-out", "openssl_ecc_private_key.pem")
	x.Producer("ec", "-in", "openssl_ecc_private_key.pem", "-pubout", "-outform", "DER", "-out", "openssl_ecc_public_key.der")
	// Owner's KMS public key, as PEM for the partner.
	x.GetPublicKey(kid, "kms_ecdh_public_key.der")
	x.Producer("ec", "-pubin", "-inform", "DER", "-outform", "PEM", "-in", "kms_ecdh_public_key.der", "-out", "kms_ecdh_public_key.pem")
	// Both sides derive the shared secret.
	x.Producer("pkeyutl", "-derive", "-inkey", "openssl_ecc_private_key.pem", "-peerkey", "kms_ecdh_public_key.pem", "-out", "openssl.ss")
	x.DeriveSharedSecret(kid, "openssl_ecc_public_key.der", "kms.ss")
	x.Same("openssl.ss", "kms.ss")
	// Never use the raw secret as a key: both sides run the KDF.
	keyOff, ivOff := 0, 32 // AES-256 key ‖ IV
	switch kdf {
	case "ESDK-MPL":
		// The keyring as the Material Providers Library frames it: the
		// whole FixedInfo as the KBKDF label, a random 32-byte salt as
		// the context.
		x.Producer("rand", "-out", "esdk.salt", "32")
		esdkMPL(x, spec, "openssl.ss", "producer.key")
		esdkMPLOracle(x, spec, "kms.ss", "consumer.key")
		keyOff, ivOff = 32, 0
	case "ESDK-KEYRING":
		// The AWS Encryption SDK's ECDH keyring KDF: openssl's KBKDF on the
		// partner's side, the oracle's implementation of the SDK on the
		// owner's. 64 bytes: commitment key ‖ wrapping key.
		esdkKBKDF(x, spec, "openssl.ss", "producer.key")
		esdkOracle(x, spec, "kms.ss", "consumer.key")
		keyOff, ivOff = 32, 0
	default:
		runKDF(x, Producer, kdf, "openssl.ss", "producer.key")
		runKDF(x, Consumer, kdf, "kms.ss", "consumer.key")
	}
	x.Same("producer.key", "consumer.key")
	k := x.ReadFile("producer.key")
	if x.Failed() || len(k) < keyOff+32 || len(k) < ivOff+16 {
		x.failf("flow error: the KDF output is %d bytes, too short", len(k))
		return
	}
	key, iv := hex.EncodeToString(k[keyOff:keyOff+32]), hex.EncodeToString(k[ivOff:ivOff+16])
	keyShown := fmt.Sprintf("$(tail -c+%d producer.key | head -c32 | od -An -v -tx1 | tr -d ' \\n')", keyOff+1)
	ivShown := fmt.Sprintf("$(tail -c+%d producer.key | head -c16 | od -An -v -tx1 | tr -d ' \\n')", ivOff+1)
	x.RandomFile("DATA", 1000)
	x.Run(Producer, Cmd{Args: []string{"enc", "-aes-256-cbc", "-K", key, "-iv", iv, "-in", "DATA", "-out", "DATA.enc"},
		Display: []string{"enc", "-aes-256-cbc", "-K", keyShown, "-iv", ivShown, "-in", "DATA", "-out", "DATA.enc"}})
	keyShown = strings.ReplaceAll(keyShown, "producer.key", "consumer.key")
	ivShown = strings.ReplaceAll(ivShown, "producer.key", "consumer.key")
	x.Run(Consumer, Cmd{Args: []string{"enc", "-d", "-aes-256-cbc", "-K", key, "-iv", iv, "-in", "DATA.enc", "-out", "DATA_plaintext"},
		Display: []string{"enc", "-d", "-aes-256-cbc", "-K", keyShown, "-iv", ivShown, "-in", "DATA.enc", "-out", "DATA_plaintext"}})
	x.Same("DATA", "DATA_plaintext")
}

// runKDF derives 48 bytes (AES-256 key ‖ IV) from the secret in file ss
// with `openssl kdf` on role's engine. The secret is passed as hex on the
// command line (openssl kdf has no file input); the recorded line reads it
// from the file instead so that no secret is logged.
func runKDF(x *X, role Role, kdf, ss, out string) {
	secret := x.ReadFile(ss)
	if x.Failed() {
		return
	}
	opt := "hexkey"
	info := []string{"-kdfopt", "hexinfo:" + hex.EncodeToString([]byte("kmsconform flow 6"))}
	if kdf == "HKDF" {
		info = append(info, "-kdfopt", "hexsalt:00")
	}
	args := append([]string{"kdf", "-keylen", "48", "-kdfopt", "digest:SHA256", "-kdfopt", opt + ":" + hex.EncodeToString(secret)}, info...)
	args = append(args, "-binary", "-out", out, kdf)
	shown := append([]string{}, args...)
	shown[6] = fmt.Sprintf("%s:$(od -An -v -tx1 %s | tr -d ' \\n')", opt, ss)
	x.Run(role, Cmd{Args: args, Display: shown})
}

// esdkInfo is the FixedInfo of the Encryption SDK's ECDH keyring after the
// label: curve, "HMAC_SHA384", both public keys (DER), 00 01 00, and an
// empty encryption context.
func esdkInfo(spec string, sender, recipient []byte) []byte {
	info := append([]byte(spec), 0)
	info = append(info, "HMAC_SHA384"...)
	info = append(info, 0)
	info = append(info, sender...)
	info = append(info, recipient...)
	return append(info, 0, 1, 0)
}

// esdkKBKDF runs the keyring KDF with `openssl kdf ... KBKDF` (SP 800-108
// counter mode, HMAC-SHA-384) on the producer; sender is the partner's
// public key, recipient the KMS key's.
func esdkKBKDF(x *X, spec, ss, out string) {
	secret := x.ReadFile(ss)
	sender, recipient := x.ReadFile("openssl_ecc_public_key.der"), x.ReadFile("kms_ecdh_public_key.der")
	if x.Failed() {
		return
	}
	args := []string{"kdf", "-keylen", "64", "-kdfopt", "mac:HMAC", "-kdfopt", "digest:SHA384",
		"-kdfopt", "hexkey:" + hex.EncodeToString(secret),
		"-kdfopt", "hexsalt:" + hex.EncodeToString([]byte(oracle.ESDKECDHLabel)),
		"-kdfopt", "hexinfo:" + hex.EncodeToString(esdkInfo(spec, sender, recipient)),
		"-binary", "-out", out, "KBKDF"}
	shown := append([]string{}, args...)
	shown[8] = fmt.Sprintf("hexkey:$(od -An -v -tx1 %s | tr -d ' \\n')", ss)
	shown[12] = fmt.Sprintf(`hexinfo:$({ printf '%s\000HMAC_SHA384\000'; cat openssl_ecc_public_key.der kms_ecdh_public_key.der; printf '\000\001\000'; } | od -An -v -tx1 | tr -d ' \n')`, spec)
	x.Run(Producer, Cmd{Args: args, Display: shown})
}

// esdkOracle derives the same 64 bytes with the oracle's implementation of
// the Encryption SDK keyring (oracle.ESDKECDHKeyringKey) on the owner side.
func esdkOracle(x *X, spec, ss, out string) {
	secret := x.ReadFile(ss)
	sender, recipient := x.ReadFile("openssl_ecc_public_key.der"), x.ReadFile("kms_ecdh_public_key.der")
	if x.Failed() {
		return
	}
	start := time.Now()
	k, err := oracle.ESDKECDHKeyringKey(spec, secret, sender, recipient, nil)
	if err == nil {
		err = x.writeKMSOutput(out, k)
	}
	x.harness(fmt.Sprintf("# AWS Encryption SDK ECDH keyring KDF over %s (kmsconform oracle: ESDKECDHKeyringKey %s) > %s", ss, spec, out), start, err)
}

// esdkMPL runs the Material Providers Library's keyring KDF with `openssl
// kdf ... KBKDF`: label = FixedInfo ("ecdh-key-derivation" 00 p256 00
// "HMAC_SHA384" 00 senderPub recipientPub 00 01 00), context = the salt.
func esdkMPL(x *X, spec, ss, out string) {
	secret := x.ReadFile(ss)
	sender, recipient, salt := x.ReadFile("openssl_ecc_public_key.der"), x.ReadFile("kms_ecdh_public_key.der"), x.ReadFile("esdk.salt")
	if x.Failed() {
		return
	}
	fixed, err := oracle.ESDKECDHFixedInfo(spec, sender, recipient, nil)
	if err != nil {
		x.failf("flow error: %v", err)
		return
	}
	c, _ := oracle.LookupCurve(spec)
	curve := strings.ToLower(strings.ReplaceAll(c.NIST, "-", ""))
	args := []string{"kdf", "-keylen", "64", "-kdfopt", "mac:HMAC", "-kdfopt", "digest:SHA384",
		"-kdfopt", "hexkey:" + hex.EncodeToString(secret),
		"-kdfopt", "hexsalt:" + hex.EncodeToString(fixed),
		"-kdfopt", "hexinfo:" + hex.EncodeToString(salt),
		"-binary", "-out", out, "KBKDF"}
	shown := append([]string{}, args...)
	shown[8] = fmt.Sprintf("hexkey:$(od -An -v -tx1 %s | tr -d ' \\n')", ss)
	shown[10] = fmt.Sprintf(`hexsalt:$({ printf 'ecdh-key-derivation\000%s\000HMAC_SHA384\000'; cat openssl_ecc_public_key.der kms_ecdh_public_key.der; printf '\000\001\000'; } | od -An -v -tx1 | tr -d ' \n')`, curve)
	shown[12] = "hexinfo:$(od -An -v -tx1 esdk.salt | tr -d ' \\n')"
	x.Run(Producer, Cmd{Args: args, Display: shown})
}

// esdkMPLOracle derives the same bytes with oracle.ESDKECDHKeyringKeyWithSalt.
func esdkMPLOracle(x *X, spec, ss, out string) {
	secret := x.ReadFile(ss)
	sender, recipient, salt := x.ReadFile("openssl_ecc_public_key.der"), x.ReadFile("kms_ecdh_public_key.der"), x.ReadFile("esdk.salt")
	if x.Failed() {
		return
	}
	start := time.Now()
	k, err := oracle.ESDKECDHKeyringKeyWithSalt(spec, secret, sender, recipient, nil, salt)
	if err == nil {
		err = x.writeKMSOutput(out, k)
	}
	x.harness(fmt.Sprintf("# AWS Encryption SDK ECDH keyring KDF (Material Providers Library framing) over %s with esdk.salt (kmsconform oracle: ESDKECDHKeyringKeyWithSalt %s) > %s", ss, spec, out), start, err)
}
