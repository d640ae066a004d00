package kmsfake

import (
	"crypto/rand"
	"fmt"
)

type encryptReq struct {
	KeyId               string
	Plaintext           []byte
	EncryptionContext   map[string]string
	EncryptionAlgorithm string
	DryRun              bool
}

type encryptResp struct {
	CiphertextBlob      []byte
	EncryptionAlgorithm string
	KeyId               string
}

// encryptWith encrypts under k with alg (already validated as an enum).
func encryptWith(k *key, alg string, pt []byte, ec map[string]string) ([]byte, *apiError, error) {
	if !contains(encAlgorithms(k.rec.Spec, k.rec.Usage), alg) {
		return nil, errAlgorithm(alg, k.rec.Spec), nil
	}
	if k.rec.Spec == specSymmetric {
		b, err := k.sealBlob(pt, ec)
		return b, nil, err
	}
	if len(pt) > oaepLimit(k.rec.Spec, alg) {
		return nil, errOAEPTooLong(k.rec.Spec, alg), nil
	}
	b, err := k.asym.rsaEncrypt(alg, pt)
	return b, nil, err
}

func checkEncAlg(field, alg string) (string, *apiError) {
	if alg == "" {
		return algSymmetric, nil
	}
	return alg, checkEnum(field, alg, encryptionAlgorithms)
}

func opEncrypt(c *call, body []byte) (any, error) {
	var req encryptReq
	if err := c.decode(body, &req); err != nil {
		return nil, err
	}
	if aerr := requireKeyID("keyId", req.KeyId); aerr != nil {
		return nil, aerr
	}
	if aerr := checkBlob("plaintext", req.Plaintext, 1, 4096); aerr != nil {
		return nil, aerr
	}
	alg, aerr := checkEncAlg("encryptionAlgorithm", req.EncryptionAlgorithm)
	if aerr != nil {
		return nil, aerr
	}
	if aerr := checkContext("encryptionContext", req.EncryptionContext); aerr != nil {
		return nil, aerr
	}
	k, aerr := c.resolveUsable(req.KeyId, usageEncrypt)
	if aerr != nil {
		return nil, aerr
	}
	ct, aerr, err := encryptWith(k, alg, req.Plaintext, req.EncryptionContext)
	if aerr != nil {
		return nil, aerr
	}
	if err != nil {
		return nil, err
	}
	if req.DryRun {
		return nil, errDryRun()
	}
	return encryptResp{ct, alg, k.arn}, nil
}

type decryptReq struct {
	CiphertextBlob      []byte
	KeyId               string
	EncryptionContext   map[string]string
	EncryptionAlgorithm string
	DryRun              bool
}

type decryptResp struct {
	EncryptionAlgorithm string
	KeyId               string
	KeyMaterialId       string `json:",omitempty"`
	Plaintext           []byte
}

// decryptBlob decrypts a ciphertext. Without keyID it must be a symmetric
// blob, which names its key; with keyID the key must be the one that made
// it (IncorrectKeyException otherwise).
func (c *call) decryptBlob(ct []byte, keyID, alg string, ec map[string]string) (*key, []byte, error) {
	if keyID == "" {
		if alg != algSymmetric {
			return nil, nil, answerErr("Validation.KeyIDForAsymmetric", alg)
		}
		id, ok := blobKeyID(ct)
		if !ok || (!uuidRE.MatchString(id) && !mrkRE.MatchString(id)) {
			return nil, nil, answerErr("InvalidCiphertext")
		}
		k := c.s.store.key(c.sc, id)
		if k == nil {
			return nil, nil, answerErr("InvalidCiphertext")
		}
		c.keyID = id
		if aerr := k.usable(); aerr != nil {
			return nil, nil, aerr
		}
		if aerr := k.checkUsage(usageEncrypt, c.op); aerr != nil {
			return nil, nil, aerr
		}
		pt, aerr := k.openBlob(ct, ec)
		if aerr != nil {
			return nil, nil, aerr
		}
		return k, pt, nil
	}
	k, aerr := c.resolve(keyID, true)
	if aerr != nil {
		return nil, nil, aerr
	}
	if aerr := k.usable(); aerr != nil {
		return nil, nil, aerr
	}
	if k.rec.Spec == specSymmetric && k.rec.Usage == usageEncrypt {
		if alg != algSymmetric {
			return nil, nil, errAlgorithm(alg, k.rec.Spec)
		}
		if id, ok := blobKeyID(ct); ok && id != k.rec.KeyID {
			return nil, nil, errIncorrectKey()
		}
		pt, aerr := k.openBlob(ct, ec)
		if aerr != nil {
			return nil, nil, aerr
		}
		return k, pt, nil
	}
	if aerr := k.checkUsage(usageEncrypt, c.op); aerr != nil {
		return nil, nil, aerr
	}
	if !contains(encAlgorithms(k.rec.Spec, k.rec.Usage), alg) {
		return nil, nil, errAlgorithm(alg, k.rec.Spec)
	}
	pt, aerr := k.asym.rsaDecrypt(alg, ct)
	if aerr != nil {
		return nil, nil, aerr
	}
	return k, pt, nil
}

