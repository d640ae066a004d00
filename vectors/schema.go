package vectors

// Result is what a test expects of an implementation, as in Wycheproof.
type Result string

// The three results a test may expect.
const (
	// Valid: the implementation must give exactly the expected output.
	Valid Result = "valid"
	// Invalid: the implementation must fail, or give something other than
	// the expected output (a harness compares bytes, never trusts an exit code).
	Invalid Result = "invalid"
	// Acceptable: either outcome is allowed; harnesses record which happened.
	Acceptable Result = "acceptable"
)

// Schema names, one per group type. A file's "schema" field names the
// group type of all its testGroups.
const (
	SchemaEnc  = "kmsconform_enc_decrypt_v1"
	SchemaRSA  = "kmsconform_rsa_decrypt_v1"
	SchemaECDH = "kmsconform_ecdh_v1"
	SchemaKDF  = "kmsconform_kdf_v1"
)

// Case holds the fields every test has, whatever its group type.
type Case struct {
	// TcID is the test's id, unique and positive within its file.
	TcID int `json:"tcId"`
	// Comment says in words what the case is and how it was produced.
	Comment string `json:"comment"`
	// Flags name the pitfalls the case exercises; each is a key of the
	// file's notes. May be empty, never absent.
	Flags []string `json:"flags"`
	// Result is valid, invalid or acceptable.
	Result Result `json:"result"`
}

// File is one vector file: a header shared by all schemas and the groups of
// one group type G (EncGroup, RSAGroup, ECDHGroup or KDFGroup).
type File[G Group] struct {
	// Algorithm names what the file tests, e.g. "openssl-enc", "RSAES".
	Algorithm string `json:"algorithm"`
	// Schema is one of the Schema* constants and matches G.
	Schema string `json:"schema"`
	// GeneratorVersion is what `openssl version` printed on the machine
	// that recorded the file.
	GeneratorVersion string `json:"generatorVersion"`
	// NumberOfTests is the number of tests over all groups.
	NumberOfTests int `json:"numberOfTests"`
	// Header is free text about the file (optional).
	Header []string `json:"header,omitempty"`
	// Notes maps each flag used in the file to a description of its pitfall.
	Notes map[string]string `json:"notes"`
	// TestGroups holds the tests, grouped by their shared parameters.
	TestGroups []G `json:"testGroups"`
}

// Group is the set of group types a File can hold.
type Group interface {
	EncGroup | RSAGroup | ECDHGroup | KDFGroup
}

// EncGroup holds `openssl enc -d` cases sharing the decrypting side's
// parameters. Each test's ct was produced by real openssl (how: its comment);
// decrypting ct with the group's parameters and the test's password must give
// msg (valid) or must not (invalid).
type EncGroup struct {
	// Type is "EncDecrypt".
	Type string `json:"type"`
	// Compat is the oracle profile of the decrypting side ("3.0", "1.0.2", ...):
	// it decides the default digest and whether -S writes a header.
	Compat string `json:"compat"`
	// Cipher is the openssl cipher name, e.g. "aes-256-cbc".
	Cipher string `json:"cipher"`
	// MD is the -md digest; "" means the Compat profile's default.
	MD string `json:"md"`
	// PBKDF2 is true for -pbkdf2 (else EVP_BytesToKey with count 1).
	PBKDF2 bool `json:"pbkdf2"`
	// Iter is -iter; 0 means openssl's default (10000 with -pbkdf2).
	Iter int `json:"iter"`
	// SaltMode is "header" (Salted__ + salt read from ct), "nosalt"
	// (-nosalt) or "explicit" (-S Salt).
	SaltMode string `json:"saltMode"`
	// Salt is the -S salt (8 bytes), only with SaltMode "explicit".
	Salt Hex `json:"salt,omitempty"`
	// Base64 is true for -a: ct is base64 text with 64-column lines.
	Base64 bool `json:"base64"`
	// Tests are the cases.
	Tests []EncTest `json:"tests"`
}

