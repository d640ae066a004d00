package flows_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
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
			Expect(code).To(Equal(2), "%v", args)
			Expect(errOut).To(ContainSubstring("kmsconform: error: "), "%v", args)
			Expect(errOut).To(ContainSubstring("kmsconform: hint: "), "%v", args)
		}
		code, _, errOut := runCLI(ctx, "run", "--engines", "host,oracel")
		Expect(code).To(Equal(2))
		Expect(errOut).To(ContainSubstring(`did you mean "oracle"?`))
	})

	It("stops before any cell when no KMS answers (exit 3, one error)", func(ctx SpecContext) {
		dir := GinkgoT().TempDir()
		start := time.Now()
		code, out, errOut := runCLI(ctx, "run", "--kms-endpoint", "http://127.0.0.1:1", "--report", dir)
		Expect(code).To(Equal(3), "stdout:\n%s\nstderr:\n%s", out, errOut)
		Expect(time.Since(start)).To(BeNumerically("<", 10*time.Second))
		Expect(errOut).To(MatchRegexp(`^kmsconform: error: no KMS answers at http://127.0.0.1:1: .*connection refused\nkmsconform: hint: .+\n$`))
		Expect(out).To(BeEmpty(), "no cell ran, no summary")
		Expect(filepath.Join(dir, "results.json")).NotTo(BeAnExistingFile())
	})

	It("stops before any cell when the endpoint is not a KMS (exit 3, says what answered)", func(ctx SpecContext) {
		web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Server", "not-a-kms/1.0")
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, "<html>nothing here</html>")
		}))
		defer web.Close()
		bin, err := kmsconformBin()
		Expect(err).NotTo(HaveOccurred())
		cmd := exec.CommandContext(ctx, bin, "run", "--engines", "host", "--kms-endpoint", web.URL)
		cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=x", "AWS_SECRET_ACCESS_KEY=x", "AWS_CONFIG_FILE="+os.DevNull, "AWS_SHARED_CREDENTIALS_FILE="+os.DevNull)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err = cmd.Run()
		ee, ok := err.(*exec.ExitError)
		Expect(ok).To(BeTrue(), "%v", err)
		Expect(ee.ExitCode()).To(Equal(3), stderr.String())
		Expect(stderr.String()).To(ContainSubstring(web.URL + " answered, but not as AWS KMS: HTTP 404, Server not-a-kms/1.0"))
		Expect(stdout.String()).To(BeEmpty())
	})

	It("stops before any cell when the report directory is not writable (exit 3)", func(ctx SpecContext) {
		file := filepath.Join(GinkgoT().TempDir(), "a-file")
		Expect(os.WriteFile(file, nil, 0o600)).To(Succeed())
		code, out, errOut := runCLI(ctx, "run", "--engines", "host", "--report", filepath.Join(file, "report"))
		Expect(code).To(Equal(3), "stdout:\n%s\nstderr:\n%s", out, errOut)
		Expect(errOut).To(ContainSubstring("kmsconform: error: cannot create the report directory"))
		Expect(errOut).To(ContainSubstring("kmsconform: hint: "))
		Expect(out).To(BeEmpty())
	})

	It("on SIGINT keeps every planned cell, marks the unfinished interrupted and exits 130", func(ctx SpecContext) {
		bin, err := kmsconformBin()
		Expect(err).NotTo(HaveOccurred())
		dir := GinkgoT().TempDir()
		tmp := GinkgoT().TempDir() // the run's TMPDIR: cell work directories
		cmd := exec.CommandContext(ctx, bin, "run", "--engines", "host,oracle", "--parallel", "2", "--report", dir)
		cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		Expect(cmd.Start()).To(Succeed())
		time.Sleep(3 * time.Second)
		Expect(cmd.Process.Signal(syscall.SIGINT)).To(Succeed())
		err = cmd.Wait()
		ee, ok := err.(*exec.ExitError)
		Expect(ok).To(BeTrue(), "exit: %v\n%s", err, out.String())
		Expect(ee.ExitCode()).To(Equal(130), out.String())
		Expect(out.String()).To(MatchRegexp(`interrupted: \d+ of \d+ cells ran`))

		var rep flows.Report
		b, err := os.ReadFile(filepath.Join(dir, "results.json"))
		Expect(err).NotTo(HaveOccurred())
		Expect(json.Unmarshal(b, &rep)).To(Succeed())
		all := flows.Plan(flows.All(), []string{"host", "oracle"})
		Expect(rep.Interrupted).To(BeTrue())
		Expect(rep.Planned).To(Equal(len(all)))
		Expect(rep.Cells).To(HaveLen(len(all)))
		count := map[flows.Verdict]int{}
		for _, c := range rep.Cells {
			count[c.Verdict]++
		}
		Expect(count[flows.Unexpected]).To(BeZero(), "%v", count)
		Expect(count[flows.Interrupted]).To(BeNumerically(">", 0), "%v", count)
		GinkgoWriter.Printf("verdicts after SIGINT: %v\n", count)
		left, err := filepath.Glob(filepath.Join(tmp, "kmsconform-*"))
		Expect(err).NotTo(HaveOccurred())
		Expect(left).To(BeEmpty(), "temporary files left behind")
	}, SpecTimeout(2*time.Minute))

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
