package flows_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

var (
	binOnce sync.Once
	binPath string
	binDir  string
	binErr  error
)

var _ = AfterSuite(func() {
	if binDir != "" {
		os.RemoveAll(binDir)
	}
})

// kmsconformBin returns $KMSCONFORM_BIN or builds the binary once per suite.
func kmsconformBin() (string, error) {
	binOnce.Do(func() {
		if p := os.Getenv("KMSCONFORM_BIN"); p != "" {
			binPath = p
			return
		}
		dir, err := os.MkdirTemp("", "kmsconform-bin-")
		if err != nil {
			binErr = err
			return
		}
		binDir = dir // removed by AfterSuite
		binPath = filepath.Join(dir, "kmsconform")
		out, err := exec.Command("go", "build", "-o", binPath, "github.com/kmsconform/kmsconform/cmd/kmsconform").CombinedOutput()
		if err != nil {
			binErr = &buildError{out: string(out), err: err}
		}
	})
	return binPath, binErr
}

type buildError struct {
	out string
	err error
}

func (e *buildError) Error() string {
	return "go build ./cmd/kmsconform: " + e.err.Error() + "\n" + e.out
}

// seedsDir is scripts/seeds from this package's directory.
func seedsDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "scripts", "seeds")
}

// seedEnv is the environment of a runbook script: the fake's endpoint and
// fixed local credentials, or the caller's own AWS settings for an
// external endpoint.
func seedEnv(openssl string) []string {
	local := os.Getenv("AWS_ENDPOINT_URL") == ""
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if k == "OPENSSL" || local && strings.HasPrefix(k, "AWS_") {
			continue // the fake gets fixed local settings, never the user's
		}
		env = append(env, kv)
	}
	env = append(env, "OPENSSL="+openssl, "KEY_PAIR_SPEC=RSA_2048")
	if local {
		env = append(env,
			"AWS_ENDPOINT_URL="+kmsSession.Endpoint, "AWS_REGION=us-east-1", "AWS_DEFAULT_REGION=us-east-1",
			"AWS_ACCESS_KEY_ID=kmsconformlocal", "AWS_SECRET_ACCESS_KEY=kmsconformlocal",
			"AWS_CONFIG_FILE="+os.DevNull, "AWS_SHARED_CREDENTIALS_FILE="+os.DevNull)
	}
	return env
}

var _ = Describe("seed runbooks (scripts/seeds) with the real aws CLI", Label("seeds"), func() {
	for _, seed := range []string{"000", "001", "002", "003", "004"} {
		for _, side := range []string{"host", "oracle-bin"} {
			It("runs seed "+seed+" with "+side+" openssl", Label("seed:"+seed, "producer:"+side, "consumer:"+side), func(ctx SpecContext) {
				openssl := "openssl"
				if side == "oracle-bin" {
					bin, err := kmsconformBin()
					Expect(err).NotTo(HaveOccurred())
					openssl = bin + " openssl"
				}
				_, err := exec.LookPath("aws")
				Expect(err).NotTo(HaveOccurred(), "the seed scripts need the aws CLI on PATH (apt-get install awscli)")
				cctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
				defer cancel()
				cmd := exec.CommandContext(cctx, "bash", filepath.Join(seedsDir(), "seed"+seed+".sh"))
				cmd.Env = seedEnv(openssl)
				cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
				cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
				cmd.WaitDelay = 5 * time.Second
				var out bytes.Buffer
				cmd.Stdout, cmd.Stderr = &out, &out
				if err := cmd.Run(); err != nil {
					Fail(fmt.Sprintf("OPENSSL=%q bash scripts/seeds/seed%s.sh: %v; its trace (set -x):\n%s", openssl, seed, err, out.String()))
				}
				Expect(out.String()).To(ContainSubstring("seed " + seed + ": OK"))
			}, SpecTimeout(3*time.Minute))
		}
	}
})
