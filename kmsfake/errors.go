package kmsfake

// apiError is a KMS error as the wire carries it: a __type code, an
// optional message and an HTTP status, built by answerErr from an entry of
// Answers (ID). It is the only error type handlers return to clients;
// anything else becomes KMSInternalException.
type apiError struct {
	Code      string
	Message   string
	NoMessage bool // AWS sends no message field at all for this error
	Status    int
	ID        string // the Answers entry it was built from
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

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
	return answerErr("NotFound.KeyArn", arn)
}

func errInvalidKeyID(id string) *apiError {
	return answerErr("NotFound.InvalidKeyID", id)
}

func errUsage(arn, usage, op string) *apiError {
	return answerErr("InvalidKeyUsage.Usage", arn, usage, op)
}

func errAlgorithm(alg, spec string) *apiError {
	return answerErr("InvalidKeyUsage.Algorithm", alg, spec)
}

func errIncorrectKey() *apiError {
	return answerErr("IncorrectKey")
}

func errDryRun() *apiError {
	return answerErr("DryRun")
}
