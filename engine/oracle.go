package engine

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/kmsconform/kmsconform/internal/cli"
	"github.com/kmsconform/kmsconform/opensslcli"
	"github.com/kmsconform/kmsconform/oracle"
)

// OracleName is the engine name of the oracle run in-process through
// opensslcli.Main. "oracle@1.0.2" selects the 1.0.2 compat profile.
const OracleName = "oracle"

func init() {
	RegisterFamily(Family{Prefix: OracleName, Forms: []string{"oracle", "oracle@COMPAT"},
		Summary: "the Go reference, in this process (COMPAT: " + strings.Join(oracle.ProfileNames(), ", ") + ")",
		Names:   func() []string { return compatNames(OracleName) }}, openOracle)
}

// compatNames is base and base@P for every compat profile P.
func compatNames(base string) []string {
	out := []string{base}
	for _, p := range oracle.ProfileNames() {
		out = append(out, base+"@"+p)
	}
	return out
}

// oracleEngine runs `kmsconform openssl` in this process.
type oracleEngine struct {
	name    string
	profile oracle.Profile
}

// openOracle opens "oracle" or "oracle@COMPAT".
func openOracle(name string) (OpenSSL, error) {
	compat := ""
	switch {
	case name == OracleName:
	case strings.HasPrefix(name, OracleName+"@") && len(name) > len(OracleName)+1:
		compat = name[len(OracleName)+1:]
	default:
		return nil, cli.Usage(fmt.Sprintf("engine: %q: want oracle or oracle@COMPAT (COMPAT one of %s)", name, strings.Join(oracle.ProfileNames(), ", ")), "")
	}
	p, err := oracle.LookupProfile(compat)
	if err != nil {
		return nil, cli.Usage(fmt.Sprintf("engine %s: %v", name, err), "")
	}
	return &oracleEngine{name: name, profile: p}, nil
}

func (o *oracleEngine) Name() string { return o.name }

func (o *oracleEngine) Close() error { return nil }

// Profile is the compat profile the oracle runs under.
func (o *oracleEngine) Profile() oracle.Profile { return o.profile }

func (o *oracleEngine) Version(context.Context) (string, error) {
	return "kmsconform oracle --compat " + o.profile.Name + " (" + o.profile.Description + ")", nil
}

// Run calls opensslcli.Main with the command's directory, stdin and
// environment. The oracle cannot be interrupted: on timeout or cancel Run
// returns at once with an error and the call finishes in the background.
func (o *oracleEngine) Run(ctx context.Context, c Command) (Result, error) {
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	env := map[string]string{}
	for _, kv := range c.Env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	var stdout, stderr bytes.Buffer
	args := append([]string{"--compat", o.profile.Name}, c.Args...)
	e := opensslcli.Env{
		Dir:    c.Dir,
		Stdin:  bytes.NewReader(c.Stdin),
		Stdout: &stdout,
		Stderr: &stderr,
		Getenv: func(k string) string {
			if v, ok := env[k]; ok {
				return v
			}
			return os.Getenv(k)
		},
		Files: map[int]*os.File{},
	}
	type done struct {
		code int
		err  error
	}
	ch := make(chan done, 1)
	start := time.Now()
	go func() {
		defer func() {
			if r := recover(); r != nil {
				ch <- done{code: -1, err: fmt.Errorf("engine %s: the oracle panicked on `openssl %s`: %v", o.name, strings.Join(c.Args, " "), r)}
			}
		}()
		ch <- done{code: opensslcli.Main(args, e)}
	}()
	select {
	case d := <-ch:
		return Result{Engine: o.name, Args: c.Args, Stdout: stdout.Bytes(), Stderr: stderr.Bytes(), ExitCode: d.code, Elapsed: time.Since(start)}, d.err
	case <-ctx.Done():
		return Result{Engine: o.name, Args: c.Args, ExitCode: -1, Elapsed: time.Since(start)},
			fmt.Errorf("engine %s: `openssl %s` did not finish: %w", o.name, strings.Join(c.Args, " "), ctx.Err())
	}
}
