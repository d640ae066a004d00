package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Facts is the evidence of what an engine is, so that an auditor can tell
// exactly which openssl was tested. It does not depend on flows; flows
// copies it into its EngineInfo.
type Facts struct {
	// Name is the engine name, e.g. "host", "image:example.com/mine/openssl:1".
	Name string
	// Version is the first line of `openssl version`.
	Version string
	// Profile is the compat profile the engine's expectations come from;
	// StandIn is true when that profile is a stand-in, not a real binary's.
	Profile string
	StandIn bool
	// VersionAll is what `openssl version -a` prints ("" when the binary
	// does not take -a).
	VersionAll string
	// Binary is the openssl binary's path (inside the image for image
	// engines; the kmsconform binary for oracle engines).
	Binary string
	// SHA256 is the hex sha256 of Binary's content.
	SHA256 string
	// Image and ImageID name the container image of container engines.
	Image, ImageID string
	// Warning says what a reader should know, e.g. that the nearest
	// profile was chosen for an unknown version.
	Warning string
}

// Evidencer is implemented by engines that can add facts beyond what
// their Version and `openssl version -a` say (binary digest, image).
type Evidencer interface {
	AddEvidence(ctx context.Context, f *Facts) error
}

// Evidence gathers the facts of e: its version and `openssl version -a`
// (run through e itself), its compat profile (with a warning when it is the
// nearest one for an unknown version), and whatever e adds as an
// Evidencer: the binary's sha256 for host and image engines, the image
// reference and id for container engines. It returns what it found
// together with the first error.
func Evidence(ctx context.Context, e OpenSSL) (Facts, error) {
	f := Facts{Name: e.Name()}
	var first error
	keep := func(err error) {
		if err != nil && first == nil {
			first = err
		}
	}
	v, err := e.Version(ctx)
	keep(err)
	f.Version = firstLine(v)
	p, warning, err := profileAndWarning(ctx, e)
	keep(err)
	if err == nil {
		f.Profile, f.StandIn, f.Warning = p.Name, p.StandIn, warning
	}
	r, err := e.Run(ctx, Command{Args: []string{"version", "-a"}, Dir: os.TempDir(), Timeout: 20 * time.Second})
	switch {
	case err != nil:
		keep(err)
	case r.ExitCode == 0:
		f.VersionAll = strings.TrimRight(string(r.Stdout), "\n")
	}
	if ev, ok := e.(Evidencer); ok {
		keep(ev.AddEvidence(ctx, &f))
	}
	return f, first
}

// AddEvidence adds the binary's path and sha256.
func (e *execEngine) AddEvidence(_ context.Context, f *Facts) error {
	f.Binary = e.path
	sum, err := FileSHA256(e.path)
	f.SHA256 = sum
	return err
}

// AddEvidence names the running kmsconform binary, which holds the oracle.
func (o *oracleEngine) AddEvidence(_ context.Context, f *Facts) error {
	exe, err := os.Executable()
	if err != nil {
		return nil
	}
	f.Binary = exe
	sum, err := FileSHA256(exe)
	f.SHA256 = sum
	return err
}

// FileSHA256 is the hex sha256 of the file at path.
func FileSHA256(path string) (string, error) {
	fh, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("engine: digest of %s: %w", path, err)
	}
	defer fh.Close()
	h := sha256.New()
	if _, err := io.Copy(h, fh); err != nil {
		return "", fmt.Errorf("engine: digest of %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
