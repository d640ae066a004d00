package kmsfake

import (
	"regexp"
	"strings"
)

var (
	uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	mrkRE  = regexp.MustCompile(`^mrk-[0-9a-fA-F]{32}$`)
)

func (c *call) aliasARN(name string) string {
	return "arn:aws:kms:" + c.sc.region + ":" + c.sc.account + ":" + name
}

// resolve finds the key that a KeyId names: a key id or key ARN, and also
// an alias name or alias ARN when aliasOK (the operations that AWS lets
// take aliases). Errors carry AWS's NotFoundException texts.
func (c *call) resolve(id string, aliasOK bool) (*key, *apiError) {
	if c.keyID == "" {
		c.keyID = id
	}
	ref := id
	if strings.HasPrefix(id, "arn:") {
		f := strings.SplitN(id, ":", 6)
		if len(f) != 6 || f[2] != "kms" {
			return nil, errInvalidKeyID(id)
		}
		if f[3] != c.sc.region {
			return nil, answerErr("NotFound.InvalidArnRegion", f[3])
		}
		if f[4] != c.sc.account {
			return nil, errNotFoundKeyArn(id)
		}
		ref = f[5]
		if r, ok := strings.CutPrefix(ref, "key/"); ok {
			ref = r
			if !uuidRE.MatchString(ref) && !mrkRE.MatchString(ref) {
				return nil, errInvalidKeyID(id)
			}
		} else if !strings.HasPrefix(ref, "alias/") {
			return nil, errInvalidKeyID(id)
		}
	}
	if strings.HasPrefix(ref, "alias/") {
		if !aliasOK {
			return nil, errInvalidKeyID(id)
		}
		a := c.s.store.alias(c.sc, ref)
		if a == nil {
			return nil, answerErr("NotFound.Alias", c.aliasARN(ref))
		}
		ref = a.Target
	} else if !uuidRE.MatchString(ref) && !mrkRE.MatchString(ref) {
		return nil, errInvalidKeyID(id)
	}
	k := c.s.store.key(c.sc, ref)
	if k == nil {
		return nil, errNotFoundKeyArn(keyARN(c.sc.region, c.sc.account, ref))
	}
	c.keyID = k.rec.KeyID
	return k, nil
}

// resolveUsable resolves a key and checks that its state allows
// cryptographic use and that its usage fits the operation.
func (c *call) resolveUsable(id string, usage string) (*key, *apiError) {
	if aerr := requireKeyID("keyId", id); aerr != nil {
		return nil, aerr
	}
	k, aerr := c.resolve(id, true)
	if aerr != nil {
		return nil, aerr
	}
	if aerr := k.usable(); aerr != nil {
		return nil, aerr
	}
	if usage != "" {
		if aerr := k.checkUsage(usage, c.op); aerr != nil {
			return nil, aerr
		}
	}
	return k, nil
}
