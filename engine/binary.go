package engine

import (
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/kmsconform/kmsconform/internal/cli"
	"github.com/kmsconform/kmsconform/oracle"
)

// BinaryName is the engine name of the oracle run as the kmsconform binary
// (`kmsconform openssl ...`). "oracle-bin@1.0.2" adds --compat 1.0.2;
// "oracle-bin:/path/to/kmsconform" names the binary.
const BinaryName = "oracle-bin"

// EnvBinary names the kmsconform binary used by the oracle-bin engine when
// the engine name does not give a path.
const EnvBinary = "KMSCONFORM_BIN"

func init() {
	RegisterFamily(Family{Prefix: BinaryName, Forms: []string{"oracle-bin", "oracle-bin@COMPAT", "oracle-bin:/path/to/kmsconform"},
		Summary: "the Go reference as the kmsconform binary ($" + EnvBinary + ")",
		Names:   func() []string { return compatNames(BinaryName) }}, openBinary)
}

// openBinary opens "oracle-bin[@COMPAT][:PATH]".
func openBinary(name string) (OpenSSL, error) {
	rest := strings.TrimPrefix(name, BinaryName)
	path := ""
	if i := strings.Index(rest, ":"); i >= 0 {
		rest, path = rest[:i], rest[i+1:]
	}
	compat := ""
	switch {
	case rest == "":
	case strings.HasPrefix(rest, "@") && len(rest) > 1:
		compat = rest[1:]
	default:
		return nil, cli.Usage(fmt.Sprintf("engine: %q: want oracle-bin, oracle-bin@COMPAT or oracle-bin:/path/to/kmsconform", name), "")
	}
	p, err := oracle.LookupProfile(compat)
	if err != nil {
		return nil, cli.Usage(fmt.Sprintf("engine %s: %v", name, err), "")
	}
	if path == "" {
		path = os.Getenv(EnvBinary)
	}
	if path == "" {
		return nil, cli.Setup(fmt.Errorf("engine %s: no kmsconform binary", name),
			fmt.Sprintf("set $%s (e.g. after `make build`, %s=$PWD/bin/kmsconform) or name it as oracle-bin:/path/to/kmsconform", EnvBinary, EnvBinary))
	}
	abs, err := exec.LookPath(path)
	if err != nil {
		return nil, cli.Setup(fmt.Errorf("engine %s: kmsconform binary %q not found: %w", name, path, err), "run `make build` or name the binary with oracle-bin:/path/to/kmsconform")
	}
	prefix := []string{"openssl"}
	if compat != "" {
		prefix = append(prefix, "--compat", p.Name)
	}
	return &execEngine{name: name, path: abs, prefix: prefix, profile: p.Name}, nil
}
