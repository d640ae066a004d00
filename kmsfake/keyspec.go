package kmsfake

// Key specs, usages and the algorithms each pair offers, as data.

const (
	specSymmetric = "SYMMETRIC_DEFAULT"
	specRSA2048   = "RSA_2048"
	specRSA3072   = "RSA_3072"
	specRSA4096   = "RSA_4096"
	specP256      = "ECC_NIST_P256"
	specP384      = "ECC_NIST_P384"
	specP521      = "ECC_NIST_P521"
	specK256      = "ECC_SECG_P256K1"

	usageEncrypt = "ENCRYPT_DECRYPT"
	usageSign    = "SIGN_VERIFY"
	usageMAC     = "GENERATE_VERIFY_MAC"
	usageAgree   = "KEY_AGREEMENT"

	algSymmetric = "SYMMETRIC_DEFAULT"
	algOAEPSHA1  = "RSAES_OAEP_SHA_1"
	algOAEPSHA2  = "RSAES_OAEP_SHA_256"

	originKMS      = "AWS_KMS"
	originExternal = "EXTERNAL"

	stateEnabled         = "Enabled"
	stateDisabled        = "Disabled"
	statePendingDeletion = "PendingDeletion"
	statePendingImport   = "PendingImport"
)

// keySpecs is the enum AWS lists for keySpec (HMAC and SM2 are named but
// not served by this fake: CreateKey refuses them with a clear message).
var keySpecs = []string{specRSA2048, specP384, specP256, specP521, "HMAC_384", specRSA3072, specK256, specRSA4096, specSymmetric, "HMAC_256", "HMAC_224", "HMAC_512", "SM2"}

var keyUsages = []string{usageSign, usageEncrypt, usageMAC, usageAgree}

var origins = []string{originKMS, originExternal, "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"}

var encryptionAlgorithms = []string{algSymmetric, algOAEPSHA1, algOAEPSHA2, "SM2PKE"}

var signingAlgorithms = []string{"RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512",
	"RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
	"ECDSA_SHA_256", "ECDSA_SHA_384", "ECDSA_SHA_512", "SM2DSA"}

var keyPairSpecs = []string{specRSA2048, specRSA3072, specRSA4096, specP256, specP384, specP521, specK256, "SM2"}

// allowedUsages lists, per key spec, the usages AWS accepts.
var allowedUsages = map[string][]string{
	specSymmetric: {usageEncrypt},
	specRSA2048:   {usageEncrypt, usageSign},
	specRSA3072:   {usageEncrypt, usageSign},
	specRSA4096:   {usageEncrypt, usageSign},
	specP256:      {usageSign, usageAgree},
	specP384:      {usageSign, usageAgree},
	specP521:      {usageSign, usageAgree},
	specK256:      {usageSign},
}

func isRSASpec(spec string) bool {
	return spec == specRSA2048 || spec == specRSA3072 || spec == specRSA4096
}

// rsaBits is the modulus size of an RSA key spec.
func rsaBits(spec string) int {
	switch spec {
	case specRSA2048:
		return 2048
	case specRSA3072:
		return 3072
	case specRSA4096:
		return 4096
	}
	return 0
}

// checkSpecUsage refuses the spec/usage pairs AWS refuses. usage is "" when
// the request had none.
func checkSpecUsage(spec, usage string) *apiError {
	if usage == "" {
		if spec != specSymmetric {
			return answerErr("Validation.KeyUsageRequired")
		}
		return nil
	}
	allowed, served := allowedUsages[spec]
	if !served {
		return answerErr("Unsupported.KeySpec", spec)
	}
	for _, u := range allowed {
		if u == usage {
			return nil
		}
	}
	return answerErr("Validation.UsageSpec", usage, spec)
}

// encAlgorithms is the EncryptionAlgorithms list of a key.
func encAlgorithms(spec, usage string) []string {
	if usage != usageEncrypt {
		return nil
	}
	if spec == specSymmetric {
		return []string{algSymmetric}
	}
	return []string{algOAEPSHA1, algOAEPSHA2}
}

// signAlgorithms is the SigningAlgorithms list of a key.
func signAlgorithms(spec, usage string) []string {
	if usage != usageSign {
		return nil
	}
	switch spec {
	case specP256, specK256:
		return []string{"ECDSA_SHA_256"}
	case specP384:
		return []string{"ECDSA_SHA_384"}
	case specP521:
		return []string{"ECDSA_SHA_512"}
	}
	if isRSASpec(spec) {
		return []string{"RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
			"RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512"}
	}
	return nil
}

// agreeAlgorithms is the KeyAgreementAlgorithms list of a key.
func agreeAlgorithms(usage string) []string {
	if usage == usageAgree {
		return []string{"ECDH"}
	}
	return nil
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

// oaepLimit is the largest plaintext RSA OAEP accepts for a key spec.
func oaepLimit(spec, alg string) int {
	h := 32
	if alg == algOAEPSHA1 {
		h = 20
	}
	return rsaBits(spec)/8 - 2*h - 2
}

func errOAEPTooLong(spec, alg string) *apiError {
	return answerErr("Validation.OAEPTooLong", alg, spec, oaepLimit(spec, alg))
}
