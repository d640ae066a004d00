// Package conformance runs kmsconform's conformance checks inside a Go
// test of your own, in the style of testing/fstest: a KMS implementation
// (an emulator, a proxy, a fake) calls TestKMS from its tests; an openssl
// build is judged with TestOpenSSL.
//
//	func TestMyKMS(t *testing.T) {
//		conformance.TestKMS(t, "http://127.0.0.1:4566")
//	}
//
// TestKMS runs every KMS compatibility spec (the table `kmsconform kms
// check` runs, package kmsspec) as a subtest named by the spec's stable id;
// TestOpenSSL runs the documented flows with one openssl engine on both
// sides, judged against the Go oracle, with kmsconform's KMS fake in the
// test process. Known failures can be allowed for a while with a gate file
// (WithGate), exactly as in CI.
package conformance

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kmsconform/kmsconform/flows"
	"github.com/kmsconform/kmsconform/gate"
	"github.com/kmsconform/kmsconform/internal/preflight"
	"github.com/kmsconform/kmsconform/kmsfake"
	"github.com/kmsconform/kmsconform/kmsspec"
)

// Option tunes TestKMS, TestOpenSSL and RunKMS.
type Option func(*config)

type config struct {
	region   string
	run      string
	gatePath string
	flows    []int
	parallel int
	timeout  time.Duration
}

// WithRegion signs for region (default: $AWS_REGION, else us-east-1).
func WithRegion(region string) Option { return func(c *config) { c.region = region } }

// WithRun keeps only the specs (TestKMS) or cells (TestOpenSSL) whose id
// matches the regular expression re.
func WithRun(re string) Option { return func(c *config) { c.run = re } }

// WithGate applies a gate file: a failure a live allowance covers is
// skipped with the allowance's reason; past its date it fails with
// "allowance expired on DATE".
func WithGate(path string) Option { return func(c *config) { c.gatePath = path } }

// WithFlows limits TestOpenSSL to these flow numbers (default: all).
func WithFlows(ids ...int) Option { return func(c *config) { c.flows = ids } }

// WithParallel bounds how many specs or cells run at once (default 8).
func WithParallel(n int) Option { return func(c *config) { c.parallel = n } }

// WithTimeout bounds the whole check (default 10 minutes).
func WithTimeout(d time.Duration) Option { return func(c *config) { c.timeout = d } }

func configure(opts []Option) *config {
	c := &config{parallel: 8, timeout: 10 * time.Minute}
	for _, o := range opts {
		o(c)
	}
	return c
}

// judge reports one cell through t, after the gate file (if any).
func judge(t *testing.T, g *gate.File, cell flows.Cell) {
	t.Helper()
	if g != nil {
		cells := []flows.Cell{cell}
		g.Apply(cells, time.Now())
		cell = cells[0]
	}
	switch cell.Verdict {
	case flows.ExpectedPass, flows.ExpectedFail:
	case flows.Skipped:
		t.Skip(cell.Actual.Reason)
	case flows.Allowed:
		t.Skipf("failed, allowed by the gate file: %s\n%s", cell.Allowance, cell.Message)
	default:
		var b strings.Builder
		fmt.Fprintf(&b, "%s\nexpected: %s", cell.Message, cell.Expected.Why)
		for _, s := range cell.Steps {
			fmt.Fprintf(&b, "\n  [%s] %s", s.Role, s.Command)
			if s.Error != "" {
				fmt.Fprintf(&b, ": %s", firstLine(s.Error))
			}
		}
		t.Error(b.String())
	}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

func loadGate(t *testing.T, c *config) *gate.File {
	t.Helper()
	if c.gatePath == "" {
		return nil
	}
	g, err := gate.Load(c.gatePath)
	if err != nil {
		t.Fatalf("conformance: %v", err)
	}
	return g
}

// TestKMS runs every KMS compatibility spec against the KMS at endpoint
// (a base URL; "" means real AWS through the SDK's own resolution), each
// as a subtest t.Run(spec id). Keys it creates are tagged with the run id
// and scheduled for deletion when the test ends. A KMS that does not
// answer fails the test before any spec runs. The aws CLI and boto3 script
// specs are skipped (they need a kmsconform checkout).
func TestKMS(t *testing.T, endpoint string, opts ...Option) {
	t.Helper()
	c := configure(opts)
	g := loadGate(t, c)
	specs, err := kmsspec.Select(c.run)
	if err != nil {
		t.Fatalf("conformance: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	tg, err := kmsspec.Dial(ctx, endpoint, c.region)
	if err != nil {
		t.Fatalf("conformance: %v", err)
	}
	if _, err := preflight.KMS(ctx, tg.Client, endpoint); err != nil {
		t.Fatalf("conformance: %v", err)
	}
	run := kmsspec.NewRun(tg, kmsspec.Options{Parallel: c.parallel, NoScripts: true})
	// The specs run in parallel before the subtests report them, so that a
	// caller's deferred clean-up (stopping its KMS) happens after them.
	results := run.RunAll(ctx, specs, nil)
	if err := run.Close(); err != nil {
		t.Logf("conformance: cleaning up the run's keys: %v", err)
	}
	for _, res := range results {
		t.Run(res.Spec.ID, func(t *testing.T) { judge(t, g, kmsspec.Cell(res, endpoint)) })
	}
}

// RunKMS runs the specs against endpoint outside a test and returns the
// report `kmsconform kms check` would write (the gate file, if any,
// applied).
func RunKMS(ctx context.Context, endpoint string, opts ...Option) (*flows.Report, error) {
	c := configure(opts)
	specs, err := kmsspec.Select(c.run)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	tg, err := kmsspec.Dial(ctx, endpoint, c.region)
	if err != nil {
		return nil, err
	}
	info, err := preflight.KMS(ctx, tg.Client, endpoint)
	if err != nil {
		return nil, err
	}
	run := kmsspec.NewRun(tg, kmsspec.Options{Parallel: c.parallel, NoScripts: true})
	started := time.Now()
	results := run.RunAll(ctx, specs, nil)
	cerr := run.Close()
	rep := kmsspec.Report(results, endpoint, started)
	rep.KMSServer = info.Server
	rep.KMSEndpoint, rep.KMSRegion = endpoint, tg.Region
	if c.gatePath != "" {
		g, err := gate.Load(c.gatePath)
		if err != nil {
			return nil, err
		}
		g.ApplyReport(rep, time.Now())
	}
	return rep, cerr
}

// StartFake serves kmsconform's KMS fake on a free loopback port in this
// process and returns its endpoint and a function that stops it: a KMS for
// tests of code that talks to KMS, and the reference TestKMS passes on.
func StartFake() (endpoint string, stop func(), err error) {
	srv, err := kmsfake.New(kmsfake.Options{Region: "us-east-1", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return "", nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		srv.Close()
		return "", nil, err
	}
	hs := httptest.NewUnstartedServer(srv)
	hs.Listener = l
	hs.Start()
	return hs.URL, func() { hs.Close(); srv.Close() }, nil
}
