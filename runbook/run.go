package runbook

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/kmsconform/kmsconform/failclass"
	"github.com/kmsconform/kmsconform/flows"
	"github.com/kmsconform/kmsconform/internal/buildinfo"
	"github.com/kmsconform/kmsconform/internal/cli"
	"github.com/kmsconform/kmsconform/internal/preflight"
	"github.com/kmsconform/kmsconform/internal/proc"
)

// DefaultTimeout bounds one cell.
const DefaultTimeout = 2 * time.Minute

// FlowBase numbers runbook sections in reports: the Nth runbook of a run is
// flow FlowBase+N (the documented flows are 1 to 9).
const FlowBase = 100

// Options tunes Run. Engines is required.
type Options struct {
	// Engines are the openssl engines; cells are every producer × consumer.
	Engines []string
	// KMSEndpoint is a KMS URL used with the standard credential chain;
	// empty starts the in-process fake.
	KMSEndpoint string
	// Timeout bounds each cell (default DefaultTimeout).
	Timeout time.Duration
	// Parallel is how many cells run at once (default 4).
	Parallel int
	// Binary is the kmsconform binary for oracle engines (default
	// $KMSCONFORM_BIN, else this executable).
	Binary string
	// AWS is the aws CLI (default: aws on PATH).
	AWS string
	// Pairs, when set, limits the cells to these "producer>consumer" pairs
	// of Engines instead of every producer × consumer.
	Pairs []string
	// Progress, when set, is called after each cell.
	Progress func(done, total int, c *flows.Cell)
}

// run is one Run's shared state.
type run struct {
	o       Options
	k       *flows.KMS
	awsPath string
	engines map[string]*openedEngine
	keys    map[string]string // key NAME → key id
	seq     int
	mu      sync.Mutex
}

// Run runs every runbook on every producer × consumer pair of o.Engines and
// returns the report. Setup problems (KMS unreachable, an engine that does
// not open, no aws CLI) are *cli.Error with exit code 3, before any cell
// runs; a cancelled ctx gives a partial report and ctx's error.
func Run(ctx context.Context, rbs []*Runbook, o Options) (*flows.Report, error) {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Parallel <= 0 {
		o.Parallel = 4
	}
	if len(o.Engines) == 0 {
		return nil, cli.Usage("no engines", "e.g. --engines host,oracle")
	}
	for _, p := range o.Pairs {
		a, b, ok := strings.Cut(p, ">")
		if !ok || !contains(o.Engines, a) || !contains(o.Engines, b) {
			return nil, cli.Usage(fmt.Sprintf("pair %q is not PRODUCER>CONSUMER of the engines %s", p, strings.Join(o.Engines, ",")), "e.g. --pairs 'host>oracle,oracle>host'")
		}
	}
	start := time.Now()
	r := &run{o: o, engines: map[string]*openedEngine{}, keys: map[string]string{}}
	defer r.closeEngines()
	if err := r.setup(ctx, rbs); err != nil {
		return nil, err
	}
	defer r.k.Close()
	defer r.deleteKeys()

	rep := &flows.Report{Started: start, KMS: r.k.Label, Tool: buildinfo.Short()}
	if i := strings.Index(r.k.Label, "; server: "); i >= 0 {
		rep.KMSServer = r.k.Label[i+len("; server: "):]
	}
	for _, n := range o.Engines {
		rep.Engines = append(rep.Engines, r.engines[n].info)
	}
	type job struct {
		rb         *Runbook
		flow       int
		prod, cons string
	}
	var jobs []job
	for i, rb := range rbs {
		for _, p := range o.Engines {
			for _, c := range o.Engines {
				if len(o.Pairs) == 0 || contains(o.Pairs, p+">"+c) {
					jobs = append(jobs, job{rb, FlowBase + i + 1, p, c})
				}
			}
		}
	}
	rep.Planned = len(jobs)
	cells := make([]*flows.Cell, len(jobs))
	sem := make(chan struct{}, o.Parallel)
	var wg sync.WaitGroup
	var done int
	var pmu sync.Mutex
	for i, j := range jobs {
		if ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			c := r.cell(ctx, j.rb, j.flow, j.prod, j.cons)
			cells[i] = c
			pmu.Lock()
			done++
			if o.Progress != nil {
				o.Progress(done, len(jobs), c)
			}
			pmu.Unlock()
		}()
	}
	wg.Wait()
	for _, c := range cells {
		if c != nil {
			rep.Cells = append(rep.Cells, *c)
		}
	}
	rep.Duration = flows.Duration(time.Since(start))
	if ctx.Err() != nil {
		rep.Interrupted = true
		return rep, ctx.Err()
	}
	return rep, nil
}

