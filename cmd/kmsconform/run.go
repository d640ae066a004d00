package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/kmsconform/kmsconform/engine"
	// openssl-X engines: real openssl builds in containers (kmsconform images build).
	_ "github.com/kmsconform/kmsconform/engine/container"
	"github.com/kmsconform/kmsconform/flows"
	"github.com/kmsconform/kmsconform/render"
)

func init() {
	register("run", "run the documented flows: producer x consumer openssl engines against a KMS", runFlows)
}

// runFlows is `kmsconform run [--engines host,oracle] [--flows 1,2] [--kms-endpoint URL] [--report DIR] [--shard I/N]`.
func runFlows(args []string) int {
	fs := flag.NewFlagSet("kmsconform run", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	enginesFlag := fs.String("engines", "host,oracle", "comma-separated openssl engines (host, host:/path, oracle, oracle@1.0.2, oracle-bin, openssl-3.5, ...)")
	flowsFlag := fs.String("flows", "", "comma-separated flow numbers (default: all)")
	endpoint := fs.String("kms-endpoint", os.Getenv("AWS_ENDPOINT_URL"), "KMS endpoint URL with the standard AWS credential chain (default: $AWS_ENDPOINT_URL, else the in-process fake)")
	reportDir := fs.String("report", "", "write junit.xml, results.json, report.md and report.html to this directory")
	shard := fs.String("shard", "", "run only slice I of N of the cells, e.g. 2/4")
	parallel := fs.Int("parallel", 0, "cells run at once (default max(16, 8 x CPUs): most of a cell is waiting on processes)")
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: kmsconform run [--engines host,oracle] [--flows 1,2,...] [--kms-endpoint URL] [--report DIR] [--shard I/N]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		return runUsageError(fmt.Sprintf("unexpected argument %q", fs.Arg(0)), "flags only, e.g. kmsconform run --flows 1,4")
	}
	names := engine.ParseList(*enginesFlag)
	if len(names) == 0 {
		return runUsageError("--engines is empty", "name at least one engine, e.g. --engines host,oracle")
	}
	selected, err := runSelectFlows(*flowsFlag)
	if err != nil {
		return runUsageError(err.Error(), "flows are numbered 1 to 9; e.g. --flows 1,4")
	}
	cells := flows.Plan(selected, names)
	if *shard != "" {
		i, n, err := runParseShard(*shard)
		if err == nil {
			cells, err = flows.Shard(cells, i, n)
		}
		if err != nil {
			return runUsageError(err.Error(), "--shard I/N with 1 <= I <= N, e.g. --shard 1/4")
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	k, err := flows.OpenKMS(ctx, *endpoint)
	if err != nil {
		return runFailure(err.Error(), "check --kms-endpoint and your AWS credentials, or leave both unset for the in-process fake")
	}
	defer k.Close()

	opts := flows.Options{Cells: cells, KMS: k, Parallel: *parallel, Progress: render.Progress(os.Stderr)}
	rep, err := flows.Run(ctx, opts)
	if rep == nil {
		return runFailure(err.Error(), "check that every engine in --engines exists (`kmsconform run --engines host` uses only the openssl on PATH)")
	}
	rep.Shard = *shard
	if *reportDir != "" {
		if werr := runWriteReport(*reportDir, rep); werr != nil {
			return runFailure(werr.Error(), "check that the --report directory is writable")
		}
	}
	render.WriteSummary(os.Stdout, rep)
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(os.Stderr, "kmsconform: error: interrupted; the report holds the cells finished so far")
		return 130
	}
	if n := rep.Unexpected(); n > 0 {
		fmt.Fprintf(os.Stderr, "kmsconform: error: %d unexpected cell(s)\n", n)
		fmt.Fprintln(os.Stderr, "kmsconform: hint: each cell in junit.xml / results.json lists the exact commands, stderr and a hex diff; rerun one flow with --flows N")
		return 1
	}
	return 0
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

func runWriteReport(dir string, rep *flows.Report) error {
	return render.Write(dir, rep)
}

func runUsageError(msg, hint string) int {
	fmt.Fprintf(os.Stderr, "kmsconform: error: %s\nkmsconform: hint: %s\n", msg, hint)
	return 2
}

func runFailure(msg, hint string) int {
	fmt.Fprintf(os.Stderr, "kmsconform: error: %s\nkmsconform: hint: %s\n", msg, hint)
	return 1
}
