package vectors

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Decode reads one vector file strictly: unknown fields, trailing data, a
// schema that does not match G, a missing required field, a wrong
// numberOfTests, a duplicate tcId, a flag without a note or a bad result
// are all errors. An error means the file cannot be trusted: a test that
// meets one must fail, never skip.
func Decode[G Group](r io.Reader) (*File[G], error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var f File[G]
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("malformed vector file: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("malformed vector file: data after the top-level object")
	}
	if err := f.check(); err != nil {
		return nil, err
	}
	return &f, nil
}

// Load decodes the vector file at path, adding the path to errors.
func Load[G Group](path string) (*File[G], error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("vector file %s: %w", path, err)
	}
	f, err := Decode[G](bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("vector file %s: %w", path, err)
	}
	return f, nil
}

// grouper is implemented by *EncGroup, *RSAGroup, *ECDHGroup and *KDFGroup.
type grouper interface {
	schema() string
	check() error
	cases() []*Case
}

func (f *File[G]) check() error {
	if f.Algorithm == "" {
		return errors.New(`missing "algorithm"`)
	}
	if !strings.HasPrefix(f.GeneratorVersion, "OpenSSL ") && !strings.HasPrefix(f.GeneratorVersion, "LibreSSL ") {
		return fmt.Errorf(`"generatorVersion" must be what "openssl version" printed, got %q`, f.GeneratorVersion)
	}
	if f.Notes == nil {
		return errors.New(`missing "notes"`)
	}
	for flag, desc := range f.Notes {
		if flag == "" || strings.TrimSpace(desc) == "" {
			return fmt.Errorf("note %q: flag and description must both be non-empty", flag)
		}
	}
	if len(f.TestGroups) == 0 {
		return errors.New(`no "testGroups"`)
	}
	seen := map[int]bool{}
	n := 0
	for i := range f.TestGroups {
		g := any(&f.TestGroups[i]).(grouper)
		if f.Schema != g.schema() {
			return fmt.Errorf(`"schema" is %q, want %q for this kind of vector`, f.Schema, g.schema())
		}
		if err := g.check(); err != nil {
			return fmt.Errorf("testGroups[%d]: %w", i, err)
		}
		cs := g.cases()
		if len(cs) == 0 {
			return fmt.Errorf("testGroups[%d]: no tests", i)
		}
		for _, c := range cs {
			if err := c.check(f.Notes); err != nil {
				return fmt.Errorf("testGroups[%d] tcId %d: %w", i, c.TcID, err)
			}
			if seen[c.TcID] {
				return fmt.Errorf("testGroups[%d]: duplicate tcId %d", i, c.TcID)
			}
			seen[c.TcID] = true
			n++
		}
	}
	if n != f.NumberOfTests {
		return fmt.Errorf(`"numberOfTests" is %d but the file has %d tests`, f.NumberOfTests, n)
	}
	return nil
}

func (c *Case) check(notes map[string]string) error {
	if c.TcID <= 0 {
		return errors.New(`"tcId" must be a positive integer`)
	}
	if c.Flags == nil {
		return errors.New(`missing "flags" (use [] for none)`)
	}
	for _, fl := range c.Flags {
		if _, ok := notes[fl]; !ok {
			return fmt.Errorf("flag %q has no entry in the file's notes", fl)
		}
	}
	switch c.Result {
	case Valid, Invalid, Acceptable:
	default:
		return fmt.Errorf(`"result" is %q, want valid, invalid or acceptable`, c.Result)
	}
	return nil
}

// HasFlag reports whether the case carries flag.
func (c *Case) HasFlag(flag string) bool {
	for _, f := range c.Flags {
		if f == flag {
			return true
		}
	}
	return false
}

// need reports an error naming the first required field that is nil.
func need(fields ...any) error {
	for i := 0; i+1 < len(fields); i += 2 {
		if h, ok := fields[i+1].(Hex); ok && h == nil {
			return fmt.Errorf("missing %q", fields[i])
		}
	}
	return nil
}

func oneOf(field, v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return fmt.Errorf("%q is %q, want one of %s", field, v, strings.Join(allowed, ", "))
}