func opDecrypt(c *call, body []byte) (any, error) {
	var req decryptReq
	if err := c.decode(body, &req); err != nil {
		return nil, err
	}
	if aerr := checkBlob("ciphertextBlob", req.CiphertextBlob, 1, 6144); aerr != nil {
		return nil, aerr
	}
	if req.KeyId != "" {
		if aerr := requireKeyID("keyId", req.KeyId); aerr != nil {
			return nil, aerr
		}
	}
	alg, aerr := checkEncAlg("encryptionAlgorithm", req.EncryptionAlgorithm)
	if aerr != nil {
		return nil, aerr
	}
	k, pt, err := c.decryptBlob(req.CiphertextBlob, req.KeyId, alg, req.EncryptionContext)
	if err != nil {
		return nil, err
	}
	if req.DryRun {
		return nil, errDryRun()
	}
	resp := decryptResp{EncryptionAlgorithm: alg, KeyId: k.arn, Plaintext: pt}
	if k.rec.Spec == specSymmetric {
		resp.KeyMaterialId = k.rec.MaterialID
	}
	return resp, nil
}

type reEncryptReq struct {
	CiphertextBlob                 []byte
	SourceEncryptionContext        map[string]string
	SourceKeyId                    string
	DestinationKeyId               string
	DestinationEncryptionContext   map[string]string
	SourceEncryptionAlgorithm      string
	DestinationEncryptionAlgorithm string
	DryRun                         bool
}

func opReEncrypt(c *call, body []byte) (any, error) {
	var req reEncryptReq
	if err := c.decode(body, &req); err != nil {
		return nil, err
	}
	if aerr := checkBlob("ciphertextBlob", req.CiphertextBlob, 1, 6144); aerr != nil {
		return nil, aerr
	}
	if aerr := requireKeyID("destinationKeyId", req.DestinationKeyId); aerr != nil {
		return nil, aerr
	}
	srcAlg, aerr := checkEncAlg("sourceEncryptionAlgorithm", req.SourceEncryptionAlgorithm)
	if aerr != nil {
		return nil, aerr
	}
	dstAlg, aerr := checkEncAlg("destinationEncryptionAlgorithm", req.DestinationEncryptionAlgorithm)
	if aerr != nil {
		return nil, aerr
	}
	src, pt, err := c.decryptBlob(req.CiphertextBlob, req.SourceKeyId, srcAlg, req.SourceEncryptionContext)
	if err != nil {
		return nil, err
	}
	dst, aerr := c.resolveUsable(req.DestinationKeyId, usageEncrypt)
	if aerr != nil {
		return nil, aerr
	}
	ct, aerr, err := encryptWith(dst, dstAlg, pt, req.DestinationEncryptionContext)
	if aerr != nil {
		return nil, aerr
	}
	if err != nil {
		return nil, err
	}
	if req.DryRun {
		return nil, errDryRun()
	}
	return struct {
		CiphertextBlob                 []byte
		DestinationEncryptionAlgorithm string
		KeyId                          string
		SourceEncryptionAlgorithm      string
		SourceKeyId                    string
	}{ct, dstAlg, dst.arn, srcAlg, src.arn}, nil
}

type dataKeyReq struct {
	KeyId             string
	NumberOfBytes     *int64
	KeySpec           string
	EncryptionContext map[string]string
	DryRun            bool
}

