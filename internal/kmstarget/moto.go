package kmstarget

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"time"
)

// startMoto runs `python3 -m moto.server -H 127.0.0.1 -p PORT` on a free
// port and waits until it accepts connections.
func startMoto(ctx context.Context, o Options) (*Target, error) {
	py := o.Python
	if py == "" {
		py = "python3"
	}
	port, err := freePort()
	if err != nil {
		return nil, fmt.Errorf("kmstarget: finding a free port for moto: %w", err)
	}
	dir, err := os.MkdirTemp("", "kmstarget-moto-")
	if err != nil {
		return nil, err
	}
	env := append(os.Environ(), "PYTHONUNBUFFERED=1", "HOME="+dir)
	c, err := startChild(py, []string{"-m", "moto.server", "-H", "127.0.0.1", "-p", strconv.Itoa(port)}, env, dir, nil)
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("%w (is moto installed? pip install 'moto[server]')", err)
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	if err := waitTCP(ctx, c, addr, o.StartTimeout); err != nil {
		c.stop(2 * time.Second)
		os.RemoveAll(dir)
		return nil, fmt.Errorf("kmstarget: moto server %w", err)
	}
	t := localTarget(Moto, "http://"+addr, o)
	t.onClose(func() error { return os.RemoveAll(dir) })
	t.onClose(func() error { return c.stop(5 * time.Second) })
	return t, nil
}
