package kmsfake

import "fmt"

func opGetPublicKey(c *call, body []byte) (any, error) {
	var req keyIDReq
	if err := c.decode(body, &req); err != nil {
		return nil, err
	}
	if aerr := requireKeyID("keyId", req.KeyId); aerr != nil {
		return nil, aerr
	}
	k, aerr := c.resolve(req.KeyId, true)
	if aerr != nil {
		return nil, aerr
	}
	if aerr := k.usable(); aerr != nil {
		return nil, aerr
	}
	if k.asym == nil {
		return nil, answerErr("Unsupported.NoPublicKey", k.arn, k.rec.Spec)
	}
	return struct {
		CustomerMasterKeySpec  string
		EncryptionAlgorithms   []string `json:",omitempty"`
		KeyAgreementAlgorithms []string `json:",omitempty"`
		KeyId                  string
		KeySpec                string
		KeyUsage               string
		PublicKey              []byte
		SigningAlgorithms      []string `json:",omitempty"`
	}{k.rec.Spec, encAlgorithms(k.rec.Spec, k.rec.Usage), agreeAlgorithms(k.rec.Usage), k.arn, k.rec.Spec, k.rec.Usage,
		k.asym.pubDER, signAlgorithms(k.rec.Spec, k.rec.Usage)}, nil
}

type signReq struct {
	KeyId            string
	Message          []byte
	MessageType      string
	SigningAlgorithm string
	Signature        []byte
	DryRun           bool
}

// signInput validates a Sign/Verify request and returns the key and the
// digest to sign or verify.
func (c *call) signInput(req *signReq) (*key, []byte, *apiError) {
	if aerr := requireKeyID("keyId", req.KeyId); aerr != nil {
		return nil, nil, aerr
	}
	if aerr := checkBlob("message", req.Message, 1, 4096); aerr != nil {
		return nil, nil, aerr
	}
	if req.MessageType == "" {
		req.MessageType = "RAW"
	}
	if aerr := checkEnum("messageType", req.MessageType, []string{"RAW", "DIGEST", "EXTERNAL_MU"}); aerr != nil {
		return nil, nil, aerr
	}
	if req.SigningAlgorithm == "" {
		return nil, nil, errRequired("signingAlgorithm")
	}
	if aerr := checkEnum("signingAlgorithm", req.SigningAlgorithm, signingAlgorithms); aerr != nil {
		return nil, nil, aerr
	}
	k, aerr := c.resolveUsable(req.KeyId, usageSign)
	if aerr != nil {
		return nil, nil, aerr
	}
	if !contains(signAlgorithms(k.rec.Spec, k.rec.Usage), req.SigningAlgorithm) {
		return nil, nil, errAlgorithm(req.SigningAlgorithm, k.rec.Spec)
	}
	h := signingHash(req.SigningAlgorithm)
	switch req.MessageType {
	case "DIGEST":
		if len(req.Message) != h.Size() {
			return nil, nil, answerErr("Validation.DigestLength", req.SigningAlgorithm)
		}
		return k, req.Message, nil
	case "RAW":
		return k, digestOf(h, req.Message), nil
	}
	return nil, nil, answerErr("Validation.MessageType", req.MessageType)
}

func opSign(c *call, body []byte) (any, error) {
	var req signReq
	if err := c.decode(body, &req); err != nil {
		return nil, err
	}
	k, digest, aerr := c.signInput(&req)
	if aerr != nil {
		return nil, aerr
	}
	if req.DryRun {
		return nil, errDryRun()
	}
	sig, err := k.asym.sign(req.SigningAlgorithm, digest)
	if err != nil {
		return nil, fmt.Errorf("signing: %w", err)
	}
	return struct {
		KeyId            string
		Signature        []byte
		SigningAlgorithm string
	}{k.arn, sig, req.SigningAlgorithm}, nil
}

