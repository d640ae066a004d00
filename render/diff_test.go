package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kmsconform/kmsconform/flows"
)

func diffReports() (old, cur *flows.Report) {
	cell := func(id string, v flows.Verdict) flows.Cell {
		c := flows.Cell{ID: id, Verdict: v}
		if v == flows.Unexpected {
			c.Message, c.Actual.Class = "the consumer failed", "bad-decrypt"
		}
		return c
	}
	old = &flows.Report{Cells: []flows.Cell{
		cell("1/a/host>host", flows.ExpectedPass),
		cell("1/b/host>host", flows.ExpectedPass),
		cell("1/c/host>host", flows.Unexpected),
		cell("1/d/host>host", flows.ExpectedPass),
		cell("1/gone/host>host", flows.ExpectedPass),
		cell("1/same/host>host", flows.ExpectedFail),
	}}
	cur = &flows.Report{Cells: []flows.Cell{
		cell("1/a/host>host", flows.Unexpected),   // worse
		cell("1/b/host>host", flows.Skipped),      // changed otherwise
		cell("1/c/host>host", flows.ExpectedPass), // better
		cell("1/d/host>host", flows.Interrupted),  // changed otherwise
		cell("1/new/host>host", flows.Unexpected), // new and failing: worse
		cell("1/new2/host>host", flows.ExpectedPass),
		cell("1/same/host>host", flows.ExpectedFail),
	}}
	return old, cur
}

func TestCompareSortsChanges(t *testing.T) {
	old, cur := diffReports()
	d := Compare(old, cur)
	ids := func(cs []Change) string {
		var s []string
		for _, c := range cs {
			s = append(s, c.ID)
		}
		return strings.Join(s, ",")
	}
	for name, got := range map[string][2]string{
		"worse":  {ids(d.Worse), "1/a/host>host,1/new/host>host"},
		"better": {ids(d.Better), "1/c/host>host"},
		"other":  {ids(d.Other), "1/b/host>host,1/d/host>host"},
		"added":  {ids(d.Added), "1/new2/host>host"},
		"gone":   {ids(d.Gone), "1/gone/host>host"},
	} {
		if got[0] != got[1] {
			t.Errorf("%s: %q, want %q", name, got[0], got[1])
		}
	}
	if d.Same != 1 {
		t.Errorf("same %d, want 1", d.Same)
	}
	var b bytes.Buffer
	if err := WriteDiff(&b, "old", old, "new", cur, d); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"**2 worse, 1 better, 2 changed otherwise, 1 new, 1 gone; 1 unchanged.**",
		"## Worse (2)",
		"| `1/a/host>host` | ✅ expected pass | **❌ UNEXPECTED** | bad-decrypt: the consumer failed |",
		"| `1/new/host>host` | — | **❌ UNEXPECTED** |",
		"## Better (1)",
		"| `1/d/host>host` | ✅ expected pass | ⏸️ interrupted |",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("diff lacks %q:\n%s", want, b.String())
		}
	}
	b.Reset()
	if err := WriteDiff(&b, "old", old, "old", old, Compare(old, old)); err != nil || !strings.Contains(b.String(), "**No verdict changed** (6 cells compared).") {
		t.Errorf("diff of a report with itself: %v\n%s", err, b.String())
	}
}
