package oracle

import (
	"crypto"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/pbkdf2"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
)

// maxKDFOut bounds every KDF output, far above any real use, so that a bad
// -keylen cannot exhaust memory.
const maxKDFOut = 1 << 20

func checkKDF(h crypto.Hash, keyLen int) error {
	if err := checkHash(h); err != nil {
		return err
	}
	if keyLen <= 0 || keyLen > maxKDFOut {
		return fmt.Errorf("invalid KDF output length %d (1 to %d bytes)", keyLen, maxKDFOut)
	}
	return nil
}

// SSKDF is the NIST SP 800-56C rev. 2 one-step KDF, hash variant:
// K(i) = H(counter_32 || secret || info), counter from 1, truncated to
// keyLen. It equals `openssl kdf -kdfopt digest:H -kdfopt hexkey:SECRET
// -kdfopt hexinfo:INFO SSKDF`.
func SSKDF(h crypto.Hash, secret, info []byte, keyLen int) ([]byte, error) {
	if err := checkKDF(h, keyLen); err != nil {
		return nil, err
	}
	if len(secret) == 0 {
		return nil, errors.New("SSKDF needs a non-empty secret")
	}
	return counterHash(h, keyLen, func(d hashWriter, ctr []byte) {
		d.Write(ctr)
		d.Write(secret)
		d.Write(info)
	}), nil
}

// SSKDFHMAC is the SP 800-56C rev. 2 one-step KDF, HMAC variant:
// K(i) = HMAC(salt, counter_32 || secret || info), counter from 1. An empty
// salt means hLen zero bytes, as in openssl. It equals `openssl kdf -kdfopt
// mac:HMAC -kdfopt digest:H -kdfopt hexkey:SECRET -kdfopt hexsalt:SALT
// -kdfopt hexinfo:INFO SSKDF`.
func SSKDFHMAC(h crypto.Hash, secret, salt, info []byte, keyLen int) ([]byte, error) {
	if err := checkKDF(h, keyLen); err != nil {
		return nil, err
	}
	if len(secret) == 0 {
		return nil, errors.New("SSKDF needs a non-empty secret")
	}
	if len(salt) == 0 {
		salt = make([]byte, h.Size())
	}
	out := make([]byte, 0, keyLen+h.Size())
	var ctr [4]byte
	for i := uint32(1); len(out) < keyLen; i++ {
		binary.BigEndian.PutUint32(ctr[:], i)
		m := hmac.New(h.New, salt)
		m.Write(ctr[:])
		m.Write(secret)
		m.Write(info)
		out = m.Sum(out)
	}
	return out[:keyLen], nil
}

// X963KDF is the ANSI X9.63 KDF: K(i) = H(secret || counter_32 || sharedInfo),
// counter from 1. It equals `openssl kdf ... X963KDF`.
func X963KDF(h crypto.Hash, secret, sharedInfo []byte, keyLen int) ([]byte, error) {
	if err := checkKDF(h, keyLen); err != nil {
		return nil, err
	}
	if len(secret) == 0 {
		return nil, errors.New("X963KDF needs a non-empty secret")
	}
	return counterHash(h, keyLen, func(d hashWriter, ctr []byte) {
		d.Write(secret)
		d.Write(ctr)
		d.Write(sharedInfo)
	}), nil
}

type hashWriter interface{ Write([]byte) (int, error) }

// counterHash concatenates H(feed(counter)) for counter = 1, 2, ...
func counterHash(h crypto.Hash, keyLen int, feed func(d hashWriter, ctr []byte)) []byte {
	out := make([]byte, 0, keyLen+h.Size())
	var ctr [4]byte
	d := h.New()
	for i := uint32(1); len(out) < keyLen; i++ {
		binary.BigEndian.PutUint32(ctr[:], i)
		d.Reset()
		feed(d, ctr[:])
		out = d.Sum(out)
	}
	return out[:keyLen]
}

// HKDF is RFC 5869 extract-and-expand, as `openssl kdf ... HKDF` (mode
// EXTRACT_AND_EXPAND). An empty salt means hLen zero bytes.
func HKDF(h crypto.Hash, secret, salt, info []byte, keyLen int) ([]byte, error) {
	if err := checkKDF(h, keyLen); err != nil {
		return nil, err
	}
	if keyLen > 255*h.Size() {
		return nil, fmt.Errorf("HKDF output of %d bytes is longer than 255·hLen = %d", keyLen, 255*h.Size())
	}
	return hkdf.Key(h.New, secret, salt, string(info), keyLen)
}

// KBKDFCounterHMAC is the NIST SP 800-108 KDF in counter mode with HMAC, in
// the layout `openssl kdf -kdfopt mac:HMAC -kdfopt digest:H -kdfopt
// hexkey:KEY -kdfopt hexsalt:LABEL -kdfopt hexinfo:CONTEXT KBKDF` uses by
// default: K(i) = HMAC(key, i_32 || label || 0x00 || context || L_32), with
// L the output length in bits.
func KBKDFCounterHMAC(h crypto.Hash, key, label, context []byte, keyLen int) ([]byte, error) {
	return KBKDF(KBKDFParams{Hash: h, Key: key, Label: label, Context: context}, keyLen)
}

