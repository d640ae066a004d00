// Package doctor finds out why a ciphertext does not decrypt, by searching
// the mistakes real producers make, and says so in one sentence with the
// command that works and the change the producer should make.
//
// DiagnoseEnc handles files made by `openssl enc` (digest, -pbkdf2, -iter,
// CR/LF in the password, base64 framing, a missing Salted__ header, AES key
// size and mode). DiagnoseRSA handles RSA ciphertexts meant for a KMS key
// (OAEP hash, MGF1 hash, PKCS#1 v1.5, wrong length). The partner command
// reuses both.
package doctor
