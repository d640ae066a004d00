package kmsfake

import "fmt"

// apiError is a KMS error as the wire carries it: a __type code, an
// optional message and an HTTP status. It is the only error type handlers
// return to clients; anything else becomes KMSInternalException.
type apiError struct {
	Code      string
	Message   string
	NoMessage bool // AWS sends no message field at all for this error
	Status    int
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func newErr(code, format string, args ...any) *apiError {
	return &apiError{Code: code, Message: fmt.Sprintf(format, args...), Status: 400}
}

// bare returns an error that carries no message field, as AWS sends
// InvalidCiphertextException and KMSInvalidSignatureException.
func bare(code string) *apiError { return &apiError{Code: code, NoMessage: true, Status: 400} }

// Error codes (the __type values clients branch on).
const (
	codeNotFound          = "NotFoundException"
	codeDisabled          = "DisabledException"
	codeInvalidState      = "KMSInvalidStateException"
	codeInvalidKeyUsage   = "InvalidKeyUsageException"
	codeInvalidCiphertext = "InvalidCiphertextException"
	codeIncorrectKey      = "IncorrectKeyException"
	codeValidation        = "ValidationException"
	codeAlreadyExists     = "AlreadyExistsException"
	codeInvalidSignature  = "KMSInvalidSignatureException"
	codeSerialization     = "SerializationException"
	codeUnknownOperation  = "UnknownOperationException"
	codeInternal          = "KMSInternalException"
	codeUnsupported       = "UnsupportedOperationException"
	codeTag               = "TagException"
	codeInvalidMarker     = "InvalidMarkerException"
	codeInvalidAliasName  = "InvalidAliasNameException"
	codeInvalidToken      = "InvalidImportTokenException"
	codeIncorrectMaterial = "IncorrectKeyMaterialException"
	codeExpiredToken      = "ExpiredImportTokenException"
	codeDryRun            = "DryRunOperationException"
	codeSigMismatch       = "InvalidSignatureException"
	codeUnrecognized      = "UnrecognizedClientException"
	codeMissingAuth       = "MissingAuthenticationTokenException"
	codeIncomplete        = "IncompleteSignatureException"
	codeNotAuthorized     = "NotAuthorizedException"
	codeMalformedPolicy   = "MalformedPolicyDocumentException"
)

func errNotFoundKeyArn(arn string) *apiError {
	return newErr(codeNotFound, "Key '%s' does not exist", arn)
}

func errInvalidKeyID(id string) *apiError {
	return newErr(codeNotFound, "Invalid keyId '%s'", id)
}

func errUsage(arn, usage, op string) *apiError {
	return newErr(codeInvalidKeyUsage, "%s key usage is %s which is not valid for %s.", arn, usage, op)
}

func errAlgorithm(alg, spec string) *apiError {
	return newErr(codeInvalidKeyUsage, "Algorithm %s is incompatible with key spec %s.", alg, spec)
}

func errIncorrectKey() *apiError {
	return newErr(codeIncorrectKey, "The key ID in the request does not identify a CMK that can perform this operation.")
}

func errDryRun() *apiError {
	return newErr(codeDryRun, "The request would have succeeded, but the DryRun option is set.")
}
