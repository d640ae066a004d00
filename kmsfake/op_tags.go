package kmsfake

import (
	"sort"
	"strings"
)

// checkTags validates tags as AWS does and returns them as a map.
func checkTags(tags []tag) (map[string]string, *apiError) {
	if len(tags) == 0 {
		return nil, nil
	}
	if len(tags) > 50 {
		return nil, answerErr("Tag.TooMany")
	}
	m := make(map[string]string, len(tags))
	for i, t := range tags {
		if len(t.TagKey) < 1 || len(t.TagKey) > 128 {
			return nil, answerErr("Validation.TagKeyLength", t.TagKey, i+1)
		}
		if len(t.TagValue) > 256 {
			return nil, answerErr("Validation.TagValueLength", t.TagValue, i+1)
		}
		if strings.HasPrefix(strings.ToLower(t.TagKey), "aws:") {
			return nil, answerErr("Tag.Reserved")
		}
		if _, dup := m[t.TagKey]; dup {
			return nil, answerErr("Tag.Duplicate")
		}
		m[t.TagKey] = t.TagValue
	}
	return m, nil
}

func opTagResource(c *call, body []byte) (any, error) {
	var req struct {
		KeyId string
		Tags  []tag
	}
	if err := c.decode(body, &req); err != nil {
		return nil, err
	}
	if aerr := requireKeyID("keyId", req.KeyId); aerr != nil {
		return nil, aerr
	}
	if req.Tags == nil {
		return nil, errRequired("tags")
	}
	tags, aerr := checkTags(req.Tags)
	if aerr != nil {
		return nil, aerr
	}
	k, aerr := c.resolve(req.KeyId, false)
	if aerr != nil {
		return nil, aerr
	}
	_, err := c.s.store.update(c.sc, k.rec.KeyID, func(k *key) (*key, *apiError) {
		if k.rec.State == statePendingDeletion {
			return nil, k.usable()
		}
		if len(k.rec.Tags)+len(tags) > 50 {
			n := len(k.rec.Tags)
			for t := range tags {
				if _, ok := k.rec.Tags[t]; !ok {
					n++
				}
			}
			if n > 50 {
				return nil, answerErr("Tag.TooMany")
			}
		}
		return k.with(func(r *keyRecord) {
			if r.Tags == nil {
				r.Tags = map[string]string{}
			}
			for t, v := range tags {
				r.Tags[t] = v
			}
		}), nil
	})
	if err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

func opUntagResource(c *call, body []byte) (any, error) {
	var req struct {
		KeyId   string
		TagKeys []string
	}
	if err := c.decode(body, &req); err != nil {
		return nil, err
	}
	if aerr := requireKeyID("keyId", req.KeyId); aerr != nil {
		return nil, aerr
	}
	if req.TagKeys == nil {
		return nil, errRequired("tagKeys")
	}
	k, aerr := c.resolve(req.KeyId, false)
	if aerr != nil {
		return nil, aerr
	}
	_, err := c.s.store.update(c.sc, k.rec.KeyID, func(k *key) (*key, *apiError) {
		if k.rec.State == statePendingDeletion {
			return nil, k.usable()
		}
		return k.with(func(r *keyRecord) {
			for _, t := range req.TagKeys {
				delete(r.Tags, t)
			}
		}), nil
	})
	if err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

func opListResourceTags(c *call, body []byte) (any, error) {
	var req listReq
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
	names := make([]string, 0, len(k.rec.Tags))
	for t := range k.rec.Tags {
		names = append(names, t)
	}
	sort.Strings(names)
	from, to, next, aerr := page(len(names), req)
	if aerr != nil {
		return nil, aerr
	}
	resp := struct {
		NextMarker string `json:",omitempty"`
		Tags       []tag
		Truncated  bool
	}{NextMarker: next, Tags: []tag{}, Truncated: next != ""}
	for _, t := range names[from:to] {
		resp.Tags = append(resp.Tags, tag{t, k.rec.Tags[t]})
	}
	return resp, nil
}
