package kmscompat

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"slices"
	"time"

	"github.com/kmsconform/kmsconform/internal/kmstarget"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func init() { addTopic(cliSpecs) }

// runScript runs a script of the repository with the target's environment
// (AWS_ENDPOINT_URL, region, test credentials) and the host openssl, and
// returns its output; it fails the spec with the whole output on error.
func (e *env) runScript(interp string, rel string) string {
	GinkgoHelper()
	root, err := kmstarget.ModuleRoot()
	Expect(err).NotTo(HaveOccurred())
	path := filepath.Join(root, rel)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var cmd *exec.Cmd
	if interp == "" {
		cmd = exec.CommandContext(ctx, path)
	} else {
		cmd = exec.CommandContext(ctx, interp, path)
	}
	cmd.Env = append(e.t.Env(), "OPENSSL="+hostOpenSSL, "TMPDIR="+tempDir())
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = 5 * time.Second
	err = cmd.Run()
	Expect(err).NotTo(HaveOccurred(), "%s against %s failed; its output:\n%s", rel, e.t.Endpoint, out.String())
	return out.String()
}

// cliSpecs: the seed runbooks as scripts, through the real aws CLI and
// boto3. They are slow (an aws CLI process per step), so when the fake runs
// both in-process and as a process they are declared for the process only.
func cliSpecs(e *env) {
	if e.kind == kmstarget.Fake && slices.Contains(kinds, kmstarget.FakeProcess) {
		return
	}
	Describe("aws CLI seed scripts", Label("topic:cli"), func() {
		BeforeEach(func() {
			_, err := exec.LookPath("aws")
			Expect(err).NotTo(HaveOccurred(), "the aws CLI must be on PATH (pip install awscli)")
		})

		It("seed 000/001: rsautl -oaep and pkeyutl OAEP SHA-256 keys decrypt with aws kms decrypt", Label("op:GetPublicKey", "op:Decrypt"), func() {
			Expect(e.runScript("", "scripts/aws-cli/seed-000-001-rsa-oaep.sh")).To(And(
				ContainSubstring("OK: seed 000/001 method 1"), ContainSubstring("OK: seed 000/001 method 2")))
		})

		It("seed 002: generate-data-key-pair-without-plaintext, decrypt without key id, pkeyutl round trip", Label("op:GenerateDataKeyPairWithoutPlaintext", "op:Decrypt"), func() {
			Expect(e.runScript("", "scripts/aws-cli/seed-002-data-key-pair.sh")).To(ContainSubstring("OK: seed 002"))
		})

		It("seed 003: derive-shared-secret equals openssl pkeyutl -derive", Label("op:DeriveSharedSecret", "op:CreateAlias"), func() {
			Expect(e.runScript("", "scripts/aws-cli/seed-003-ecdh.sh")).To(ContainSubstring("OK: seed 003 ECDH (32 bytes)"))
		})

		It("seed 003/004: RSA hybrid through an alias with RSAES_OAEP_SHA_256", Label("op:Decrypt", "op:CreateAlias"), func() {
			Expect(e.runScript("", "scripts/aws-cli/seed-003-004-rsa-hybrid.sh")).To(ContainSubstring("OK: seed 003/004"))
		})
	})

	Describe("boto3 main operations", Label("topic:boto3"), func() {
		It("scripts/boto3/main_ops.py finds no mismatch", func() {
			Expect(e.runScript("python3", "scripts/boto3/main_ops.py")).To(ContainSubstring("all checks passed"))
		})
	})
}
