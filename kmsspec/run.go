package kmsspec

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/kmsconform/kmsconform/failclass"
	"github.com/kmsconform/kmsconform/internal/kmstarget"
)

// RunTag is the tag key every key of a run carries; its value is the run
// id.
const RunTag = "kmsconform-run"

// Options tunes NewRun.
type Options struct {
	// RunID tags the run's keys (default: "kc-" and 12 random hex digits).
	RunID string
	// OpenSSL is the openssl binary for the specs that need one (default:
	// openssl on PATH; none makes those specs not applicable).
	OpenSSL string
	// RepoRoot is a kmsconform checkout for the script specs (default:
	// the module above the working directory, if any).
	RepoRoot string
	// SpecTimeout bounds one spec (default 2 minutes).
	SpecTimeout time.Duration
	// Parallel is how many specs RunAll runs at once (default 8).
	Parallel int
	// NoScripts makes the aws CLI and boto3 script specs not applicable
	// even from a checkout (they are slow: a process per step).
	NoScripts bool
}

// Run is one run of specs against one endpoint: the client, the keys
// shared by read-only specs and everything to clean up.
type Run struct {
	// ID is the run id (the RunTag value).
	ID string
	// Target is the endpoint and its client.
	Target *kmstarget.Target
	// Client is Target.Client with a middleware that records every call
	// into the running spec's steps.
	Client *kms.Client

	opts Options

	mu      sync.Mutex
	shared  map[string]*sharedKey
	created []string // key ids to schedule for deletion
	aliases []string
	needMu  sync.Mutex
	needs   map[Need]string // checked needs: "" or why unmet
}

type sharedKey struct {
	once sync.Once
	md   *types.KeyMetadata
	err  error
}

// NewRun prepares a run against tg. The caller must Close it.
func NewRun(tg *kmstarget.Target, o Options) *Run {
	if o.RunID == "" {
		b := make([]byte, 6)
		_, _ = rand.Read(b)
		o.RunID = "kc-" + hex.EncodeToString(b)
	}
	if o.SpecTimeout <= 0 {
		o.SpecTimeout = 2 * time.Minute
	}
	if o.Parallel <= 0 {
		o.Parallel = 8
	}
	if o.OpenSSL == "" {
		o.OpenSSL, _ = exec.LookPath("openssl")
	}
	if o.RepoRoot == "" && !o.NoScripts {
		if root, err := kmstarget.ModuleRoot(); err == nil {
			if _, err := os.Stat(filepath.Join(root, "scripts", "aws-cli")); err == nil {
				o.RepoRoot = root
			}
		}
	}
	r := &Run{ID: o.RunID, Target: tg, opts: o, shared: map[string]*sharedKey{}, needs: map[Need]string{}}
	r.Client = kms.New(tg.Client.Options(), recordCalls)
	return r
}

// unmet says why need n cannot be met here ("" when it can); each need is
// checked once per run, on first use.
func (r *Run) unmet(n Need) string {
	r.needMu.Lock()
	defer r.needMu.Unlock()
	if why, done := r.needs[n]; done {
		return why
	}
	why := ""
	switch n {
	case NeedOpenSSL:
		if r.opts.OpenSSL == "" {
			why = "no openssl on PATH"
		}
	case NeedAWSCLI:
		if _, err := exec.LookPath("aws"); err != nil {
			why = "no aws CLI on PATH"
		}
	case NeedBoto3:
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		if err := exec.CommandContext(ctx, "python3", "-c", "import boto3").Run(); err != nil {
			why = "python3 cannot import boto3"
		}
		cancel()
	case NeedScripts:
		if r.opts.NoScripts {
			why = "the aws CLI and boto3 scripts were not asked for (kms check --with-clients)"
		} else if r.opts.RepoRoot == "" {
			why = "not run from a kmsconform checkout (scripts/ not found)"
		}
	}
	r.needs[n] = why
	return why
}

// Unmet returns why spec s cannot run here, or "".
func (r *Run) Unmet(s *Spec) string {
	for _, n := range s.Needs {
		if why := r.unmet(n); why != "" {
			return string(n) + ": " + why
		}
	}
	return ""
}

// Close deletes the run's aliases and schedules every key it created for
// deletion (7 days, the minimum AWS allows).
func (r *Run) Close() error {
	r.mu.Lock()
	aliases, keys := r.aliases, r.created
	r.aliases, r.created = nil, nil
	for _, sk := range r.shared {
		if sk.md != nil {
			keys = append(keys, aws.ToString(sk.md.KeyId))
		}
	}
	r.shared = map[string]*sharedKey{}
	r.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var errs []error
	for _, a := range aliases {
		_, _ = r.Target.Client.DeleteAlias(ctx, &kms.DeleteAliasInput{AliasName: aws.String(a)})
	}
	for _, id := range keys {
		if _, err := r.Target.Client.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(id), PendingWindowInDays: aws.Int32(7)}); err != nil && !strings.Contains(err.Error(), "KMSInvalidStateException") && !strings.Contains(err.Error(), "NotFoundException") {
			errs = append(errs, fmt.Errorf("scheduling deletion of key %s: %w", id, err))
		}
	}
	return errors.Join(errs...)
}

