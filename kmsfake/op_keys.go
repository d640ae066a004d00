package kmsfake

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

type tag struct {
	TagKey   string `json:"TagKey"`
	TagValue string `json:"TagValue"`
}

type createKeyReq struct {
	KeySpec               string
	CustomerMasterKeySpec string
	KeyUsage              string
	Description           string
	Origin                string
	MultiRegion           bool
	Tags                  []tag
	Policy                string
}

type metadataResp struct {
	KeyMetadata keyMetadata
}

func newKeyID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// materialID is the KeyMaterialId of symmetric material: 64 hex digits.
func materialID(material []byte) string {
	s := sha256.Sum256(append([]byte("kmsconform key material id\x00"), material...))
	return hex.EncodeToString(s[:])
}

func opCreateKey(c *call, body []byte) (any, error) {
	var req createKeyReq
	if err := c.decode(body, &req); err != nil {
		return nil, err
	}
	spec := req.KeySpec
	if spec == "" {
		spec = req.CustomerMasterKeySpec
	}
	if spec == "" {
		spec = specSymmetric
	}
	if aerr := checkEnum("keySpec", spec, keySpecs); aerr != nil {
		return nil, aerr
	}
	if req.KeyUsage != "" {
		if aerr := checkEnum("keyUsage", req.KeyUsage, keyUsages); aerr != nil {
			return nil, aerr
		}
	}
	origin := req.Origin
	if origin == "" {
		origin = originKMS
	}
	if aerr := checkEnum("origin", origin, origins); aerr != nil {
		return nil, aerr
	}
	if origin != originKMS && origin != originExternal {
		return nil, answerErr("Unsupported.Origin", origin)
	}
	if aerr := checkString("description", req.Description, 0, 8192); aerr != nil {
		return nil, aerr
	}
	if aerr := checkSpecUsage(spec, req.KeyUsage); aerr != nil {
		return nil, aerr
	}
	if req.MultiRegion {
		return nil, answerErr("Unsupported.MultiRegion")
	}
	if req.Policy != "" {
		if aerr := checkString("policy", req.Policy, 1, 32768); aerr != nil {
			return nil, aerr
		}
		if !json.Valid([]byte(req.Policy)) {
			return nil, answerErr("MalformedPolicy")
		}
	}
	tags, aerr := checkTags(req.Tags)
	if aerr != nil {
		return nil, aerr
	}
	usage := req.KeyUsage
	if usage == "" {
		usage = usageEncrypt
	}
	rec := keyRecord{
		KeyID: newKeyID(), Account: c.sc.account, Region: c.sc.region,
		Spec: spec, Usage: usage, Description: req.Description, Origin: origin,
		State: stateEnabled, Created: time.Now().UTC(), Tags: tags, Policy: req.Policy,
	}
	if origin == originExternal {
		rec.State = statePendingImport
	} else {
		m, err := c.s.newMaterial(spec)
		if err != nil {
			return nil, fmt.Errorf("generating %s key material: %w", spec, err)
		}
		rec.Material = m
		if spec == specSymmetric {
			rec.MaterialID = materialID(m)
		}
	}
	k, err := newKey(rec)
	if err != nil {
		return nil, err
	}
	if err := c.s.store.insert(k); err != nil {
		return nil, err
	}
	c.keyID = rec.KeyID
	return metadataResp{k.metadata()}, nil
}

type keyIDReq struct {
	KeyId string
}

func opDescribeKey(c *call, body []byte) (any, error) {
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
	return metadataResp{k.metadata()}, nil
}

type listReq struct {
	Limit  *int64
	Marker string
	KeyId  string
}

type keyListEntry struct {
	KeyArn string
	KeyId  string
}

type listKeysResp struct {
	Keys       []keyListEntry
	NextMarker string `json:",omitempty"`
	Truncated  bool
}

