// Package container runs real openssl builds in containers: the engines
// "openssl-1.1.1", "openssl-3.0", "openssl-3.5", "openssl-3.6" and
// "openssl-4.0", one per image built by package images, and "image:REF"
// (or "image:REF@/path/to/openssl") for any local image with openssl. Each engine starts
// ONE long-lived container of its image (testcontainers-go, local image,
// never pulled) and runs every command in it with `docker exec`, stdout and
// stderr read apart from the multiplexed stream.
//
// The host's temporary directory (and the current directory, and any
// directory in $KMSCONFORM_CONTAINER_MOUNTS) is bind-mounted at the same
// path inside the container, so engine.Command.Dir works unchanged.
//
// The reaper (Ryuk) is disabled, since its image cannot be pulled where no
// registry is reachable; this package removes its own containers instead:
// on Close, through CleanupAll, on SIGINT/SIGTERM, and at the next Open for
// containers whose owning process has died.
//
// Import it for its side effect (`import _ ".../engine/container"`) to make
// the "openssl-" engines known to engine.Open.
package container

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	tclog "github.com/testcontainers/testcontainers-go/log"

	"github.com/kmsconform/kmsconform/engine"
	"github.com/kmsconform/kmsconform/images"
	"github.com/kmsconform/kmsconform/internal/cli"
)

// Prefix is the engine-name prefix this package registers.
const Prefix = "openssl-"

// StartTimeout bounds starting one container.
var StartTimeout = 2 * time.Minute

func init() {
	// No reaper: its image cannot be pulled here. Set before testcontainers
	// reads its configuration (on first use), unless the user chose.
	if _, set := os.LookupEnv("TESTCONTAINERS_RYUK_DISABLED"); !set {
		_ = os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	}
	// testcontainers prints a banner on first use; reports must stay clean.
	tclog.SetDefault(tclog.NewNoopLogger())
	engine.RegisterFamily(engine.Family{Prefix: Prefix, Forms: Names(),
		Summary: "a real openssl line in a container of `kmsconform images build`'s image", Names: Names},
		func(name string) (engine.OpenSSL, error) {
			ctx, cancel := context.WithTimeout(context.Background(), StartTimeout)
			defer cancel()
			return Open(ctx, name)
		})
	engine.RegisterFamily(engine.Family{Prefix: ImagePrefix, Forms: []string{"image:REF", "image:REF@/path/to/openssl"},
		Summary: "any local image with openssl (on PATH, or at the path given), through the same container agent"},
		func(name string) (engine.OpenSSL, error) {
			ctx, cancel := context.WithTimeout(context.Background(), StartTimeout)
			defer cancel()
			return OpenImage(ctx, name)
		})
}

// Names lists the engine names, one per openssl line, oldest first.
func Names() []string {
	var out []string
	for _, l := range images.Lines {
		out = append(out, Prefix+l.Name)
	}
	return out
}

// LineOf returns the openssl line an engine name stands for
// ("openssl-3.5" → "3.5").
func LineOf(name string) (images.Line, error) {
	if !strings.HasPrefix(name, Prefix) {
		return images.Line{}, fmt.Errorf("engine %q: container engines are named %s", name, strings.Join(Names(), ", "))
	}
	l, err := images.LookupLine(strings.TrimPrefix(name, Prefix))
	if err != nil {
		return images.Line{}, fmt.Errorf("engine %q: no such openssl line (known: %s)", name, strings.Join(Names(), ", "))
	}
	return l, nil
}

// Open starts the container of the engine called name (e.g. "openssl-3.5")
// from the image `kmsconform images build` made for that line. The caller
// must Close it.
func Open(ctx context.Context, name string) (*Engine, error) {
	l, err := LineOf(name)
	if err != nil {
		return nil, cli.Usage(err.Error(), "")
	}
	if err := images.DockerAvailable(ctx); err != nil {
		return nil, cli.Setup(fmt.Errorf("engine %s: %w", name, err), "container engines need Docker; check `docker info`")
	}
	im, ok, err := images.Find(ctx, l.Name)
	if err != nil {
		return nil, cli.Setup(fmt.Errorf("engine %s: %w", name, err), "check `docker info`")
	}
	if !ok {
		return nil, cli.Setup(fmt.Errorf("engine %s: no image for openssl %s yet", name, l.Name),
			fmt.Sprintf("build it with `kmsconform images build --versions %s` (root), or run `scripts/setup.sh`", l.Name))
	}
	reapOrphans(ctx)
	e, err := start(ctx, name, im, "")
	if err != nil {
		return nil, cli.Setup(err, "check `docker info` and `docker images "+images.Repository+"`")
	}
	return e, nil
}