// setup opens the KMS, creates the keys, finds the aws CLI and opens the
// engines.
func (r *run) setup(ctx context.Context, rbs []*Runbook) error {
	k, err := flows.OpenKMS(ctx, r.o.KMSEndpoint)
	if err != nil {
		return cli.Setup(err, "check --kms-endpoint and your AWS credentials, or leave --kms-endpoint unset for the in-process fake")
	}
	r.k = k
	if _, err := preflight.KMS(ctx, k.Client, r.o.KMSEndpoint); err != nil {
		k.Close()
		return setupErr(err, "start the KMS (or check the URL and credentials) and rerun")
	}
	if err := preflight.Engines(ctx, r.o.Engines); err != nil {
		k.Close()
		return setupErr(err, "leave container engines out of --engines, or build their images")
	}
	usesAWS := false
	for _, rb := range rbs {
		if mentions(rb.codeText(), "aws") {
			usesAWS = true
		}
		for _, kd := range rb.Keys {
			if _, dup := r.keys[kd.Name]; dup {
				continue
			}
			id, err := k.CreateKey(ctx, kd.Spec, kd.Usage, "")
			if err != nil {
				k.Close()
				return cli.Setup(fmt.Errorf("%s:%d: creating key %s (%s %s): %w", rb.File, kd.Line, kd.Name, kd.Spec, kd.Usage, err), "check that the KMS supports this key spec and that the credentials may create keys")
			}
			r.keys[kd.Name] = id
		}
	}
	awsName := r.o.AWS
	if awsName == "" {
		awsName = "aws"
	}
	if p, err := exec.LookPath(awsName); err == nil {
		r.awsPath = p
	} else if usesAWS {
		k.Close()
		return cli.Setup(fmt.Errorf("the runbook calls aws but there is no aws CLI (%q): %w", awsName, err), "install the aws CLI (apt-get install awscli, or pip install awscli) or name one with --aws PATH")
	}
	for _, n := range r.o.Engines {
		if _, ok := r.engines[n]; ok {
			continue
		}
		e, err := openEngine(ctx, n, r.o)
		if errors.Is(err, errUnknownEngine) {
			k.Close()
			return cli.Usage(err.Error(), "e.g. --engines host,oracle,oracle@1.1.1,openssl-3.5")
		}
		if err != nil {
			k.Close()
			return cli.Setup(err, "check --engines: host, host:/path/to/openssl, oracle, oracle@1.1.1, openssl-3.5 (container engines need Docker and `kmsconform images build`)")
		}
		r.engines[n] = e
	}
	return nil
}

// setupErr turns a preflight error (with its own hint) into exit 3.
func setupErr(err error, hint string) error {
	var pe *preflight.Error
	if errors.As(err, &pe) && pe.Hint != "" {
		hint = pe.Hint
	}
	return cli.Setup(err, hint)
}

func (r *run) closeEngines() {
	for _, e := range r.engines {
		_ = e.close()
	}
}

// deleteKeys schedules the run's keys for deletion on a real endpoint (the
// fake goes away by itself).
func (r *run) deleteKeys() {
	if r.o.KMSEndpoint == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, id := range r.keys {
		_, _ = r.k.Client.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(id), PendingWindowInDays: aws.Int32(7)})
	}
}

// env is the environment of a cell's bash.
func (r *run) env(base, bin, script, cellID string) []string {
	set := map[string]string{
		"PATH":      bin + string(os.PathListSeparator) + os.Getenv("PATH"),
		"KC_TRACE":  filepath.Join(base, "trace"),
		"KC_SCRIPT": script,
		"KC_BASE":   base,
		"KC_AWS":    r.awsPath,
		"KC_CELL":   cellID,
		"KC_TSECS":  strconv.Itoa(int(r.o.Timeout.Seconds()) + 1),
		"KC_POOL":   strconv.Itoa(jobPool),
		"AWS_PAGER": "",
	}
	drop := map[string]bool{"BASH_ENV": true, "ENV": true, "CDPATH": true}
	if r.o.KMSEndpoint == "" {
		set["KC_ENDPOINT"] = r.k.Endpoint
		set["AWS_REGION"], set["AWS_DEFAULT_REGION"] = r.k.Region, r.k.Region
		set["AWS_ACCESS_KEY_ID"], set["AWS_SECRET_ACCESS_KEY"] = "kmsconformlocal", "kmsconformlocal"
		set["AWS_CONFIG_FILE"], set["AWS_SHARED_CREDENTIALS_FILE"] = os.DevNull, os.DevNull
		for _, k := range []string{"AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_KMS"} {
			drop[k] = true
		}
	} else {
		set["KC_ENDPOINT"] = r.o.KMSEndpoint
		if os.Getenv("AWS_REGION") == "" && os.Getenv("AWS_DEFAULT_REGION") == "" {
			set["AWS_REGION"], set["AWS_DEFAULT_REGION"] = r.k.Region, r.k.Region
		}
	}
	for name, id := range r.keys {
		set[name] = id
	}
	var out []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if _, over := set[k]; over || drop[k] || strings.HasPrefix(k, "KC_") {
			continue
		}
		out = append(out, kv)
	}
	for k, v := range set {
		out = append(out, k+"="+v)
	}
	return out
}

