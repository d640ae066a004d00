package kmsfake

import (
	"sort"
	"sync"
	"time"
)

// scope is one account in one region: keys of one scope are invisible to
// every other.
type scope struct{ account, region string }

// aliasRecord is an alias as persisted.
type aliasRecord struct {
	Name    string    `json:"name"`
	Target  string    `json:"target"`
	Account string    `json:"account"`
	Region  string    `json:"region"`
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
}

type partition struct {
	keys    map[string]*key
	aliases map[string]*aliasRecord
}

// store holds every key and alias. Mutations persist (when a data
// directory is set) before they are published and before the caller
// answers.
type store struct {
	mu    sync.RWMutex
	parts map[scope]*partition
	seq   int64
	disk  *disk // nil: in memory only
}

func newStore(d *disk) *store {
	return &store{parts: map[scope]*partition{}, disk: d}
}

func (s *store) part(sc scope) *partition {
	p := s.parts[sc]
	if p == nil {
		p = &partition{keys: map[string]*key{}, aliases: map[string]*aliasRecord{}}
		s.parts[sc] = p
	}
	return p
}

// key returns the key with this id, or nil.
func (s *store) key(sc scope, id string) *key {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if p := s.parts[sc]; p != nil {
		if k := p.keys[id]; k != nil && !k.deleted(time.Now()) {
			return k
		}
	}
	return nil
}

// alias returns an alias by name, or nil.
func (s *store) alias(sc scope, name string) *aliasRecord {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if p := s.parts[sc]; p != nil {
		return p.aliases[name]
	}
	return nil
}

// insert adds a new key, giving it the next creation sequence number.
func (s *store) insert(k *key) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	k.rec.Seq = s.seq
	if s.disk != nil {
		if err := s.disk.writeKey(&k.rec); err != nil {
			return err
		}
	}
	s.part(scope{k.rec.Account, k.rec.Region}).keys[k.rec.KeyID] = k
	return nil
}

// load publishes a key read from disk or a seed without writing it.
func (s *store) load(k *key) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if k.rec.Seq > s.seq {
		s.seq = k.rec.Seq
	}
	s.part(scope{k.rec.Account, k.rec.Region}).keys[k.rec.KeyID] = k
}

func (s *store) loadAlias(a *aliasRecord) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.part(scope{a.Account, a.Region}).aliases[a.Name] = a
}

// update replaces a key atomically: f sees the current key and returns the
// new one (or an error, and nothing changes).
func (s *store) update(sc scope, id string, f func(*key) (*key, *apiError)) (*key, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.parts[sc]
	if p == nil || p.keys[id] == nil || p.keys[id].deleted(time.Now()) {
		return nil, errNotFoundKeyArn(keyARN(sc.region, sc.account, id))
	}
	nk, aerr := f(p.keys[id])
	if aerr != nil {
		return nil, aerr
	}
	if s.disk != nil {
		if err := s.disk.writeKey(&nk.rec); err != nil {
			return nil, err
		}
	}
	p.keys[id] = nk
	return nk, nil
}

// changeAlias runs f under the lock with the scope's partition; f returns
// the alias to write, the name to delete, or an error.
func (s *store) changeAlias(sc scope, f func(p *partition) (put *aliasRecord, del string, err *apiError)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.part(sc)
	put, del, aerr := f(p)
	if aerr != nil {
		return aerr
	}
	if s.disk != nil {
		if put != nil {
			if err := s.disk.writeAlias(put); err != nil {
				return err
			}
		}
		if del != "" {
			if err := s.disk.removeAlias(sc, del); err != nil {
				return err
			}
		}
	}
	if put != nil {
		p.aliases[put.Name] = put
	}
	if del != "" {
		delete(p.aliases, del)
	}
	return nil
}

// keys lists a scope's keys in creation order.
func (s *store) keys(sc scope) []*key {
	s.mu.RLock()
	p := s.parts[sc]
	var out []*key
	if p != nil {
		out = make([]*key, 0, len(p.keys))
		now := time.Now()
		for _, k := range p.keys {
			if !k.deleted(now) {
				out = append(out, k)
			}
		}
	}
	s.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].rec.Seq < out[j].rec.Seq })
	return out
}

// aliases lists a scope's aliases by name.
func (s *store) aliases(sc scope) []*aliasRecord {
	s.mu.RLock()
	p := s.parts[sc]
	var out []*aliasRecord
	if p != nil {
		for _, a := range p.aliases {
			out = append(out, a)
		}
	}
	s.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
