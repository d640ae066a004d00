package engine

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/kmsconform/kmsconform/internal/cli"
)

// Opener opens the engine called name (the full name, prefix included,
// e.g. "oracle@1.0.2" or "openssl-3.5").
type Opener func(name string) (OpenSSL, error)

// Family documents one registered engine prefix for help texts and for
// "did you mean" on a mistyped name.
type Family struct {
	// Prefix is what the names start with, e.g. "host", "openssl-", "image:".
	Prefix string
	// Forms are the accepted spellings as a user writes them, e.g.
	// "host", "host:/path/to/openssl".
	Forms []string
	// Summary says in a few words what the engine runs.
	Summary string
	// Names lists concrete names of the family (e.g. "openssl-3.5"), for
	// suggestions; nil when the family has only patterns (image:REF).
	Names func() []string
}

var (
	regMu    sync.RWMutex
	openers  = map[string]Opener{}
	families = map[string]Family{}
)

// Register makes an engine family available to Open under prefix, in the
// style of database/sql drivers: a package registers itself from init and is
// linked in by a blank import (e.g. engine/container registers "openssl-").
// Open picks the longest registered prefix that the name starts with, so
// "oracle-bin" and "oracle" can coexist. Register panics on a duplicate or
// empty prefix or a nil opener, since that is a programming error.
func Register(prefix string, open Opener) {
	RegisterFamily(Family{Prefix: prefix, Forms: []string{prefix}}, open)
}

// RegisterFamily is Register with the family's forms, summary and names.
func RegisterFamily(f Family, open Opener) {
	regMu.Lock()
	defer regMu.Unlock()
	if f.Prefix == "" || open == nil {
		panic("engine: Register needs a prefix and an opener")
	}
	if _, dup := openers[f.Prefix]; dup {
		panic("engine: Register called twice for prefix " + f.Prefix)
	}
	openers[f.Prefix] = open
	families[f.Prefix] = f
}

// Open opens the engine called name, e.g. "host", "host:/opt/openssl/bin/openssl",
// "oracle", "oracle@1.0.2", "oracle-bin", "openssl-3.5" or "image:REF".
// The caller must Close it. An unknown or mistyped name is a usage error
// (*cli.Error, exit 2) that says "did you mean" and lists the known forms.
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
		return nil, unknownName(name)
	}
	e, err := open(name)
	if err != nil {
		return nil, withSuggestion(name, err)
	}
	return e, nil
}

// unknownName is the usage error for a name no family claims.
func unknownName(name string) error {
	known := "known engines: " + strings.Join(Forms(), ", ")
	if s := cli.Suggest(name, Names()); s != "" {
		return &cli.Error{Code: cli.ExitUsage, Msg: fmt.Sprintf("engine: unknown engine %q; did you mean %q?", name, s), Hint: known}
	}
	return &cli.Error{Code: cli.ExitUsage, Msg: fmt.Sprintf("engine: unknown engine %q (%s)", name, known),
		Hint: "name engines as in --engines host,oracle,openssl-3.5,image:REF"}
}

// withSuggestion adds "did you mean" to an opener's error when name is not
// a known name but close to one (e.g. "openssl-3.55", "oracle@1.1").
func withSuggestion(name string, err error) error {
	known := Names()
	for _, k := range known {
		if k == name {
			return err
		}
	}
	s := cli.Suggest(name, known)
	if s == "" {
		return err
	}
	code := cli.Code(err)
	if code == cli.ExitFailure {
		code = cli.ExitUsage
	}
	return &cli.Error{Code: code, Msg: fmt.Sprintf("%v; did you mean %q?", err, s), Hint: "known engines: " + strings.Join(Forms(), ", ")}
}

// Prefixes lists the registered prefixes, sorted.
func Prefixes() []string {
	regMu.RLock()
	defer regMu.RUnlock()
	out := make([]string, 0, len(openers))
	for p := range openers {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Families lists the registered families, sorted by prefix.
func Families() []Family {
	regMu.RLock()
	defer regMu.RUnlock()
	out := make([]Family, 0, len(families))
	for _, f := range families {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Prefix < out[j].Prefix })
	return out
}

// Forms lists every accepted spelling of an engine name, e.g. "host",
// "host:/path/to/openssl", "oracle@COMPAT", "openssl-3.5", "image:REF".
func Forms() []string {
	var out []string
	for _, f := range Families() {
		out = append(out, f.Forms...)
	}
	return out
}

// Names lists the concrete engine names known without looking at the
// machine (e.g. "host", "oracle", "oracle@1.1.1", "openssl-3.5"), sorted;
// patterns such as image:REF are in Forms only.
func Names() []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range Families() {
		names := []string{f.Prefix}
		if f.Names != nil {
			names = f.Names()
		}
		for _, n := range names {
			if !seen[n] && !strings.HasSuffix(n, ":") && !strings.HasSuffix(n, "-") {
				seen[n] = true
				out = append(out, n)
			}
		}
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