// cell runs rb once with producer prod and consumer cons.
func (r *run) cell(ctx context.Context, rb *Runbook, flow int, prod, cons string) *flows.Cell {
	r.mu.Lock()
	r.seq++
	cellID := "c" + strconv.Itoa(r.seq)
	r.mu.Unlock()
	c := &flows.Cell{ID: fmt.Sprintf("runbook:%s/%s>%s", rb.Name, prod, cons), Flow: flow, FlowTitle: "runbook " + rb.Name + ": " + rb.Title,
		Seed: rb.File, Case: rb.Name, Producer: prod, Consumer: cons,
		StandIn: r.engines[prod].info.StandIn || r.engines[cons].info.StandIn}
	c.Expected = expectation(rb, prod, cons)
	t0 := time.Now()
	defer func() { c.Duration = flows.Duration(time.Since(t0)) }()
	setupFail := func(err error) *flows.Cell {
		c.Actual = flows.Actual{Outcome: flows.Fail, Reason: "harness: " + err.Error(), Class: failclass.ToolNotRunnable}
		c.Verdict, c.Message = flows.Unexpected, "the cell could not be set up: "+err.Error()
		return c
	}
	base, err := os.MkdirTemp("", "kmsconform-runbook-")
	if err != nil {
		return setupFail(err)
	}
	defer os.RemoveAll(base)
	work, bin := filepath.Join(base, "work"), filepath.Join(base, "bin")
	for _, d := range []string{work, bin, filepath.Join(base, "err")} {
		if err := os.Mkdir(d, 0o700); err != nil {
			return setupFail(err)
		}
	}
	for _, f := range rb.Files {
		b := make([]byte, f.Size)
		_, _ = rand.Read(b)
		if err := os.WriteFile(filepath.Join(work, f.Name), b, 0o600); err != nil {
			return setupFail(err)
		}
	}
	script := filepath.Join(base, rb.Name+".sh")
	for _, w := range []struct{ path, text string }{
		{filepath.Join(bin, "openssl"), opensslWrapper(r.engines[prod].spec, r.engines[cons].spec)},
		{filepath.Join(bin, "aws"), awsWrapper},
		{filepath.Join(base, "prelude.sh"), prelude},
		{script, rb.Compile()},
	} {
		if err := writeExec(w.path, w.text); err != nil {
			return setupFail(err)
		}
	}
	defer r.cleanJobs(cellID, prod, cons)
	if err := r.makeJobs(cellID, prod, cons); err != nil {
		return setupFail(err)
	}

	cctx, cancel := context.WithTimeout(ctx, r.o.Timeout)
	defer cancel()
	cmd := exec.CommandContext(cctx, "bash", "--noprofile", "--norc", filepath.Join(base, "prelude.sh"))
	cmd.Dir = work
	cmd.Env = r.env(base, bin, script, cellID)
	var stderr bytes.Buffer
	cmd.Stdout = io.Discard
	cmd.Stderr = &limitedBuffer{b: &stderr, max: 1 << 20}
	proc.Group(cmd, syscall.SIGKILL, 2*time.Second)
	runErr := cmd.Run()
	exit := 0
	var ee *exec.ExitError
	if errors.As(runErr, &ee) {
		exit = ee.ExitCode()
	} else if runErr != nil {
		exit = -1
	}
	tr := readTrace(filepath.Join(base, "trace"))
	c.Steps = tr.steps(rb)
	switch {
	case ctx.Err() != nil:
		c.Actual = flows.Actual{Outcome: flows.Fail, Reason: "interrupted", Class: failclass.Interrupted}
		c.Verdict = flows.Interrupted
		return c
	case cctx.Err() != nil:
		where := ""
		if n := tr.lastLine(); n > 0 {
			where = fmt.Sprintf(" (last command %s:%d `%s`)", rb.File, rb.CommandStart(n), redact(tr.lastCommand()))
		}
		c.Actual = flows.Actual{Outcome: flows.Fail, Reason: fmt.Sprintf("timed out after %s%s", r.o.Timeout, where), Class: failclass.Timeout}
	case exit != 0:
		c.Actual = tr.failure(rb, exit, stderr.String(), c.Steps)
	default:
		c.Actual = flows.Actual{Outcome: flows.Pass}
		for _, s := range rb.Same {
			a, errA := os.ReadFile(filepath.Join(work, s.A))
			b, errB := os.ReadFile(filepath.Join(work, s.B))
			if err := errors.Join(errA, errB); err != nil {
				c.Actual = flows.Actual{Outcome: flows.Fail, Class: failclass.FileNotFound,
					Reason: fmt.Sprintf("%s:%d: same %s %s: %v", rb.File, s.Line, s.A, s.B, err)}
				break
			}
			if !bytes.Equal(a, b) {
				c.Actual = flows.Actual{Outcome: flows.Fail, Class: failclass.Mismatch,
					Reason: fmt.Sprintf("%s:%d: same %s %s: the files differ (%d and %d bytes)", rb.File, s.Line, s.A, s.B, len(a), len(b))}
				c.Diff = flows.HexDiff(s.A, a, s.B, b)
				break
			}
		}
	}
	verdict(c)
	return c
}

