package partner

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startMoto runs moto's server (python3 -m moto.server) on a free loopback
// port and returns its URL; the process group is killed at cleanup.
func startMoto(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", fmt.Sprint(port))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting moto (python3 -m moto.server): %v", err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
	})
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(url + "/moto-api/"); err == nil {
			resp.Body.Close()
			return url
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatal("moto did not answer within 60s")
	return ""
}

// TestEndpointThatRefusesExternalOAEP runs a correct tool against moto,
// which cannot decrypt OAEP ciphertexts made outside it: the cases fail,
// and the diagnosis blames the endpoint, not the tool.
func TestEndpointThatRefusesExternalOAEP(t *testing.T) {
	url := startMoto(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "kmsconformtest")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "kmsconformtest")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_CONFIG_FILE", "/dev/null")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
	_, here, _, _ := runtime.Caller(0)
	tool := filepath.Join(filepath.Dir(here), "..", "examples", "partners", "shell", "oaep-sha256.sh")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := Run(ctx, Options{Encrypt: tool + " {pubkey_pem} {in} {out}", Algorithm: "RSAES_OAEP_SHA_256", KMSEndpoint: url, KeySpecs: []string{"RSA_2048"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Pass || len(res.Diagnoses) != 1 || !strings.Contains(res.Diagnoses[0], "the tool is right") || !strings.Contains(res.Endpoint, url) {
		t.Fatalf("pass=%v endpoint %q diagnoses %q; want a failure blamed on the endpoint", res.Pass, res.Endpoint, res.Diagnoses)
	}
}
