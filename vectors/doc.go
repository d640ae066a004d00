// Package vectors holds kmsconform's known-answer vectors, recorded from real
// openssl by scripts/gen-vectors.sh, and the one strict loader that reads
// them. The schema follows Wycheproof's shape (see README.md): a file has a
// header and testGroups of shared parameters; each test has a tcId, a
// comment, flags naming the pitfall it exercises, inputs and outputs in hex,
// and a result (valid, invalid or acceptable).
package vectors

// The committed vector file names, in this package's directory.
const (
	FileEnc  = "enc.json"
	FileRSA  = "rsa_decrypt.json"
	FileECDH = "ecdh.json"
	FileKDF  = "kdf.json"
	// FileEnc111 holds enc cases between a real OpenSSL 1.1.1 and 3.x.
	FileEnc111 = "enc_openssl111.json"
)
