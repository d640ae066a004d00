package container

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"sync"
	"testing"

	"github.com/kmsconform/kmsconform/engine"
)

// TestConcurrentRuns: many commands in flight on one engine each get their
// own stdin, stdout, stderr and exit code back.
func TestConcurrentRuns(t *testing.T) {
	for _, mode := range []ExecMode{ModeAgent, ModeDocker} {
		t.Run(string(mode), func(t *testing.T) {
			t.Setenv("KMSCONFORM_CONTAINER_EXEC", string(mode))
			e := openT(t, "openssl-3.5")
			dir := t.TempDir()
			var wg sync.WaitGroup
			errs := make(chan error, 24)
			for i := range 24 {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					in := bytes.Repeat([]byte{byte(i)}, 1000+i)
					args := []string{"enc", "-base64", "-A"}
					want := 0
					if i%3 == 0 {
						args, want = []string{"enc", "-nosuchcipher"}, 1
					}
					r, err := e.Run(context.Background(), engine.Command{Dir: dir, Args: args, Stdin: in})
					switch {
					case err != nil:
						errs <- err
					case r.ExitCode != want:
						errs <- fmt.Errorf("run %d: exit %d, want %d: %s", i, r.ExitCode, want, r.Stderr)
					case want == 0 && (len(r.Stderr) != 0 || !bytes.Equal(r.Stdout, []byte(b64(in)))):
						errs <- fmt.Errorf("run %d: wrong output %q / stderr %q", i, r.Stdout, r.Stderr)
					case want == 1 && (len(r.Stdout) != 0 || !bytes.Contains(r.Stderr, []byte("nosuchcipher"))):
						errs <- fmt.Errorf("run %d: stderr %q", i, r.Stderr)
					}
				}(i)
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
		})
	}
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
