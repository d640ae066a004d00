// Package gate reads gate files: the reviewed list of failures a CI job
// accepts for a while, and the run settings that make a CI job one line
// (`kmsconform run --gate kmsconform.yaml`).
//
//	# kmsconform.yaml
//	allow:
//	  - id: "DeriveSharedSecret*"   # a spec or cell id, or a glob (* and ?)
//	    reason: "moto lacks ECDH"
//	    until: 2027-01-31           # allowed through the end of this day (UTC)
//	engines: [host, oracle]         # optional: run --engines
//	flows: ["1", "2"]               # optional: run --flows
//	endpoint: http://127.0.0.1:4566 # optional: the KMS endpoint
//	region: us-east-1               # optional
//
// Every allowance needs an id, a reason and an until date. Unknown keys,
// bad YAML and bad dates are errors naming FILE:LINE (exit 2 in the CLI).
//
// Apply turns the unexpected cells an allowance covers into the verdict
// flows.Allowed, with Cell.Allowance "reason (until DATE)"; past its date an
// allowance no longer covers anything and the cell says "allowance expired
// on DATE". An allowance that matches no cell, or only cells that pass, is
// stale: reported, and an error with --strict.
package gate

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// DateLayout is the layout of an until date.
const DateLayout = "2006-01-02"

// File is a parsed gate file.
type File struct {
	// Path is where it was read from.
	Path string
	// Allow are the allowances, in file order.
	Allow []Allowance
	// Engines, Flows, Endpoint and Region are optional run settings; empty
	// means "not set in the file".
	Engines  []string
	Flows    []string
	Endpoint string
	Region   string
}

// Allowance is one reviewed, expiring exception.
type Allowance struct {
	// ID is an exact spec or cell id, or a glob: * matches any run of
	// characters (including /), ? one character.
	ID string
	// Reason says why the failure is accepted.
	Reason string
	// Until is the last day (UTC) the allowance holds.
	Until time.Time
	// Line is the allowance's line in the file.
	Line int

	re *regexp.Regexp
}

// Error is a problem in a gate file, at a line (0 when unknown).
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Load reads and checks the gate file at path.
func Load(path string) (*File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: path, Msg: fmt.Sprintf("cannot read the gate file: %v", err)}
	}
	return Parse(path, b)
}

// fileYAML is the document's top level.
type fileYAML struct {
	Allow    []allowYAML `yaml:"allow"`
	Engines  []string    `yaml:"engines"`
	Flows    []string    `yaml:"flows"`
	Endpoint string      `yaml:"endpoint"`
	Region   string      `yaml:"region"`
}

// allowYAML decodes one allowance with its line, refusing unknown keys.
type allowYAML struct {
	a Allowance
}

var allowKeys = []string{"id", "reason", "until"}

func (y *allowYAML) UnmarshalYAML(n *yaml.Node) error {
	fail := func(line int, format string, args ...any) error {
		return &lineError{line: line, msg: fmt.Sprintf(format, args...)}
	}
	if n.Kind != yaml.MappingNode {
		return fail(n.Line, "an allowance must be a mapping with id, reason and until")
	}
	y.a.Line = n.Line
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if seen[k.Value] {
			return fail(k.Line, "%q is given twice", k.Value)
		}
		seen[k.Value] = true
		if v.Kind != yaml.ScalarNode {
			return fail(v.Line, "%s must be a single value", k.Value)
		}
		switch k.Value {
		case "id":
			y.a.ID = strings.TrimSpace(v.Value)
		case "reason":
			y.a.Reason = strings.TrimSpace(v.Value)
		case "until":
			d, err := time.Parse(DateLayout, strings.TrimSpace(v.Value))
			if err != nil {
				return fail(v.Line, "until %q is not a date like 2027-01-31", v.Value)
			}
			y.a.Until = d
		default:
			return fail(k.Line, "unknown key %q in an allowance (known: %s)", k.Value, strings.Join(allowKeys, ", "))
		}
	}
	for _, k := range allowKeys {
		if !seen[k] || (k == "id" && y.a.ID == "") || (k == "reason" && y.a.Reason == "") {
			return fail(n.Line, "the allowance lacks %s (every allowance needs id, reason and until)", k)
		}
	}
	return nil
}

// lineError carries a line out of a custom unmarshaler.
type lineError struct {
	line int
	msg  string
}

func (e *lineError) Error() string { return e.msg }

var yamlLineRE = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// Parse checks a gate file's contents; path names it in errors.
func Parse(path string, b []byte) (*File, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var y fileYAML
	if err := dec.Decode(&y); err != nil && !errors.Is(err, io.EOF) {
		return nil, yamlError(path, err)
	}
	f := &File{Path: path, Engines: y.Engines, Flows: y.Flows, Endpoint: y.Endpoint, Region: y.Region}
	for _, ay := range y.Allow {
		a := ay.a
		re, err := globRE(a.ID)
		if err != nil {
			return nil, &Error{File: path, Line: a.Line, Msg: err.Error()}
		}
		a.re = re
		f.Allow = append(f.Allow, a)
	}
	return f, nil
}

// yamlError turns a decoder error into FILE:LINE: message.
func yamlError(path string, err error) error {
	var le *lineError
	if errors.As(err, &le) {
		return &Error{File: path, Line: le.line, Msg: le.msg}
	}
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		text := m[2]
		if f := regexp.MustCompile(`field (\S+) not found in type gate\.fileYAML`).FindStringSubmatch(text); f != nil {
			text = fmt.Sprintf("unknown key %q (known: allow, engines, flows, endpoint, region)", f[1])
		}
		return &Error{File: path, Line: line, Msg: text}
	}
	return &Error{File: path, Msg: strings.TrimPrefix(msg, "yaml: ")}
}

// globRE compiles an id glob: * any run of characters, ? one character.
func globRE(glob string) (*regexp.Regexp, error) {
	if glob == "" {
		return nil, errors.New("an allowance id is empty")
	}
	var b strings.Builder
	b.WriteString("^")
	for _, r := range glob {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}

// Matches reports whether the allowance's id or glob matches id.
func (a *Allowance) Matches(id string) bool {
	if a.re == nil {
		a.re, _ = globRE(a.ID)
	}
	return a.re != nil && a.re.MatchString(id)
}

// Live reports whether the allowance still holds at now: through the end
// of its until day, UTC.
func (a *Allowance) Live(now time.Time) bool {
	return now.UTC().Before(a.Until.AddDate(0, 0, 1))
}

// Date is the until date as written.
func (a *Allowance) Date() string { return a.Until.Format(DateLayout) }
