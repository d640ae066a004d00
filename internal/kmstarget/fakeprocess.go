package kmstarget

import (
	"context"
	"fmt"
	"os"
	"time"
)

// startFakeProcess runs `kmsconform kms serve --listen 127.0.0.1:0` and
// waits for its "listening on URL" line.
func startFakeProcess(ctx context.Context, o Options) (*Target, error) {
	region := o.Region
	if region == "" {
		region = DefaultRegion
	}
	bin := o.Binary
	if bin == "" {
		bin = os.Getenv(EnvBinary)
	}
	var cleanup []func() error
	if bin == "" {
		b, rm, err := BuildBinary(ctx)
		if err != nil {
			return nil, err
		}
		bin = b
		cleanup = append(cleanup, rm)
	}
	// No background RSA key pool: tests want the CPU (ServeArgs may ask for one).
	args := append([]string{"kms", "serve", "--listen", "127.0.0.1:0", "--region", region, "--key-pool", "0"}, o.ServeArgs...)
	urls := make(chan string, 1)
	c, err := startChild(bin, args, os.Environ(), "", func(line string) {
		if m := listenRE.FindStringSubmatch(line); m != nil {
			select {
			case urls <- m[1]:
			default:
			}
		}
	})
	if err != nil {
		runAll(cleanup)
		return nil, err
	}
	u, err := waitLine(ctx, c, urls, o.StartTimeout)
	if err != nil {
		c.stop(2 * time.Second)
		runAll(cleanup)
		return nil, fmt.Errorf("kmstarget: %s kms serve %w", bin, err)
	}
	t := localTarget(FakeProcess, u, o)
	for _, f := range cleanup {
		t.onClose(f)
	}
	t.onClose(func() error { return c.stop(5 * time.Second) })
	return t, nil
}

func runAll(fs []func() error) {
	for _, f := range fs {
		_ = f()
	}
}