// EncTest is one enc decryption case.
type EncTest struct {
	Case
	// Password is the password bytes the decrypting side uses.
	Password Hex `json:"password"`
	// Msg is the plaintext that was encrypted.
	Msg Hex `json:"msg"`
	// Ct is openssl's output (base64 text when the group has Base64).
	Ct Hex `json:"ct"`
	// Key and IV are what `openssl enc -P` derived for this password and
	// the group parameters (valid cases with a derivation only; else absent).
	Key Hex `json:"key,omitempty"`
	// IV: see Key; absent for ECB, which has no IV.
	IV Hex `json:"iv,omitempty"`
}

// RSAGroup holds RSA decryption cases under one private key and one padding.
type RSAGroup struct {
	// Type is "RsaDecrypt".
	Type string `json:"type"`
	// KeySize is the modulus size in bits.
	KeySize int `json:"keySize"`
	// PrivateKeyPem is the PKCS#8 PEM private key ("PRIVATE KEY").
	PrivateKeyPem string `json:"privateKeyPem"`
	// Padding is "oaep" or "pkcs1" (RSAES-PKCS1-v1_5).
	Padding string `json:"padding"`
	// SHA is the OAEP label hash (openssl name, e.g. "sha256"); oaep only.
	SHA string `json:"sha,omitempty"`
	// MGFSHA is the OAEP MGF1 hash; oaep only.
	MGFSHA string `json:"mgfSha,omitempty"`
	// Tests are the cases.
	Tests []RSATest `json:"tests"`
}

// RSATest is one RSA decryption case.
type RSATest struct {
	Case
	// Label is the OAEP label the decrypting side uses ("" for none; always
	// "" with padding pkcs1).
	Label Hex `json:"label"`
	// Msg is the plaintext that was encrypted.
	Msg Hex `json:"msg"`
	// Ct is the ciphertext openssl produced.
	Ct Hex `json:"ct"`
}

// ECDHGroup holds ECDH derive cases on one curve.
type ECDHGroup struct {
	// Type is "EcdhDerive".
	Type string `json:"type"`
	// Curve is the curve the private keys are on: "P-256", "P-384", "P-521".
	Curve string `json:"curve"`
	// Tests are the cases.
	Tests []ECDHTest `json:"tests"`
}

// ECDHTest is one `openssl pkeyutl -derive` case.
type ECDHTest struct {
	Case
	// Private is our PKCS#8 DER private key.
	Private Hex `json:"private"`
	// Public is the peer's SubjectPublicKeyInfo DER public key.
	Public Hex `json:"public"`
	// Shared is the derived secret (the raw X coordinate); "" when invalid.
	Shared Hex `json:"shared"`
}

// KDFGroup holds `openssl kdf` cases for one KDF and digest.
type KDFGroup struct {
	// Type is "KdfDerive".
	Type string `json:"type"`
	// KDF is SSKDF, X963KDF, HKDF, KBKDF or PBKDF2.
	KDF string `json:"kdf"`
	// Digest is the digest (openssl name, e.g. "SHA256").
	Digest string `json:"digest"`
	// Mac is the KBKDF MAC ("HMAC"); "" for the other KDFs.
	Mac string `json:"mac"`
	// Tests are the cases.
	Tests []KDFTest `json:"tests"`
}

// KDFTest is one KDF case. Field names follow openssl's -kdfopt names: for
// KBKDF, Salt is the label and Info the context; for PBKDF2, Key is the
// password; for SSKDF and X963KDF, Info is the other/shared info.
type KDFTest struct {
	Case
	// Key is the secret (hexkey) or, for PBKDF2, the password.
	Key Hex `json:"key"`
	// Salt is hexsalt (HKDF salt, KBKDF label, PBKDF2 salt); "" if unused.
	Salt Hex `json:"salt"`
	// Info is hexinfo (HKDF info, SSKDF/X963KDF info, KBKDF context).
	Info Hex `json:"info"`
	// Iter is the PBKDF2 iteration count; 0 for the other KDFs.
	Iter int `json:"iter"`
	// KeyLen is -keylen, the output length in bytes.
	KeyLen int `json:"keyLen"`
	// Out is the expected output (keyLen bytes).
	Out Hex `json:"out"`
}
