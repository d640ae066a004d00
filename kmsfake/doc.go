// Package kmsfake is a KMS server exact enough that the aws CLI,
// aws-sdk-go-v2 and boto3 cannot tell it from AWS KMS for the operations
// kmsconform's flows use. The same Server runs inside tests (it is an
// http.Handler: serve it with httptest) and standalone
// (`kmsconform kms serve`, package kmsfake/cli).
//
// Layout, one job per file:
//
//	server.go    Options, New, Close, Warnings
//	listen.go    HTTP limits (timeouts, header size) and the connection cap
//	wire.go      awsJson1_1: target → operation, body, authentication, and the
//	             one place where results and errors become HTTP (errors are 400
//	             with {"__type","message"} and X-Amzn-ErrorType; 500
//	             KMSInternalException only for real faults)
//	ops.go       the one dispatch table from operation name to handler
//	op_*.go      the handlers, grouped by topic
//	validate.go  the one place that checks input shapes
//	answers.go   Answers: every error code and message the fake sends, each
//	             with its evidence and source; answerErr builds errors from it
//	errors.go    error codes and the recurring errors
//	resolve.go   key id / key ARN / alias name / alias ARN resolution
//	keyspec.go   key specs, usages and algorithms as data
//	key.go       a key: persisted record, parsed material, state checks
//	blob.go      the symmetric ciphertext format
//	asym.go      RSA OAEP, signatures, ECDH; kwp.go AES-KWP
//	keypool.go   fresh RSA keys made ahead of demand in the server's idle
//	             time (Options.KeyPool, `kms serve --key-pool`), each
//	             handed out once
//	k256.go      secp256k1 over github.com/decred/dcrd/dcrec/secp256k1/v4
//	store.go     keys and aliases per account and region
//	persist.go   the data directory (durable before the answer)
//	seed.go      the --seed file
//	sigv4.go     region and account from SigV4; verification built on
//	             aws-sdk-go-v2's signer, with the 15-minute window, the scope
//	             and the required signed headers (host, x-amz-date,
//	             x-amz-target)
//
// Operations: CreateKey, DescribeKey, ListKeys, EnableKey, DisableKey,
// ScheduleKeyDeletion, CancelKeyDeletion, CreateAlias, UpdateAlias,
// DeleteAlias, ListAliases, TagResource, UntagResource, ListResourceTags,
// GetPublicKey, Encrypt, Decrypt, ReEncrypt, GenerateDataKey,
// GenerateDataKeyWithoutPlaintext, GenerateDataKeyPair,
// GenerateDataKeyPairWithoutPlaintext, DeriveSharedSecret, Sign, Verify,
// GenerateRandom, GetKeyPolicy, GetParametersForImport, ImportKeyMaterial.
//
// Key specs: SYMMETRIC_DEFAULT, RSA_2048/3072/4096 (ENCRYPT_DECRYPT or
// SIGN_VERIFY), ECC_NIST_P256/384/521 (SIGN_VERIFY or KEY_AGREEMENT),
// ECC_SECG_P256K1 (SIGN_VERIFY). HMAC and SM2 specs are refused with
// UnsupportedOperationException naming what is served.
//
// Scopes: the region comes from the SigV4 credential scope (else
// Options.Region), the account from a 12-digit access key id (else
// Options.Account); keys of one scope are invisible to every other.
//
// Not kept across restarts: import tokens (call GetParametersForImport
// again).
package kmsfake
