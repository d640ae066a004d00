package kmsfake

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"hash"
	"strings"
	"sync"
	"time"
)

// importToken is what GetParametersForImport hands out; tokens live in
// memory only (they expire after 24 hours anyway).
type importToken struct {
	keyID     string
	sc        scope
	algorithm string
	wrapping  *rsa.PrivateKey
	validTo   time.Time
}

type importTokens struct {
	mu       sync.Mutex
	m        map[string]*importToken
	wrapMu   sync.Mutex
	wrapKeys map[int]*wrapSlot // one wrapping key per size, made on first use
}

// wrapSlot is the wrapping key of one size; once makes it without holding
// the tokens' lock, so a 4096-bit key being made does not stall requests
// for other sizes or ImportKeyMaterial.
type wrapSlot struct {
	once sync.Once
	key  *rsa.PrivateKey
	err  error
}

var wrappingAlgorithms = []string{"RSAES_PKCS1_V1_5", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "RSA_AES_KEY_WRAP_SHA_1", "RSA_AES_KEY_WRAP_SHA_256", "SM2PKE"}

// wrappingKey returns the server's wrapping key of bits, taking it from
// the key pool on first use.
func (t *importTokens) wrappingKey(pool *keyPool, bits int) (*rsa.PrivateKey, error) {
	t.wrapMu.Lock()
	if t.wrapKeys == nil {
		t.wrapKeys = map[int]*wrapSlot{}
	}
	w := t.wrapKeys[bits]
	if w == nil {
		w = &wrapSlot{}
		t.wrapKeys[bits] = w
	}
	t.wrapMu.Unlock()
	w.once.Do(func() { w.key, w.err = pool.take(bits) })
	return w.key, w.err
}

func (c *call) externalKey(id string) (*key, *apiError) {
	if aerr := requireKeyID("keyId", id); aerr != nil {
		return nil, aerr
	}
	k, aerr := c.resolve(id, false)
	if aerr != nil {
		return nil, aerr
	}
	if k.rec.Origin != originExternal {
		return nil, answerErr("Unsupported.Origin.ForOperation", k.arn, k.rec.Origin)
	}
	if k.rec.State == statePendingDeletion {
		return nil, k.usable()
	}
	return k, nil
}

func opGetParametersForImport(c *call, body []byte) (any, error) {
	var req struct {
		KeyId             string
		WrappingAlgorithm string
		WrappingKeySpec   string
	}
	if err := c.decode(body, &req); err != nil {
		return nil, err
	}
	if aerr := requireKeyID("keyId", req.KeyId); aerr != nil {
		return nil, aerr
	}
	if req.WrappingAlgorithm == "" {
		return nil, errRequired("wrappingAlgorithm")
	}
	if aerr := checkEnum("wrappingAlgorithm", req.WrappingAlgorithm, wrappingAlgorithms); aerr != nil {
		return nil, aerr
	}
	if req.WrappingKeySpec == "" {
		return nil, errRequired("wrappingKeySpec")
	}
	if aerr := checkEnum("wrappingKeySpec", req.WrappingKeySpec, []string{specRSA2048, specRSA3072, specRSA4096, "SM2"}); aerr != nil {
		return nil, aerr
	}
	if req.WrappingAlgorithm == "RSAES_PKCS1_V1_5" || req.WrappingAlgorithm == "SM2PKE" || req.WrappingKeySpec == "SM2" {
		return nil, answerErr("Validation.Wrapping", req.WrappingAlgorithm, req.WrappingKeySpec)
	}
	k, aerr := c.externalKey(req.KeyId)
	if aerr != nil {
		return nil, aerr
	}
	wk, err := c.s.imports.wrappingKey(c.s.pool, rsaBits(req.WrappingKeySpec))
	if err != nil {
		return nil, err
	}
	pub, err := x509.MarshalPKIXPublicKey(&wk.PublicKey)
	if err != nil {
		return nil, err
	}
	tok := make([]byte, 64)
	rand.Read(tok)
	t := &importToken{keyID: k.rec.KeyID, sc: c.sc, algorithm: req.WrappingAlgorithm, wrapping: wk, validTo: time.Now().Add(24 * time.Hour)}
	c.s.imports.mu.Lock()
	now := time.Now()
	for id, old := range c.s.imports.m {
		if now.After(old.validTo) {
			delete(c.s.imports.m, id)
		}
	}
	c.s.imports.m[string(tok)] = t
	c.s.imports.mu.Unlock()
	return struct {
		ImportToken       []byte
		KeyId             string
		ParametersValidTo float64
		PublicKey         []byte
	}{tok, k.arn, epoch(t.validTo), pub}, nil
}

