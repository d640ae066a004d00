package runbook

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kmsconform/kmsconform/failclass"
	"github.com/kmsconform/kmsconform/internal/cli"
)

// KeyDecl is `key NAME SPEC USAGE`.
type KeyDecl struct {
	Name, Spec, Usage string
	Line              int
}

// FileDecl is `file NAME SIZE`.
type FileDecl struct {
	Name string
	Size int64
	Line int
}

// RoleDecl is `role partner|owner`.
type RoleDecl struct {
	Role string
	Line int
}

// SameDecl is `same A B`.
type SameDecl struct {
	A, B string
	Line int
}

// ExpectDecl is `expect fail CLASS [when producer=GLOB|consumer=GLOB] — why`.
type ExpectDecl struct {
	Class failclass.Class
	// Producer and Consumer are engine-name globs ("" matches any).
	Producer, Consumer string
	Why                string
	Line               int
}

// Matches reports whether the expectation covers the cell producer>consumer.
func (e ExpectDecl) Matches(producer, consumer string) bool {
	return globMatch(e.Producer, producer) && globMatch(e.Consumer, consumer)
}

func globMatch(glob, name string) bool {
	if glob == "" {
		return true
	}
	ok, err := path.Match(glob, name)
	return err == nil && ok
}

// The roles.
const (
	RolePartner = "partner"
	RoleOwner   = "owner"
)

// directives maps a directive's first word to its parser.
var directives = map[string]func(rb *Runbook, line int, args []string, rest string) *Problem{
	"key":    parseKey,
	"file":   parseFile,
	"role":   parseRole,
	"same":   parseSame,
	"expect": parseExpect,
}

func directiveNames() []string { return []string{"key", "file", "role", "same", "expect"} }

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// directive parses one directive's text at line.
func (rb *Runbook) directive(line int, text string) *Problem {
	f := strings.Fields(text)
	if len(f) == 0 {
		return rb.problem(line, "empty kmsconform directive", "directives are: "+strings.Join(directiveNames(), ", "))
	}
	p, ok := directives[f[0]]
	if !ok {
		hint := "directives are: " + strings.Join(directiveNames(), ", ")
		if s := cli.DidYouMean(f[0], directiveNames()); s != "" {
			hint = s + " (" + hint + ")"
		}
		return rb.problem(line, fmt.Sprintf("unknown directive %q", f[0]), hint)
	}
	return p(rb, line, f[1:], strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(text), f[0])))
}

func (rb *Runbook) problem(line int, msg, hint string) *Problem {
	return &Problem{File: rb.File, Line: line, Msg: msg, Hint: hint}
}

func enumStrings[T ~string](vals []T) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = string(v)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func didYouMean(got string, cands []string) string {
	if s := cli.DidYouMean(got, cands); s != "" {
		return "; " + s
	}
	return ""
}

func parseKey(rb *Runbook, line int, a []string, _ string) *Problem {
	if len(a) != 3 {
		return rb.problem(line, "key wants NAME SPEC USAGE", "e.g. key kid RSA_2048 ENCRYPT_DECRYPT")
	}
	if !identRE.MatchString(a[0]) {
		return rb.problem(line, fmt.Sprintf("key name %q is not a shell variable name", a[0]), "use letters, digits and _, e.g. key kid RSA_2048 ENCRYPT_DECRYPT")
	}
	specs := enumStrings(types.KeySpec("").Values())
	if !contains(specs, a[1]) {
		return rb.problem(line, fmt.Sprintf("KMS has no key spec %q", a[1]), "key specs: "+strings.Join(specs, ", ")+didYouMean(a[1], specs))
	}
	usages := enumStrings(types.KeyUsageType("").Values())
	if !contains(usages, a[2]) {
		return rb.problem(line, fmt.Sprintf("KMS has no key usage %q", a[2]), "key usages: "+strings.Join(usages, ", ")+didYouMean(a[2], usages))
	}
	for _, k := range rb.Keys {
		if k.Name == a[0] {
			return rb.problem(line, fmt.Sprintf("key %s is declared twice (first at line %d)", a[0], k.Line), "give each key its own name")
		}
	}
	rb.Keys = append(rb.Keys, KeyDecl{Name: a[0], Spec: a[1], Usage: a[2], Line: line})
	return nil
}

