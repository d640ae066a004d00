package kmsfake

import (
	"bytes"
	"crypto/x509"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

func createKey(t testing.TB, e *testEnv, spec types.KeySpec, usage types.KeyUsageType) *types.KeyMetadata {
	t.Helper()
	in := &kms.CreateKeyInput{KeySpec: spec}
	if usage != "" {
		in.KeyUsage = usage
	}
	out, err := e.kms.CreateKey(ctx(t), in)
	if err != nil {
		t.Fatalf("CreateKey %s %s: %v", spec, usage, err)
	}
	return out.KeyMetadata
}

func TestSymmetricEncryptDecrypt(t *testing.T) {
	e := newEnv(t, Options{})
	md := createKey(t, e, "", "")
	if md.KeySpec != types.KeySpecSymmetricDefault || md.KeyUsage != types.KeyUsageTypeEncryptDecrypt || !md.Enabled ||
		md.KeyState != types.KeyStateEnabled || md.CurrentKeyMaterialId == nil || *md.Description != "" {
		t.Fatalf("metadata = %+v", md)
	}
	ec := map[string]string{"purpose": "test", "a": "b"}
	enc, err := e.kms.Encrypt(ctx(t), &kms.EncryptInput{KeyId: md.KeyId, Plaintext: []byte("hello"), EncryptionContext: ec})
	if err != nil {
		t.Fatal(err)
	}
	if *enc.KeyId != *md.Arn {
		t.Fatalf("Encrypt KeyId = %s, want the ARN", *enc.KeyId)
	}
	// Decrypt without KeyId: the blob names its key.
	dec, err := e.kms.Decrypt(ctx(t), &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: ec})
	if err != nil || string(dec.Plaintext) != "hello" || *dec.KeyId != *md.Arn {
		t.Fatalf("Decrypt = %+v, %v", dec, err)
	}
	// Wrong or missing context fails closed.
	_, err = e.kms.Decrypt(ctx(t), &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
	wantCode(t, err, codeInvalidCiphertext)
	if errMessage(err) != "" {
		t.Fatalf("InvalidCiphertextException carries a message: %q", errMessage(err))
	}
	_, err = e.kms.Decrypt(ctx(t), &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: map[string]string{"purpose": "other", "a": "b"}})
	wantCode(t, err, codeInvalidCiphertext)
	// Any flipped bit fails closed.
	for i := 0; i < len(enc.CiphertextBlob)*8; i += 7 {
		b := bytes.Clone(enc.CiphertextBlob)
		b[i/8] ^= 1 << (i % 8)
		_, err := e.kms.Decrypt(ctx(t), &kms.DecryptInput{CiphertextBlob: b, EncryptionContext: ec})
		if errCode(t, err) != codeInvalidCiphertext && errCode(t, err) != codeNotFound {
			t.Fatalf("bit %d flipped: %v", i, err)
		}
		if errCode(t, err) == codeNotFound {
			t.Fatalf("bit %d flipped: NotFoundException, want InvalidCiphertextException", i)
		}
	}
	// Truncated and extended.
	_, err = e.kms.Decrypt(ctx(t), &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob[:len(enc.CiphertextBlob)-1], EncryptionContext: ec})
	wantCode(t, err, codeInvalidCiphertext)
	_, err = e.kms.Decrypt(ctx(t), &kms.DecryptInput{CiphertextBlob: append(bytes.Clone(enc.CiphertextBlob), "bad_data"...), EncryptionContext: ec})
	wantCode(t, err, codeInvalidCiphertext)
	// Another key named in KeyId: IncorrectKeyException.
	other := createKey(t, e, "", "")
	_, err = e.kms.Decrypt(ctx(t), &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, KeyId: other.KeyId, EncryptionContext: ec})
	wantCode(t, err, codeIncorrectKey)
	if errMessage(err) != "The key ID in the request does not identify a CMK that can perform this operation." {
		t.Fatalf("message %q", errMessage(err))
	}
	// Plaintext limit.
	_, err = e.kms.Encrypt(ctx(t), &kms.EncryptInput{KeyId: md.KeyId, Plaintext: make([]byte, 4097)})
	wantCode(t, err, codeValidation)
	if errMessage(err) != "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096" {
		t.Fatalf("message %q", errMessage(err))
	}
	// ReEncrypt to another key.
	re, err := e.kms.ReEncrypt(ctx(t), &kms.ReEncryptInput{CiphertextBlob: enc.CiphertextBlob, SourceEncryptionContext: ec, DestinationKeyId: other.KeyId})
	if err != nil || *re.SourceKeyId != *md.Arn || *re.KeyId != *other.Arn {
		t.Fatalf("ReEncrypt = %+v, %v", re, err)
	}
	dec, err = e.kms.Decrypt(ctx(t), &kms.DecryptInput{CiphertextBlob: re.CiphertextBlob})
	if err != nil || string(dec.Plaintext) != "hello" {
		t.Fatalf("Decrypt after ReEncrypt: %v", err)
	}
}

