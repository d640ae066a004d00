package kmsfake

import (
	"crypto/aes"
	"crypto/cipher"
	"fmt"
	"time"
)

// keyRecord is a KMS key as it is persisted: metadata and material.
type keyRecord struct {
	KeyID           string            `json:"keyId"`
	Account         string            `json:"account"`
	Region          string            `json:"region"`
	Spec            string            `json:"spec"`
	Usage           string            `json:"usage"`
	Description     string            `json:"description"`
	Origin          string            `json:"origin"`
	State           string            `json:"state"`
	Created         time.Time         `json:"created"`
	Seq             int64             `json:"seq"`
	DeletionDate    *time.Time        `json:"deletionDate,omitempty"`
	Material        []byte            `json:"material,omitempty"` // raw AES key, or PKCS#8 DER
	MaterialID      string            `json:"materialId,omitempty"`
	ExpirationModel string            `json:"expirationModel,omitempty"`
	ValidTo         *time.Time        `json:"validTo,omitempty"`
	Tags            map[string]string `json:"tags,omitempty"`
	Policy          string            `json:"policy,omitempty"` // empty: the default key policy
}

// key is a record plus its parsed material. A *key is never changed after
// it is published in the store: updates replace it (copy on write), so
// readers use it without locks.
type key struct {
	rec  keyRecord
	arn  string
	gcm  cipher.AEAD // symmetric keys
	asym *asymKey    // asymmetric keys
}

func keyARN(region, account, id string) string {
	return fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", region, account, id)
}

// newKey parses a record's material.
func newKey(rec keyRecord) (*key, error) {
	k := &key{rec: rec, arn: keyARN(rec.Region, rec.Account, rec.KeyID)}
	if rec.Material == nil {
		return k, nil
	}
	if rec.Spec == specSymmetric {
		if len(rec.Material) != 32 {
			return nil, fmt.Errorf("symmetric key material must be 32 bytes, got %d", len(rec.Material))
		}
		b, err := aes.NewCipher(rec.Material)
		if err != nil {
			return nil, err
		}
		k.gcm, err = cipher.NewGCM(b)
		if err != nil {
			return nil, err
		}
		return k, nil
	}
	a, err := parsePrivateKey(rec.Spec, rec.Material)
	if err != nil {
		return nil, err
	}
	k.asym = a
	return k, nil
}

// with returns a copy of k after f changed its record.
func (k *key) with(f func(r *keyRecord)) *key {
	c := *k
	c.rec.Tags = cloneTags(k.rec.Tags)
	f(&c.rec)
	return &c
}

func cloneTags(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// deleted reports whether a key pending deletion has passed its deletion
// date: from then on it is gone, as in AWS.
func (k *key) deleted(now time.Time) bool {
	return k.rec.State == statePendingDeletion && k.rec.DeletionDate != nil && now.After(*k.rec.DeletionDate)
}

// usable reports whether cryptographic operations may use the key, with
// the error AWS gives for its state.
func (k *key) usable() *apiError {
	switch k.rec.State {
	case stateEnabled:
		return nil
	case stateDisabled:
		return answerErr("Disabled", k.arn)
	case statePendingDeletion:
		return answerErr("InvalidState.PendingDeletion", k.arn)
	case statePendingImport:
		return answerErr("InvalidState.PendingImport", k.arn)
	}
	return answerErr("InvalidState.Other", k.arn, k.rec.State)
}

// checkUsage refuses op unless the key has the given usage.
func (k *key) checkUsage(usage, op string) *apiError {
	if k.rec.Usage != usage {
		return errUsage(k.arn, k.rec.Usage, op)
	}
	return nil
}

func epoch(t time.Time) float64 { return float64(t.UnixMilli()) / 1000 }

// keyMetadata is DescribeKey's KeyMetadata.
type keyMetadata struct {
	AWSAccountId           string   `json:"AWSAccountId"`
	Arn                    string   `json:"Arn"`
	CreationDate           float64  `json:"CreationDate"`
	CurrentKeyMaterialId   string   `json:"CurrentKeyMaterialId,omitempty"`
	CustomerMasterKeySpec  string   `json:"CustomerMasterKeySpec"`
	DeletionDate           *float64 `json:"DeletionDate,omitempty"`
	Description            string   `json:"Description"`
	Enabled                bool     `json:"Enabled"`
	EncryptionAlgorithms   []string `json:"EncryptionAlgorithms,omitempty"`
	ExpirationModel        string   `json:"ExpirationModel,omitempty"`
	KeyAgreementAlgorithms []string `json:"KeyAgreementAlgorithms,omitempty"`
	KeyId                  string   `json:"KeyId"`
	KeyManager             string   `json:"KeyManager"`
	KeySpec                string   `json:"KeySpec"`
	KeyState               string   `json:"KeyState"`
	KeyUsage               string   `json:"KeyUsage"`
	MultiRegion            bool     `json:"MultiRegion"`
	Origin                 string   `json:"Origin"`
	SigningAlgorithms      []string `json:"SigningAlgorithms,omitempty"`
	ValidTo                *float64 `json:"ValidTo,omitempty"`
}

func (k *key) metadata() keyMetadata {
	r := &k.rec
	m := keyMetadata{
		AWSAccountId:           r.Account,
		Arn:                    k.arn,
		CreationDate:           epoch(r.Created),
		CustomerMasterKeySpec:  r.Spec,
		Description:            r.Description,
		Enabled:                r.State == stateEnabled,
		EncryptionAlgorithms:   encAlgorithms(r.Spec, r.Usage),
		KeyAgreementAlgorithms: agreeAlgorithms(r.Usage),
		KeyId:                  r.KeyID,
		KeyManager:             "CUSTOMER",
		KeySpec:                r.Spec,
		KeyState:               r.State,
		KeyUsage:               r.Usage,
		Origin:                 r.Origin,
		SigningAlgorithms:      signAlgorithms(r.Spec, r.Usage),
	}
	if r.Spec == specSymmetric && r.MaterialID != "" {
		m.CurrentKeyMaterialId = r.MaterialID
	}
	if r.DeletionDate != nil && r.State == statePendingDeletion {
		d := epoch(*r.DeletionDate)
		m.DeletionDate = &d
	}
	if r.Origin == originExternal && r.Material != nil {
		m.ExpirationModel = r.ExpirationModel
		if r.ValidTo != nil {
			v := epoch(*r.ValidTo)
			m.ValidTo = &v
		}
	}
	return m
}
