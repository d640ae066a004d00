package flows_test

import (
	"fmt"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kmsconform/kmsconform/flows"
)

// cells is the plan, fixed before RunSpecs so that every cell is its own spec.
var cells = flows.Plan(flows.All(), engineNames)

func entries() []TableEntry {
	out := make([]TableEntry, 0, len(cells))
	for _, p := range cells {
		labels := Label(
			fmt.Sprintf("flow:%d", p.Flow.ID),
			"producer:"+labelSafe(p.Producer),
			"consumer:"+labelSafe(p.Consumer),
		)
		var seeds []string
		for _, s := range p.Flow.Seeds {
			seeds = append(seeds, "seed:"+s)
		}
		out = append(out, Entry(p.ID(), labels, Label(seeds...), p))
	}
	return out
}

// labelSafe keeps engine names usable in --label-filter (no ':' inside a value).
func labelSafe(s string) string { return strings.NewReplacer(":", "=", "/", "_").Replace(s) }

var _ = DescribeTable("flow cell", func(ctx SpecContext, p flows.Planned) {
	c := flows.RunCell(ctx, p, pool, kmsSession)
	AddReportEntry("verdict", string(c.Verdict))
	if c.Verdict == flows.Skipped {
		AddReportEntry("not applicable", c.Expected.Why)
		return
	}
	if c.Verdict == flows.Unexpected {
		Fail(flows.Explain(&c))
	}
	Expect(c.Verdict).To(BeElementOf(flows.ExpectedPass, flows.ExpectedFail))
}, entries())