func TestKeyIdentifiers(t *testing.T) {
	e := newEnv(t, Options{})
	md := createKey(t, e, "", "")
	if _, err := e.kms.CreateAlias(ctx(t), &kms.CreateAliasInput{AliasName: aws.String("alias/app"), TargetKeyId: md.Arn}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{*md.KeyId, *md.Arn, "alias/app", "arn:aws:kms:us-east-1:000000000000:alias/app"} {
		out, err := e.kms.DescribeKey(ctx(t), &kms.DescribeKeyInput{KeyId: aws.String(id)})
		if err != nil || *out.KeyMetadata.KeyId != *md.KeyId {
			t.Fatalf("DescribeKey(%s): %v", id, err)
		}
		if _, err := e.kms.Encrypt(ctx(t), &kms.EncryptInput{KeyId: aws.String(id), Plaintext: []byte("x")}); err != nil {
			t.Fatalf("Encrypt(%s): %v", id, err)
		}
	}
	cases := []struct{ id, msg string }{
		{"fake-key-id", "Invalid keyId 'fake-key-id'"},
		{"134f2428cec14b25a1ae9048164dba47", "Invalid keyId '134f2428cec14b25a1ae9048164dba47'"},
		{"mrk-fake-key-id", "Invalid keyId 'mrk-fake-key-id'"},
		{"134f2428-cec1-4b25-a1ae-9048164dba47", "Key 'arn:aws:kms:us-east-1:000000000000:key/134f2428-cec1-4b25-a1ae-9048164dba47' does not exist"},
		{"mrk-d3b95762d3b95762d3b95762d3b95762", "Key 'arn:aws:kms:us-east-1:000000000000:key/mrk-d3b95762d3b95762d3b95762d3b95762' does not exist"},
		{"arn:aws:kms:ap-southeast-1:000000000000:key/" + *md.KeyId, "Invalid arn ap-southeast-1"},
		{"alias/missing", "Alias arn:aws:kms:us-east-1:000000000000:alias/missing is not found."},
	}
	for _, c := range cases {
		_, err := e.kms.DescribeKey(ctx(t), &kms.DescribeKeyInput{KeyId: aws.String(c.id)})
		wantCode(t, err, codeNotFound)
		if errMessage(err) != c.msg {
			t.Errorf("DescribeKey(%s) message %q, want %q", c.id, errMessage(err), c.msg)
		}
	}
	// EnableKey takes no alias.
	_, err := e.kms.EnableKey(ctx(t), &kms.EnableKeyInput{KeyId: aws.String("alias/app")})
	wantCode(t, err, codeNotFound)
}

func TestRegionAndAccountIsolation(t *testing.T) {
	e := newEnv(t, Options{})
	md := createKey(t, e, "", "")
	west := newClient(e.hs.URL, "eu-west-1", "test", "test")
	_, err := west.DescribeKey(ctx(t), &kms.DescribeKeyInput{KeyId: md.KeyId})
	wantCode(t, err, codeNotFound)
	if want := "Key 'arn:aws:kms:eu-west-1:000000000000:key/" + *md.KeyId + "' does not exist"; errMessage(err) != want {
		t.Fatalf("message %q, want %q", errMessage(err), want)
	}
	wmd, err := west.CreateKey(ctx(t), &kms.CreateKeyInput{})
	if err != nil || !strings.HasPrefix(*wmd.KeyMetadata.Arn, "arn:aws:kms:eu-west-1:000000000000:key/") {
		t.Fatalf("CreateKey in eu-west-1: %v", err)
	}
	acct := newClient(e.hs.URL, "us-east-1", "111122223333", "test")
	amd, err := acct.CreateKey(ctx(t), &kms.CreateKeyInput{})
	if err != nil || *amd.KeyMetadata.AWSAccountId != "111122223333" {
		t.Fatalf("CreateKey as account 111122223333: %+v %v", amd, err)
	}
	_, err = acct.DescribeKey(ctx(t), &kms.DescribeKeyInput{KeyId: md.KeyId})
	wantCode(t, err, codeNotFound)
	lk, err := e.kms.ListKeys(ctx(t), &kms.ListKeysInput{})
	if err != nil || len(lk.Keys) != 1 {
		t.Fatalf("ListKeys in the default scope sees %d keys, want 1", len(lk.Keys))
	}
	// A symmetric blob from another region does not decrypt here.
	enc, err := west.Encrypt(ctx(t), &kms.EncryptInput{KeyId: wmd.KeyMetadata.KeyId, Plaintext: []byte("x")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.kms.Decrypt(ctx(t), &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
	wantCode(t, err, codeInvalidCiphertext)
}

func TestKeyStates(t *testing.T) {
	e := newEnv(t, Options{})
	md := createKey(t, e, "", "")
	enc, err := e.kms.Encrypt(ctx(t), &kms.EncryptInput{KeyId: md.KeyId, Plaintext: []byte("x")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.kms.DisableKey(ctx(t), &kms.DisableKeyInput{KeyId: md.KeyId}); err != nil {
		t.Fatal(err)
	}
	_, err = e.kms.Encrypt(ctx(t), &kms.EncryptInput{KeyId: md.KeyId, Plaintext: []byte("x")})
	wantCode(t, err, codeDisabled)
	if errMessage(err) != *md.Arn+" is disabled." {
		t.Fatalf("message %q", errMessage(err))
	}
	_, err = e.kms.Decrypt(ctx(t), &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
	wantCode(t, err, codeDisabled)
	_, err = e.kms.GenerateDataKey(ctx(t), &kms.GenerateDataKeyInput{KeyId: md.KeyId, KeySpec: types.DataKeySpecAes256})
	wantCode(t, err, codeDisabled)
	if _, err := e.kms.EnableKey(ctx(t), &kms.EnableKeyInput{KeyId: md.KeyId}); err != nil {
		t.Fatal(err)
	}
	sd, err := e.kms.ScheduleKeyDeletion(ctx(t), &kms.ScheduleKeyDeletionInput{KeyId: md.KeyId, PendingWindowInDays: aws.Int32(7)})
	if err != nil || sd.KeyState != types.KeyStatePendingDeletion || *sd.PendingWindowInDays != 7 || sd.DeletionDate == nil {
		t.Fatalf("ScheduleKeyDeletion = %+v, %v", sd, err)
	}
	d, _ := e.kms.DescribeKey(ctx(t), &kms.DescribeKeyInput{KeyId: md.KeyId})
	if d.KeyMetadata.DeletionDate == nil || d.KeyMetadata.Enabled {
		t.Fatalf("pending deletion metadata = %+v", d.KeyMetadata)
	}
	_, err = e.kms.Decrypt(ctx(t), &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
	wantCode(t, err, codeInvalidState)
	if errMessage(err) != *md.Arn+" is pending deletion." {
		t.Fatalf("message %q", errMessage(err))
	}
	_, err = e.kms.ScheduleKeyDeletion(ctx(t), &kms.ScheduleKeyDeletionInput{KeyId: md.KeyId})
	wantCode(t, err, codeInvalidState)
	_, err = e.kms.EnableKey(ctx(t), &kms.EnableKeyInput{KeyId: md.KeyId})
	wantCode(t, err, codeInvalidState)
	_, err = e.kms.ScheduleKeyDeletion(ctx(t), &kms.ScheduleKeyDeletionInput{KeyId: md.KeyId, PendingWindowInDays: aws.Int32(6)})
	wantCode(t, err, codeValidation)
	if _, err := e.kms.CancelKeyDeletion(ctx(t), &kms.CancelKeyDeletionInput{KeyId: md.KeyId}); err != nil {
		t.Fatal(err)
	}
	d, _ = e.kms.DescribeKey(ctx(t), &kms.DescribeKeyInput{KeyId: md.KeyId})
	if d.KeyMetadata.KeyState != types.KeyStateDisabled || d.KeyMetadata.DeletionDate != nil {
		t.Fatalf("after CancelKeyDeletion: %+v", d.KeyMetadata)
	}
	_, err = e.kms.CancelKeyDeletion(ctx(t), &kms.CancelKeyDeletionInput{KeyId: md.KeyId})
	wantCode(t, err, codeInvalidState)
	// PendingImport.
	ext, err := e.kms.CreateKey(ctx(t), &kms.CreateKeyInput{Origin: types.OriginTypeExternal})
	if err != nil || ext.KeyMetadata.KeyState != types.KeyStatePendingImport || ext.KeyMetadata.Enabled {
		t.Fatalf("EXTERNAL key: %+v %v", ext, err)
	}
	_, err = e.kms.Encrypt(ctx(t), &kms.EncryptInput{KeyId: ext.KeyMetadata.KeyId, Plaintext: []byte("x")})
	wantCode(t, err, codeInvalidState)
	if errMessage(err) != *ext.KeyMetadata.Arn+" is pending import." {
		t.Fatalf("message %q", errMessage(err))
	}
}

func TestCreateKeySpecUsage(t *testing.T) {
	e := newEnv(t, Options{})
	cases := []struct {
		spec  types.KeySpec
		usage types.KeyUsageType
		code  string
		msg   string
	}{
		{"RSA_2048", "KEY_AGREEMENT", codeValidation, "KeyUsage KEY_AGREEMENT is not compatible with KeySpec RSA_2048"},
		{"ECC_SECG_P256K1", "KEY_AGREEMENT", codeValidation, "KeyUsage KEY_AGREEMENT is not compatible with KeySpec ECC_SECG_P256K1"},
		{"SYMMETRIC_DEFAULT", "SIGN_VERIFY", codeValidation, "KeyUsage SIGN_VERIFY is not compatible with KeySpec SYMMETRIC_DEFAULT"},
		{"ECC_NIST_P256", "ENCRYPT_DECRYPT", codeValidation, "KeyUsage ENCRYPT_DECRYPT is not compatible with KeySpec ECC_NIST_P256"},
		{"HMAC_256", "", codeValidation, "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys."},
		{"RSA_2048", "", codeValidation, "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys."},
		{"HMAC_random", "", codeValidation, "1 validation error detected: Value 'HMAC_random' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: ["},
		{"HMAC_256", "RANDOM", codeValidation, "1 validation error detected: Value 'RANDOM' at 'keyUsage' failed to satisfy constraint: Member must satisfy enum value set: ["},
	}
	for _, c := range cases {
		_, err := e.kms.CreateKey(ctx(t), &kms.CreateKeyInput{KeySpec: c.spec, KeyUsage: c.usage})
		wantCode(t, err, c.code)
		if !strings.HasPrefix(errMessage(err), c.msg) {
			t.Errorf("%s/%s: message %q, want %q", c.spec, c.usage, errMessage(err), c.msg)
		}
	}
	for _, ok := range []struct {
		spec  types.KeySpec
		usage types.KeyUsageType
		algs  []string
	}{
		{"ECC_NIST_P256", "SIGN_VERIFY", []string{"ECDSA_SHA_256"}},
		{"ECC_NIST_P384", "KEY_AGREEMENT", []string{"ECDH"}},
		{"ECC_NIST_P521", "SIGN_VERIFY", []string{"ECDSA_SHA_512"}},
		{"ECC_SECG_P256K1", "SIGN_VERIFY", []string{"ECDSA_SHA_256"}},
		{"RSA_3072", "SIGN_VERIFY", signAlgorithms(specRSA3072, usageSign)},
		{"RSA_4096", "ENCRYPT_DECRYPT", []string{"RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"}},
	} {
		md := createKey(t, e, ok.spec, ok.usage)
		var got []string
		for _, a := range md.SigningAlgorithms {
			got = append(got, string(a))
		}
		for _, a := range md.EncryptionAlgorithms {
			got = append(got, string(a))
		}
		for _, a := range md.KeyAgreementAlgorithms {
			got = append(got, string(a))
		}
		if strings.Join(got, ",") != strings.Join(ok.algs, ",") || md.CurrentKeyMaterialId != nil {
			t.Errorf("%s/%s: algorithms %v, want %v (material id %v)", ok.spec, ok.usage, got, ok.algs, md.CurrentKeyMaterialId)
		}
		pk, err := e.kms.GetPublicKey(ctx(t), &kms.GetPublicKeyInput{KeyId: md.KeyId})
		if err != nil || *pk.KeyId != *md.Arn || pk.KeySpec != ok.spec || pk.KeyUsage != ok.usage {
			t.Fatalf("GetPublicKey %s: %+v %v", ok.spec, pk, err)
		}
		if ok.spec != "ECC_SECG_P256K1" {
			if _, err := x509.ParsePKIXPublicKey(pk.PublicKey); err != nil {
				t.Errorf("%s public key: %v", ok.spec, err)
			}
		}
	}
	sym := createKey(t, e, "", "")
	_, err := e.kms.GetPublicKey(ctx(t), &kms.GetPublicKeyInput{KeyId: sym.KeyId})
	wantCode(t, err, codeUnsupported)
}

func TestRSAEncryptLimitsAndUsage(t *testing.T) {
	e := newEnv(t, Options{})
	md := createKey(t, e, "RSA_2048", "ENCRYPT_DECRYPT")
	for _, c := range []struct {
		alg types.EncryptionAlgorithmSpec
		max int
	}{{"RSAES_OAEP_SHA_1", 214}, {"RSAES_OAEP_SHA_256", 190}} {
		if _, err := e.kms.Encrypt(ctx(t), &kms.EncryptInput{KeyId: md.KeyId, Plaintext: make([]byte, c.max), EncryptionAlgorithm: c.alg}); err != nil {
			t.Fatalf("%s %d bytes: %v", c.alg, c.max, err)
		}
		_, err := e.kms.Encrypt(ctx(t), &kms.EncryptInput{KeyId: md.KeyId, Plaintext: make([]byte, c.max+1), EncryptionAlgorithm: c.alg})
		wantCode(t, err, codeValidation)
		want := "Algorithm " + string(c.alg) + " and key spec RSA_2048 cannot encrypt data larger than " + strconv.Itoa(c.max) + " bytes."
		if errMessage(err) != want {
			t.Fatalf("message %q, want %q", errMessage(err), want)
		}
	}
	// SIGN_VERIFY key cannot encrypt.
	sv := createKey(t, e, "RSA_2048", "SIGN_VERIFY")
	_, err := e.kms.Encrypt(ctx(t), &kms.EncryptInput{KeyId: sv.KeyId, Plaintext: []byte("x")})
	wantCode(t, err, codeInvalidKeyUsage)
	if errMessage(err) != *sv.Arn+" key usage is SIGN_VERIFY which is not valid for Encrypt." {
		t.Fatalf("message %q", errMessage(err))
	}
	// Symmetric algorithm on an RSA key, RSA algorithm on a symmetric key.
	_, err = e.kms.Encrypt(ctx(t), &kms.EncryptInput{KeyId: md.KeyId, Plaintext: []byte("x")})
	wantCode(t, err, codeInvalidKeyUsage)
	sym := createKey(t, e, "", "")
	_, err = e.kms.Encrypt(ctx(t), &kms.EncryptInput{KeyId: sym.KeyId, Plaintext: []byte("x"), EncryptionAlgorithm: "RSAES_OAEP_SHA_1"})
	wantCode(t, err, codeInvalidKeyUsage)
	// RSA round trip through ReEncrypt between algorithms.
	enc, err := e.kms.Encrypt(ctx(t), &kms.EncryptInput{KeyId: md.KeyId, Plaintext: []byte("rsa"), EncryptionAlgorithm: "RSAES_OAEP_SHA_256"})
	if err != nil {
		t.Fatal(err)
	}
	re, err := e.kms.ReEncrypt(ctx(t), &kms.ReEncryptInput{CiphertextBlob: enc.CiphertextBlob, SourceKeyId: md.KeyId, SourceEncryptionAlgorithm: "RSAES_OAEP_SHA_256",
		DestinationKeyId: md.KeyId, DestinationEncryptionAlgorithm: "RSAES_OAEP_SHA_1"})
	if err != nil {
		t.Fatal(err)
	}
	dec, err := e.kms.Decrypt(ctx(t), &kms.DecryptInput{CiphertextBlob: re.CiphertextBlob, KeyId: md.KeyId, EncryptionAlgorithm: "RSAES_OAEP_SHA_1"})
	if err != nil || string(dec.Plaintext) != "rsa" {
		t.Fatalf("Decrypt: %v", err)
	}
	// RSA ciphertext without KeyId is not a symmetric blob.
	_, err = e.kms.Decrypt(ctx(t), &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
	wantCode(t, err, codeInvalidCiphertext)
}

func TestSignVerify(t *testing.T) {
	e := newEnv(t, Options{})
	msg := []byte("message to sign")
	for _, c := range []struct {
		spec types.KeySpec
		alg  types.SigningAlgorithmSpec
	}{
		{"RSA_2048", "RSASSA_PSS_SHA_256"}, {"RSA_2048", "RSASSA_PKCS1_V1_5_SHA_512"}, {"RSA_2048", "RSASSA_PSS_SHA_384"},
		{"ECC_NIST_P256", "ECDSA_SHA_256"}, {"ECC_NIST_P384", "ECDSA_SHA_384"}, {"ECC_NIST_P521", "ECDSA_SHA_512"},
		{"ECC_SECG_P256K1", "ECDSA_SHA_256"},
	} {
		md := createKey(t, e, c.spec, "SIGN_VERIFY")
		s, err := e.kms.Sign(ctx(t), &kms.SignInput{KeyId: md.KeyId, Message: msg, SigningAlgorithm: c.alg})
		if err != nil || *s.KeyId != *md.Arn {
			t.Fatalf("Sign %s %s: %v", c.spec, c.alg, err)
		}
		v, err := e.kms.Verify(ctx(t), &kms.VerifyInput{KeyId: md.KeyId, Message: msg, Signature: s.Signature, SigningAlgorithm: c.alg})
		if err != nil || !v.SignatureValid {
			t.Fatalf("Verify %s %s: %v", c.spec, c.alg, err)
		}
		// The DIGEST of the message verifies the RAW signature.
		digest := digestOf(signingHash(string(c.alg)), msg)
		v, err = e.kms.Verify(ctx(t), &kms.VerifyInput{KeyId: md.KeyId, Message: digest, MessageType: types.MessageTypeDigest, Signature: s.Signature, SigningAlgorithm: c.alg})
		if err != nil || !v.SignatureValid {
			t.Fatalf("Verify DIGEST %s %s: %v", c.spec, c.alg, err)
		}
		_, err = e.kms.Verify(ctx(t), &kms.VerifyInput{KeyId: md.KeyId, Message: []byte("other"), Signature: s.Signature, SigningAlgorithm: c.alg})
		wantCode(t, err, codeInvalidSignature)
		if errMessage(err) != "" {
			t.Fatalf("KMSInvalidSignatureException carries a message")
		}
		_, err = e.kms.Sign(ctx(t), &kms.SignInput{KeyId: md.KeyId, Message: make([]byte, 28), MessageType: types.MessageTypeDigest, SigningAlgorithm: c.alg})
		wantCode(t, err, codeValidation)
		if errMessage(err) != "Digest is invalid length for algorithm "+string(c.alg)+"." {
			t.Fatalf("message %q", errMessage(err))
		}
	}
	p256 := createKey(t, e, "ECC_NIST_P256", "SIGN_VERIFY")
	_, err := e.kms.Sign(ctx(t), &kms.SignInput{KeyId: p256.KeyId, Message: msg, SigningAlgorithm: "ECDSA_SHA_384"})
	wantCode(t, err, codeInvalidKeyUsage)
	sym := createKey(t, e, "", "")
	_, err = e.kms.Verify(ctx(t), &kms.VerifyInput{KeyId: sym.KeyId, Message: msg, Signature: []byte("junk"), SigningAlgorithm: "ECDSA_SHA_256"})
	wantCode(t, err, codeInvalidKeyUsage)
	if errMessage(err) != *sym.Arn+" key usage is ENCRYPT_DECRYPT which is not valid for Verify." {
		t.Fatalf("message %q", errMessage(err))
	}
}

func TestDataKeys(t *testing.T) {
	e := newEnv(t, Options{})
	md := createKey(t, e, "", "")
	ec := map[string]string{"k": "v"}
	dk, err := e.kms.GenerateDataKey(ctx(t), &kms.GenerateDataKeyInput{KeyId: md.KeyId, KeySpec: types.DataKeySpecAes128, EncryptionContext: ec})
	if err != nil || len(dk.Plaintext) != 16 || *dk.KeyId != *md.Arn {
		t.Fatalf("GenerateDataKey: %+v %v", dk, err)
	}
	dec, err := e.kms.Decrypt(ctx(t), &kms.DecryptInput{CiphertextBlob: dk.CiphertextBlob, EncryptionContext: ec})
	if err != nil || !bytes.Equal(dec.Plaintext, dk.Plaintext) {
		t.Fatalf("Decrypt data key: %v", err)
	}
	_, err = e.kms.Decrypt(ctx(t), &kms.DecryptInput{CiphertextBlob: dk.CiphertextBlob})
	wantCode(t, err, codeInvalidCiphertext)
	wp, err := e.kms.GenerateDataKeyWithoutPlaintext(ctx(t), &kms.GenerateDataKeyWithoutPlaintextInput{KeyId: md.KeyId, NumberOfBytes: aws.Int32(64)})
	if err != nil {
		t.Fatal(err)
	}
	dec, err = e.kms.Decrypt(ctx(t), &kms.DecryptInput{CiphertextBlob: wp.CiphertextBlob})
	if err != nil || len(dec.Plaintext) != 64 {
		t.Fatalf("Decrypt 64-byte data key: %v", err)
	}
	_, err = e.kms.GenerateDataKey(ctx(t), &kms.GenerateDataKeyInput{KeyId: md.KeyId, NumberOfBytes: aws.Int32(1025)})
	wantCode(t, err, codeValidation)
	_, err = e.kms.GenerateDataKey(ctx(t), &kms.GenerateDataKeyInput{KeyId: md.KeyId})
	wantCode(t, err, codeValidation)
	for _, spec := range []types.DataKeyPairSpec{"RSA_2048", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1"} {
		p, err := e.kms.GenerateDataKeyPair(ctx(t), &kms.GenerateDataKeyPairInput{KeyId: md.KeyId, KeyPairSpec: spec, EncryptionContext: ec})
		if err != nil || p.KeyPairSpec != spec {
			t.Fatalf("GenerateDataKeyPair %s: %v", spec, err)
		}
		a, err := parsePrivateKey(string(spec), p.PrivateKeyPlaintext)
		if err != nil || !bytes.Equal(a.pubDER, p.PublicKey) {
			t.Fatalf("%s: private key does not match public key: %v", spec, err)
		}
		dec, err := e.kms.Decrypt(ctx(t), &kms.DecryptInput{CiphertextBlob: p.PrivateKeyCiphertextBlob, EncryptionContext: ec})
		if err != nil || !bytes.Equal(dec.Plaintext, p.PrivateKeyPlaintext) {
			t.Fatalf("%s: Decrypt(PrivateKeyCiphertextBlob): %v", spec, err)
		}
	}
	wo, err := e.kms.GenerateDataKeyPairWithoutPlaintext(ctx(t), &kms.GenerateDataKeyPairWithoutPlaintextInput{KeyId: md.KeyId, KeyPairSpec: "ECC_NIST_P256"})
	if err != nil || len(wo.PublicKey) == 0 || len(wo.PrivateKeyCiphertextBlob) == 0 {
		t.Fatalf("GenerateDataKeyPairWithoutPlaintext: %v", err)
	}
	_, err = e.kms.GenerateDataKeyPair(ctx(t), &kms.GenerateDataKeyPairInput{KeyId: md.KeyId, KeyPairSpec: "RSA_2048", DryRun: aws.Bool(true)})
	wantCode(t, err, codeDryRun)
	rsaKey := createKey(t, e, "RSA_2048", "ENCRYPT_DECRYPT")
	_, err = e.kms.GenerateDataKey(ctx(t), &kms.GenerateDataKeyInput{KeyId: rsaKey.KeyId, KeySpec: types.DataKeySpecAes256})
	wantCode(t, err, codeInvalidKeyUsage)
}

func TestGenerateRandomAndPolicy(t *testing.T) {
	e := newEnv(t, Options{})
	for _, n := range []int32{1, 12, 1024} {
		r, err := e.kms.GenerateRandom(ctx(t), &kms.GenerateRandomInput{NumberOfBytes: aws.Int32(n)})
		if err != nil || len(r.Plaintext) != int(n) {
			t.Fatalf("GenerateRandom(%d): %v", n, err)
		}
	}
	_, err := e.kms.GenerateRandom(ctx(t), &kms.GenerateRandomInput{})
	wantCode(t, err, codeValidation)
	if errMessage(err) != "NumberOfBytes is required." {
		t.Fatalf("message %q", errMessage(err))
	}
	_, err = e.kms.GenerateRandom(ctx(t), &kms.GenerateRandomInput{NumberOfBytes: aws.Int32(1025)})
	if errMessage(err) != "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024" {
		t.Fatalf("message %q", errMessage(err))
	}
	md := createKey(t, e, "", "")
	p, err := e.kms.GetKeyPolicy(ctx(t), &kms.GetKeyPolicyInput{KeyId: md.KeyId, PolicyName: aws.String("default")})
	if err != nil || !strings.Contains(*p.Policy, "arn:aws:iam::000000000000:root") {
		t.Fatalf("GetKeyPolicy: %v", err)
	}
	custom := `{"Version":"2012-10-17","Statement":[]}`
	ck, err := e.kms.CreateKey(ctx(t), &kms.CreateKeyInput{Policy: aws.String(custom)})
	if err != nil {
		t.Fatal(err)
	}
	p, err = e.kms.GetKeyPolicy(ctx(t), &kms.GetKeyPolicyInput{KeyId: ck.KeyMetadata.KeyId})
	if err != nil || *p.Policy != custom {
		t.Fatalf("GetKeyPolicy of a key created with a policy: %v", err)
	}
	_, err = e.kms.CreateKey(ctx(t), &kms.CreateKeyInput{Policy: aws.String("{not json")})
	wantCode(t, err, "MalformedPolicyDocumentException")
}

func TestAliasesAndTags(t *testing.T) {
	e := newEnv(t, Options{})
	a := createKey(t, e, "", "")
	b := createKey(t, e, "", "")
	_, err := e.kms.CreateAlias(ctx(t), &kms.CreateAliasInput{AliasName: aws.String("noprefix"), TargetKeyId: a.KeyId})
	wantCode(t, err, codeValidation)
	if errMessage(err) != `Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html` {
		t.Fatalf("message %q", errMessage(err))
	}
	for i := 0; i < 5; i++ {
		if _, err := e.kms.CreateAlias(ctx(t), &kms.CreateAliasInput{AliasName: aws.String("alias/a" + strconv.Itoa(i)), TargetKeyId: a.KeyId}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = e.kms.CreateAlias(ctx(t), &kms.CreateAliasInput{AliasName: aws.String("alias/a0"), TargetKeyId: b.KeyId})
	wantCode(t, err, codeAlreadyExists)
	if _, err := e.kms.UpdateAlias(ctx(t), &kms.UpdateAliasInput{AliasName: aws.String("alias/a0"), TargetKeyId: b.KeyId}); err != nil {
		t.Fatal(err)
	}
	la, err := e.kms.ListAliases(ctx(t), &kms.ListAliasesInput{KeyId: b.KeyId})
	if err != nil || len(la.Aliases) != 1 || *la.Aliases[0].TargetKeyId != *b.KeyId {
		t.Fatalf("ListAliases(KeyId=b): %+v %v", la, err)
	}
	// Paging with Limit and Marker collects every alias once.
	var names []string
	var marker *string
	for pages := 0; ; pages++ {
		out, err := e.kms.ListAliases(ctx(t), &kms.ListAliasesInput{Limit: aws.Int32(2), Marker: marker})
		if err != nil {
			t.Fatal(err)
		}
		for _, al := range out.Aliases {
			names = append(names, *al.AliasName)
		}
		if !out.Truncated {
			break
		}
		marker = out.NextMarker
	}
	if len(names) != 5 {
		t.Fatalf("paged aliases %v", names)
	}
	_, err = e.kms.ListKeys(ctx(t), &kms.ListKeysInput{Marker: aws.String("garbage")})
	wantCode(t, err, codeInvalidMarker)
	lk, err := e.kms.ListKeys(ctx(t), &kms.ListKeysInput{Limit: aws.Int32(1)})
	if err != nil || !lk.Truncated || len(lk.Keys) != 1 {
		t.Fatalf("ListKeys Limit 1: %+v %v", lk, err)
	}
	if _, err := e.kms.DeleteAlias(ctx(t), &kms.DeleteAliasInput{AliasName: aws.String("alias/a0")}); err != nil {
		t.Fatal(err)
	}
	_, err = e.kms.DeleteAlias(ctx(t), &kms.DeleteAliasInput{AliasName: aws.String("alias/a0")})
	wantCode(t, err, codeNotFound)
	// Tags.
	if _, err := e.kms.TagResource(ctx(t), &kms.TagResourceInput{KeyId: a.KeyId, Tags: []types.Tag{{TagKey: aws.String("z"), TagValue: aws.String("1")}, {TagKey: aws.String("a"), TagValue: aws.String("2")}}}); err != nil {
		t.Fatal(err)
	}
	tg, err := e.kms.ListResourceTags(ctx(t), &kms.ListResourceTagsInput{KeyId: a.KeyId})
	if err != nil || len(tg.Tags) != 2 || *tg.Tags[0].TagKey != "a" {
		t.Fatalf("ListResourceTags: %+v %v", tg, err)
	}
	_, err = e.kms.TagResource(ctx(t), &kms.TagResourceInput{KeyId: a.KeyId, Tags: []types.Tag{{TagKey: aws.String("aws:x"), TagValue: aws.String("1")}}})
	wantCode(t, err, codeTag)
	_, err = e.kms.TagResource(ctx(t), &kms.TagResourceInput{KeyId: a.KeyId, Tags: []types.Tag{{TagKey: aws.String("d"), TagValue: aws.String("1")}, {TagKey: aws.String("d"), TagValue: aws.String("2")}}})
	wantCode(t, err, codeTag)
	if _, err := e.kms.UntagResource(ctx(t), &kms.UntagResourceInput{KeyId: a.KeyId, TagKeys: []string{"z"}}); err != nil {
		t.Fatal(err)
	}
	tg, _ = e.kms.ListResourceTags(ctx(t), &kms.ListResourceTagsInput{KeyId: a.KeyId})
	if len(tg.Tags) != 1 {
		t.Fatalf("after UntagResource: %+v", tg.Tags)
	}
}

func TestDeletionDatePassed(t *testing.T) {
	e := newEnv(t, Options{})
	md := createKey(t, e, "", "")
	past := time.Now().Add(-time.Minute)
	if _, err := e.srv.store.update(scope{"000000000000", "us-east-1"}, *md.KeyId, func(k *key) (*key, *apiError) {
		return k.with(func(r *keyRecord) { r.State = statePendingDeletion; r.DeletionDate = &past }), nil
	}); err != nil {
		t.Fatal(err)
	}
	_, err := e.kms.DescribeKey(ctx(t), &kms.DescribeKeyInput{KeyId: md.KeyId})
	wantCode(t, err, codeNotFound)
	lk, _ := e.kms.ListKeys(ctx(t), &kms.ListKeysInput{})
	if len(lk.Keys) != 0 {
		t.Fatalf("a deleted key is still listed")
	}
}

func TestUpdateAliasKinds(t *testing.T) {
	e := newEnv(t, Options{})
	sym := createKey(t, e, "", "")
	sign := createKey(t, e, "ECC_NIST_P256", "SIGN_VERIFY")
	if _, err := e.kms.CreateAlias(ctx(t), &kms.CreateAliasInput{AliasName: aws.String("alias/k"), TargetKeyId: sym.KeyId}); err != nil {
		t.Fatal(err)
	}
	_, err := e.kms.UpdateAlias(ctx(t), &kms.UpdateAliasInput{AliasName: aws.String("alias/k"), TargetKeyId: sign.KeyId})
	wantCode(t, err, codeValidation)
	_, err = e.kms.CreateAlias(ctx(t), &kms.CreateAliasInput{AliasName: aws.String("alias/aws/x"), TargetKeyId: sym.KeyId})
	wantCode(t, err, codeNotAuthorized)
	_, err = e.kms.UpdateAlias(ctx(t), &kms.UpdateAliasInput{AliasName: aws.String("alias/missing"), TargetKeyId: sym.KeyId})
	wantCode(t, err, codeNotFound)
}