// jobPool is how many job directories (with their FIFOs) a cell gets made
// in advance in each container agent's control directory, so that the
// wrapper spends no process on mkdir and mkfifo (it claims one with a
// builtin; past the pool it makes its own).
const jobPool = 128

// makeJobs makes the cell's job directories for its container engines.
func (r *run) makeJobs(cellID string, names ...string) error {
	done := map[string]bool{}
	for _, n := range names {
		e := r.engines[n]
		if e == nil || e.spec.Kind != "agent" || done[n] {
			continue
		}
		done[n] = true
		for i := 0; i < jobPool; i++ {
			d := filepath.Join(e.spec.Ctl, fmt.Sprintf("rb%s-p%d", cellID, i))
			if err := os.Mkdir(d, 0o700); err != nil {
				return err
			}
			for _, f := range []string{"in", "out", "done"} {
				if err := syscall.Mkfifo(filepath.Join(d, f), 0o600); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// cleanJobs removes the cell's job directories from the container agents'
// control directories.
func (r *run) cleanJobs(cellID string, names ...string) {
	for _, n := range names {
		if e := r.engines[n]; e != nil && e.spec.Kind == "agent" {
			m, _ := filepath.Glob(filepath.Join(e.spec.Ctl, "rb"+cellID+"-*"))
			for _, d := range m {
				_ = os.RemoveAll(d)
			}
		}
	}
}

// expectation is what the runbook's expect directives say of the cell.
func expectation(rb *Runbook, prod, cons string) flows.Expectation {
	var classes []failclass.Class
	var whys []string
	for _, e := range rb.Expect {
		if e.Matches(prod, cons) {
			classes = append(classes, e.Class)
			whys = append(whys, fmt.Sprintf("%s (%s:%d)", e.Why, rb.File, e.Line))
		}
	}
	if len(classes) == 0 {
		return flows.Expectation{Outcome: flows.Pass}
	}
	return flows.Expectation{Outcome: flows.Fail, Classes: classes, Why: strings.Join(whys, "; ")}
}

// verdict compares a cell's actual outcome with its expectation.
func verdict(c *flows.Cell) {
	switch {
	case c.Expected.Outcome == flows.Pass && c.Actual.Outcome == flows.Pass:
		c.Verdict = flows.ExpectedPass
	case c.Expected.Outcome == flows.Fail && c.Actual.Outcome == flows.Fail && containsClass(c.Expected.Classes, c.Actual.Class):
		c.Verdict = flows.ExpectedFail
	case c.Expected.Outcome == flows.Fail && c.Actual.Outcome == flows.Pass:
		c.Verdict, c.Message = flows.Unexpected, fmt.Sprintf("expected to fail (%s: %s) but passed", classList(c.Expected.Classes), c.Expected.Why)
	case c.Expected.Outcome == flows.Fail:
		c.Verdict, c.Message = flows.Unexpected, fmt.Sprintf("expected to fail with %s but failed with %s: %s", classList(c.Expected.Classes), c.Actual.Class, c.Actual.Reason)
	default:
		c.Verdict, c.Message = flows.Unexpected, fmt.Sprintf("failed (%s): %s", c.Actual.Class, c.Actual.Reason)
	}
}

func containsClass(cs []failclass.Class, c failclass.Class) bool {
	for _, x := range cs {
		if x == c {
			return true
		}
	}
	return false
}

func classList(cs []failclass.Class) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = string(c)
	}
	return strings.Join(s, " or ")
}

// limitedBuffer keeps the first max bytes written to it.
type limitedBuffer struct {
	b   *bytes.Buffer
	max int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.max - l.b.Len(); room > 0 {
		if len(p) > room {
			l.b.Write(p[:room])
		} else {
			l.b.Write(p)
		}
	}
	return len(p), nil
}
