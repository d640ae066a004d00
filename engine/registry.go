package engine

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Opener opens the engine called name (the full name, prefix included,
// e.g. "oracle@1.0.2" or "openssl-3.5").
type Opener func(name string) (OpenSSL, error)

var (
	regMu   sync.RWMutex
	openers = map[string]Opener{}
)

// Register makes an engine family available to Open under prefix, in the
// style of database/sql drivers: a package registers itself from init and is
// linked in by a blank import (e.g. engine/container registers "openssl-").
// Open picks the longest registered prefix that the name starts with, so
// "oracle-bin" and "oracle" can coexist. Register panics on a duplicate or
// empty prefix or a nil opener, since that is a programming error.
func Register(prefix string, open Opener) {
	regMu.Lock()
	defer regMu.Unlock()
	if prefix == "" || open == nil {
		panic("engine: Register needs a prefix and an opener")
	}
	if _, dup := openers[prefix]; dup {
		panic("engine: Register called twice for prefix " + prefix)
	}
	openers[prefix] = open
}

// Open opens the engine called name, e.g. "host", "host:/opt/openssl/bin/openssl",
// "oracle", "oracle@1.0.2", "oracle-bin" or "openssl-3.5". The caller must
// Close it. An unknown name is an error that lists the known prefixes.
func Open(name string) (OpenSSL, error) {
	name = strings.TrimSpace(name)
	regMu.RLock()
	best := ""
	for p := range openers {
		if strings.HasPrefix(name, p) && len(p) > len(best) {
			best = p
		}
	}
	var open Opener
	if best != "" {
		open = openers[best]
	}
	regMu.RUnlock()
	if open == nil {
		return nil, fmt.Errorf("engine: unknown engine %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	return open(name)
}

// Names lists the registered prefixes, sorted.
func Names() []string {
	regMu.RLock()
	defer regMu.RUnlock()
	out := make([]string, 0, len(openers))
	for p := range openers {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// ParseList splits a comma-separated list of engine names (as given to
// --engines or $KMSCONFORM_ENGINES), dropping blanks and duplicates.
func ParseList(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" || seen[f] {
			continue
		}
		seen[f] = true
		out = append(out, f)
	}
	return out
}