// page cuts a list for Limit/Marker paging; the marker is the index of the
// next item, in a form that detects tampering loosely.
func page(n int, req listReq) (from, to int, next string, aerr *apiError) {
	if aerr := checkRange("limit", req.Limit, 1, 1000); aerr != nil {
		return 0, 0, "", aerr
	}
	limit := 100
	if req.Limit != nil {
		limit = int(*req.Limit)
	}
	if req.Marker != "" {
		var i int
		if _, err := fmt.Sscanf(req.Marker, "kmsconform-page-%d", &i); err != nil || i < 0 || i > n {
			return 0, 0, "", answerErr("InvalidMarker")
		}
		from = i
	}
	to = from + limit
	if to >= n {
		return from, n, "", nil
	}
	return from, to, fmt.Sprintf("kmsconform-page-%d", to), nil
}

func opListKeys(c *call, body []byte) (any, error) {
	var req listReq
	if err := c.decode(body, &req); err != nil {
		return nil, err
	}
	keys := c.s.store.keys(c.sc)
	from, to, next, aerr := page(len(keys), req)
	if aerr != nil {
		return nil, aerr
	}
	resp := listKeysResp{Keys: []keyListEntry{}, NextMarker: next, Truncated: next != ""}
	for _, k := range keys[from:to] {
		resp.Keys = append(resp.Keys, keyListEntry{KeyArn: k.arn, KeyId: k.rec.KeyID})
	}
	return resp, nil
}

// changeState resolves a key (id or ARN only) and applies a state change.
func (c *call) changeState(body []byte, f func(k *key) (*key, *apiError)) (*key, error) {
	var req struct {
		KeyId               string
		PendingWindowInDays *int64
	}
	if err := c.decode(body, &req); err != nil {
		return nil, err
	}
	if aerr := requireKeyID("keyId", req.KeyId); aerr != nil {
		return nil, aerr
	}
	k, aerr := c.resolve(req.KeyId, false)
	if aerr != nil {
		return nil, aerr
	}
	return c.s.store.update(c.sc, k.rec.KeyID, f)
}

func opEnableKey(c *call, body []byte) (any, error) {
	_, err := c.changeState(body, func(k *key) (*key, *apiError) {
		switch k.rec.State {
		case statePendingDeletion, statePendingImport:
			return nil, k.usable()
		}
		return k.with(func(r *keyRecord) { r.State = stateEnabled }), nil
	})
	if err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

func opDisableKey(c *call, body []byte) (any, error) {
	_, err := c.changeState(body, func(k *key) (*key, *apiError) {
		switch k.rec.State {
		case statePendingDeletion, statePendingImport:
			return nil, k.usable()
		}
		return k.with(func(r *keyRecord) { r.State = stateDisabled }), nil
	})
	if err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

func opScheduleKeyDeletion(c *call, body []byte) (any, error) {
	var req struct{ PendingWindowInDays *int64 }
	if err := c.decode(body, &req); err != nil {
		return nil, err
	}
	days := int64(30)
	if req.PendingWindowInDays != nil {
		days = *req.PendingWindowInDays
		if days < 7 || days > 30 {
			return nil, answerErr("Validation.PendingWindow", days)
		}
	}
	k, err := c.changeState(body, func(k *key) (*key, *apiError) {
		if k.rec.State == statePendingDeletion {
			return nil, k.usable()
		}
		when := time.Now().UTC().Add(time.Duration(days) * 24 * time.Hour)
		return k.with(func(r *keyRecord) { r.State = statePendingDeletion; r.DeletionDate = &when }), nil
	})
	if err != nil {
		return nil, err
	}
	return struct {
		DeletionDate        float64
		KeyId               string
		KeyState            string
		PendingWindowInDays int64
	}{epoch(*k.rec.DeletionDate), k.arn, k.rec.State, days}, nil
}

func opCancelKeyDeletion(c *call, body []byte) (any, error) {
	k, err := c.changeState(body, func(k *key) (*key, *apiError) {
		if k.rec.State != statePendingDeletion {
			return nil, answerErr("InvalidState.NotPendingDeletion", k.arn)
		}
		return k.with(func(r *keyRecord) {
			r.DeletionDate = nil
			r.State = stateDisabled
			if r.Material == nil {
				r.State = statePendingImport
			}
		}), nil
	})
	if err != nil {
		return nil, err
	}
	return struct{ KeyId string }{k.arn}, nil
}
