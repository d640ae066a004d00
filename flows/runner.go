package flows

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/kmsconform/kmsconform/engine"
	"github.com/kmsconform/kmsconform/oracle"
)

// KMSConsumerName is the consumer of cells whose owner side is the KMS alone.
const KMSConsumerName = "kms"

// Planned is one cell before it runs.
type Planned struct {
	Flow     *Flow
	Case     *Case
	Producer string
	Consumer string
}

// ID is the cell's stable identifier: "FLOW/CASE/PRODUCER>CONSUMER".
func (p Planned) ID() string {
	return fmt.Sprintf("%d/%s/%s>%s", p.Flow.ID, p.Case.Name, p.Producer, p.Consumer)
}

// Plan lists the cells of flows over engines, in a fixed order (flow, case,
// producer, consumer): producer ∈ engines (or the case's pinned producer),
// consumer ∈ engines, or "kms" for cases whose owner side is the KMS.
func Plan(fs []*Flow, engines []string) []Planned {
	var out []Planned
	for _, f := range fs {
		for i := range f.Cases {
			c := &f.Cases[i]
			producers := engines
			if c.Producer != "" {
				producers = []string{c.Producer}
			}
			consumers := engines
			if c.KMSConsumer {
				consumers = []string{KMSConsumerName}
			}
			for _, p := range producers {
				for _, q := range consumers {
					out = append(out, Planned{Flow: f, Case: c, Producer: p, Consumer: q})
				}
			}
		}
	}
	return out
}

// Shard returns the deterministic slice i of n (1-based) of cells: every
// n-th cell starting at i-1, so that slices are balanced across flows.
func Shard(cells []Planned, i, n int) ([]Planned, error) {
	if n < 1 || i < 1 || i > n {
		return nil, fmt.Errorf("flows: shard %d/%d: want I/N with 1 <= I <= N", i, n)
	}
	var out []Planned
	for k, c := range cells {
		if k%n == i-1 {
			out = append(out, c)
		}
	}
	return out, nil
}

// Options tunes Run.
type Options struct {
	// Engines names the openssl engines (engine.Open names).
	Engines []string
	// Cells are the cells to run (from Plan, perhaps Shard-ed).
	Cells []Planned
	// KMS is the KMS every KMS step talks to.
	KMS *KMS
	// Parallel bounds the cells run at once (default max(16, 8 × GOMAXPROCS)).
	Parallel int
	// Progress, when set, is called after each cell (from one goroutine at a time).
	Progress func(done, total int, c *Cell)
}

// Pool holds the open engines of a run and their profiles.
type Pool struct {
	mu       sync.Mutex
	engines  map[string]engine.OpenSSL
	profiles map[string]oracle.Profile
	infos    []EngineInfo
}

// OpenPool opens every engine named (once each) and reads its profile.
func OpenPool(ctx context.Context, names []string) (*Pool, error) {
	p := &Pool{engines: map[string]engine.OpenSSL{}, profiles: map[string]oracle.Profile{}}
	for _, n := range names {
		if _, ok := p.engines[n]; ok || n == KMSConsumerName {
			continue
		}
		e, err := engine.Open(n)
		if err != nil {
			p.Close()
			return nil, err
		}
		p.engines[n] = e
		prof, err := engine.ProfileOf(ctx, e)
		if err != nil {
			p.Close()
			return nil, fmt.Errorf("engine %s: %w", n, err)
		}
		v, _ := e.Version(ctx)
		p.profiles[n] = prof
		p.infos = append(p.infos, EngineInfo{Name: n, Version: v, Profile: prof.Name})
	}
	return p, nil
}

// Infos describes the engines for a report header.
func (p *Pool) Infos() []EngineInfo { return p.infos }

