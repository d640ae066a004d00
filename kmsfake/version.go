package kmsfake

import "runtime/debug"

// ServerHeader is the HTTP Server header of every answer, e.g.
// "kmsconform-kmsfake/v1.2.0" or "kmsconform-kmsfake/a5a569c1d2e3-dirty",
// so that a report can name the KMS it ran against. AWS's SDKs and the aws
// CLI ignore it.
var ServerHeader = "kmsconform-kmsfake/" + moduleVersion()

// moduleVersion is the main module's version, else the commit it was built
// from, else "devel".
func moduleVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "-dirty"
	}
	return rev
}
