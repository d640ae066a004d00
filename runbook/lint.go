package runbook

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/kmsconform/kmsconform/failclass"
)

// Severity of a lint finding.
type Severity string

// The severities: an error breaks the runbook on the versions named; a
// warning is a risk (secrets, deprecations, defaults that differ).
const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Finding is one lint result at FILE:LINE.
type Finding struct {
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Severity Severity `json:"severity"`
	// Rule names the check, e.g. "openssl-kdf", "aws-unknown-option".
	Rule    string `json:"rule"`
	Message string `json:"message"`
	// Versions are the openssl lines (or aws CLI versions) where it applies.
	Versions []string `json:"versions,omitempty"`
	// Role is the runbook role in force at the line ("" before any).
	Role string `json:"role,omitempty"`
	// Class is the failure class the run will show where an error applies.
	Class failclass.Class `json:"class,omitempty"`
	// Expected names the `expect fail` directive that declares this error
	// ("FILE:LINE"); declared errors do not fail lint.
	Expected string `json:"expected,omitempty"`
}

// ruleClass is the failure class each error rule predicts.
var ruleClass = map[string]failclass.Class{
	"openssl-kdf":             failclass.UnknownCommand,
	"openssl-pkeyopt-order":   failclass.ParameterRefused,
	"openssl-pkeyopt-oaep-md": failclass.ParameterRefused,
	"openssl-enc-pbkdf2":      failclass.UnknownOption,
	"openssl-enc-saltlen":     failclass.UnknownOption,
	"openssl-engine":          failclass.UnknownOption,
	"openssl-keyform":         failclass.KeyUnreadable,
	"openssl-enc-pair":        failclass.BadDecrypt,
	"base64-D":                failclass.UnknownOption,
	"aws-unknown-option":      failclass.UnknownOption,
}

func (f Finding) String() string {
	s := fmt.Sprintf("%s:%d: %s: %s", f.File, f.Line, f.Severity, f.Message)
	if len(f.Versions) > 0 {
		s += " (" + strings.Join(f.Versions, ", ") + ")"
	}
	if f.Expected != "" {
		s += " [declared by expect fail at " + f.Expected + "]"
	}
	return s
}

// HasErrors reports whether any finding is an error.
func HasErrors(fs []Finding) bool {
	for _, f := range fs {
		if f.Severity == Error && f.Expected == "" {
			return true
		}
	}
	return false
}

// WriteFindings prints findings compiler-style, one a line.
func WriteFindings(w io.Writer, fs []Finding) error {
	for _, f := range fs {
		if _, err := fmt.Fprintln(w, f.String()); err != nil {
			return err
		}
	}
	return nil
}

// WriteFindingsJSON prints findings as a JSON array.
func WriteFindingsJSON(w io.Writer, fs []Finding) error {
	if fs == nil {
		fs = []Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(fs)
}

// Lint checks the runbook file path (content src): its directives (as
// Parse does; each problem is an error) and every openssl and aws kms
// command, with the versions each finding applies to.
func Lint(path string, src []byte) []Finding {
	rb, err := Parse(path, src)
	var out []Finding
	if ie, ok := err.(*InputError); ok {
		for _, p := range ie.Problems {
			out = append(out, Finding{File: path, Line: p.Line, Severity: Error, Rule: "directive", Message: p.Msg})
		}
	}
	if rb == nil {
		return out
	}
	for _, f := range lintCommands(commands(rb)) {
		f.File, f.Role = path, rb.RoleAt(f.Line)
		if f.Severity == Error {
			f.Class = ruleClass[f.Rule]
			for _, e := range rb.Expect {
				if f.Class != "" && e.Class == f.Class {
					f.Expected = fmt.Sprintf("%s:%d", path, e.Line)
				}
			}
		}
		out = append(out, f)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

// OnlyVersions keeps the findings that concern the openssl releases named
// (e.g. the lines a team actually runs): a finding naming openssl releases,
// none of them among versions, is dropped; findings about every line or
// about other tools (aws CLI, base64) stay. An empty list keeps everything.
func OnlyVersions(fs []Finding, versions []string) []Finding {
	if len(versions) == 0 {
		return fs
	}
	known := map[string]bool{}
	for _, r := range Releases {
		known[r.Version] = true
	}
	var out []Finding
	for _, f := range fs {
		names, hit := false, false
		for _, v := range f.Versions {
			if known[v] {
				names = true
				hit = hit || contains(versions, v)
			}
		}
		if !names || hit {
			out = append(out, f)
		}
	}
	return out
}
