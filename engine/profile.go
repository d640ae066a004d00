package engine

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/kmsconform/kmsconform/oracle"
)

// Profiled is implemented by engines that know their compat profile
// directly (the oracle engines). Other engines get one from their version.
type Profiled interface {
	Profile() oracle.Profile
}

// Profile implements Profiled for oracle-bin engines; host engines get
// theirs from `openssl version`.
func (e *execEngine) Profile() (oracle.Profile, bool) {
	if e.profile == "" && len(e.prefix) == 0 {
		return oracle.Profile{}, false
	}
	p, err := oracle.LookupProfile(e.profile)
	return p, err == nil
}

var versionRE = regexp.MustCompile(`^(OpenSSL|LibreSSL)\s+(\d+)\.(\d+)\.(\d+)`)

// ProfileFromVersion maps what `openssl version` prints to the compat
// profile describing that line, e.g. "OpenSSL 1.1.1w 11 Sep 2023" to
// "1.1.1", "OpenSSL 3.5.7 ..." to "3.0", "LibreSSL 2.8.3" to "libressl-2.8".
func ProfileFromVersion(v string) (oracle.Profile, error) {
	m := versionRE.FindStringSubmatch(strings.TrimSpace(v))
	if m == nil {
		return oracle.Profile{}, fmt.Errorf("engine: cannot tell the openssl line from version %q", v)
	}
	name := ""
	switch {
	case m[1] == "LibreSSL":
		name = "libressl-2.8"
	case m[2] == "1" && m[3] == "0":
		name = "1.0.2"
	case m[2] == "1":
		name = "1.1.1"
	case m[2] == "3":
		name = "3.0"
	default:
		name = m[2] + ".0"
	}
	return oracle.LookupProfile(name)
}

// ProfileOf returns the compat profile of e: its own when it is Profiled,
// otherwise the one its `openssl version` output maps to.
func ProfileOf(ctx context.Context, e OpenSSL) (oracle.Profile, error) {
	switch p := e.(type) {
	case Profiled:
		return p.Profile(), nil
	case interface{ Profile() (oracle.Profile, bool) }:
		if prof, ok := p.Profile(); ok {
			return prof, nil
		}
	}
	v, err := e.Version(ctx)
	if err != nil {
		return oracle.Profile{}, err
	}
	return ProfileFromVersion(v)
}
