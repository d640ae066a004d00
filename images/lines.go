// Package images builds, lists and prunes the container images that carry
// real openssl builds, one per openssl line, from Debian's own packages:
// bullseye (1.1.1), bookworm (3.0), trixie (3.5), sid (3.6) and
// experimental (4.0). No image registry is needed: each image is a
// debootstrap rootfs turned into an image by `docker import`, tagged with the
// exact version `openssl version` reports inside and labelled so kmsconform
// can find and remove its own images.
package images

import (
	"fmt"
	"sort"
	"strings"
)

// Line is one openssl release line and where Debian ships it.
type Line struct {
	// Name is the line as users name it, e.g. "3.5".
	Name string
	// Suite is the Debian suite debootstrap installs.
	Suite string
	// Experimental is true when openssl comes from the experimental
	// suite on top of Suite (sid).
	Experimental bool
	// VersionPrefix is what the exact version must start with (e.g.
	// "3.5."), checked after the build so a moved suite is caught.
	VersionPrefix string
}

// Lines are the openssl lines kmsconform builds images for, oldest first.
var Lines = []Line{
	{Name: "1.1.1", Suite: "bullseye", VersionPrefix: "1.1.1"},
	{Name: "3.0", Suite: "bookworm", VersionPrefix: "3.0."},
	{Name: "3.5", Suite: "trixie", VersionPrefix: "3.5."},
	{Name: "3.6", Suite: "sid", VersionPrefix: "3.6."},
	{Name: "4.0", Suite: "sid", Experimental: true, VersionPrefix: "4.0."},
}

// Repository is the image repository (no registry) of every image built.
const Repository = "kmsconform/openssl"

// Labels set on every image and container kmsconform manages.
const (
	// LabelManaged marks images and containers kmsconform owns ("true").
	LabelManaged = "org.kmsconform.managed"
	// LabelOpenSSL holds the exact version, e.g. "3.5.7".
	LabelOpenSSL = "org.kmsconform.openssl"
	// LabelLine holds the line, e.g. "3.5".
	LabelLine = "org.kmsconform.line"
	// LabelSuite holds the Debian suite the rootfs came from.
	LabelSuite = "org.kmsconform.suite"
	// LabelVersionString holds the whole `openssl version` output.
	LabelVersionString = "org.kmsconform.version"
)

// LineNames lists the names of Lines in order.
func LineNames() []string {
	out := make([]string, len(Lines))
	for i, l := range Lines {
		out[i] = l.Name
	}
	return out
}

// LookupLine returns the line called name ("1.1.1", "3.0", ...). "1.1" and
// "3" and "4" are accepted as short forms of "1.1.1", "3.0" and "4.0".
func LookupLine(name string) (Line, error) {
	n := strings.TrimPrefix(strings.TrimSpace(name), "openssl-")
	switch n {
	case "1.1":
		n = "1.1.1"
	case "3":
		n = "3.0"
	case "4":
		n = "4.0"
	}
	for _, l := range Lines {
		if l.Name == n {
			return l, nil
		}
	}
	return Line{}, fmt.Errorf("images: unknown openssl line %q (known: %s)", name, strings.Join(LineNames(), ", "))
}

// ParseLines parses a comma-separated list of lines ("1.1.1,3.5"); empty
// means all Lines. Duplicates are dropped; the order is that of Lines.
func ParseLines(list string) ([]Line, error) {
	if strings.TrimSpace(list) == "" {
		return append([]Line(nil), Lines...), nil
	}
	seen := map[string]bool{}
	var out []Line
	for _, f := range strings.Split(list, ",") {
		if strings.TrimSpace(f) == "" {
			continue
		}
		l, err := LookupLine(f)
		if err != nil {
			return nil, err
		}
		if !seen[l.Name] {
			seen[l.Name] = true
			out = append(out, l)
		}
	}
	order := map[string]int{}
	for i, l := range Lines {
		order[l.Name] = i
	}
	sort.Slice(out, func(i, j int) bool { return order[out[i].Name] < order[out[j].Name] })
	return out, nil
}

// ParseVersion extracts the version from `openssl version` output such as
// "OpenSSL 3.5.7 9 Jun 2026" → "3.5.7".
func ParseVersion(out string) (string, error) {
	f := strings.Fields(out)
	if len(f) < 2 || f[0] != "OpenSSL" {
		return "", fmt.Errorf("images: cannot read a version from %q (want \"OpenSSL X.Y.Z ...\")", strings.TrimSpace(out))
	}
	return f[1], nil
}
