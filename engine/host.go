package engine

import (
	"fmt"
	"os/exec"
	"strings"

	"github.com/kmsconform/kmsconform/internal/cli"
)

// HostName is the engine name of the openssl found on PATH. "host:PATH"
// names a specific binary.
const HostName = "host"

func init() {
	RegisterFamily(Family{Prefix: HostName, Forms: []string{"host", "host:/path/to/openssl"},
		Summary: "an openssl binary on this machine (PATH's, or the one named)"}, openHost)
}

// openHost opens "host" (openssl on PATH) or "host:/path/to/openssl".
func openHost(name string) (OpenSSL, error) {
	path := "openssl"
	switch {
	case name == HostName:
	case strings.HasPrefix(name, HostName+":") && len(name) > len(HostName)+1:
		path = name[len(HostName)+1:]
	default:
		return nil, cli.Usage(fmt.Sprintf("engine: %q: want %q or %q", name, "host", "host:/path/to/openssl"), "")
	}
	p, err := exec.LookPath(path)
	if err != nil {
		return nil, cli.Setup(fmt.Errorf("engine %s: no openssl binary at %q: %w", name, path, err),
			"install it (e.g. `apt-get install openssl`) or name one with host:/path/to/openssl")
	}
	return &execEngine{name: name, path: p}, nil
}
