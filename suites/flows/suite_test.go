// Package flows_test runs every documented flow as Ginkgo specs: one spec per
// flow × case × producer × consumer, built from the flow definitions
// before RunSpecs, labelled flow:N, seed:00N, producer:X, consumer:Y. The
// KMS is the in-process fake, or $AWS_ENDPOINT_URL with the standard
// credential chain. Engines come from $KMSCONFORM_ENGINES (default
// host,oracle).
package flows_test

import (
	"context"
	"os"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kmsconform/kmsconform/engine"
	// Container engines (openssl-1.1.1, openssl-3.5, ...) for KMSCONFORM_ENGINES.
	_ "github.com/kmsconform/kmsconform/engine/container"
	"github.com/kmsconform/kmsconform/flows"
)

// engineNames are the engines of this run.
var engineNames = func() []string {
	if v := os.Getenv("KMSCONFORM_ENGINES"); v != "" {
		return engine.ParseList(v)
	}
	return []string{"host", "oracle"}
}()

var (
	kmsSession *flows.KMS
	pool       *flows.Pool
)

func TestFlows(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "flows: producer x consumer openssl against a KMS")
}

var _ = BeforeSuite(func(ctx SpecContext) {
	var err error
	kmsSession, err = flows.OpenKMS(context.WithoutCancel(ctx), os.Getenv("AWS_ENDPOINT_URL"))
	Expect(err).NotTo(HaveOccurred(), "starting the KMS")
	DeferCleanup(kmsSession.Close)
	kmsSession.Prewarm(context.Background())
	pool, err = flows.OpenPool(ctx, flows.EngineNames(cells))
	Expect(err).NotTo(HaveOccurred(), "opening the engines %v (set KMSCONFORM_ENGINES)", engineNames)
	DeferCleanup(pool.Close)
	for _, e := range pool.Infos() {
		GinkgoWriter.Printf("engine %s: %s (profile %s)\n", e.Name, e.Version, e.Profile)
	}
})
