// Package buildinfo says which kmsconform is running: the module version,
// the VCS revision it was built from and the Go version, read once from the
// binary's embedded build information. Every place that names kmsconform's
// own version (`kmsconform --version`, the report's Tool field, the KMS
// fake's Server header, `kmsconform openssl version`) uses this package, so
// they always agree.
package buildinfo

import (
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
)

// Info is what the binary knows about its own build.
type Info struct {
	// Module is the main module path, e.g. "github.com/kmsconform/kmsconform".
	Module string
	// Version is the module version ("(devel)" for a build from a checkout).
	Version string
	// Revision is the VCS commit ("" when built without VCS information).
	Revision string
	// Time is the commit time in RFC 3339 ("" when unknown).
	Time string
	// Modified is true when the working tree had uncommitted changes.
	Modified bool
	// GoVersion is the Go toolchain that built the binary, e.g. "go1.26.0".
	GoVersion string
}

var (
	once sync.Once
	info Info
)

// Get returns the build information of the running binary.
func Get() Info {
	once.Do(func() { info = read() })
	return info
}

func read() Info {
	in := Info{Module: "github.com/kmsconform/kmsconform", Version: "(devel)", GoVersion: runtime.Version()}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return in
	}
	if bi.Main.Path != "" {
		in.Module = bi.Main.Path
	}
	if bi.Main.Version != "" {
		in.Version = bi.Main.Version
	}
	if bi.GoVersion != "" {
		in.GoVersion = bi.GoVersion
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			in.Revision = s.Value
		case "vcs.time":
			in.Time = s.Value
		case "vcs.modified":
			in.Modified = s.Value == "true"
		}
	}
	return in
}

// Short is the one-word version: the module version when it is a release,
// else the first 12 digits of the revision (with "-dirty" for a modified
// tree), else "devel". E.g. "v1.2.0", "a5a569c1d2e3-dirty".
func (i Info) Short() string {
	if i.Version != "" && i.Version != "(devel)" {
		return i.Version
	}
	if i.Revision == "" {
		return "devel"
	}
	rev := i.Revision
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if i.Modified {
		rev += "-dirty"
	}
	return rev
}

// String is one line for humans and reports, e.g.
// "kmsconform (devel) rev a5a569c1d2e3f00d… (modified) go1.26.0 linux/amd64".
func (i Info) String() string {
	var b strings.Builder
	b.WriteString("kmsconform " + i.Version)
	if i.Revision != "" {
		b.WriteString(" rev " + i.Revision)
		if i.Time != "" {
			b.WriteString(" (" + i.Time + ")")
		}
		if i.Modified {
			b.WriteString(" modified")
		}
	} else {
		b.WriteString(" rev unknown")
	}
	b.WriteString(" " + i.GoVersion + " " + runtime.GOOS + "/" + runtime.GOARCH)
	return b.String()
}

// Short is Get().Short(): the one-word version of the running binary.
func Short() string { return Get().Short() }

// String is Get().String(): the one-line version of the running binary.
func String() string { return Get().String() }