func opVerify(c *call, body []byte) (any, error) {
	var req signReq
	if err := c.decode(body, &req); err != nil {
		return nil, err
	}
	if aerr := checkBlob("signature", req.Signature, 1, 6144); aerr != nil {
		return nil, aerr
	}
	k, digest, aerr := c.signInput(&req)
	if aerr != nil {
		return nil, aerr
	}
	if !k.asym.verify(req.SigningAlgorithm, digest, req.Signature) {
		return nil, answerErr("InvalidSignature")
	}
	if req.DryRun {
		return nil, errDryRun()
	}
	return struct {
		KeyId            string
		SignatureValid   bool
		SigningAlgorithm string
	}{k.arn, true, req.SigningAlgorithm}, nil
}

func opDeriveSharedSecret(c *call, body []byte) (any, error) {
	var req struct {
		KeyId                 string
		KeyAgreementAlgorithm string
		PublicKey             []byte
		DryRun                bool
	}
	if err := c.decode(body, &req); err != nil {
		return nil, err
	}
	if aerr := requireKeyID("keyId", req.KeyId); aerr != nil {
		return nil, aerr
	}
	if req.KeyAgreementAlgorithm == "" {
		return nil, errRequired("keyAgreementAlgorithm")
	}
	if aerr := checkEnum("keyAgreementAlgorithm", req.KeyAgreementAlgorithm, []string{"ECDH"}); aerr != nil {
		return nil, aerr
	}
	if aerr := checkBlob("publicKey", req.PublicKey, 1, 8192); aerr != nil {
		return nil, aerr
	}
	k, aerr := c.resolveUsable(req.KeyId, usageAgree)
	if aerr != nil {
		return nil, aerr
	}
	secret, aerr := k.asym.derive(k.rec.Spec, req.PublicKey)
	if aerr != nil {
		return nil, aerr
	}
	if req.DryRun {
		return nil, errDryRun()
	}
	return struct {
		KeyAgreementAlgorithm string
		KeyId                 string
		KeyOrigin             string
		SharedSecret          []byte
	}{"ECDH", k.arn, k.rec.Origin, secret}, nil
}

type dataKeyPairResp struct {
	KeyId                    string
	KeyPairSpec              string
	PrivateKeyCiphertextBlob []byte
	PrivateKeyPlaintext      []byte `json:",omitempty"`
	PublicKey                []byte
}

func (c *call) dataKeyPair(body []byte) (*dataKeyPairResp, error) {
	var req struct {
		KeyId             string
		KeyPairSpec       string
		EncryptionContext map[string]string
		DryRun            bool
	}
	if err := c.decode(body, &req); err != nil {
		return nil, err
	}
	if aerr := requireKeyID("keyId", req.KeyId); aerr != nil {
		return nil, aerr
	}
	if req.KeyPairSpec == "" {
		return nil, errRequired("keyPairSpec")
	}
	if aerr := checkEnum("keyPairSpec", req.KeyPairSpec, keyPairSpecs); aerr != nil {
		return nil, aerr
	}
	if req.KeyPairSpec == "SM2" {
		return nil, answerErr("Validation.SM2")
	}
	k, aerr := c.resolveUsable(req.KeyId, usageEncrypt)
	if aerr != nil {
		return nil, aerr
	}
	if k.rec.Spec != specSymmetric {
		return nil, errAlgorithm(algSymmetric, k.rec.Spec)
	}
	if req.DryRun {
		return nil, errDryRun()
	}
	der, err := c.s.newMaterial(req.KeyPairSpec)
	if err != nil {
		return nil, err
	}
	a, err := parsePrivateKey(req.KeyPairSpec, der)
	if err != nil {
		return nil, err
	}
	ct, err := k.sealBlob(der, req.EncryptionContext)
	if err != nil {
		return nil, err
	}
	return &dataKeyPairResp{k.arn, req.KeyPairSpec, ct, der, a.pubDER}, nil
}

func opGenerateDataKeyPair(c *call, body []byte) (any, error) {
	return c.dataKeyPair(body)
}

func opGenerateDataKeyPairWithoutPlaintext(c *call, body []byte) (any, error) {
	r, err := c.dataKeyPair(body)
	if err != nil {
		return nil, err
	}
	r.PrivateKeyPlaintext = nil
	return r, nil
}