// PBKDF2 is PBKDF2-HMAC (RFC 8018) as `openssl kdf ... PBKDF2` computes it.
func PBKDF2(h crypto.Hash, password, salt []byte, iter, keyLen int) ([]byte, error) {
	if err := checkKDF(h, keyLen); err != nil {
		return nil, err
	}
	if iter < 1 {
		return nil, fmt.Errorf("invalid PBKDF2 iteration count %d (at least 1)", iter)
	}
	return pbkdf2.Key(h.New, string(password), salt, iter, keyLen)
}

// ESDKECDHLabel is the first field of the AWS Encryption SDK ECDH keyrings' FixedInfo.
const ESDKECDHLabel = "ecdh-key-derivation"

// ESDKECDHFixedInfo serializes the FixedInfo of the AWS Encryption SDK's raw
// and KMS ECDH keyrings (keyring version 1):
//
//	"ecdh-key-derivation" 00 curve 00 "HMAC_SHA384" 00 senderPub recipientPub 00 01 00 context
//
// where curve is the Material Providers Library's curve string ("p256",
// "p384", "p521"), the public keys are as the keyring holds them (DER
// SubjectPublicKeyInfo) and context is the canonicalized encryption context.
func ESDKECDHFixedInfo(curve string, senderPub, recipientPub, context []byte) ([]byte, error) {
	c, err := LookupCurve(curve)
	if err != nil {
		return nil, err
	}
	if len(senderPub) == 0 || len(recipientPub) == 0 {
		return nil, errors.New("ESDK ECDH derivation needs both the sender's and the recipient's public key")
	}
	var info []byte
	info = append(info, ESDKECDHLabel...)
	info = append(info, 0)
	info = append(info, strings.ToLower(strings.ReplaceAll(c.NIST, "-", ""))...)
	info = append(info, 0)
	info = append(info, "HMAC_SHA384"...)
	info = append(info, 0)
	info = append(info, senderPub...)
	info = append(info, recipientPub...)
	info = append(info, 0, 1, 0)
	info = append(info, context...)
	return info, nil
}

// ESDKECDHKeyringKeyWithSalt derives the 64 bytes of keying material of the
// AWS Encryption SDK's raw and KMS ECDH keyrings (first 32: commitment key,
// last 32: wrapping key) as the Material Providers Library does: SP 800-108
// counter mode with HMAC-SHA-384 keyed with the raw ECDH shared secret, the
// FixedInfo as label and the keyring's random salt (32 bytes, stored in the
// encrypted data key) as context:
//
//	K(i) = HMAC-SHA384(secret, i_32 || FixedInfo || 00 || salt || 512_32)
//
// It is KBKDFCounterHMAC(SHA384, secret, FixedInfo, salt, 64), so `openssl
// kdf -kdfopt mac:HMAC -kdfopt digest:SHA384 -kdfopt hexsalt:FIXEDINFO
// -kdfopt hexinfo:SALT KBKDF` reproduces it.
func ESDKECDHKeyringKeyWithSalt(curve string, sharedSecret, senderPub, recipientPub, context, salt []byte) ([]byte, error) {
	c, err := LookupCurve(curve)
	if err != nil {
		return nil, err
	}
	if len(sharedSecret) != c.Size {
		return nil, fmt.Errorf("ECDH shared secret for %s must be %d bytes, got %d", c.KMS, c.Size, len(sharedSecret))
	}
	fixed, err := ESDKECDHFixedInfo(curve, senderPub, recipientPub, context)
	if err != nil {
		return nil, err
	}
	return KBKDFCounterHMAC(crypto.SHA384, sharedSecret, fixed, salt, 64)
}

// ESDKECDHKeyringKey derives 64 bytes from an ECDH shared secret with the
// FixedInfo as kms-api.md spells it, in openssl's KBKDF framing:
//
//	K(i) = HMAC-SHA384(secret, i_32 || "ecdh-key-derivation" || 00 || curve || 00 ||
//	       "HMAC_SHA384" || 00 || senderPub || recipientPub || 00 01 00 || context || 512_32)
//
// with curve the KMS key spec ("ECC_NIST_P256", ...). That is
// KBKDFCounterHMAC(SHA384, secret, "ecdh-key-derivation", rest, 64), i.e.
// `openssl kdf ... -kdfopt salt:ecdh-key-derivation -kdfopt hexinfo:REST KBKDF`.
//
// Real Encryption SDK keyrings (the Material Providers Library) frame it
// differently: curve "p256"/"p384"/"p521", the whole FixedInfo as the label
// and a random 32-byte salt as the context. ESDKECDHKeyringKeyWithSalt
// reproduces those keys; this function stays for callers that pair it with
// the openssl command above.
func ESDKECDHKeyringKey(curve string, sharedSecret, senderPub, recipientPub, context []byte) ([]byte, error) {
	c, err := LookupCurve(curve)
	if err != nil {
		return nil, err
	}
	if len(sharedSecret) != c.Size {
		return nil, fmt.Errorf("ECDH shared secret for %s must be %d bytes, got %d", c.KMS, c.Size, len(sharedSecret))
	}
	if len(senderPub) == 0 || len(recipientPub) == 0 {
		return nil, errors.New("ESDK ECDH derivation needs both the sender's and the recipient's public key")
	}
	var info []byte
	info = append(info, c.KMS...)
	info = append(info, 0)
	info = append(info, "HMAC_SHA384"...)
	info = append(info, 0)
	info = append(info, senderPub...)
	info = append(info, recipientPub...)
	info = append(info, 0, 1, 0)
	info = append(info, context...)
	return KBKDFCounterHMAC(crypto.SHA384, sharedSecret, []byte(ESDKECDHLabel), info, 64)
}
