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

	"github.com/kmsconform/kmsconform/internal/kmstarget"
)

var (
	binOnce   sync.Once
	binPath   string
	binRemove func() error
	binErr    error
)

var _ = AfterSuite(func() {
	if binRemove != nil {
		binRemove()
	}
})

// kmsconformBin returns $KMSCONFORM_BIN or builds the binary once per suite
// (kmstarget.BuildBinary, removed by AfterSuite).
func kmsconformBin() (string, error) {
	binOnce.Do(func() {
		if p := os.Getenv(kmstarget.EnvBinary); p != "" {
			binPath = p
			return
		}
		binPath, binRemove, binErr = kmstarget.BuildBinary(context.Background())
	})
	return binPath, binErr
}

// seedsDir is scripts/seeds from this package's directory.
func seedsDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "scripts", "seeds")
}

// seedEnv is the environment of a runbook script: the KMS session's
// (kmstarget: the fake's endpoint and fixed local credentials, or the
// caller's own AWS settings for an external endpoint).
func seedEnv(openssl string) []string {
	var env []string
	for _, kv := range kmsSession.Env() {
		if k, _, _ := strings.Cut(kv, "="); k != "OPENSSL" {
			env = append(env, kv)
		}
	}
	return append(env, "OPENSSL="+openssl, "KEY_PAIR_SPEC=RSA_2048")
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
