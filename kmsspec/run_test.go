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

// TestSchedule: RunAll starts the scripts, then the RSA_4096 specs, then
// the RSA_3072 ones, then the rest, each spec once; and the first RSA_4096
// specs started are of different topics, so the endpoint generates the
// shared RSA_4096 keys, a data key pair and the wrapping key at once.
func TestSchedule(t *testing.T) {
	specs := Specs()
	order := schedule(specs)
	if len(order) != len(specs) {
		t.Fatalf("schedule returned %d of %d specs", len(order), len(specs))
	}
	seen := map[int]bool{}
	last := 3
	for _, i := range order {
		if seen[i] {
			t.Fatalf("spec %s scheduled twice", specs[i].ID)
		}
		seen[i] = true
		if c := cost(specs[i]); c > last {
			t.Fatalf("%s (cost %d) starts after a spec of cost %d", specs[i].ID, c, last)
		} else {
			last = c
		}
	}
	if cost(Lookup("Encrypt/symmetric/4096-limit")) != 0 {
		t.Errorf("a symmetric spec is taken for a slow RSA_4096 one")
	}
	// The first five RSA_4096 specs started span five topics.
	topics := map[string]bool{}
	n := 0
	for _, i := range order {
		if cost(specs[i]) == 2 && n < 5 {
			topics[specs[i].Topic] = true
			n++
		}
	}
	for _, want := range []string{"keys", "rsa-oaep", "datakeys", "sign", "import"} {
		if !topics[want] {
			t.Errorf("no %s spec among the first five RSA_4096 specs started (got %v)", want, topics)
		}
	}
}
