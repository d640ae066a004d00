package engine

import (
	"fmt"
	"os/exec"
	"strings"
)

// HostName is the engine name of the openssl found on PATH. "host:PATH"
// names a specific binary.
const HostName = "host"

func init() { Register(HostName, openHost) }

// openHost opens "host" (openssl on PATH) or "host:/path/to/openssl".
func openHost(name string) (OpenSSL, error) {
	path := "openssl"
	switch {
	case name == HostName:
	case strings.HasPrefix(name, HostName+":") && len(name) > len(HostName)+1:
		path = name[len(HostName)+1:]
	default:
		return nil, fmt.Errorf("engine: %q: want %q or %q", name, "host", "host:/path/to/openssl")
	}
	p, err := exec.LookPath(path)
	if err != nil {
		return nil, fmt.Errorf("engine %s: no openssl binary at %q (install it, e.g. `apt-get install openssl`, or name one with host:/path/to/openssl): %w", name, path, err)
	}
	return &execEngine{name: name, path: p}, nil
}
