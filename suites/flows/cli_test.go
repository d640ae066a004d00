package flows_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kmsconform/kmsconform/engine"
	"github.com/kmsconform/kmsconform/flows"
)

// runCLI runs the built kmsconform binary with args and returns its exit
// code, stdout and stderr.
func runCLI(ctx context.Context, args ...string) (int, string, string) {
	bin, err := kmsconformBin()
	Expect(err).NotTo(HaveOccurred())
	cmd := exec.CommandContext(ctx, bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else {
		Expect(err).NotTo(HaveOccurred())
	}
	return code, stdout.String(), stderr.String()
}

var _ = Describe("kmsconform run", Label("cli"), func() {
	It("writes junit.xml, results.json and the summary for a shard", func(ctx SpecContext) {
		dir := GinkgoT().TempDir()
		code, out, errOut := runCLI(ctx, "run", "--engines", "host", "--flows", "3,4", "--shard", "1/2", "--report", dir)
		Expect(code).To(Equal(0), "stdout:\n%s\nstderr:\n%s", out, errOut)
		Expect(out).To(MatchRegexp(`(?m)^3 +enc variants`))
		Expect(out).To(MatchRegexp(`(?m)^all +\(fail\* = `))
		Expect(errOut).To(BeEmpty(), "no progress on stderr when it is not a terminal")

		var rep flows.Report
		b, err := os.ReadFile(filepath.Join(dir, "results.json"))
		Expect(err).NotTo(HaveOccurred())
		Expect(json.Unmarshal(b, &rep)).To(Succeed())
		all, _ := flows.Shard(flows.Plan([]*flows.Flow{mustFlow(3), mustFlow(4)}, []string{"host"}), 1, 2)
		Expect(rep.Cells).To(HaveLen(len(all)))
		Expect(rep.Shard).To(Equal("1/2"))
		for i, c := range rep.Cells {
			Expect(c.ID).To(Equal(all[i].ID()))
			Expect(c.Steps).NotTo(BeEmpty())
		}

		var junit struct {
			Tests    int `xml:"tests,attr"`
			Failures int `xml:"failures,attr"`
		}
		b, err = os.ReadFile(filepath.Join(dir, "junit.xml"))
		Expect(err).NotTo(HaveOccurred())
		Expect(xml.Unmarshal(b, &junit)).To(Succeed())
		Expect(junit.Tests).To(Equal(len(all)))
		Expect(junit.Failures).To(Equal(0))
	})

	It("refuses bad arguments with an error and a hint", func(ctx SpecContext) {
		for _, args := range [][]string{{"run", "--flows", "12"}, {"run", "--shard", "3/2"}, {"run", "--engines", "nosuch"}, {"run", "extra"}} {
			code, _, errOut := runCLI(ctx, args...)
			Expect(code).NotTo(Equal(0), "%v", args)
			Expect(errOut).To(ContainSubstring("kmsconform: error: "), "%v", args)
			Expect(errOut).To(ContainSubstring("kmsconform: hint: "), "%v", args)
		}
	})

	It("stops cleanly on SIGINT, keeping the cells done so far", func(ctx SpecContext) {
		bin, err := kmsconformBin()
		Expect(err).NotTo(HaveOccurred())
		dir := GinkgoT().TempDir()
		cmd := exec.CommandContext(ctx, bin, "run", "--engines", "host", "--flows", "3", "--parallel", "1", "--report", dir)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		Expect(cmd.Start()).To(Succeed())
		time.Sleep(700 * time.Millisecond)
		Expect(cmd.Process.Signal(syscall.SIGINT)).To(Succeed())
		err = cmd.Wait()
		ee, ok := err.(*exec.ExitError)
		Expect(ok).To(BeTrue(), "exit: %v\n%s", err, out.String())
		Expect(ee.ExitCode()).To(Equal(130), out.String())
		Expect(out.String()).To(ContainSubstring("interrupted"))
		Expect(filepath.Join(dir, "results.json")).To(BeAnExistingFile())
	})

	It("runs a cell through the oracle-bin engine (the kmsconform binary as openssl)", func(ctx SpecContext) {
		bin, err := kmsconformBin()
		Expect(err).NotTo(HaveOccurred())
		GinkgoT().Setenv(engine.EnvBinary, bin)
		p, err := flows.OpenPool(ctx, []string{"host", "oracle-bin"})
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(p.Close)
		for _, pl := range flows.Plan([]*flows.Flow{mustFlow(3)}, []string{"host", "oracle-bin"}) {
			if pl.Case.Name != "pbkdf2-base64" {
				continue
			}
			c := flows.RunCell(ctx, pl, p, kmsSession)
			Expect(c.Verdict).To(Equal(flows.ExpectedPass), flows.Explain(&c))
		}
	})
})

func mustFlow(id int) *flows.Flow {
	f, ok := flows.Lookup(id)
	Expect(ok).To(BeTrue())
	return f
}