// Status is how a spec ended.
type Status string

// The statuses of a Result.
const (
	Passed  Status = "pass"
	Failed  Status = "fail"
	Skipped Status = "n/a"
)

// Result is one spec's outcome.
type Result struct {
	Spec     *Spec
	Status   Status
	Message  string // why it failed or was not applicable
	Class    failclass.Class
	Calls    []Call
	Duration time.Duration
}

// RunOne runs one spec and returns its result; it never panics.
func (r *Run) RunOne(ctx context.Context, s *Spec) (res Result) {
	res.Spec = s
	start := time.Now()
	if why := r.Unmet(s); why != "" {
		return Result{Spec: s, Status: Skipped, Message: "not applicable here: " + why}
	}
	ctx, cancel := context.WithTimeout(ctx, r.opts.SpecTimeout)
	rec := &recorder{}
	t := &T{Ctx: withRecorder(ctx, rec), C: r.Client, Run: r}
	defer func() {
		timedOut := ctx.Err() != nil
		cancel()
		t.cleanup()
		res.Calls = rec.calls()
		res.Duration = time.Since(start)
		switch p := recover().(type) {
		case nil:
			res.Status = Passed
		case failNow:
			res.Status, res.Message, res.Class = Failed, p.msg, p.class
			if p.skip {
				res.Status, res.Message, res.Class = Skipped, "not applicable here: "+p.msg, ""
			}
		default:
			res.Status, res.Class = Failed, failclass.Other
			res.Message = fmt.Sprintf("the check panicked: %v\n%s", p, firstLines(string(debug.Stack()), 12))
		}
		if res.Status == Failed && timedOut {
			res.Class = failclass.Timeout
			res.Message += fmt.Sprintf(" (the spec ran out of time after %v)", r.opts.SpecTimeout)
		}
	}()
	s.Check(t)
	return res
}

// RunAll runs specs with bounded parallelism and returns their results in
// the order given. progress, if not nil, is called after each spec.
func (r *Run) RunAll(ctx context.Context, specs []*Spec, progress func(done, total int, res Result)) []Result {
	out := make([]Result, len(specs))
	sem := make(chan struct{}, r.opts.Parallel)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	// A slot is taken before the spec's goroutine starts, so specs start
	// exactly in schedule order (goroutines waiting on a channel would
	// not).
	for _, i := range schedule(specs) {
		s := specs[i]
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			out[i] = r.RunOne(ctx, s)
			if progress != nil {
				mu.Lock()
				done++
				progress(done, len(specs), out[i])
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return out
}

// cost is a rough guess of how long a spec takes, for scheduling only:
// the scripts (a process per step), then the specs that wait for an
// RSA_4096 or RSA_3072 key the endpoint must generate.
func cost(s *Spec) int {
	switch {
	case slices.Contains(s.Needs, NeedScripts):
		return 3
	case strings.Contains(s.ID, "RSA_4096"):
		return 2
	case strings.Contains(s.ID, "RSA_3072"):
		return 1
	}
	return 0
}

// schedule returns the order RunAll starts specs in (indexes into specs):
// the costliest first, so that slow key generation overlaps with the rest,
// and within one cost the topics in turn, so that the first specs started
// ask for different slow keys at once (the shared RSA_4096 keys, an
// RSA_4096 data key pair, the RSA_4096 wrapping key) instead of filling
// every slot with specs that wait for the same shared key.
func schedule(specs []*Spec) []int {
	type group struct {
		topics []string         // in order of first appearance
		queue  map[string][]int // topic -> spec indexes, in order
	}
	groups := map[int]*group{}
	var costs []int
	for i, s := range specs {
		c := cost(s)
		g := groups[c]
		if g == nil {
			g = &group{queue: map[string][]int{}}
			groups[c] = g
			costs = append(costs, c)
		}
		if _, seen := g.queue[s.Topic]; !seen {
			g.topics = append(g.topics, s.Topic)
		}
		g.queue[s.Topic] = append(g.queue[s.Topic], i)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(costs)))
	order := make([]int, 0, len(specs))
	for _, c := range costs {
		g := groups[c]
		for len(order) < cap(order) {
			took := false
			for _, t := range g.topics {
				if q := g.queue[t]; len(q) > 0 {
					order = append(order, q[0])
					g.queue[t] = q[1:]
					took = true
				}
			}
			if !took {
				break
			}
		}
	}
	return order
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}
