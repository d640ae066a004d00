package kmsspec

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/kmsconform/kmsconform/internal/kmstarget"
)

// TestFakePassesEverySpec runs the whole table against the in-process fake:
// every spec that can run here must pass.
func TestFakePassesEverySpec(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	tg, err := kmstarget.Start(ctx, kmstarget.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	r := NewRun(tg, Options{NoScripts: true}) // the Ginkgo suite runs the scripts
	start := time.Now()
	res := r.RunAll(ctx, Specs(), nil)
	t.Logf("%d specs in %v", len(res), time.Since(start).Round(time.Millisecond))
	sort.Slice(res, func(i, j int) bool { return res[i].Duration > res[j].Duration })
	for _, x := range res[:8] {
		t.Logf("slow: %s %v", x.Spec.ID, x.Duration.Round(time.Millisecond))
	}
	for _, x := range res {
		switch x.Status {
		case Failed:
			t.Errorf("%s: %s", x.Spec.ID, x.Message)
		case Skipped:
			t.Logf("%s: %s", x.Spec.ID, x.Message)
		}
	}
	if err := r.Close(); err != nil {
		t.Error(err)
	}
}
