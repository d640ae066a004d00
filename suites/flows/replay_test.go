package flows_test

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kmsconform/kmsconform/flows"
)

// Every step records a shell line; replaying a passing cell's lines with
// bash, the host openssl and the aws CLI must pass too.
var _ = Describe("recorded command lines", Label("replay"), func() {
	for _, id := range []string{"1/RSA_2048/host>host", "2/RSA_2048-der/host>kms", "3/pbkdf2-base64/host>host", "6/ECC_NIST_P384-HKDF/host>host", "7/RSA_2048-RSAES_OAEP_SHA_256/host>kms"} {
		It("replay by hand for "+id, func(ctx SpecContext) {
			var planned *flows.Planned
			for _, p := range flows.Plan(flows.All(), []string{"host"}) {
				if p.ID() == id {
					planned = &p
				}
			}
			Expect(planned).NotTo(BeNil(), "no cell %s", id)
			hp, err := flows.OpenPool(ctx, []string{"host"})
			Expect(err).NotTo(HaveOccurred())
			DeferCleanup(hp.Close)
			c := flows.RunCell(ctx, *planned, hp, kmsSession)
			Expect(c.Verdict).To(Equal(flows.ExpectedPass), flows.Explain(&c))

			var script strings.Builder
			script.WriteString("set -euo pipefail\n")
			for _, s := range c.Steps {
				line := s.Command
				if s.Expected != "" {
					line = "! { " + line + "; }" // a refusal the cell expected
				}
				script.WriteString(line + "\n")
			}
			cctx, cancel := context.WithTimeout(ctx, time.Minute)
			defer cancel()
			cmd := exec.CommandContext(cctx, "bash", "-c", script.String())
			cmd.Dir = GinkgoT().TempDir()
			cmd.Env = seedEnv("openssl")
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			Expect(cmd.Run()).To(Succeed(), "script:\n%s\noutput:\n%s", script.String(), out.String())
		})
	}
})
