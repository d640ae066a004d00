package crossversion_test

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"sync"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kmsconform/kmsconform/engine/container"
	"github.com/kmsconform/kmsconform/flows"
)

// matrixEngines are the producers and consumers: the oracle and every line.
var matrixEngines = func() []string {
	out := []string{"oracle"}
	for _, l := range lines {
		out = append(out, container.Prefix+l.Name)
	}
	return out
}()

// cells is the full plan, fixed before RunSpecs: every flow × case ×
// producer × consumer (the KMS is the consumer of KMS-side cases). Each
// cell's expected outcome is data in flows/ (the rules on the engines'
// compat profiles: e.g. 3.x `-S` to 1.1.1 must fail, then its fix pass).
var cells = flows.Plan(flows.All(), matrixEngines)

func cellLabels(p flows.Planned) Labels {
	ls := lineLabels(p.Producer, p.Consumer)
	return append(ls, "matrix", fmt.Sprintf("flow:%d", p.Flow.ID))
}

// results holds the cells run ahead, by ID. The matrix is thousands of
// cells that mostly wait on containers and the KMS, so the suite runs the
// cells this process will report concurrently in its setup, and each spec
// reports its cell; a spec whose cell was not run ahead runs it itself.
var (
	resultsMu sync.Mutex
	results   = map[string]flows.Cell{}
	matrixKMS *flows.KMS
	pool      *flows.Pool
)

// runMatrix runs, concurrently, the cells that pass the label filter. The
// suite is concurrent inside: run it without ginkgo -p.
func runMatrix(ctx context.Context) {
	var err error
	matrixKMS, err = flows.OpenKMS(context.WithoutCancel(ctx), "")
	Expect(err).NotTo(HaveOccurred(), "starting the KMS fake")
	DeferCleanup(matrixKMS.Close)
	filter := GinkgoLabelFilter()
	var mine []flows.Planned
	for _, p := range cells {
		if filter == "" || cellLabels(p).MatchesLabelFilter(filter) {
			mine = append(mine, p)
		}
	}
	pool, err = flows.OpenPool(ctx, flows.EngineNames(cells))
	Expect(err).NotTo(HaveOccurred(), "opening the matrix engines")
	DeferCleanup(pool.Close)
	if len(mine) == 0 {
		return
	}
	rep, err := flows.Run(ctx, flows.Options{Cells: mine, KMS: matrixKMS, Parallel: 16})
	Expect(err).NotTo(HaveOccurred(), "running the matrix")
	resultsMu.Lock()
	for _, c := range rep.Cells {
		results[c.ID] = c
	}
	resultsMu.Unlock()
	GinkgoWriter.Printf("matrix: %d cells run ahead in %s\n", len(rep.Cells), rep.Duration)
}

func matrixEntries() []TableEntry {
	out := make([]TableEntry, 0, len(cells))
	for _, p := range cells {
		out = append(out, Entry(p.ID(), cellLabels(p), p))
	}
	return out
}

var _ = DescribeTable("matrix cell", func(ctx SpecContext, p flows.Planned) {
	needDocker()
	resultsMu.Lock()
	c, ok := results[p.ID()]
	resultsMu.Unlock()
	if !ok {
		c = flows.RunCell(ctx, p, pool, matrixKMS)
	}
	AddReportEntry("verdict", string(c.Verdict))
	switch c.Verdict {
	case flows.Skipped:
		AddReportEntry("not applicable", c.Expected.Why)
		return
	case flows.Unexpected:
		Fail(flows.Explain(&c))
	}
	Expect(c.Verdict).To(BeElementOf(flows.ExpectedPass, flows.ExpectedFail))
}, matrixEntries())

// dockerPS lists the containers carrying label (KEY=VALUE).
func dockerPS(ctx context.Context, label string) (string, error) {
	out, err := exec.CommandContext(ctx, "docker", "ps", "-aq", "--filter", "label="+label).Output()
	return strings.TrimSpace(string(out)), err
}
