package kmsfake

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// Answer is one error the fake can send: the wire code (__type), the
// message template (fmt verbs mark the variable parts), the HTTP status and
// where the wording comes from. Answers is the only place the fake's error
// texts live; handlers build every error from an entry by its ID, and a
// test fails when the fake sends an error that has no entry.
type Answer struct {
	// ID names the entry, e.g. "NotFound.KeyArn"; stable, for lookups.
	ID string
	// Code is the __type (and x-amzn-ErrorType) clients branch on.
	Code string
	// Message is the fmt template of the message; empty with NoMessage.
	Message string
	// NoMessage: the body carries no message field at all, as AWS sends
	// InvalidCiphertextException and KMSInvalidSignatureException.
	NoMessage bool
	// Status is the HTTP status (AWS sends 400 for every recorded error).
	Status int
	// Evidence says how far the text is AWS's own; see the Evidence* constants.
	Evidence string
	// Source is where the code and text were seen: a section of
	// ../shared/docs/kms-aws-recorded.md, an AWS API reference page, or an
	// issue URL quoting AWS's answer.
	Source string
}

// Evidence levels of an Answer, strongest first.
const (
	// EvidenceRecorded: AWS's exact code and text, recorded against AWS
	// (kms-aws-recorded.md rows tagged [S]).
	EvidenceRecorded = "aws-recorded"
	// EvidenceReported: AWS's text as quoted from a real AWS answer in a
	// public issue (SigV4 refusals of KMS-like JSON services).
	EvidenceReported = "aws-reported"
	// EvidenceCode: the code is AWS's (recorded or documented), the text is
	// not recorded; the fake's wording must not be relied on.
	EvidenceCode = "aws-code-only"
	// EvidenceLocalStack: LocalStack's text ([LS]), not verified against AWS.
	EvidenceLocalStack = "localstack"
	// EvidenceFake: the fake's own answer for something AWS does not do or
	// that nobody recorded (unsupported specs, transport limits).
	EvidenceFake = "kmsconform"
)

// Where AWS's behaviour is recorded: sections of
// ../shared/docs/kms-aws-recorded.md (real AWS answers) and the AWS API
// reference. The Answers table and the kmsspec specs cite these.
const (
	SourceRecorded       = "kms-aws-recorded.md "
	SourceAPI            = "AWS KMS API Reference, "
	SourceWire           = SourceRecorded + "§0 Wire / HTTP level"
	SourceEncryptDecrypt = SourceRecorded + "§1 Encrypt / Decrypt / ReEncrypt"
	SourceDataKeys       = SourceRecorded + "§2 GetPublicKey / GenerateDataKey(Pair)"
	SourceECDH           = SourceRecorded + "§3 DeriveSharedSecret (ECDH)"
	SourceCreateKey      = SourceRecorded + "§4 CreateKey: invalid spec/usage"
	SourceAliases        = SourceRecorded + "§5 Aliases"
	SourceKeyState       = SourceRecorded + "§6 Key state transitions"
	SourceSignVerify     = SourceRecorded + "§7 Sign / Verify"
	SourceRandom         = SourceRecorded + "§8 GenerateRandom"
	SourceNotFound       = SourceRecorded + "§9 Key-id resolution / NotFound"
	SourceImport         = SourceRecorded + "§10 Import key material"
	srcRot               = SourceRecorded + "§11 Key rotation"
	SourceTags           = SourceRecorded + "§12 Multi-region, tags, MAC"
	srcNone              = SourceRecorded + "§14 Not recorded anywhere"
	// srcCommon lists the errors every AWS API may return.
	srcCommon = "https://docs.aws.amazon.com/kms/latest/APIReference/CommonErrors.html"
)

