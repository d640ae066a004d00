// Package oracle is kmsconform's Go reference implementation of the openssl
// operations the partner runbooks use, exact to the byte: `enc` (AES in
// CBC, CTR, CFB, OFB and ECB, EVP_BytesToKey and PBKDF2 key derivation, the
// Salted__ header, base64), `rand`, RSA (OAEP with independent label and
// MGF1 hashes, PKCS#1 v1.5, raw), EC keys and ECDH, and the KDFs (SSKDF,
// X9.63, HKDF, KBKDF, PBKDF2, the AWS Encryption SDK ECDH keyring).
//
// Large data streams (io.Reader to io.Writer) in flat memory. What differs
// between openssl versions — default digests, header rules, missing
// options — is data in a Profile (compat.go), selected by name; the
// default is the 3.x behaviour.
//
// The oracle is a second, independent implementation: suites/differential,
// vectors/ and suites/crossversion judge it against real openssl binaries.
// The command line over it is package opensslcli.
package oracle
