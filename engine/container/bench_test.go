package container

import (
	"context"
	"testing"

	"github.com/kmsconform/kmsconform/engine"
)

// BenchmarkExec measures the cost of one `openssl version` through each
// way of running it, in the same run: the host binary (reference), the
// container through the FIFO agent, and the container through `docker
// exec`. The ratios to "host" are the per-exec overhead of containers.
func BenchmarkExec(b *testing.B) {
	needDocker(b)
	dir := b.TempDir()
	cmd := engine.Command{Dir: dir, Args: []string{"version"}}
	run := func(b *testing.B, e engine.OpenSSL) {
		for b.Loop() {
			r, err := e.Run(context.Background(), cmd)
			if err != nil || r.ExitCode != 0 {
				b.Fatalf("%v exit %d", err, r.ExitCode)
			}
		}
	}
	b.Run("host", func(b *testing.B) {
		h, err := engine.Open("host")
		if err != nil {
			b.Fatal(err)
		}
		defer h.Close()
		run(b, h)
	})
	for _, mode := range []ExecMode{ModeAgent, ModeDocker} {
		b.Run("container-"+string(mode), func(b *testing.B) {
			b.Setenv("KMSCONFORM_CONTAINER_EXEC", string(mode))
			run(b, openT(b, "openssl-3.5"))
		})
	}
}

// BenchmarkStart measures starting (and removing) one engine container.
func BenchmarkStart(b *testing.B) {
	needDocker(b)
	for b.Loop() {
		e, err := Open(context.Background(), "openssl-3.5")
		if err != nil {
			b.Fatal(err)
		}
		if err := e.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