// parseSize reads 1000, 4K, 1M (K and M are 1024 and 1024²).
func parseSize(s string) (int64, bool) {
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "K"), strings.HasSuffix(s, "k"):
		mult, s = 1024, s[:len(s)-1]
	case strings.HasSuffix(s, "M"):
		mult, s = 1024*1024, s[:len(s)-1]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n*mult > 1<<30 {
		return 0, false
	}
	return n * mult, true
}

func parseFile(rb *Runbook, line int, a []string, _ string) *Problem {
	if len(a) != 2 {
		return rb.problem(line, "file wants NAME SIZE", "e.g. file DATA 4096 (sizes: bytes, or 4K, 1M)")
	}
	if strings.Contains(a[0], "/") || a[0] == "." || a[0] == ".." {
		return rb.problem(line, fmt.Sprintf("file name %q is not a plain name in the work directory", a[0]), "e.g. file DATA 4096")
	}
	n, ok := parseSize(a[1])
	if !ok {
		return rb.problem(line, fmt.Sprintf("file size %q is not a size", a[1]), "bytes, or 4K, 1M (at most 1 GiB)")
	}
	rb.Files = append(rb.Files, FileDecl{Name: a[0], Size: n, Line: line})
	return nil
}

func parseRole(rb *Runbook, line int, a []string, _ string) *Problem {
	roles := []string{RolePartner, RoleOwner}
	if len(a) != 1 || !contains(roles, a[0]) {
		got := strings.Join(a, " ")
		return rb.problem(line, fmt.Sprintf("role %q: want partner or owner", got), "the partner produces (encrypts), the owner consumes through KMS"+didYouMean(got, roles))
	}
	rb.Roles = append(rb.Roles, RoleDecl{Role: a[0], Line: line})
	return nil
}

func parseSame(rb *Runbook, line int, a []string, _ string) *Problem {
	if len(a) != 2 {
		return rb.problem(line, "same wants two file names", "e.g. same DATA DATA_plaintext")
	}
	rb.Same = append(rb.Same, SameDecl{A: a[0], B: a[1], Line: line})
	return nil
}

var whySep = regexp.MustCompile(`\s+(—|--|-)\s+`)

func parseExpect(rb *Runbook, line int, _ []string, rest string) *Problem {
	hint := "e.g. expect fail parameter-refused when producer=openssl-1.1.1 — 1.1.1 wants rsa_padding_mode first"
	why := ""
	if loc := whySep.FindStringIndex(rest); loc != nil {
		rest, why = rest[:loc[0]], strings.TrimSpace(rest[loc[1]:])
	}
	f := strings.Fields(rest)
	if len(f) < 2 || f[0] != "fail" {
		return rb.problem(line, "expect wants `fail CLASS`", hint)
	}
	classes := enumStrings(failclass.All())
	if !contains(classes, f[1]) {
		return rb.problem(line, fmt.Sprintf("unknown failure class %q", f[1]), "classes: "+strings.Join(classes, ", ")+didYouMean(f[1], classes))
	}
	e := ExpectDecl{Class: failclass.Class(f[1]), Why: why, Line: line}
	f = f[2:]
	if len(f) > 0 {
		if f[0] != "when" || len(f) == 1 {
			return rb.problem(line, fmt.Sprintf("expect: unexpected %q", strings.Join(f, " ")), hint)
		}
		for _, cond := range f[1:] {
			for _, c := range strings.Split(cond, "|") {
				k, v, ok := strings.Cut(c, "=")
				if _, err := path.Match(v, ""); !ok || v == "" || err != nil {
					return rb.problem(line, fmt.Sprintf("expect: condition %q is not producer=GLOB or consumer=GLOB", c), hint)
				}
				switch k {
				case "producer":
					e.Producer = v
				case "consumer":
					e.Consumer = v
				default:
					return rb.problem(line, fmt.Sprintf("expect: condition %q is not producer=GLOB or consumer=GLOB", c), hint)
				}
			}
		}
	}
	if why == "" {
		return rb.problem(line, "expect: say why after a dash", hint)
	}
	rb.Expect = append(rb.Expect, e)
	return nil
}
