package kmsfake

import (
	"regexp"
	"strings"
	"time"
)

var aliasNameRE = regexp.MustCompile(`^[a-zA-Z0-9/_-]+$`)

// checkAliasName validates an alias name as AWS does for CreateAlias.
func checkAliasName(name string) *apiError {
	if name == "" {
		return errRequired("aliasName")
	}
	if aerr := checkString("aliasName", name, 1, 256); aerr != nil {
		return aerr
	}
	if !aliasNameRE.MatchString(name) {
		return answerErr("Validation.AliasPattern", name)
	}
	if !strings.HasPrefix(name, "alias/") {
		return answerErr("Validation.AliasPrefix")
	}
	if strings.HasPrefix(name, "alias/aws/") {
		return answerErr("NotAuthorized.AliasAWS")
	}
	return nil
}

type aliasReq struct {
	AliasName   string
	TargetKeyId string
}

// aliasTarget resolves an alias target: a key id or key ARN, not pending
// deletion.
func (c *call) aliasTarget(id string) (*key, *apiError) {
	if aerr := requireKeyID("targetKeyId", id); aerr != nil {
		return nil, aerr
	}
	k, aerr := c.resolve(id, false)
	if aerr != nil {
		return nil, aerr
	}
	if k.rec.State == statePendingDeletion {
		return nil, k.usable()
	}
	return k, nil
}

func opCreateAlias(c *call, body []byte) (any, error) {
	var req aliasReq
	if err := c.decode(body, &req); err != nil {
		return nil, err
	}
	if aerr := checkAliasName(req.AliasName); aerr != nil {
		return nil, aerr
	}
	k, aerr := c.aliasTarget(req.TargetKeyId)
	if aerr != nil {
		return nil, aerr
	}
	now := time.Now().UTC()
	err := c.s.store.changeAlias(c.sc, func(p *partition) (*aliasRecord, string, *apiError) {
		if p.aliases[req.AliasName] != nil {
			return nil, "", answerErr("AlreadyExists.Alias", c.aliasARN(req.AliasName))
		}
		return &aliasRecord{Name: req.AliasName, Target: k.rec.KeyID, Account: c.sc.account, Region: c.sc.region, Created: now, Updated: now}, "", nil
	})
	if err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

func opUpdateAlias(c *call, body []byte) (any, error) {
	var req aliasReq
	if err := c.decode(body, &req); err != nil {
		return nil, err
	}
	if req.AliasName == "" {
		return nil, errRequired("aliasName")
	}
	k, aerr := c.aliasTarget(req.TargetKeyId)
	if aerr != nil {
		return nil, aerr
	}
	err := c.s.store.changeAlias(c.sc, func(p *partition) (*aliasRecord, string, *apiError) {
		old := p.aliases[req.AliasName]
		if old == nil {
			return nil, "", answerErr("NotFound.Alias", c.aliasARN(req.AliasName))
		}
		cur := p.keys[old.Target]
		sameKind := cur == nil || cur.rec.Usage == k.rec.Usage && (cur.rec.Spec == specSymmetric) == (k.rec.Spec == specSymmetric)
		if !sameKind {
			return nil, "", answerErr("Validation.UpdateAliasType", req.AliasName, cur.rec.Usage, cur.rec.Spec)
		}
		n := *old
		n.Target = k.rec.KeyID
		n.Updated = time.Now().UTC()
		return &n, "", nil
	})
	if err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

func opDeleteAlias(c *call, body []byte) (any, error) {
	var req aliasReq
	if err := c.decode(body, &req); err != nil {
		return nil, err
	}
	if req.AliasName == "" {
		return nil, errRequired("aliasName")
	}
	err := c.s.store.changeAlias(c.sc, func(p *partition) (*aliasRecord, string, *apiError) {
		if p.aliases[req.AliasName] == nil {
			return nil, "", answerErr("NotFound.Alias", c.aliasARN(req.AliasName))
		}
		return nil, req.AliasName, nil
	})
	if err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

type aliasEntry struct {
	AliasArn        string
	AliasName       string
	CreationDate    float64
	LastUpdatedDate float64
	TargetKeyId     string
}

func opListAliases(c *call, body []byte) (any, error) {
	var req listReq
	if err := c.decode(body, &req); err != nil {
		return nil, err
	}
	target := ""
	if req.KeyId != "" {
		k, aerr := c.resolve(req.KeyId, false)
		if aerr != nil {
			return nil, aerr
		}
		target = k.rec.KeyID
	}
	var all []*aliasRecord
	for _, a := range c.s.store.aliases(c.sc) {
		if target == "" || a.Target == target {
			all = append(all, a)
		}
	}
	from, to, next, aerr := page(len(all), req)
	if aerr != nil {
		return nil, aerr
	}
	resp := struct {
		Aliases    []aliasEntry
		NextMarker string `json:",omitempty"`
		Truncated  bool
	}{Aliases: []aliasEntry{}, NextMarker: next, Truncated: next != ""}
	for _, a := range all[from:to] {
		resp.Aliases = append(resp.Aliases, aliasEntry{c.aliasARN(a.Name), a.Name, epoch(a.Created), epoch(a.Updated), a.Target})
	}
	return resp, nil
}
