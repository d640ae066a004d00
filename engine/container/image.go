package container

import (
	"context"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/kmsconform/kmsconform/engine"
	"github.com/kmsconform/kmsconform/images"
	"github.com/kmsconform/kmsconform/internal/cli"
)

// ImagePrefix is the engine-name prefix of user images: "image:REF" runs
// the openssl on the image's PATH, "image:REF@/path/to/openssl" the one at
// that path. REF is any local image reference (name:tag, name@sha256:...,
// an image id); it is never pulled.
const ImagePrefix = "image:"

// ParseImageName splits "image:REF[@/path/to/openssl]" into REF and the
// binary ("" for PATH's openssl). The binary follows the last "@/", so a
// digest reference (REF@sha256:...) stays whole.
func ParseImageName(name string) (ref, binary string, err error) {
	rest, ok := strings.CutPrefix(name, ImagePrefix)
	if !ok {
		return "", "", fmt.Errorf("engine %q: image engines are named image:REF or image:REF@/path/to/openssl", name)
	}
	if i := strings.LastIndex(rest, "@/"); i >= 0 {
		rest, binary = rest[:i], rest[i+1:]
		if path.Clean(binary) != binary || binary == "/" {
			return "", "", fmt.Errorf("engine %q: %q is not a clean absolute path to openssl", name, binary)
		}
	}
	if rest == "" || strings.ContainsAny(rest, " \t\n,'\"$`\\") {
		return "", "", fmt.Errorf("engine %q: want image:REF with a local image reference, e.g. image:example.com/mine/openssl:1", name)
	}
	return rest, binary, nil
}

// OpenImage starts a container of a user's local image (see ImagePrefix)
// with the same agent as the openssl-X engines, and asks `openssl version`
// inside. The image needs sh and timeout (coreutils or busybox) besides
// openssl; the compat profile comes from the version (engine.ChooseProfile:
// the nearest one, with a warning in engine.Evidence, for an unknown
// version).
func OpenImage(ctx context.Context, name string) (*Engine, error) {
	ref, binary, err := ParseImageName(name)
	if err != nil {
		return nil, cli.Usage(err.Error(), "e.g. --engines image:example.com/mine/openssl:1 or image:debian:12@/usr/bin/openssl")
	}
	if err := images.DockerAvailable(ctx); err != nil {
		return nil, cli.Setup(fmt.Errorf("engine %s: %w", name, err), "image engines need Docker; check `docker info`")
	}
	id, err := dockerOut(ctx, "image", "inspect", "--format", "{{.Id}}", ref)
	if err != nil {
		return nil, cli.Setup(fmt.Errorf("engine %s: no local image %q", name, ref),
			"images are never pulled: `docker pull`, `docker load` or `docker tag` it first; `docker images` lists what is here")
	}
	im := images.Image{Ref: ref, ID: strings.TrimSpace(id), Line: "image"}
	reapOrphans(ctx)
	e, err := start(ctx, name, im, binary)
	if err != nil {
		return nil, cli.Setup(err, "check that the image runs: docker run --rm "+ref+" openssl version")
	}
	r, err := e.Run(ctx, engine.Command{Dir: e.stdinDir, Args: []string{"version"}, Timeout: 30 * time.Second})
	if err == nil && r.ExitCode != 0 {
		err = fmt.Errorf("`openssl version` exited %d: %s", r.ExitCode, strings.TrimSpace(string(r.Stderr)))
	}
	if err != nil {
		_ = e.Close()
		hint := "the image needs sh, timeout and openssl on PATH; name the binary with image:" + ref + "@/path/to/openssl"
		return nil, cli.Setup(fmt.Errorf("engine %s: cannot run openssl in %s: %w", name, ref, err), hint)
	}
	v := strings.TrimSpace(string(r.Stdout))
	e.image.VersionString = v
	if f := strings.Fields(v); len(f) > 1 {
		e.image.Version = f[1]
	}
	return e, nil
}

// shell runs a POSIX shell script in the container (in the engine's
// control directory) and returns its stdout; a non-zero exit is an error.
func (e *Engine) shell(ctx context.Context, script string, timeout time.Duration) (string, error) {
	e.mu.Lock()
	ctr, closed := e.ctr, e.closed
	e.seq++
	seq := e.seq
	e.mu.Unlock()
	if closed || ctr == nil {
		return "", fmt.Errorf("engine %s: engine is closed", e.name)
	}
	var res engine.Result
	var err error
	if e.mode == ModeAgent {
		body := "cd " + shQuote(e.stdinDir) + " || exit 126\n" + script
		res, err = e.agentJob(ctx, seq, body, nil, timeout, "sh")
	} else {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		var out string
		out, err = dockerOut(ctx, "exec", ctr.GetContainerID(), "sh", "-c", script)
		res.Stdout, res.ExitCode = []byte(out), 0
	}
	if err != nil {
		return "", err
	}
	if res.ExitCode != 0 {
		return "", fmt.Errorf("engine %s: script exited %d: %s", e.name, res.ExitCode, strings.TrimSpace(string(res.Stderr)))
	}
	return string(res.Stdout), nil
}

// digestScript prints the openssl binary's resolved path and its sha256,
// read inside the container (sha256sum, else openssl dgst itself).
const digestScript = `p=$1
case "$p" in /*) ;; *) p=$(command -v "$p") || { echo "no $1 on PATH" >&2; exit 127; } ;; esac
r=$(readlink -f "$p" 2>/dev/null) || r=$p
[ -n "$r" ] || r=$p
echo "$r"
if command -v sha256sum >/dev/null 2>&1; then set -- $(sha256sum "$r"); else set -- $("$p" dgst -sha256 -r "$r"); fi
echo "$1"
`

// AddEvidence adds the image, its id, and the openssl binary's path and
// sha256 as read inside the container.
func (e *Engine) AddEvidence(ctx context.Context, f *engine.Facts) error {
	f.Image, f.ImageID = e.image.Ref, e.image.ID
	out, err := e.shell(ctx, "set -- "+shQuote(e.binary)+"\n"+digestScript, 30*time.Second)
	if err != nil {
		return fmt.Errorf("engine %s: digest of openssl in %s: %w", e.name, e.image.Ref, err)
	}
	lines := strings.Fields(out)
	if len(lines) != 2 || len(lines[1]) != 64 {
		return fmt.Errorf("engine %s: digest of openssl in %s: unexpected output %q", e.name, e.image.Ref, out)
	}
	f.Binary, f.SHA256 = lines[0], lines[1]
	return nil
}
