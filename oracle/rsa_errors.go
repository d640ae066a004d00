package oracle

import "fmt"

// PKeyError is a public-key failure carrying the fields of the line openssl
// 3.0 puts on its error queue, so that `kmsconform openssl` can print the
// same key message ("data too large for key size", "oaep decoding error",
// ...) and callers can branch on Reason.
type PKeyError struct {
	// Code is openssl's packed error code as printed, e.g. "0200006E".
	Code string
	// Func is the openssl function that raised the error.
	Func string
	// Reason is openssl's reason string, the key message users grep for.
	Reason string
	// Location is openssl's source location, e.g. "../crypto/rsa/rsa_oaep.c:87".
	Location string
	// Next is a further queued error openssl prints after this one, or nil.
	Next *PKeyError
}

// Error returns the reason (and the next queued reason, if any).
func (e *PKeyError) Error() string {
	if e.Next != nil {
		return e.Reason + ": " + e.Next.Error()
	}
	return e.Reason
}

// QueueLines renders the error the way openssl 3.0 prints its error queue,
// one line per queued error, each ending in a newline. The thread-id prefix
// that openssl prints is replaced by a constant.
func (e *PKeyError) QueueLines() string {
	s := ""
	for q := e; q != nil; q = q.Next {
		s += fmt.Sprintf("00000000:error:%s:rsa routines:%s:%s:%s:\n", q.Code, q.Func, q.Reason, q.Location)
	}
	return s
}

// The errors below are the RSA failures openssl 3.0.19 reports; their texts
// and codes are pinned against the real binary in rsa_test.go.
var (
	errOAEPTooLarge       = &PKeyError{"0200006E", "ossl_rsa_padding_add_PKCS1_OAEP_mgf1_ex", "data too large for key size", "../crypto/rsa/rsa_oaep.c:87", nil}
	errPKCS1TooLarge      = &PKeyError{"0200006E", "ossl_rsa_padding_add_PKCS1_type_2_ex", "data too large for key size", "../crypto/rsa/rsa_pk1.c:129", nil}
	errNoneTooLarge       = &PKeyError{"0200006E", "RSA_padding_add_none", "data too large for key size", "../crypto/rsa/rsa_none.c:24", nil}
	errNoneTooSmall       = &PKeyError{"0200007A", "RSA_padding_add_none", "data too small for key size", "../crypto/rsa/rsa_none.c:29", nil}
	errPublicModulus      = &PKeyError{"02000084", "rsa_ossl_public_encrypt", "data too large for modulus", "../crypto/rsa/rsa_ossl.c:137", nil}
	errPrivateModLen      = &PKeyError{"0200006C", "rsa_ossl_private_decrypt", "data greater than mod len", "../crypto/rsa/rsa_ossl.c:403", nil}
	errPrivateModulus     = &PKeyError{"02000084", "rsa_ossl_private_decrypt", "data too large for modulus", "../crypto/rsa/rsa_ossl.c:412", nil}
	errOAEPDecoding       = &PKeyError{"02000079", "RSA_padding_check_PKCS1_OAEP_mgf1", "oaep decoding error", "../crypto/rsa/rsa_oaep.c:314", nil}
	errOAEPKeySize        = &PKeyError{"02000079", "RSA_padding_check_PKCS1_OAEP_mgf1", "oaep decoding error", "../crypto/rsa/rsa_oaep.c:200", nil}
	errPKCS1Decoding      = &PKeyError{"0200009F", "RSA_padding_check_PKCS1_type_2", "pkcs decoding error", "../crypto/rsa/rsa_pk1.c:269", errPaddingCheckFailed}
	errPaddingCheckFailed = &PKeyError{"02000072", "rsa_ossl_private_decrypt", "padding check failed", "../crypto/rsa/rsa_ossl.c:491", nil}
)

// Reason returns openssl's reason string for err when err is a *PKeyError
// (or wraps one), and "" otherwise.
func Reason(err error) string {
	var pe *PKeyError
	if asPKeyError(err, &pe) {
		return pe.Reason
	}
	return ""
}
