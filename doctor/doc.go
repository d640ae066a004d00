// Package doctor finds out why a ciphertext does not decrypt, by searching
// the mistakes real producers make, and says so in one sentence with the
// command that works and the change the producer should make.
//
// DiagnoseEnc handles files made by `openssl enc` (digest, -pbkdf2, -iter,
// CR/LF in the password, base64 framing, a missing Salted__ header, AES key
// size and mode). DiagnoseRSA handles RSA ciphertexts meant for a KMS key
// (OAEP hash, MGF1 hash, PKCS#1 v1.5, wrong length). A candidate that
// decrypts cleanly but not to the expected plaintext is a near miss, with
// the difference in words (a trailing newline, CRLF, a prefix, the first
// differing byte): the key and settings are right, the data differs.
// DiagnoseFiles gives a one-line verdict on a failing report cell's kept
// files. Key derivation and digest names come from the oracle; the KMS
// client from internal/kmstarget. The partner command reuses all of it.
package doctor
