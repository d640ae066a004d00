package kmsspec

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Need is something outside the KMS endpoint a check requires. A spec
// whose needs are not met is not applicable (it never passes unrun).
type Need string

// The needs a spec may declare.
const (
	// NeedOpenSSL: the host openssl binary (Options.OpenSSL or PATH).
	NeedOpenSSL Need = "openssl"
	// NeedAWSCLI: the aws CLI on PATH.
	NeedAWSCLI Need = "aws-cli"
	// NeedBoto3: python3 with boto3.
	NeedBoto3 Need = "boto3"
	// NeedScripts: the repository's scripts/ directory (a checkout).
	NeedScripts Need = "scripts"
)

// Spec is one KMS compatibility spec.
type Spec struct {
	// ID is stable across releases: "Operation/what", e.g.
	// "DeriveSharedSecret/ECC_NIST_P256/equals-openssl-derive".
	ID string
	// Topic groups specs for reports (keys, symmetric, ecdh, ...).
	Topic string
	// Title says in one sentence what the endpoint must do.
	Title string
	// Ops are the KMS operations the spec calls for its purpose.
	Ops []string
	// AWS is what AWS KMS does; Source is where that is recorded
	// (../shared/docs/kms-aws-recorded.md section and test, AWS docs page,
	// an emulator's issue).
	AWS    string
	Source string
	// Needs are what the check requires besides the endpoint.
	Needs []Need
	// Check asks the endpoint; it fails through t.
	Check func(t *T)
}

// Labels are the spec's Ginkgo labels: topic:<topic> and op:<Op>.
func (s *Spec) Labels() []string {
	l := []string{"topic:" + s.Topic}
	for _, op := range s.Ops {
		l = append(l, "op:"+op)
	}
	return l
}

// topics names the topics in report order; a cell's Flow is its index + 1.
var topics = []struct{ Name, Title string }{
	{"keys", "Keys: CreateKey, DescribeKey, ListKeys, tags, regions"},
	{"aliases", "Aliases"},
	{"symmetric", "Symmetric Encrypt, Decrypt, ReEncrypt, GenerateDataKey"},
	{"rsa-oaep", "RSA OAEP: GetPublicKey, Encrypt, Decrypt"},
	{"datakeys", "Data key pairs"},
	{"ecdh", "ECDH: DeriveSharedSecret"},
	{"sign", "Sign and Verify"},
	{"states", "Key states"},
	{"import", "Import key material"},
	{"random", "GenerateRandom"},
	{"wire", "awsJson1_1 wire protocol"},
	{"cli", "aws CLI seed scripts"},
	{"boto3", "boto3"},
}

// TopicIndex returns the 1-based position of a topic (0 if unknown) and
// its title.
func TopicIndex(topic string) (int, string) {
	for i, t := range topics {
		if t.Name == topic {
			return i + 1, t.Title
		}
	}
	return 0, topic
}

var registry []*Spec

// add registers specs (from init). Ids must be unique and every spec must
// name its source.
func add(specs ...*Spec) {
	for _, s := range specs {
		if s.ID == "" || s.Source == "" || s.AWS == "" || s.Check == nil || s.Title == "" {
			panic(fmt.Sprintf("kmsspec: spec %q lacks an id, title, AWS behaviour, source or check", s.ID))
		}
		if n, _ := TopicIndex(s.Topic); n == 0 {
			panic(fmt.Sprintf("kmsspec: spec %q has unknown topic %q", s.ID, s.Topic))
		}
		for _, o := range registry {
			if o.ID == s.ID {
				panic("kmsspec: duplicate spec id " + s.ID)
			}
		}
		registry = append(registry, s)
	}
}

// Specs returns every spec in report order (topic, then declaration).
func Specs() []*Spec {
	out := append([]*Spec(nil), registry...)
	sort.SliceStable(out, func(i, j int) bool {
		a, _ := TopicIndex(out[i].Topic)
		b, _ := TopicIndex(out[j].Topic)
		return a < b
	})
	return out
}

// Lookup returns the spec with id, or nil.
func Lookup(id string) *Spec {
	for _, s := range registry {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// Select returns the specs whose id matches the regular expression re
// (every spec when re is empty).
func Select(re string) ([]*Spec, error) {
	all := Specs()
	if re == "" {
		return all, nil
	}
	rx, err := regexp.Compile(re)
	if err != nil {
		return nil, fmt.Errorf("--run %q is not a regular expression: %w", re, err)
	}
	var out []*Spec
	for _, s := range all {
		if rx.MatchString(s.ID) {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--run %q matches no spec id (ids look like %q)", re, all[0].ID)
	}
	return out, nil
}

// idPart makes a value safe inside an id: spaces become '-'.
func idPart(s string) string { return strings.ReplaceAll(strings.TrimSpace(s), " ", "-") }
