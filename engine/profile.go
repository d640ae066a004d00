package engine

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
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

var versionRE = regexp.MustCompile(`^(OpenSSL|LibreSSL)\s+(\d+)\.(\d+)(?:\.(\d+))?`)

// profileRange says which versions of a library a compat profile describes
// exactly (inclusive; a version is major*10000 + minor*100 + patch).
type profileRange struct {
	library string // "OpenSSL" or "LibreSSL"
	lo, hi  int
	profile string
}

// profileRanges are the versions each profile was written from. A version
// outside every range of its library gets the nearest profile and a
// warning.
var profileRanges = []profileRange{
	{"OpenSSL", 1_00_02, 1_00_99, "1.0.2"},
	{"OpenSSL", 1_01_01, 1_01_99, "1.1.1"},
	{"OpenSSL", 3_00_00, 3_06_99, "3.0"},
	{"OpenSSL", 4_00_00, 4_00_99, "4.0"},
	{"LibreSSL", 2_00_00, 2_08_99, "libressl-2.8"},
	{"LibreSSL", 2_09_00, 3_99_99, "libressl-3.3"},
}

// ChooseProfile maps what `openssl version` prints to the compat profile
// describing that line, e.g. "OpenSSL 1.1.1w 11 Sep 2023" to "1.1.1",
// "OpenSSL 3.5.7 ..." to "3.0", "LibreSSL 2.8.3" to "libressl-2.8". A
// version no profile was written from (OpenSSL 1.1.0, 3.7, 5.0, LibreSSL
// 4.0) gets the nearest profile of its library and a warning saying which;
// output that names no OpenSSL or LibreSSL version is an error.
func ChooseProfile(v string) (p oracle.Profile, warning string, err error) {
	m := versionRE.FindStringSubmatch(strings.TrimSpace(v))
	if m == nil {
		return oracle.Profile{}, "", fmt.Errorf("engine: cannot tell the openssl line from version %q (want \"OpenSSL X.Y.Z ...\" or \"LibreSSL X.Y.Z\")", firstLine(v))
	}
	major, _ := strconv.Atoi(m[2])
	minor, _ := strconv.Atoi(m[3])
	patch, _ := strconv.Atoi(m[4])
	ver := major*10000 + minor*100 + min(patch, 99)
	best, bestD := "", -1
	for _, r := range profileRanges {
		if r.library != m[1] {
			continue
		}
		d := 0
		switch {
		case ver < r.lo:
			d = r.lo - ver
		case ver > r.hi:
			d = ver - r.hi
		}
		if bestD < 0 || d <= bestD { // a tie goes to the newer profile
			best, bestD = r.profile, d
		}
	}
	p, err = oracle.LookupProfile(best)
	if err != nil {
		return oracle.Profile{}, "", err
	}
	if bestD > 0 {
		warning = fmt.Sprintf("no compat profile for %s %s.%s; using the nearest, %s (%s): expectations may not fit this version",
			m[1], m[2], m[3], p.Name, p.Description)
	}
	return p, warning, nil
}

// ProfileFromVersion is ChooseProfile without the warning.
func ProfileFromVersion(v string) (oracle.Profile, error) {
	p, _, err := ChooseProfile(v)
	return p, err
}

// ProfileOf returns the compat profile of e: its own when it is Profiled,
// otherwise the one its `openssl version` output maps to (the nearest one
// for an unknown version; Evidence says which with a warning).
func ProfileOf(ctx context.Context, e OpenSSL) (oracle.Profile, error) {
	p, _, err := profileAndWarning(ctx, e)
	return p, err
}

func profileAndWarning(ctx context.Context, e OpenSSL) (oracle.Profile, string, error) {
	switch p := e.(type) {
	case Profiled:
		return p.Profile(), "", nil
	case interface{ Profile() (oracle.Profile, bool) }:
		if prof, ok := p.Profile(); ok {
			return prof, "", nil
		}
	}
	v, err := e.Version(ctx)
	if err != nil {
		return oracle.Profile{}, "", err
	}
	return ChooseProfile(v)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
