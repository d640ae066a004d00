package flows

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/kmsconform/kmsconform/engine"
	"github.com/kmsconform/kmsconform/failclass"
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
	// Cells are the cells to run (from Plan, perhaps Shard-ed).
	Cells []Planned
	// KMS is the KMS every KMS step talks to.
	KMS *KMS
	// Pool holds the engines, opened by the caller (e.g. as part of a
	// pre-flight, before any cell); nil means Run opens (and closes) them.
	Pool *Pool
	// Parallel bounds the cells run at once (default max(16, 8 × GOMAXPROCS)).
	Parallel int
	// KeepWork, when set, is the report directory: the work directory of
	// every failing cell (unexpected or expected-fail) is copied to
	// KeepWork/work/CELL (mode 0700) and Cell.Work says where.
	KeepWork string
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

// OpenPool opens every engine named (once each), reads its profile and
// gathers the evidence of what it is (engine.Evidence: version, `openssl
// version -a`, binary digest, image).
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
		p.profiles[n] = prof
		p.infos = append(p.infos, engineInfo(ctx, n, e, prof))
	}
	return p, nil
}

// engineInfo describes e for the report header from engine.Evidence; what
// the evidence could not tell is left empty and named in Warning.
func engineInfo(ctx context.Context, name string, e engine.OpenSSL, prof oracle.Profile) EngineInfo {
	f, err := engine.Evidence(ctx, e)
	info := EngineInfo{Name: name, Version: f.Version, Profile: prof.Name, StandIn: prof.StandIn,
		VersionAll: f.VersionAll, SHA256: f.SHA256, Image: f.Image, ImageID: f.ImageID, Warning: f.Warning}
	if info.Version == "" {
		info.Version, _ = e.Version(ctx)
	}
	if err != nil {
		w := "evidence incomplete: " + err.Error()
		if info.Warning != "" {
			w = info.Warning + "; " + w
		}
		info.Warning = w
	}
	return info
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
// report with every planned cell in plan order. When ctx is cancelled
// (SIGINT, SIGTERM) it stops starting cells; cells that never ran or were
// cut off get the verdict Interrupted (never Unexpected), Report.Interrupted
// is set and Run returns ctx's error with the report.
func Run(ctx context.Context, o Options) (*Report, error) {
	start := time.Now()
	pool := o.Pool
	if pool == nil {
		var err error
		if pool, err = OpenPool(ctx, EngineNames(o.Cells)); err != nil {
			return nil, err
		}
		defer pool.Close()
	}
	rep := &Report{Started: start, Engines: pool.Infos(), Planned: len(o.Cells), Tool: toolVersion()}
	if o.KMS != nil {
		rep.KMS, rep.KMSServer, rep.KMSEndpoint, rep.KMSRegion = o.KMS.Label, o.KMS.Server, o.KMS.Endpoint, o.KMS.Region
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
				c := runCell(ctx, o.Cells[i], pool, o.KMS, o.KeepWork)
				if ctx.Err() != nil {
					cutOff(&c)
				}
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
		if ctx.Err() != nil {
			break
		}
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	for i, c := range results {
		if c == nil {
			c = notRun(o.Cells[i], pool)
		}
		rep.Cells = append(rep.Cells, *c)
	}
	rep.Interrupted = rep.Count(Interrupted) > 0
	rep.Duration = Duration(time.Since(start))
	if rep.Interrupted {
		return rep, ctx.Err()
	}
	return rep, nil
}

// cutOff judges a cell that finished after the run was cancelled: a
// failure may be the cancellation's doing, so an unexpected verdict says
// nothing about conformance and becomes Interrupted. Verdicts reached in
// full (expected pass, expected fail of the expected class with its fix
// verified, not applicable) stand.
func cutOff(c *Cell) {
	if c.Verdict != Unexpected {
		return
	}
	c.Verdict = Interrupted
	c.Message = "the run was interrupted while this cell ran; its result says nothing about conformance"
	if c.Actual.Outcome == Fail {
		c.Actual.Class = failclass.Interrupted
	}
}

// notRun is the cell of p when the run was interrupted before it started:
// its expectation (a cell that is not applicable stays so), no steps,
// verdict Interrupted.
func notRun(p Planned, pool *Pool) *Cell {
	c := newCell(p, pool)
	pp, qp, ok := pool.profilesOf(p)
	if ok {
		c.Expected = p.Case.Resolve(pp, qp)
		if c.Expected.Outcome == NotApplicable {
			c.Actual.Outcome, c.Verdict = NotApplicable, Skipped
			return &c
		}
	}
	c.Verdict = Interrupted
	c.Actual.Class = failclass.Interrupted
	c.Message = "the run was interrupted before this cell ran"
	return &c
}

// newCell fills the identity of p's cell.
func newCell(p Planned, pool *Pool) Cell {
	c := Cell{ID: p.ID(), Flow: p.Flow.ID, FlowTitle: p.Flow.Title, Case: p.Case.Name, Params: p.Case.Params,
		Producer: p.Producer, Consumer: p.Consumer}
	if len(p.Flow.Seeds) > 0 {
		c.Seed = p.Flow.Seeds[0]
	}
	if pp, qp, ok := pool.profilesOf(p); ok {
		c.StandIn = pp.StandIn || (p.Consumer != KMSConsumerName && qp.StandIn)
	}
	return c
}

// profilesOf returns the producer's and consumer's profiles of p (the
// consumer's is zero for the KMS); ok is false when an engine is not open.
func (pool *Pool) profilesOf(p Planned) (oracle.Profile, oracle.Profile, bool) {
	pool.mu.Lock()
	defer pool.mu.Unlock()
	pp, okP := pool.profiles[p.Producer]
	qp, okQ := pool.profiles[p.Consumer]
	return pp, qp, okP && (okQ || p.Consumer == KMSConsumerName)
}

// RunCell runs one cell and judges it against its expectation.
func RunCell(ctx context.Context, p Planned, pool *Pool, k *KMS) Cell {
	return runCell(ctx, p, pool, k, "")
}

// runCell is RunCell; keep, when set, is the report directory that keeps
// the work directory of a failing cell.
func runCell(ctx context.Context, p Planned, pool *Pool, k *KMS, keep string) (c Cell) {
	start := time.Now()
	c = newCell(p, pool)
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
	c.Actual.Outcome, c.Actual.Reason, c.Actual.Class = outcomeOf(x)
	c.Verdict, c.Message = judge(c.Expected, c.Actual)
	if c.Verdict == ExpectedFail && p.Case.Fix != nil {
		x.fail, x.class, x.phase = "", failclass.None, "fix"
		runPhase(x, p.Case.Fix)
		var fixClass failclass.Class
		c.Actual.FixOutcome, c.Actual.FixReason, fixClass = outcomeOf(x)
		if c.Actual.FixOutcome != Pass {
			c.Verdict = Unexpected
			c.Message = fmt.Sprintf("the failure reproduced, but the documented fix did not work (%s): %s", fixClass, c.Actual.FixReason)
		}
	}
	c.Steps, c.Diff = x.steps, x.diff
	if keep != "" && (c.Verdict == Unexpected || c.Verdict == ExpectedFail) && ctx.Err() == nil {
		if rel, err := keepWork(dir, keep, c.ID); err == nil {
			c.Work = rel
		} else {
			c.Message = strings.TrimSpace(c.Message + " (the work directory could not be kept: " + err.Error() + ")")
		}
	}
	return c
}

// runPhase runs fn, turning a panic in a flow into a failure.
func runPhase(x *X, fn func(*X)) {
	defer func() {
		if r := recover(); r != nil {
			x.fail, x.class = "", failclass.None
			x.failf("flow error: panic: %v", r)
		}
	}()
	fn(x)
}

func outcomeOf(x *X) (Outcome, string, failclass.Class) {
	if x.fail == "" {
		return Pass, "", failclass.None
	}
	return Fail, x.fail, x.class
}

// judge compares what happened with what was expected: a failure is
// expected when its class is one of the expectation's classes.
func judge(e Expectation, a Actual) (Verdict, string) {
	switch {
	case e.Outcome == Pass && a.Outcome == Pass:
		return ExpectedPass, ""
	case e.Outcome == Pass:
		return Unexpected, fmt.Sprintf("expected success, but it failed (%s): %s", a.Class, a.Reason)
	case a.Outcome == Pass:
		return Unexpected, fmt.Sprintf("expected a failure (%s), but it succeeded", classList(e.Classes))
	}
	if len(e.Classes) == 0 || slices.Contains(e.Classes, a.Class) {
		return ExpectedFail, ""
	}
	return Unexpected, fmt.Sprintf("expected a failure (%s), but it failed with %s: %s", classList(e.Classes), a.Class, a.Reason)
}

// classList joins classes with " or ".
func classList(cs []failclass.Class) string {
	if len(cs) == 0 {
		return "any class"
	}
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return strings.Join(out, " or ")
}
