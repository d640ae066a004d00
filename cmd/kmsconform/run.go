package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/kmsconform/kmsconform/diagnose"
	"github.com/kmsconform/kmsconform/engine"
	// openssl-X engines: real openssl builds in containers (kmsconform images build).
	_ "github.com/kmsconform/kmsconform/engine/container"
	"github.com/kmsconform/kmsconform/flows"
	"github.com/kmsconform/kmsconform/internal/cli"
	"github.com/kmsconform/kmsconform/internal/preflight"
	"github.com/kmsconform/kmsconform/render"
)

func init() {
	register("run", "run the documented flows: producer x consumer openssl engines against a KMS", runFlows)
}

// runFlows is `kmsconform run [--engines host,oracle] [--flows 1,2] [--kms-endpoint URL] [--report DIR] [--shard I/N]`.
func runFlows(args []string) int {
	fs := cli.NewFlags("kmsconform run", "[--engines LIST] [--flows LIST] [--kms-endpoint URL] [--report DIR] [--shard I/N]")
	enginesFlag := fs.String("engines", "host,oracle", "comma-separated openssl engines (host, host:/path, oracle, oracle@1.0.2, oracle-bin, openssl-3.5, ...)")
	flowsFlag := fs.String("flows", "", "comma-separated flow numbers (default: all)")
	endpoint := fs.String("kms-endpoint", os.Getenv("AWS_ENDPOINT_URL"), "KMS endpoint URL with the standard AWS credential chain (default: $AWS_ENDPOINT_URL, else the in-process fake)")
	reportDir := fs.String("report", "", "write junit.xml, results.json, report.md and report.html to this directory")
	keepWork := fs.Bool("keep-work", true, "with --report, keep the files of every failing cell in DIR/work/CELL, mode 0700 (--keep-work=false keeps none)")
	shard := fs.String("shard", "", "run only slice I of N of the cells, e.g. 2/4")
	parallel := fs.Int("parallel", 0, "cells run at once (default max(16, 8 x CPUs): most of a cell is waiting on processes)")
	gf := addGateFlags(fs)
	fs.Meta("engines", "LIST")
	fs.Meta("flows", "LIST")
	fs.Meta("kms-endpoint", "URL")
	fs.Meta("report", "DIR")
	fs.Meta("shard", "I/N")
	fs.Extra = "Exit status: 0 every cell as expected, 1 an unexpected cell, 2 usage, 3 setup (KMS, Docker,\nreport directory: checked before any cell runs), 130 interrupted (the report keeps what ran)."
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	if fs.NArg() > 0 {
		return cli.Print(os.Stderr, cli.Usage(fmt.Sprintf("unexpected argument %q", fs.Arg(0)), "flags only, e.g. kmsconform run --flows 1,4"))
	}
	if err := gf.load(); err != nil {
		return cli.Print(os.Stderr, err)
	}
	if f := gf.file; f != nil {
		// The gate file's settings apply where no flag says otherwise.
		if len(f.Engines) > 0 && !fs.Given("engines") {
			*enginesFlag = strings.Join(f.Engines, ",")
		}
		if len(f.Flows) > 0 && !fs.Given("flows") {
			*flowsFlag = strings.Join(f.Flows, ",")
		}
		if f.Endpoint != "" && !fs.Given("kms-endpoint") {
			*endpoint = f.Endpoint
		}
		if f.Region != "" && os.Getenv("AWS_REGION") == "" {
			os.Setenv("AWS_REGION", f.Region)
		}
	}
	names := engine.ParseList(*enginesFlag)
	if len(names) == 0 {
		return cli.Print(os.Stderr, cli.Usage("--engines is empty", "name at least one engine, e.g. --engines host,oracle"))
	}
	if err := runCheckEngineNames(names); err != nil {
		return cli.Print(os.Stderr, err)
	}
	selected, err := runSelectFlows(*flowsFlag)
	if err != nil {
		return cli.Print(os.Stderr, cli.Usage(err.Error(), "flows are numbered 1 to 9; e.g. --flows 1,4"))
	}
	cells := flows.Plan(selected, names)
	if *shard != "" {
		i, n, err := runParseShard(*shard)
		if err == nil {
			cells, err = flows.Shard(cells, i, n)
		}
		if err != nil {
			return cli.Print(os.Stderr, cli.Usage(err.Error(), "--shard I/N with 1 <= I <= N, e.g. --shard 1/4"))
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// After the first signal the run winds down (report, clean-up); a
	// second one gets the default behaviour back and ends the process.
	context.AfterFunc(ctx, stop)

	// Pre-flight: nothing runs unless the report can be written, the
	// engines can start and a KMS answers.
	if *reportDir != "" {
		if err := preflight.ReportDir(*reportDir); err != nil {
			return runSetup(ctx, err)
		}
	}
	if err := preflight.Engines(ctx, flows.EngineNames(cells)); err != nil {
		return runSetup(ctx, err)
	}
	k, err := flows.OpenKMS(ctx, *endpoint)
	if err != nil {
		return runSetup(ctx, err)
	}
	defer k.Close()
	if k.Warning != "" {
		cli.Warnf(os.Stderr, "%s", k.Warning)
	}
	pool, err := flows.OpenPool(ctx, flows.EngineNames(cells))
	if err != nil {
		return runSetup(ctx, err)
	}
	defer pool.Close()

	opts := flows.Options{Cells: cells, KMS: k, Pool: pool, Parallel: *parallel, Progress: render.Progress(os.Stderr)}
	if *reportDir != "" && *keepWork {
		opts.KeepWork = *reportDir
	}
	rep, err := flows.Run(ctx, opts)
	if rep == nil {
		return runSetup(ctx, err)
	}
	rep.Shard = *shard
	stale := gf.apply(rep)
	if opts.KeepWork != "" && !rep.Interrupted && rep.Unexpected() > 0 {
		// The doctor's word on each unexpected cell's kept files.
		diagnose.CellsWith(ctx, rep, *reportDir, diagnose.Options{KMS: k.Client})
	}
	if *reportDir != "" {
		if werr := render.Write(*reportDir, rep); werr != nil {
			return cli.Print(os.Stderr, cli.Setup(werr, "check that the --report directory is writable"))
		}
	}
	render.WriteSummary(os.Stdout, rep)
	if *reportDir != "" {
		fmt.Fprintf(os.Stdout, "report: %s\n", filepath.Join(*reportDir, "report.html"))
	} else {
		fmt.Fprintln(os.Stdout, "add --report DIR to keep junit.xml, results.json and report.html")
	}
	if rep.Interrupted || errors.Is(err, context.Canceled) {
		ran := len(rep.Cells) - rep.Count(flows.Interrupted)
		cli.Errorf(os.Stderr, "interrupted: %d of %d cells ran; the report holds them, the rest are marked interrupted", ran, rep.Planned)
		return cli.ExitInterrupted
	}
	if n := rep.Unexpected(); n > 0 {
		return cli.Print(os.Stderr, cli.Failure(fmt.Sprintf("%d unexpected cell(s)", n),
			"each cell in junit.xml / results.json lists the exact commands, stderr and a hex diff; rerun one flow with --flows N; accept a known failure for a while in a --gate file"))
	}
	if err := gf.staleErr(stale); err != nil {
		return cli.Print(os.Stderr, err)
	}
	return cli.ExitOK
}

// runSetup prints a pre-flight or start-up error as a setup error (exit 3)
// with its hint and returns the exit code; a usage error (a mistyped engine
// name found on opening it) stays one, and a signal during set-up is an
// interruption (130).
func runSetup(ctx context.Context, err error) int {
	var ce *cli.Error
	var pe *preflight.Error
	switch {
	case ctx.Err() != nil:
		err = ctx.Err()
	case errors.As(err, &ce):
	case errors.As(err, &pe):
		err = preflight.CLI(err)
	default:
		err = cli.Setup(err, "check that every engine in --engines exists (`kmsconform run --engines host` uses only the openssl on PATH)")
	}
	return cli.Print(os.Stderr, err)
}

// runCheckEngineNames refuses, as a usage error with "did you mean", an
// engine name that no engine family claims.
func runCheckEngineNames(names []string) error {
	for _, n := range names {
		claimed := false
		for _, p := range engine.Prefixes() {
			if strings.HasPrefix(n, p) {
				claimed = true
				break
			}
		}
		if claimed {
			continue
		}
		hint := "known engines: " + strings.Join(engine.Forms(), ", ")
		if s := cli.Suggest(n, engine.Names()); s != "" {
			hint = fmt.Sprintf("did you mean %q? (%s)", s, hint)
		}
		return cli.Usage(fmt.Sprintf("--engines: unknown engine %q", n), hint)
	}
	return nil
}

func runSelectFlows(s string) ([]*flows.Flow, error) {
	if strings.TrimSpace(s) == "" {
		return flows.All(), nil
	}
	var out []*flows.Flow
	for _, f := range engine.ParseList(s) {
		id, err := strconv.Atoi(f)
		if err != nil {
			return nil, fmt.Errorf("--flows: %q is not a flow number", f)
		}
		fl, ok := flows.Lookup(id)
		if !ok {
			return nil, fmt.Errorf("--flows: there is no flow %d", id)
		}
		out = append(out, fl)
	}
	return out, nil
}

func runParseShard(s string) (int, int, error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("--shard %q: want I/N", s)
	}
	return i, n, nil
}