// dataKey makes a data key and its blob under a symmetric key.
func (c *call) dataKey(body []byte) (k *key, pt, ct []byte, err error) {
	var req dataKeyReq
	if err := c.decode(body, &req); err != nil {
		return nil, nil, nil, err
	}
	if aerr := requireKeyID("keyId", req.KeyId); aerr != nil {
		return nil, nil, nil, aerr
	}
	if req.KeySpec != "" {
		if aerr := checkEnum("keySpec", req.KeySpec, []string{"AES_256", "AES_128"}); aerr != nil {
			return nil, nil, nil, aerr
		}
	}
	if aerr := checkRange("numberOfBytes", req.NumberOfBytes, 1, 1024); aerr != nil {
		return nil, nil, nil, aerr
	}
	n := 0
	switch {
	case req.KeySpec != "" && req.NumberOfBytes != nil:
		return nil, nil, nil, answerErr("Validation.BytesOrSpec")
	case req.KeySpec == "AES_256":
		n = 32
	case req.KeySpec == "AES_128":
		n = 16
	case req.NumberOfBytes != nil:
		n = int(*req.NumberOfBytes)
	default:
		return nil, nil, nil, answerErr("Validation.BytesOrSpec")
	}
	k, aerr := c.resolveUsable(req.KeyId, usageEncrypt)
	if aerr != nil {
		return nil, nil, nil, aerr
	}
	if k.rec.Spec != specSymmetric {
		return nil, nil, nil, errAlgorithm(algSymmetric, k.rec.Spec)
	}
	pt = make([]byte, n)
	if _, err := rand.Read(pt); err != nil {
		return nil, nil, nil, err
	}
	ct, err = k.sealBlob(pt, req.EncryptionContext)
	if err != nil {
		return nil, nil, nil, err
	}
	if req.DryRun {
		return nil, nil, nil, errDryRun()
	}
	return k, pt, ct, nil
}

func opGenerateDataKey(c *call, body []byte) (any, error) {
	k, pt, ct, err := c.dataKey(body)
	if err != nil {
		return nil, err
	}
	return struct {
		CiphertextBlob []byte
		KeyId          string
		KeyMaterialId  string `json:",omitempty"`
		Plaintext      []byte
	}{ct, k.arn, k.rec.MaterialID, pt}, nil
}

func opGenerateDataKeyWithoutPlaintext(c *call, body []byte) (any, error) {
	k, _, ct, err := c.dataKey(body)
	if err != nil {
		return nil, err
	}
	return struct {
		CiphertextBlob []byte
		KeyId          string
		KeyMaterialId  string `json:",omitempty"`
	}{ct, k.arn, k.rec.MaterialID}, nil
}

func opGenerateRandom(c *call, body []byte) (any, error) {
	var req struct {
		NumberOfBytes        *int64
		CustomKeyStoreId     string
		RecipientAttestation any `json:"Recipient"`
	}
	if err := c.decode(body, &req); err != nil {
		return nil, err
	}
	if req.NumberOfBytes == nil {
		return nil, answerErr("Validation.NumberOfBytesRequired")
	}
	if aerr := checkRange("numberOfBytes", req.NumberOfBytes, 1, 1024); aerr != nil {
		return nil, aerr
	}
	b := make([]byte, *req.NumberOfBytes)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	return struct{ Plaintext []byte }{b}, nil
}

func opGetKeyPolicy(c *call, body []byte) (any, error) {
	var req struct {
		KeyId      string
		PolicyName string
	}
	if err := c.decode(body, &req); err != nil {
		return nil, err
	}
	if aerr := requireKeyID("keyId", req.KeyId); aerr != nil {
		return nil, aerr
	}
	if req.PolicyName == "" {
		req.PolicyName = "default"
	}
	k, aerr := c.resolve(req.KeyId, false)
	if aerr != nil {
		return nil, aerr
	}
	if req.PolicyName != "default" {
		return nil, answerErr("NotFound.Policy")
	}
	policy := fmt.Sprintf(`{
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::%s:root"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  } ]
}`, k.rec.Account)
	if k.rec.Policy != "" {
		policy = k.rec.Policy
	}
	return struct {
		Policy     string
		PolicyName string
	}{policy, "default"}, nil
}
