package preflight

import (
	"context"
	"strings"

	"github.com/kmsconform/kmsconform/images"
)

// Container engine name prefixes (engine/container's "openssl-LINE" and
// "image:REF"), known here without linking the container runtime.
const (
	linePrefix  = "openssl-"
	imagePrefix = "image:"
)

// Engines checks, without starting anything, what the engines named need
// from the machine: for container engines a Docker daemon that answers and,
// for "openssl-LINE", the image `kmsconform images build` makes. Other
// engines are checked by opening them (flows.OpenPool), which is cheap.
func Engines(ctx context.Context, names []string) error {
	dockerChecked := false
	for _, n := range names {
		if !strings.HasPrefix(n, linePrefix) && !strings.HasPrefix(n, imagePrefix) {
			continue
		}
		line := strings.TrimPrefix(n, linePrefix)
		if _, err := images.LookupLine(line); strings.HasPrefix(n, linePrefix) && err != nil {
			continue // not a line name: opening the engine says what is wrong with it
		}
		if !dockerChecked {
			if err := images.DockerAvailable(ctx); err != nil {
				return &Error{Check: "engine", Msg: "engine " + n + " runs openssl in a container, but Docker is not usable", Err: err,
					Hint: "start Docker (or set DOCKER_HOST), or leave container engines out of --engines (e.g. --engines host,oracle)"}
			}
			dockerChecked = true
		}
		if !strings.HasPrefix(n, linePrefix) {
			continue
		}
		_, ok, err := images.Find(ctx, line)
		if err != nil {
			return &Error{Check: "engine", Msg: "engine " + n + ": cannot list the openssl images", Err: err,
				Hint: "check that `docker images` works for this user"}
		}
		if !ok {
			return &Error{Check: "engine", Msg: "engine " + n + ": there is no image for openssl " + line + " yet",
				Hint: "build it with `kmsconform images build --versions " + line + "` (or `make images`)"}
		}
	}
	return nil
}