// Answers is every error the fake sends, in one table.
var Answers = []Answer{
	// Key resolution.
	{ID: "NotFound.KeyArn", Code: codeNotFound, Message: "Key '%s' does not exist", Evidence: EvidenceRecorded, Source: SourceNotFound},
	{ID: "NotFound.InvalidKeyID", Code: codeNotFound, Message: "Invalid keyId '%s'", Evidence: EvidenceRecorded, Source: SourceNotFound},
	{ID: "NotFound.InvalidArnRegion", Code: codeNotFound, Message: "Invalid arn %s", Evidence: EvidenceRecorded, Source: SourceNotFound + " (ARN of another region)"},
	{ID: "NotFound.Alias", Code: codeNotFound, Message: "Alias %s is not found.", Evidence: EvidenceLocalStack, Source: srcNone + " ([LS] text)"},
	{ID: "NotFound.Policy", Code: codeNotFound, Message: "No such policy exists", Evidence: EvidenceCode, Source: SourceAPI + "GetKeyPolicy, Errors: NotFoundException"},

	// Key state and usage.
	{ID: "Disabled", Code: codeDisabled, Message: "%s is disabled.", Evidence: EvidenceRecorded, Source: srcRot + " (RotateKeyOnDemand); " + SourceEncryptDecrypt + " (S3-relayed)"},
	{ID: "InvalidState.PendingDeletion", Code: codeInvalidState, Message: "%s is pending deletion.", Evidence: EvidenceRecorded, Source: SourceEncryptDecrypt + " (S3-relayed [S3])"},
	{ID: "InvalidState.PendingImport", Code: codeInvalidState, Message: "%s is pending import.", Evidence: EvidenceRecorded, Source: SourceImport + "; " + srcRot},
	{ID: "InvalidState.Other", Code: codeInvalidState, Message: "%s is in state %s.", Evidence: EvidenceCode, Source: SourceKeyState + " (code only)"},
	{ID: "InvalidState.NotPendingDeletion", Code: codeInvalidState, Message: "%s is not pending deletion.", Evidence: EvidenceCode, Source: SourceAPI + "CancelKeyDeletion, Errors: KMSInvalidStateException; " + srcNone},
	{ID: "InvalidKeyUsage.Usage", Code: codeInvalidKeyUsage, Message: "%s key usage is %s which is not valid for %s.", Evidence: EvidenceRecorded, Source: SourceEncryptDecrypt + "; " + SourceSignVerify + "; " + SourceTags},
	{ID: "InvalidKeyUsage.Algorithm", Code: codeInvalidKeyUsage, Message: "Algorithm %s is incompatible with key spec %s.", Evidence: EvidenceRecorded, Source: SourceTags + " (GenerateMac/VerifyMac; same template assumed for encryption and signing algorithms)"},
	{ID: "InvalidKeyUsage.NoKeyAgreement", Code: codeInvalidKeyUsage, Message: "key spec %s cannot derive a shared secret", Evidence: EvidenceCode, Source: SourceAPI + "DeriveSharedSecret, Errors: InvalidKeyUsageException"},
	{ID: "IncorrectKey", Code: codeIncorrectKey, Message: "The key ID in the request does not identify a CMK that can perform this operation.", Evidence: EvidenceRecorded, Source: SourceEncryptDecrypt},
	{ID: "DryRun", Code: codeDryRun, Message: "The request would have succeeded, but the DryRun option is set.", Evidence: EvidenceRecorded, Source: SourceDataKeys},

	// Ciphertexts and signatures: no message field at all.
	{ID: "InvalidCiphertext", Code: codeInvalidCiphertext, NoMessage: true, Evidence: EvidenceRecorded, Source: SourceWire + "; " + SourceEncryptDecrypt},
	{ID: "InvalidSignature", Code: codeInvalidSignature, NoMessage: true, Evidence: EvidenceRecorded, Source: SourceWire + "; " + SourceSignVerify},

	// CreateKey and key specs.
	{ID: "Validation.KeyUsageRequired", Code: codeValidation, Message: "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.", Evidence: EvidenceRecorded, Source: SourceCreateKey},
	{ID: "Validation.UsageSpec", Code: codeValidation, Message: "KeyUsage %s is not compatible with KeySpec %s", Evidence: EvidenceRecorded, Source: SourceCreateKey + " (RSA_2048 + KEY_AGREEMENT; other pairs assumed)"},
	{ID: "Unsupported.KeySpec", Code: codeUnsupported, Message: "KeySpec %s is not supported by kmsconform's KMS fake (it serves SYMMETRIC_DEFAULT, RSA_2048/3072/4096, ECC_NIST_P256/384/521 and ECC_SECG_P256K1).", Evidence: EvidenceFake, Source: "kmsconform: a spec the fake does not serve (HMAC, SM2, ML-DSA)"},
	{ID: "Unsupported.Origin", Code: codeUnsupported, Message: "Origin %s is not supported by kmsconform's KMS fake (use AWS_KMS or EXTERNAL).", Evidence: EvidenceFake, Source: "kmsconform: custom key stores are not served"},
	{ID: "Unsupported.MultiRegion", Code: codeUnsupported, Message: "Multi-Region keys are not supported by kmsconform's KMS fake.", Evidence: EvidenceFake, Source: "kmsconform: multi-Region keys are not served"},
	{ID: "MalformedPolicy", Code: codeMalformedPolicy, Message: "The key policy is not a valid JSON document.", Evidence: EvidenceCode, Source: SourceAPI + "CreateKey, Errors: MalformedPolicyDocumentException"},
	{ID: "Validation.PendingWindow", Code: codeValidation, Message: "PendingWindowInDays should be between 7 and 30, but it is %d", Evidence: EvidenceLocalStack, Source: srcNone + " ([LS] text)"},
	{ID: "InvalidMarker", Code: codeInvalidMarker, Message: "Invalid marker", Evidence: EvidenceCode, Source: SourceAPI + "ListKeys, Errors: InvalidMarkerException"},

	// Encrypt / Decrypt / data keys / random.
	{ID: "Validation.OAEPTooLong", Code: codeValidation, Message: "Algorithm %s and key spec %s cannot encrypt data larger than %d bytes.", Evidence: EvidenceRecorded, Source: SourceEncryptDecrypt},
	{ID: "Validation.KeyIDForAsymmetric", Code: codeValidation, Message: "KeyId is required when EncryptionAlgorithm is %s.", Evidence: EvidenceCode, Source: SourceAPI + "Decrypt, KeyId: required for asymmetric keys"},
	{ID: "Validation.BytesOrSpec", Code: codeValidation, Message: "Please specify either number of bytes or key spec.", Evidence: EvidenceCode, Source: SourceAPI + "GenerateDataKey, KeySpec/NumberOfBytes: exactly one"},
	{ID: "Validation.NumberOfBytesRequired", Code: codeValidation, Message: "NumberOfBytes is required.", Evidence: EvidenceRecorded, Source: SourceRandom},
	{ID: "Validation.SM2", Code: codeValidation, Message: "KeyPairSpec SM2 is only available in China Regions.", Evidence: EvidenceCode, Source: SourceAPI + "GenerateDataKeyPair, KeyPairSpec: SM2 (China Regions only)"},

	// Sign / Verify / public keys / ECDH.
	{ID: "Validation.DigestLength", Code: codeValidation, Message: "Digest is invalid length for algorithm %s.", Evidence: EvidenceRecorded, Source: SourceSignVerify},
	{ID: "Validation.MessageType", Code: codeValidation, Message: "MessageType %s is only valid for ML-DSA keys.", Evidence: EvidenceCode, Source: SourceAPI + "Sign, MessageType: EXTERNAL_MU is for ML-DSA keys only"},
	{ID: "Unsupported.NoPublicKey", Code: codeUnsupported, Message: "%s key spec %s does not have a public key.", Evidence: EvidenceCode, Source: SourceAPI + "GetPublicKey, Errors: UnsupportedOperationException; " + srcNone},
	{ID: "Validation.Empty", Code: codeValidation, Message: "", Evidence: EvidenceRecorded, Source: SourceWire + " (DeriveSharedSecret with a bad public key: message \"\")"},
	{ID: "Validation.PeerNotEC", Code: codeValidation, Message: "The public key is a %s key; %s needs an EC public key on the same curve.", Evidence: EvidenceCode, Source: SourceECDH + " (code only; " + srcNone + ")"},
	{ID: "Validation.PeerCurve", Code: codeValidation, Message: "The public key is on curve %s; key spec %s needs a public key on %s.", Evidence: EvidenceCode, Source: SourceECDH + " (code only; " + srcNone + ")"},

	// Aliases.
	{ID: "Validation.AliasPattern", Code: codeValidation, Message: "1 validation error detected: Value '%s' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9/_-]+$", Evidence: EvidenceCode, Source: SourceAPI + "CreateAlias, AliasName pattern; style of " + SourceWire},
	{ID: "Validation.AliasPrefix", Code: codeValidation, Message: `Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html`, Evidence: EvidenceRecorded, Source: SourceAliases},
	{ID: "NotAuthorized.AliasAWS", Code: codeNotAuthorized, Message: "Cannot create alias with prefix 'alias/aws/'", Evidence: EvidenceCode, Source: SourceAPI + "CreateAlias (alias/aws/ is reserved); " + srcNone},
	{ID: "AlreadyExists.Alias", Code: codeAlreadyExists, Message: "An alias with the name %s already exists", Evidence: EvidenceLocalStack, Source: srcNone + " ([LS] text)"},
	{ID: "Validation.UpdateAliasType", Code: codeValidation, Message: "Alias %s currently points to a key of usage %s and spec %s; UpdateAlias can only move it to a key of the same type and usage.", Evidence: EvidenceCode, Source: SourceAPI + "UpdateAlias (same key type and usage)"},

	// Import.
	{ID: "Unsupported.Origin.ForOperation", Code: codeUnsupported, Message: "%s origin is %s which is not valid for this operation.", Evidence: EvidenceRecorded, Source: SourceImport},
	{ID: "Validation.Wrapping", Code: codeValidation, Message: "Wrapping algorithm %s with wrapping key spec %s is not supported; use RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256 or RSA_AES_KEY_WRAP_SHA_1/256 with an RSA wrapping key.", Evidence: EvidenceFake, Source: "kmsconform: wrapping combinations the fake serves (" + SourceImport + ")"},
	{ID: "Validation.ValidToRequired", Code: codeValidation, Message: "A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES", Evidence: EvidenceRecorded, Source: SourceImport},
	{ID: "Validation.ValidToForbidden", Code: codeValidation, Message: "A validTo date must not be set if the ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE", Evidence: EvidenceCode, Source: SourceAPI + "ImportKeyMaterial, ValidTo; mirrors the recorded text in " + SourceImport},
	{ID: "Validation.ValidToPast", Code: codeValidation, Message: "ValidTo must be in the future.", Evidence: EvidenceCode, Source: SourceAPI + "ImportKeyMaterial, ValidTo"},
	{ID: "InvalidImportToken", Code: codeInvalidToken, Message: "Import token is invalid or does not belong to key %s.", Evidence: EvidenceCode, Source: SourceAPI + "ImportKeyMaterial, Errors: InvalidImportTokenException; " + srcNone},
	{ID: "ExpiredImportToken", Code: codeExpiredToken, Message: "Import token is expired; call GetParametersForImport again.", Evidence: EvidenceCode, Source: SourceAPI + "ImportKeyMaterial, Errors: ExpiredImportTokenException; " + srcNone},
	{ID: "IncorrectKeyMaterial.Length", Code: codeIncorrectMaterial, Message: "Key material for %s must be 32 bytes, got %d.", Evidence: EvidenceCode, Source: SourceAPI + "ImportKeyMaterial, Errors: IncorrectKeyMaterialException; " + SourceImport + " (not recorded)"},
	{ID: "IncorrectKeyMaterial.Spec", Code: codeIncorrectMaterial, Message: "Key material does not fit key spec %s: %v", Evidence: EvidenceCode, Source: SourceAPI + "ImportKeyMaterial, Errors: IncorrectKeyMaterialException"},
	{ID: "IncorrectKeyMaterial.Reimport", Code: codeIncorrectMaterial, Message: "The key material is not the material previously imported into %s.", Evidence: EvidenceCode, Source: SourceAPI + "ImportKeyMaterial (reimport must be the same material)"},

	// Tags.
	{ID: "Tag.TooMany", Code: codeTag, Message: "Too many tags", Evidence: EvidenceRecorded, Source: SourceTags},
	{ID: "Tag.Reserved", Code: codeTag, Message: "Tags beginning with aws: are reserved", Evidence: EvidenceRecorded, Source: SourceTags},
	{ID: "Tag.Duplicate", Code: codeTag, Message: "Duplicate tag keys", Evidence: EvidenceRecorded, Source: SourceTags},
	{ID: "Validation.TagKeyLength", Code: codeValidation, Message: "1 validation error detected: Value '%s' at 'tags.%d.member.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128", Evidence: EvidenceRecorded, Source: SourceTags},
	{ID: "Validation.TagValueLength", Code: codeValidation, Message: "1 validation error detected: Value '%s' at 'tags.%d.member.tagValue' failed to satisfy constraint: Member must have length less than or equal to 256", Evidence: EvidenceRecorded, Source: SourceTags},

	// Generic input validation (AWS's "1 validation error detected" style).
	{ID: "Validation.Enum", Code: codeValidation, Message: "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]", Evidence: EvidenceRecorded, Source: SourceCreateKey + "; " + SourceTags + " (AWS lists the set members in its own order; compare as a set)"},
	{ID: "Validation.Required", Code: codeValidation, Message: "1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", Evidence: EvidenceCode, Source: SourceWire + " (validation-message style)"},
	{ID: "Validation.MinLen", Code: codeValidation, Message: "1 validation error detected: Value at '%s' failed to satisfy constraint: Member must have length greater than or equal to %d", Evidence: EvidenceCode, Source: SourceWire + " (validation-message style; value omitted as for plaintext)"},
	{ID: "Validation.MaxLen", Code: codeValidation, Message: "1 validation error detected: Value at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", Evidence: EvidenceRecorded, Source: SourceEncryptDecrypt + " (plaintext > 4096)"},
	{ID: "Validation.MinValue", Code: codeValidation, Message: "1 validation error detected: Value '%d' at '%s' failed to satisfy constraint: Member must have value greater than or equal to %d", Evidence: EvidenceRecorded, Source: SourceRandom},
	{ID: "Validation.MaxValue", Code: codeValidation, Message: "1 validation error detected: Value '%d' at '%s' failed to satisfy constraint: Member must have value less than or equal to %d", Evidence: EvidenceRecorded, Source: SourceRandom},
	{ID: "Validation.MinLenValue", Code: codeValidation, Message: "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length greater than or equal to %d", Evidence: EvidenceCode, Source: SourceWire + " (validation-message style)"},
	{ID: "Validation.MaxLenValue", Code: codeValidation, Message: "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", Evidence: EvidenceRecorded, Source: SourceTags + " (tag key/value style)"},
	{ID: "Validation.MapKeys", Code: codeValidation, Message: "1 validation error detected: Value at '%s' failed to satisfy constraint: Map keys must have length greater than or equal to 1", Evidence: EvidenceCode, Source: SourceWire + " (validation-message style)"},

	// Wire layer.
	{ID: "Serialization.WrongType", Code: codeSerialization, Message: "Value for field %s has the wrong type (expected %s)", Evidence: EvidenceCode, Source: "kms-api.md, Error codes: malformed JSON is SerializationException"},
	{ID: "Serialization.Base64", Code: codeSerialization, Message: "A binary field is not valid base64", Evidence: EvidenceCode, Source: "kms-api.md, Error codes: malformed JSON is SerializationException"},
	{ID: "Serialization.JSON", Code: codeSerialization, Message: "Malformed JSON body: %v", Evidence: EvidenceCode, Source: "kms-api.md, Error codes: malformed JSON is SerializationException"},
	{ID: "Serialization.Read", Code: codeSerialization, Message: "reading the request body: %v", Evidence: EvidenceFake, Source: "kmsconform: the body could not be read (client gone, read timeout)"},
	{ID: "Validation.BodyTooLarge", Code: codeValidation, Message: "The request body is larger than %d bytes.", Evidence: EvidenceFake, Source: "kmsconform: request size limit of the fake"},
	{ID: "UnknownOperation", Code: codeUnknownOperation, NoMessage: true, Evidence: EvidenceCode, Source: "kms-api.md, Error codes: unknown target is UnknownOperationException"},
	{ID: "Internal", Code: codeInternal, Message: "internal error", Status: 500, Evidence: EvidenceFake, Source: "kmsconform: a handler panicked (a bug in the fake)"},
	{ID: "Internal.Error", Code: codeInternal, Message: "internal error: %v", Status: 500, Evidence: EvidenceFake, Source: "kmsconform: a handler failed (a bug in the fake)"},
	{ID: "Internal.ShuttingDown", Code: codeInternal, Message: "the server is shutting down", Status: 500, Evidence: EvidenceFake, Source: "kmsconform: request after Server.Close"},
	{ID: "Internal.ECDH", Code: codeInternal, Message: "ECDH private key conversion failed", Status: 500, Evidence: EvidenceFake, Source: "kmsconform: crypto/ecdh refused a stored key (a bug)"},

	// Authentication (--sigv4 verify).
	{ID: "Sig.Missing", Code: codeMissingAuth, Message: "Missing Authentication Token", Evidence: EvidenceReported, Source: "https://github.com/common-voice/common-voice/issues/1599 (MissingAuthenticationTokenException, Missing Authentication Token); " + srcCommon},
	{ID: "Sig.Incomplete", Code: codeIncomplete, Message: "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters with AWS4-HMAC-SHA256. Authorization=%s", Evidence: EvidenceCode, Source: srcCommon + " (IncompleteSignature); the fake redacts the signature"},
	{ID: "Sig.CredentialParts", Code: codeIncomplete, Message: "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '%s'", Evidence: EvidenceReported, Source: "https://github.com/mhart/aws4/issues/97 (code not shown there)"},
	{ID: "Sig.NoDate", Code: codeIncomplete, Message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=%s", Evidence: EvidenceReported, Source: "https://github.com/badslug/Paw-AWSSignature4DynamicValue/issues/5; https://github.com/bryanjos/aws_auth/pull/29"},
	{ID: "Sig.UnknownKey", Code: codeUnrecognized, Message: "The security token included in the request is invalid.", Evidence: EvidenceReported, Source: "https://github.com/badslug/Paw-AWSSignature4DynamicValue/issues/5 (x-amzn-ErrorType UnrecognizedClientException)"},
	{ID: "Sig.Terminator", Code: codeSigMismatch, Message: "Credential should be scoped with a valid terminator: 'aws4_request', not '%s'. ", Evidence: EvidenceCode, Source: "not recorded; worded like the service/region refusals below"},
	{ID: "Sig.Service", Code: codeSigMismatch, Message: "Credential should be scoped to correct service: '%s'. ", Evidence: EvidenceReported, Source: "https://github.com/aws/aws-sdk-ruby/issues/431 (InvalidSignatureException, 'elasticmapreduce'); https://github.com/arnemolland/sigv4/issues/15"},
	{ID: "Sig.Region", Code: codeSigMismatch, Message: "Credential should be scoped to a valid region, not '%s'. ", Evidence: EvidenceReported, Source: "https://github.com/aws/aws-sdk-ruby/issues/508; https://github.com/joona/aws-es-curl/issues/15; code from https://github.com/aws/aws-sdk-js/issues/4545"},
	{ID: "Sig.ScopeDate", Code: codeSigMismatch, Message: "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP. ", Evidence: EvidenceReported, Source: "https://github.com/disneystreaming/smithy4s/issues/387 (Kinesis, InvalidSignatureException)"},
	{ID: "Sig.Expired", Code: codeSigMismatch, Message: "Signature expired: %s is now earlier than %s (%s - 15 min.)", Evidence: EvidenceReported, Source: "field-notes.md SigV4; https://github.com/aws/aws-sdk-js/issues/254 (15 min, InvalidSignatureException)"},
	{ID: "Sig.NotYetCurrent", Code: codeSigMismatch, Message: "Signature not yet current: %s is still later than %s (%s + 15 min.)", Evidence: EvidenceReported, Source: "field-notes.md SigV4; https://github.com/s12v/awsbeats/issues/48 and https://github.com/basak/glacier-cli/issues/36 (5-minute services)"},
	{ID: "Sig.HostNotSigned", Code: codeIncomplete, Message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.", Evidence: EvidenceReported, Source: "https://github.com/aws/aws-sdk-php/issues/2469 (code not shown there)"},
	{ID: "Sig.DateNotSigned", Code: codeIncomplete, Message: "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.", Evidence: EvidenceFake, Source: "kmsconform (field-notes.md SigV4: x-amz-date must be signed); worded like Sig.HostNotSigned"},
	{ID: "Sig.TargetNotSigned", Code: codeIncomplete, Message: "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.", Evidence: EvidenceFake, Source: "kmsconform (field-notes.md SigV4: sign x-amz-target or the operation can be swapped); stricter than AWS"},
	{ID: "Sig.Mismatch", Code: codeSigMismatch, Message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.", Evidence: EvidenceReported, Source: "https://github.com/smithy545/aws-apps-scripts/issues/12; https://github.com/teralytics/prometheus-ecs-discovery/issues/7"},
}

var (
	answerIndex = func() map[string]int {
		m := make(map[string]int, len(Answers))
		for i := range Answers {
			if Answers[i].Status == 0 {
				Answers[i].Status = 400
			}
			if _, dup := m[Answers[i].ID]; dup {
				panic("kmsfake: duplicate answer id " + Answers[i].ID)
			}
			m[Answers[i].ID] = i
		}
		return m
	}()
	patternOnce sync.Once
	patterns    []*regexp.Regexp
)

// LookupAnswer returns the entry with this ID.
func LookupAnswer(id string) (Answer, bool) {
	i, ok := answerIndex[id]
	if !ok {
		return Answer{}, false
	}
	return Answers[i], true
}

// AnswersFor returns every entry with this error code, sorted by ID.
func AnswersFor(code string) []Answer {
	var out []Answer
	for _, a := range Answers {
		if a.Code == code {
			out = append(out, a)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Format fills the template's verbs with args, as the fake does.
func (a Answer) Format(args ...any) string {
	if a.NoMessage {
		return ""
	}
	if len(args) == 0 {
		return a.Message
	}
	return fmt.Sprintf(a.Message, args...)
}

// Matches reports whether a message sent with code could have come from
// this entry: each verb of the template stands for any text.
func (a Answer) Matches(code, message string) bool {
	if code != a.Code {
		return false
	}
	if a.NoMessage {
		return message == ""
	}
	return a.pattern().MatchString(message)
}

var verbRE = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)

func (a Answer) pattern() *regexp.Regexp {
	patternOnce.Do(func() {
		patterns = make([]*regexp.Regexp, len(Answers))
		for i, e := range Answers {
			var b strings.Builder
			b.WriteString(`(?s)^`)
			last := 0
			for _, loc := range verbRE.FindAllStringIndex(e.Message, -1) {
				b.WriteString(regexp.QuoteMeta(e.Message[last:loc[0]]))
				if e.Message[loc[0]:loc[1]] == "%%" {
					b.WriteString("%")
				} else {
					b.WriteString(".*")
				}
				last = loc[1]
			}
			b.WriteString(regexp.QuoteMeta(e.Message[last:]) + `$`)
			patterns[i] = regexp.MustCompile(b.String())
		}
	})
	if i, ok := answerIndex[a.ID]; ok && Answers[i].Message == a.Message {
		return patterns[i]
	}
	return regexp.MustCompile("^$")
}

// MatchAnswer finds the entry a (code, message) pair came from; the most
// literal template wins when several match.
func MatchAnswer(code, message string) (Answer, bool) {
	var best *Answer
	for i := range Answers {
		a := &Answers[i]
		if a.Matches(code, message) && (best == nil || literalLen(a.Message) > literalLen(best.Message)) {
			best = a
		}
	}
	if best == nil {
		return Answer{}, false
	}
	return *best, true
}

func literalLen(t string) int { return len(verbRE.ReplaceAllString(t, "")) }

// unlisted counts errors built from an ID that is not in Answers (a bug the
// tests catch through UnlistedAnswers).
var unlisted sync.Map

// UnlistedAnswers returns the IDs the fake asked for that have no entry
// in Answers, since the process started; it is empty in a correct build.
func UnlistedAnswers() []string {
	var out []string
	unlisted.Range(func(k, _ any) bool { out = append(out, k.(string)); return true })
	sort.Strings(out)
	return out
}

// answerErr builds the error of entry id with the template's arguments. It
// is the only constructor of the errors the fake sends.
func answerErr(id string, args ...any) *apiError {
	i, ok := answerIndex[id]
	if !ok {
		unlisted.Store(id, true)
		i, args = answerIndex["Internal.Error"], []any{"no answer " + id}
	}
	a := &Answers[i]
	return &apiError{Code: a.Code, Message: a.Format(args...), NoMessage: a.NoMessage, Status: a.Status, ID: a.ID}
}
