package conformance

import (
	"context"
	"regexp"
	"slices"
	"testing"

	"github.com/kmsconform/kmsconform/flows"
)

// TestOpenSSL runs the documented flows with engine (an engine name as
// `kmsconform run --engines` takes it: "host", "host:/opt/openssl/bin/openssl",
// "openssl-3.5", "image:REF", ...) as producer and consumer, and the Go
// oracle on the other side, against kmsconform's KMS fake in this process.
// Each cell (flow/case/producer>consumer) is a subtest named by its id; a
// cell whose outcome differs from the flow's expectation fails.
func TestOpenSSL(t *testing.T, engine string, opts ...Option) {
	t.Helper()
	c := configure(opts)
	g := loadGate(t, c)
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	selected := flows.All()
	if len(c.flows) > 0 {
		selected = slices.DeleteFunc(slices.Clone(selected), func(f *flows.Flow) bool { return !slices.Contains(c.flows, f.ID) })
		if len(selected) == 0 {
			t.Fatalf("conformance: WithFlows(%v) names no flow", c.flows)
		}
	}
	engines := []string{engine}
	if engine != "oracle" {
		engines = append(engines, "oracle")
	}
	cells := flows.Plan(selected, engines)
	if c.run != "" {
		re, err := regexp.Compile(c.run)
		if err != nil {
			t.Fatalf("conformance: WithRun: %v", err)
		}
		cells = slices.DeleteFunc(cells, func(p flows.Planned) bool { return !re.MatchString(p.ID()) })
	}
	k, err := flows.OpenKMS(ctx, "")
	if err != nil {
		t.Fatalf("conformance: starting the KMS fake: %v", err)
	}
	defer k.Close()
	pool, err := flows.OpenPool(ctx, flows.EngineNames(cells))
	if err != nil {
		t.Fatalf("conformance: opening engine %s: %v", engine, err)
	}
	defer pool.Close()
	for _, info := range pool.Infos() {
		t.Logf("engine %s: %s (profile %s) %s", info.Name, info.Version, info.Profile, info.Warning)
	}
	rep, err := flows.Run(ctx, flows.Options{Cells: cells, KMS: k, Pool: pool, Parallel: c.parallel})
	if rep == nil {
		t.Fatalf("conformance: running the flows: %v", err)
	}
	for _, cell := range rep.Cells {
		t.Run(cell.ID, func(t *testing.T) { judge(t, g, cell) })
	}
	if err != nil && ctx.Err() != nil {
		t.Fatalf("conformance: the flows did not finish: %v", err)
	}
}