// unwrapMaterial decrypts EncryptedKeyMaterial with the token's wrapping
// key and algorithm.
func unwrapMaterial(t *importToken, enc []byte) ([]byte, bool) {
	var h hash.Hash = sha256.New()
	if strings.HasSuffix(t.algorithm, "SHA_1") {
		h = sha1.New()
	}
	if !strings.HasPrefix(t.algorithm, "RSA_AES_KEY_WRAP") {
		pt, err := rsa.DecryptOAEP(h, nil, t.wrapping, enc, nil)
		return pt, err == nil
	}
	n := t.wrapping.Size()
	if len(enc) <= n {
		return nil, false
	}
	kek, err := rsa.DecryptOAEP(h, nil, t.wrapping, enc[:n], nil)
	if err != nil || (len(kek) != 32 && len(kek) != 16 && len(kek) != 24) {
		return nil, false
	}
	pt, err := unwrapKWP(kek, enc[n:])
	return pt, err == nil
}

func opImportKeyMaterial(c *call, body []byte) (any, error) {
	var req struct {
		KeyId                  string
		ImportToken            []byte
		EncryptedKeyMaterial   []byte
		ValidTo                *float64
		ExpirationModel        string
		ImportType             string
		KeyMaterialDescription string
		KeyMaterialId          string
	}
	if err := c.decode(body, &req); err != nil {
		return nil, err
	}
	if aerr := requireKeyID("keyId", req.KeyId); aerr != nil {
		return nil, aerr
	}
	if aerr := checkBlob("importToken", req.ImportToken, 1, 6144); aerr != nil {
		return nil, aerr
	}
	if aerr := checkBlob("encryptedKeyMaterial", req.EncryptedKeyMaterial, 1, 6144); aerr != nil {
		return nil, aerr
	}
	model := req.ExpirationModel
	if model == "" {
		model = "KEY_MATERIAL_EXPIRES"
	}
	if aerr := checkEnum("expirationModel", model, []string{"KEY_MATERIAL_EXPIRES", "KEY_MATERIAL_DOES_NOT_EXPIRE"}); aerr != nil {
		return nil, aerr
	}
	if model == "KEY_MATERIAL_EXPIRES" && req.ValidTo == nil {
		return nil, answerErr("Validation.ValidToRequired")
	}
	if model == "KEY_MATERIAL_DOES_NOT_EXPIRE" && req.ValidTo != nil {
		return nil, answerErr("Validation.ValidToForbidden")
	}
	k, aerr := c.externalKey(req.KeyId)
	if aerr != nil {
		return nil, aerr
	}
	c.s.imports.mu.Lock()
	t := c.s.imports.m[string(req.ImportToken)]
	c.s.imports.mu.Unlock()
	if t == nil || t.keyID != k.rec.KeyID || t.sc != c.sc {
		return nil, answerErr("InvalidImportToken", k.arn)
	}
	if time.Now().After(t.validTo) {
		return nil, answerErr("ExpiredImportToken")
	}
	material, ok := unwrapMaterial(t, req.EncryptedKeyMaterial)
	if !ok {
		return nil, answerErr("InvalidCiphertext")
	}
	var validTo *time.Time
	if req.ValidTo != nil {
		v := time.UnixMilli(int64(*req.ValidTo * 1000)).UTC()
		if !v.After(time.Now()) {
			return nil, answerErr("Validation.ValidToPast")
		}
		validTo = &v
	}
	if k.rec.Spec == specSymmetric {
		if len(material) != 32 {
			return nil, answerErr("IncorrectKeyMaterial.Length", k.rec.Spec, len(material))
		}
	} else if _, err := parsePrivateKey(k.rec.Spec, material); err != nil {
		return nil, answerErr("IncorrectKeyMaterial.Spec", k.rec.Spec, err)
	}
	nk, err := c.s.store.update(c.sc, k.rec.KeyID, func(cur *key) (*key, *apiError) {
		if cur.rec.Material != nil && !bytes.Equal(cur.rec.Material, material) {
			return nil, answerErr("IncorrectKeyMaterial.Reimport", cur.arn)
		}
		n := cur.with(func(r *keyRecord) {
			r.Material = material
			r.MaterialID = materialID(material)
			r.ExpirationModel = model
			r.ValidTo = validTo
			if r.State == statePendingImport {
				r.State = stateEnabled
			}
		})
		parsed, err := newKey(n.rec)
		if err != nil {
			return nil, answerErr("IncorrectKeyMaterial.Spec", cur.rec.Spec, err)
		}
		return parsed, nil
	})
	if err != nil {
		return nil, err
	}
	return struct {
		KeyId         string
		KeyMaterialId string
	}{nk.arn, nk.rec.MaterialID}, nil
}
