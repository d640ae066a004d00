package flows

import (
	"crypto/rand"
	"strings"

	"github.com/kmsconform/kmsconform/engine"
	"github.com/kmsconform/kmsconform/oracle"
)

var randRead = rand.Read

// ShellQuote quotes s for a POSIX shell when it needs it.
func ShellQuote(s string) string {
	if s == "" {
		return "''"
	}
	safe := true
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=@%+,", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	if strings.Contains(s, "$(") {
		// A display argument that reads a secret from a file at run time.
		return `"` + s + `"`
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// ShellJoin quotes and joins args.
func ShellJoin(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = ShellQuote(a)
	}
	return strings.Join(q, " ")
}

// CommandPrefix is how a person runs e's openssl by hand: "openssl" for
// real binaries, "kmsconform openssl --compat X" for the oracle.
func CommandPrefix(e engine.OpenSSL) string {
	if p, ok := e.(interface{ CommandPrefix() string }); ok {
		return p.CommandPrefix()
	}
	if o, ok := e.(engine.Profiled); ok {
		if o.Profile().Name == oracle.DefaultProfile.Name {
			return "kmsconform openssl"
		}
		return "kmsconform openssl --compat " + o.Profile().Name
	}
	if strings.HasPrefix(e.Name(), engine.BinaryName) {
		return "kmsconform openssl"
	}
	return "openssl"
}
