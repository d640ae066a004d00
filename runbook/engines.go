package runbook

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/kmsconform/kmsconform/engine"
	"github.com/kmsconform/kmsconform/engine/container"
	"github.com/kmsconform/kmsconform/flows"
	"github.com/kmsconform/kmsconform/oracle"
)

// openedEngine is an engine of the run: how the wrapper runs it, what the
// report says about it, and what to close.
type openedEngine struct {
	spec  engineSpec
	info  flows.EngineInfo
	close func() error
}

// binary is the kmsconform binary the oracle engines run: o.Binary, else
// $KMSCONFORM_BIN, else this executable.
func (o Options) binary() (string, error) {
	if o.Binary != "" {
		return exec.LookPath(o.Binary)
	}
	if b := os.Getenv(engine.EnvBinary); b != "" {
		return exec.LookPath(b)
	}
	return os.Executable()
}

// openEngine opens the engine called name for the wrapper: host[:PATH],
// oracle[@COMPAT] (the kmsconform binary's `openssl --compat`), or a
// container engine openssl-X (started once for the run).
func openEngine(ctx context.Context, name string, o Options) (*openedEngine, error) {
	switch {
	case name == engine.HostName || strings.HasPrefix(name, engine.HostName+":"):
		path := "openssl"
		if p, ok := strings.CutPrefix(name, engine.HostName+":"); ok {
			path = p
		}
		abs, err := exec.LookPath(path)
		if err != nil {
			return nil, fmt.Errorf("engine %s: no openssl at %q: %w", name, path, err)
		}
		info := flows.EngineInfo{Name: name}
		vctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if out, err := exec.CommandContext(vctx, abs, "version").Output(); err == nil {
			info.Version = strings.TrimSpace(string(out))
			if p, err := engine.ProfileFromVersion(info.Version); err == nil {
				info.Profile = p.Name
			}
		}
		return &openedEngine{spec: engineSpec{Name: name, Kind: "exec", Argv: []string{abs}}, info: info, close: func() error { return nil }}, nil
	case name == engine.OracleName || strings.HasPrefix(name, engine.OracleName+"@") || name == engine.BinaryName || strings.HasPrefix(name, engine.BinaryName+"@"):
		compat := strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(name, engine.BinaryName), engine.OracleName), "@")
		p, err := oracle.LookupProfile(compat)
		if err != nil {
			return nil, fmt.Errorf("engine %s: %w", name, err)
		}
		bin, err := o.binary()
		if err != nil {
			return nil, fmt.Errorf("engine %s: no kmsconform binary: %w", name, err)
		}
		info := flows.EngineInfo{Name: name, Version: "kmsconform oracle --compat " + p.Name + " (" + p.Description + ")", Profile: p.Name, StandIn: p.StandIn}
		return &openedEngine{spec: engineSpec{Name: name, Kind: "exec", Argv: []string{bin, "openssl", "--compat", p.Name}}, info: info, close: func() error { return nil }}, nil
	case strings.HasPrefix(name, container.Prefix):
		e, err := container.Open(ctx, name)
		if err != nil {
			return nil, err
		}
		st := e.Stream()
		spec := engineSpec{Name: name, Kind: "docker", Ctr: st.ContainerID}
		if st.Agent {
			spec.Kind, spec.Ctl = "agent", st.ControlDir
		}
		v, _ := e.Version(ctx)
		info := flows.EngineInfo{Name: name, Version: v, Image: e.Image().Ref}
		if p, err := engine.ProfileFromVersion(v); err == nil {
			info.Profile = p.Name
		}
		return &openedEngine{spec: spec, info: info, close: e.Close}, nil
	}
	return nil, fmt.Errorf("%w %q: runbooks run on host, host:/path/to/openssl, oracle, oracle@COMPAT (%s) or %s",
		errUnknownEngine, name, strings.Join(oracle.ProfileNames(), ", "), strings.Join(container.Names(), ", "))
}

// errUnknownEngine marks an engine name no family knows (a usage error).
var errUnknownEngine = errors.New("unknown engine")
