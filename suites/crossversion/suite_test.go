// Package crossversion_test is the cross-version matrix: real openssl
// builds (1.1.1, 3.0, 3.5, 3.6, 4.0) in containers, and the oracle, as
// producer and consumer of every flow, with a KMS; and the oracle's
// --compat behaviour checked against each real version on the same
// command lines.
//
// Labels: "openssl:X" on every spec that runs line X, "slice:X" on exactly
// one slice per spec (the producer's line, else the consumer's, else
// "oracle") so CI can run one line per job with --label-filter=slice:X,
// "flow:N", "compat" and "matrix". $KMSCONFORM_LINES restricts the lines
// (default: all five). The images are built (cached) before the suite.
// Without Docker every spec is skipped with one loud line naming why;
// KMSCONFORM_REQUIRE_DOCKER=1 makes that a failure.
package crossversion_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kmsconform/kmsconform/engine"
	"github.com/kmsconform/kmsconform/engine/container"
	"github.com/kmsconform/kmsconform/images"
)

// lines are the openssl lines of this run ($KMSCONFORM_LINES or all).
var lines = func() []images.Line {
	ls, err := images.ParseLines(os.Getenv("KMSCONFORM_LINES"))
	if err != nil {
		panic("KMSCONFORM_LINES: " + err.Error())
	}
	return ls
}()

// dockerMissing says why Docker cannot be used; "" when it can.
var dockerMissing string

func TestCrossVersion(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "crossversion: real openssl versions in containers, the oracle and a KMS")
}

// needDocker skips the spec when Docker is missing (allowed only without
// KMSCONFORM_REQUIRE_DOCKER=1, checked in the suite setup).
func needDocker() {
	if dockerMissing != "" {
		Skip("no Docker: " + dockerMissing)
	}
}

var _ = SynchronizedBeforeSuite(func(ctx SpecContext) []byte {
	err := images.DockerAvailable(ctx)
	if err != nil {
		if os.Getenv("KMSCONFORM_REQUIRE_DOCKER") == "1" {
			Fail("KMSCONFORM_REQUIRE_DOCKER=1 but Docker cannot be used: " + err.Error())
		}
		fmt.Fprintf(os.Stderr, "\n!!!!! crossversion: SKIPPING every container spec: no Docker: %v (KMSCONFORM_REQUIRE_DOCKER=1 makes this a failure)\n\n", err)
		return []byte("no docker: " + err.Error())
	}
	built, err := images.Build(ctx, images.BuildOptions{Lines: lines, Log: GinkgoWriter})
	Expect(err).NotTo(HaveOccurred(), "building the openssl images (try `kmsconform images build`)")
	for _, b := range built {
		GinkgoWriter.Printf("openssl %s: %s (cached %v)\n", b.Line.Name, b.Image.Ref, b.Cached)
	}
	return nil
}, func(ctx SpecContext, msg []byte) {
	dockerMissing = string(msg)
	if dockerMissing != "" {
		return
	}
	makeFixtures(ctx)
	openEngines(ctx)
	runMatrix(ctx)
}, NodeTimeout(20*time.Minute))

var _ = SynchronizedAfterSuite(func() {}, func(ctx SpecContext) {
	if dockerMissing != "" {
		return
	}
	Expect(container.CleanupAll(ctx)).To(Succeed(), "removing this run's containers")
	out, err := dockerPS(ctx, container.RunLabel())
	Expect(err).NotTo(HaveOccurred())
	Expect(out).To(BeEmpty(), "containers left after the suite")
}, NodeTimeout(2*time.Minute))

// engines holds one open engine per container line and per oracle profile,
// shared by the compat specs.
var engines = map[string]engine.OpenSSL{}

func openEngines(ctx context.Context) {
	for _, l := range lines {
		for _, n := range []string{container.Prefix + l.Name, "oracle@" + l.Name} {
			e, err := engine.Open(n)
			Expect(err).NotTo(HaveOccurred(), "opening engine %s", n)
			engines[n] = e
			DeferCleanup(e.Close)
		}
	}
}

// lineLabels are the labels of a spec touching the given engines.
func lineLabels(names ...string) Labels {
	var ls []string
	slice := ""
	for _, n := range names {
		if strings.HasPrefix(n, container.Prefix) {
			ls = append(ls, "openssl:"+strings.TrimPrefix(n, container.Prefix))
			if slice == "" {
				slice = strings.TrimPrefix(n, container.Prefix)
			}
		}
	}
	if slice == "" {
		slice = "oracle"
	}
	return Label(append(ls, "slice:"+slice)...)
}
