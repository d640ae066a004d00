package partner

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kmsconform/kmsconform/internal/cli"
)

func TestPlaceholders(t *testing.T) {
	got := unknownPlaceholders(`tool --key {pubkey_pem} --in {in} --out {out} --x {pubkey} ${HOME} { echo; }`, Placeholders[ModeEncrypt])
	if want := []string{"{pubkey}"}; !reflect.DeepEqual(got, want) {
		t.Errorf("unknown placeholders %q, want %q", got, want)
	}
	cmd := expand("enc {in} > {out}", map[string]string{"{in}": "/tmp/a b/in", "{out}": "/tmp/it's"})
	if cmd != `enc '/tmp/a b/in' > '/tmp/it'\''s'` {
		t.Errorf("expand gave %s", cmd)
	}
}

func TestValidateRefusesBadOptions(t *testing.T) {
	for _, tc := range []struct {
		o    Options
		want string
	}{
		{Options{Encrypt: "", Algorithm: "RSAES_OAEP_SHA_256"}, "no tool given"},
		{Options{Encrypt: "x {pubkey_pem} {in} {out}", Algorithm: "RSAES_PKCS1"}, "--algorithm"},
		{Options{Encrypt: "x {pubkey_pem} {in}", Algorithm: "RSAES_OAEP_SHA_1"}, "does not use {out}"},
		{Options{Encrypt: "x {in} {out}", Algorithm: "RSAES_OAEP_SHA_1"}, "does not use {pubkey_pem} or {pubkey_der}"},
		{Options{Encrypt: "x {pubkey_pem} {in} {out}", Algorithm: "RSAES_OAEP_SHA_1", Hybrid: true}, "unknown placeholder(s) {in}, {out}"},
		{Options{Encrypt: "x {pubkey_pem} {in} {out}", Algorithm: "RSAES_OAEP_SHA_1", KeySpecs: []string{"RSA_1024x"}}, "key spec"},
		{Options{Encrypt: "x {pubkey_pem} {in} {out}", Derive: "y", Algorithm: "RSAES_OAEP_SHA_1"}, "exclusive"},
		{Options{Derive: "x {kms_pubkey_pem} {pubkey_out} {secret}"}, "unknown placeholder"},
	} {
		_, err := Run(context.Background(), tc.o)
		if err == nil || !strings.Contains(err.Error(), tc.want) || cli.Code(err) != cli.ExitUsage {
			t.Errorf("Run(%+v) = %v (exit %d), want a usage error with %q", tc.o, err, cli.Code(err), tc.want)
		}
	}
}

// TestTimeoutKillsTheToolsProcessGroup runs a tool that hangs with a child
// of its own; the run must end at the timeout with both gone.
func TestTimeoutKillsTheToolsProcessGroup(t *testing.T) {
	dir := t.TempDir()
	start := time.Now()
	r := runTool(context.Background(), dir, "sleep 30 & echo $! > child.pid; sleep 30", 300*time.Millisecond)
	if !r.TimedOut || r.ExitCode != -1 {
		t.Fatalf("run %+v, want a timeout", r)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("the timeout took %s", d)
	}
	pid, err := os.ReadFile(filepath.Join(dir, "child.pid"))
	if err != nil {
		t.Fatal(err)
	}
	proc := "/proc/" + strings.TrimSpace(string(pid))
	for i := 0; i < 50; i++ {
		if _, err := os.Stat(proc); os.IsNotExist(err) {
			return
		}
		if st, err := os.ReadFile(proc + "/stat"); err == nil && strings.Contains(string(st), ") Z ") {
			return // killed, waiting to be reaped by init
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Errorf("the tool's background child %s survived the timeout", proc)
}
