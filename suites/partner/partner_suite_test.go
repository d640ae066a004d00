// Package partner_test checks `kmsconform partner` as a user meets it: the
// real binary (built once, or $KMSCONFORM_BIN) run in a directory of its
// own against the in-process fake, with its exit code, its messages and
// its report files — the CLI contract of issue 10 for partner tools.
package partner_test

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kmsconform/kmsconform/internal/kmstarget"
)

var bin string

func TestPartnerCLI(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "partner: the CLI contract with real tools")
}

var _ = BeforeSuite(func(ctx SpecContext) {
	if b := os.Getenv(kmstarget.EnvBinary); b != "" {
		bin = b
		return
	}
	b, remove, err := kmstarget.BuildBinary(ctx)
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(remove)
	bin = b
}, NodeTimeout(6*time.Minute))

// goodTool is a correct RSAES_OAEP_SHA_256 tool with openssl.
const goodTool = "#!/bin/sh\nexec openssl pkeyutl -encrypt -pubin -inkey \"$1\" -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -in \"$2\" -out \"$3\"\n"

type result struct {
	code           int
	stdout, stderr string
}

// partner runs `kmsconform partner ARGS` in dir with a timeout.
func partner(dir string, args ...string) result {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append([]string{"partner"}, args...)...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		Fail("running kmsconform: " + err.Error())
	}
	return result{code, out.String(), errb.String()}
}

func rsa(cmd string, extra ...string) []string {
	return append([]string{"--algorithm", "RSAES_OAEP_SHA_256", "--key-specs", "RSA_2048", "--encrypt", cmd}, extra...)
}

