package flows

import (
	"fmt"
	"sort"
	"strings"

	"github.com/kmsconform/kmsconform/failclass"
	"github.com/kmsconform/kmsconform/oracle"
)

// Flow is one documented flow: a title, the seeds it comes from and its
// parameter cases.
type Flow struct {
	ID    int
	Title string
	// Seeds are the runbooks it comes from, e.g. "000", "001".
	Seeds []string
	Cases []Case
}

// Case is one row of a flow's table: the bracketed parameters, what the
// engines need, what must happen, and the steps.
type Case struct {
	// Name is unique within the flow, e.g. "RSA_2048" or "md5-default".
	Name   string
	Params []Param
	// KMSConsumer is true when the owner side is the KMS alone: cells are
	// producer × "kms".
	KMSConsumer bool
	// Producer pins the producer engine (e.g. "oracle@1.0.2" for the old
	// side of the md5 default), whatever engines the run was given.
	Producer string
	// Needs are the features each side must have; a missing one makes the
	// cell not applicable with the feature's reason.
	Needs []Need
	// Expect is the default expectation; Rules override it (first match).
	Expect Expectation
	Rules  []Rule
	// Run performs the flow's steps. Fix, when set, is the documented fix:
	// it runs after an expected failure and must then pass.
	Run func(x *X)
	Fix func(x *X)
}

// Feature is a named property of an openssl line, read from its compat
// profile. Missing names the reason a cell is then not applicable.
type Feature struct {
	Name    string
	Missing string
	Has     func(oracle.Profile) bool
}

// The features flows depend on.
var (
	FeaturePBKDF2 = Feature{"pbkdf2", "no enc -pbkdf2/-iter before 1.1.1 (nor in LibreSSL 2.x)", func(p oracle.Profile) bool { return p.EncPBKDF2 }}
	FeatureKDF    = Feature{"kdf", "no kdf command before 3.0", func(p oracle.Profile) bool { return p.KDFCommand }}
	FeatureOAEPMD = Feature{"oaep-md", "pkeyutl has no rsa_oaep_md/rsa_mgf1_md (LibreSSL 2.x)", func(p oracle.Profile) bool { return p.PkeyutlOAEPMD }}
)

// Need says that side (Producer or Consumer) must have a feature.
type Need struct {
	Side    Role
	Feature Feature
}

// Needs builds the Needs for a feature on both openssl sides.
func Both(f Feature) []Need { return []Need{{Producer, f}, {Consumer, f}} }

// Cond is a named condition on the producer's and consumer's profiles.
type Cond struct {
	Name  string
	Holds func(p, c oracle.Profile) bool
}

// Rule overrides a case's expectation when If holds.
type Rule struct {
	If   Cond
	Then Expectation
}

// The conditions rules use.
var (
	// DefaultMDDiffers: `enc` without -md derives different keys (md5 up to
	// 1.0.2, sha256 after).
	DefaultMDDiffers = Cond{"default -md differs", func(p, c oracle.Profile) bool { return p.EncDefaultMD != c.EncDefaultMD }}
	// ProducerHeaderWithS: the producer writes the Salted__ header even with -S (up to 1.1.1).
	ProducerHeaderWithS = Cond{"producer writes Salted__ with -S", func(p, _ oracle.Profile) bool { return p.EncHeaderWithExplicitSalt }}
	// ProducerNeedsKeyform: the producer does not detect DER keys without -keyform DER.
	ProducerNeedsKeyform = Cond{"producer needs -keyform DER", func(p, _ oracle.Profile) bool { return !p.KeyformAutodetect }}
)

// Expectations used by many cases.
var (
	MustPass = Expectation{Outcome: Pass}
)

// MustFail expects a failure of one of classes; why explains it.
func MustFail(why string, classes ...failclass.Class) Expectation {
	return Expectation{Outcome: Fail, Classes: classes, Why: why}
}

// ReasonMismatch starts the reason given when every step succeeded but the
// bytes differ (class failclass.Mismatch): with CBC about 1 wrong key in
// 256 still has valid padding.
const ReasonMismatch = "plaintext mismatch"

// Resolve returns the expectation of c for the given profiles: not
// applicable when a Need is missing, else the first matching Rule, else Expect.
func (c *Case) Resolve(p, q oracle.Profile) Expectation {
	for _, n := range c.Needs {
		prof := p
		if n.Side == Consumer {
			if c.KMSConsumer {
				continue
			}
			prof = q
		}
		if !n.Feature.Has(prof) {
			return Expectation{Outcome: NotApplicable, Why: fmt.Sprintf("%s: %s (%s %s)", n.Side, n.Feature.Missing, n.Side, prof.Description)}
		}
	}
	for _, r := range c.Rules {
		if r.If.Holds(p, q) {
			return r.Then
		}
	}
	return c.Expect
}

var registry = map[int]*Flow{}

// register adds a flow; each flow file calls it from init.
func register(f *Flow) {
	if _, dup := registry[f.ID]; dup {
		panic(fmt.Sprintf("flows: flow %d registered twice", f.ID))
	}
	names := map[string]bool{}
	for _, c := range f.Cases {
		if names[c.Name] || strings.ContainsAny(c.Name, "/ ") {
			panic(fmt.Sprintf("flows: flow %d: bad or duplicate case name %q", f.ID, c.Name))
		}
		names[c.Name] = true
	}
	registry[f.ID] = f
}

// All returns every flow, by ID.
func All() []*Flow {
	out := make([]*Flow, 0, len(registry))
	for _, f := range registry {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Lookup returns flow id.
func Lookup(id int) (*Flow, bool) {
	f, ok := registry[id]
	return f, ok
}

// P is shorthand for a parameter list: P("key_spec", "RSA_2048", "hash", "SHA_1").
func P(kv ...string) []Param {
	var out []Param
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, Param{kv[i], kv[i+1]})
	}
	return out
}