// Close closes every engine.
func (p *Pool) Close() error {
	var first error
	for _, e := range p.engines {
		if err := e.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// EngineNames lists every engine the cells use (pinned producers included).
func EngineNames(cells []Planned) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range cells {
		for _, n := range []string{c.Producer, c.Consumer} {
			if n != KMSConsumerName && !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out
}

// Run runs the cells of o, at most o.Parallel at once, and returns the
// report with cells in plan order. On cancellation it stops starting cells
// and returns the cells done so far with ctx's error.
func Run(ctx context.Context, o Options) (*Report, error) {
	start := time.Now()
	pool, err := OpenPool(ctx, EngineNames(o.Cells))
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	rep := &Report{Started: start, Engines: pool.Infos()}
	if o.KMS != nil {
		rep.KMS = o.KMS.Label
	}
	par := o.Parallel
	if par <= 0 {
		// Cells mostly wait (processes, KMS calls, shared key generation).
		par = max(16, 8*runtime.GOMAXPROCS(0))
	}
	if o.KMS != nil {
		o.KMS.Prewarm(ctx)
	}
	results := make([]*Cell, len(o.Cells))
	jobs := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for w := 0; w < par; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				c := RunCell(ctx, o.Cells[i], pool, o.KMS)
				mu.Lock()
				results[i] = &c
				done++
				if o.Progress != nil {
					o.Progress(done, len(o.Cells), &c)
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for i := range o.Cells {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	for _, c := range results {
		if c != nil {
			rep.Cells = append(rep.Cells, *c)
		}
	}
	rep.Duration = Duration(time.Since(start))
	return rep, ctx.Err()
}

// RunCell runs one cell and judges it against its expectation.
func RunCell(ctx context.Context, p Planned, pool *Pool, k *KMS) (c Cell) {
	start := time.Now()
	c = Cell{ID: p.ID(), Flow: p.Flow.ID, FlowTitle: p.Flow.Title, Case: p.Case.Name, Params: p.Case.Params,
		Producer: p.Producer, Consumer: p.Consumer}
	if len(p.Flow.Seeds) > 0 {
		c.Seed = p.Flow.Seeds[0]
	}
	defer func() { c.Duration = Duration(time.Since(start)) }()
	pool.mu.Lock()
	pe, qe := pool.engines[p.Producer], pool.engines[p.Consumer]
	pp, qp := pool.profiles[p.Producer], pool.profiles[p.Consumer]
	pool.mu.Unlock()
	if pe == nil || (qe == nil && p.Consumer != KMSConsumerName) {
		c.Verdict, c.Message = Unexpected, "engine not opened: "+p.Producer+" or "+p.Consumer
		return c
	}
	c.Expected = p.Case.Resolve(pp, qp)
	if c.Expected.Outcome == NotApplicable {
		c.Actual.Outcome, c.Verdict = NotApplicable, Skipped
		return c
	}
	dir, err := os.MkdirTemp("", "kmsconform-cell-")
	if err != nil {
		c.Verdict, c.Message = Unexpected, "cannot create a work directory: "+err.Error()
		return c
	}
	defer os.RemoveAll(dir)
	x := &X{ctx: ctx, dir: dir, producer: pe, consumer: qe, kms: k, phase: "run"}
	runPhase(x, p.Case.Run)
	c.Actual.Outcome, c.Actual.Reason = outcomeOf(x)
	c.Verdict, c.Message = judge(c.Expected, c.Actual)
	if c.Verdict == ExpectedFail && p.Case.Fix != nil {
		x.fail, x.phase = "", "fix"
		runPhase(x, p.Case.Fix)
		c.Actual.FixOutcome, c.Actual.FixReason = outcomeOf(x)
		if c.Actual.FixOutcome != Pass {
			c.Verdict = Unexpected
			c.Message = "the failure reproduced, but the documented fix did not work: " + c.Actual.FixReason
		}
	}
	c.Steps, c.Diff = x.steps, x.diff
	return c
}

// runPhase runs fn, turning a panic in a flow into a failure.
func runPhase(x *X, fn func(*X)) {
	defer func() {
		if r := recover(); r != nil {
			x.fail = ""
			x.failf("flow error: panic: %v", r)
		}
	}()
	fn(x)
}

func outcomeOf(x *X) (Outcome, string) {
	if x.fail == "" {
		return Pass, ""
	}
	return Fail, x.fail
}

// judge compares what happened with what was expected.
func judge(e Expectation, a Actual) (Verdict, string) {
	switch {
	case e.Outcome == Pass && a.Outcome == Pass:
		return ExpectedPass, ""
	case e.Outcome == Pass:
		return Unexpected, "expected success, but it failed: " + a.Reason
	case a.Outcome == Pass:
		return Unexpected, fmt.Sprintf("expected a failure (%s), but it succeeded", strings.Join(e.Reasons, " or "))
	}
	if len(e.Reasons) == 0 {
		return ExpectedFail, ""
	}
	for _, r := range e.Reasons {
		if strings.Contains(a.Reason, r) {
			return ExpectedFail, ""
		}
	}
	return Unexpected, fmt.Sprintf("expected a failure with %s, but it failed with: %s", strings.Join(e.Reasons, " or "), a.Reason)
}