var _ = Describe("kmsconform partner", func() {
	var dir string
	BeforeEach(func() {
		dir = GinkgoT().TempDir()
		Expect(os.MkdirAll(filepath.Join(dir, "bin"), 0o755)).To(Succeed())
		Expect(os.WriteFile(filepath.Join(dir, "bin", "good.sh"), []byte(goodTool), 0o755)).To(Succeed())
		Expect(os.WriteFile(filepath.Join(dir, "bin", "noexec.sh"), []byte(goodTool), 0o644)).To(Succeed())
	})

	It("passes a correct tool named by a path relative to the caller's directory (exit 0)", func() {
		r := partner(dir, rsa("./bin/good.sh {pubkey_pem} {in} {out}")...)
		Expect(r.code).To(Equal(0), r.stderr)
		Expect(r.stderr).To(ContainSubstring("passes all"))
	})

	DescribeTable("fails a tool that cannot run before any case (exit 1)",
		func(cmd, fromSub, want string) {
			where := dir
			if fromSub != "" {
				where = filepath.Join(dir, fromSub)
			}
			r := partner(where, rsa(cmd)...)
			Expect(r.code).To(Equal(1), r.stderr)
			Expect(r.stderr).To(ContainSubstring("kmsconform: error: the tool cannot run"))
			Expect(r.stderr).To(ContainSubstring(want))
			Expect(r.stderr).To(ContainSubstring("no case was run"))
			Expect(r.stderr).NotTo(ContainSubstring("refused input past the OAEP limit"))
		},
		Entry("missing program", "/nonexistent/tool {pubkey_pem} {in} {out}", "", "not found"),
		Entry("relative path from another directory", "./bin/good.sh {pubkey_pem} {in} {out}", "bin", "not found"),
		Entry("not executable", "./bin/noexec.sh {pubkey_pem} {in} {out}", "", "ermission denied"),
	)

	It("names a tool that prints the ciphertext to stdout instead of {out} (exit 1)", func() {
		r := partner(dir, rsa("openssl pkeyutl -encrypt -pubin -inkey {pubkey_pem} -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -in {in} # {out}")...)
		Expect(r.code).To(Equal(1), r.stderr)
		Expect(r.stderr).To(ContainSubstring("printed 256 bytes to stdout"))
	})

	It("stops with exit 3, running nothing, when the KMS does not answer", func() {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		Expect(err).NotTo(HaveOccurred())
		addr := l.Addr().String()
		l.Close()
		r := partner(dir, rsa("touch ran # {pubkey_pem} {in} {out}", "--kms-endpoint", "http://"+addr)...)
		Expect(r.code).To(Equal(3), r.stderr)
		Expect(r.stderr).To(ContainSubstring("kmsconform: hint:"))
		Expect(filepath.Join(dir, "ran")).NotTo(BeAnExistingFile())
	})

	It("stops with exit 3, running nothing, when the report directory is not writable", func() {
		Expect(os.WriteFile(filepath.Join(dir, "afile"), nil, 0o644)).To(Succeed())
		r := partner(dir, rsa("touch ran # {pubkey_pem} {in} {out}", "--report", "afile/sub")...)
		Expect(r.code).To(Equal(3), r.stderr)
		Expect(filepath.Join(dir, "ran")).NotTo(BeAnExistingFile())
	})

	It("writes partner.md, partner.json and partner.html", func() {
		r := partner(dir, rsa("./bin/good.sh {pubkey_pem} {in} {out}", "--report", "out")...)
		Expect(r.code).To(Equal(0), r.stderr)
		for _, f := range []string{"partner.md", "partner.json", "partner.html"} {
			Expect(filepath.Join(dir, "out", f)).To(BeAnExistingFile())
		}
	})

	DescribeTable("refuses bad usage with exit 2 and a hint",
		func(args []string, want string) {
			r := partner(dir, args...)
			Expect(r.code).To(Equal(2), r.stderr)
			Expect(r.stderr).To(ContainSubstring(want))
			Expect(r.stderr).To(ContainSubstring("kmsconform: hint:"))
		},
		Entry("no tool", []string{"--algorithm", "RSAES_OAEP_SHA_256"}, "no tool given"),
		Entry("unknown placeholder", rsa("t {pubkey_pem} {input} {out}"), "unknown placeholder"),
		Entry("mistyped flag", []string{"--encrpt", "x"}, "did you mean --encrypt"),
		Entry("bad KDF", []string{"--derive", "t {kms_pubkey_pem} {pubkey_out} {secret_out}", "--kdf", "hkdf"}, "--kdf"),
	)

	It("names the stacks consistent with a broken tool, with each one's fix (exit 1)", func() {
		tool, err := filepath.Abs("../../examples/partners/shell/oaep-md-without-padding-mode.sh")
		Expect(err).NotTo(HaveOccurred())
		r := partner(dir, rsa(tool+" {pubkey_pem} {in} {out}", "--report", "out")...)
		Expect(r.code).To(Equal(1), r.stderr)
		Expect(r.stderr).To(ContainSubstring("PKCS#1 v1.5"))
		Expect(r.stderr).To(ContainSubstring("consistent with (not proof of)"))
		Expect(r.stderr).To(ContainSubstring("crypto.publicEncrypt({ key: pem, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, data)"))
		html, err := os.ReadFile(filepath.Join(dir, "out", "partner.html"))
		Expect(err).NotTo(HaveOccurred())
		Expect(string(html)).To(ContainSubstring("Consistent with: PKCS#1 v1.5 padding"))
	})

	It("prints its usage with --help (exit 0)", func() {
		r := partner(dir, "--help")
		Expect(r.code).To(Equal(0))
		Expect(r.stdout).To(ContainSubstring("--derive CMD"))
	})

	It("exits 130 on SIGINT and kills the tool", func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, append([]string{"partner"}, rsa("echo $$ > tool.pid; sleep 60 # {pubkey_pem} {in} {out}")...)...)
		cmd.Dir = dir
		var errb bytes.Buffer
		cmd.Stderr = &errb
		Expect(cmd.Start()).To(Succeed())
		Eventually(filepath.Join(dir, "tool.pid")).WithTimeout(time.Minute).Should(BeAnExistingFile())
		Expect(cmd.Process.Signal(syscall.SIGINT)).To(Succeed())
		err := cmd.Wait()
		ee, ok := err.(*exec.ExitError)
		Expect(ok).To(BeTrue(), "exit: %v", err)
		Expect(ee.ExitCode()).To(Equal(130), errb.String())
		pid, _ := os.ReadFile(filepath.Join(dir, "tool.pid"))
		Eventually(func() bool {
			st, err := os.ReadFile("/proc/" + string(bytes.TrimSpace(pid)) + "/stat")
			return err != nil || bytes.Contains(st, []byte(") Z "))
		}).WithTimeout(10 * time.Second).Should(BeTrue())
	})
})
