package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/kmsconform/kmsconform/engine"
	"github.com/kmsconform/kmsconform/flows"
	"github.com/kmsconform/kmsconform/gate"
	"github.com/kmsconform/kmsconform/internal/cli"
	"github.com/kmsconform/kmsconform/internal/preflight"
	"github.com/kmsconform/kmsconform/render"
	"github.com/kmsconform/kmsconform/runbook"
)

func init() {
	register("runbook", "run a partner runbook (shell or Markdown) across openssl engines on both sides; `runbook lint` checks it", runRunbook)
}

const runbookUsage = `usage: kmsconform runbook [--engines LIST] [--pairs P>C,...] [--kms-endpoint URL] [--gate FILE] [--report DIR] [--timeout D] FILE...
       kmsconform runbook lint [--format text|json] [--versions 1.1.1,3.5] FILE...`

// runRunbook is `kmsconform runbook ...`.
func runRunbook(args []string) int {
	if len(args) > 0 && args[0] == "lint" {
		return runRunbookLint(args[1:])
	}
	fs := flag.NewFlagSet("kmsconform runbook", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	enginesFlag := fs.String("engines", "host,oracle", "comma-separated openssl engines: host, host:/path, oracle, oracle@1.1.1, openssl-1.1.1, openssl-3.5, ...")
	endpoint := fs.String("kms-endpoint", "", "a KMS endpoint URL with the standard AWS credential chain (default: the in-process fake); keys are scheduled for deletion afterwards")
	reportDir := fs.String("report", "", "write junit.xml, results.json, report.md and report.html to this directory")
	timeout := fs.Duration("timeout", runbook.DefaultTimeout, "time limit of one cell (one run of the runbook)")
	parallel := fs.Int("parallel", 4, "cells run at once")
	awsCLI := fs.String("aws", "", "the aws CLI to run (default: aws on PATH)")
	gateFile := fs.String("gate", "", "a gate file: reviewed, expiring allowances for known unexpected cells (ids like runbook:FILE/PRODUCER>CONSUMER)")
	pairs := fs.String("pairs", "", "only these cells, e.g. 'host>oracle,oracle>host' (default: every producer x consumer)")
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, runbookUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return cli.ExitUsage
	}
	if fs.NArg() == 0 {
		return cli.Print(os.Stderr, cli.Usage("no runbook given", "e.g. kmsconform runbook --engines host,oracle examples/runbooks/hybrid-onboarding.sh"))
	}
	names := engine.ParseList(*enginesFlag)
	if len(names) == 0 {
		return cli.Print(os.Stderr, cli.Usage("--engines is empty", "name at least one engine, e.g. --engines host,oracle"))
	}
	var rbs []*runbook.Runbook
	bad := false
	for _, f := range fs.Args() {
		rb, err := runbook.ParseFile(f)
		var ie *runbook.InputError
		if errors.As(err, &ie) {
			for _, p := range ie.Problems {
				fmt.Fprintf(os.Stderr, "%s: error: %s\n", cli.Prog, p)
				if p.Hint != "" {
					fmt.Fprintf(os.Stderr, "%s: hint: %s\n", cli.Prog, p.Hint)
				}
			}
			bad = true
			continue
		}
		rbs = append(rbs, rb)
	}
	if bad {
		return cli.ExitUsage
	}
	var gf *gate.File
	if *gateFile != "" {
		var err error
		if gf, err = gate.Load(*gateFile); err != nil {
			return cli.Print(os.Stderr, cli.Usage(err.Error(), "a gate file lists allow: [{id, reason, until}]"))
		}
	}
	if *reportDir != "" {
		if err := preflight.ReportDir(*reportDir); err != nil {
			return cli.Print(os.Stderr, cli.Setup(err, "choose a --report directory you can write to"))
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep, err := runbook.Run(ctx, rbs, runbook.Options{
		Engines: names, KMSEndpoint: *endpoint, Timeout: *timeout, Parallel: *parallel, AWS: *awsCLI, Pairs: engine.ParseList(*pairs),
		Progress: render.Progress(os.Stderr),
	})
	if rep == nil {
		return cli.Print(os.Stderr, err)
	}
	for _, st := range gf.ApplyReport(rep, time.Now()) {
		cli.Warnf(os.Stderr, "%s: %s", *gateFile, st)
	}
	if *reportDir != "" {
		if werr := render.Write(*reportDir, rep); werr != nil {
			return cli.Print(os.Stderr, cli.Setup(werr, "check that the --report directory is writable"))
		}
	}
	render.WriteSummary(os.Stdout, rep)
	printFailures(rep)
	if errors.Is(err, context.Canceled) {
		cli.Errorf(os.Stderr, "interrupted; the report holds the cells finished so far")
		return cli.ExitInterrupted
	}
	if n := rep.Unexpected(); n > 0 {
		return cli.Print(os.Stderr, cli.Failure(fmt.Sprintf("%d unexpected cell(s)", n),
			"each cell in results.json lists every command with its role, engine, exit code and stderr (--report DIR)"))
	}
	return cli.ExitOK
}

// printFailures lists the unexpected cells, one line each.
func printFailures(rep *flows.Report) {
	for _, c := range rep.Cells {
		if c.Verdict == flows.Unexpected {
			fmt.Fprintf(os.Stderr, "  %s  %s>%s: %s\n", c.Case, c.Producer, c.Consumer, c.Message)
		}
	}
}

// runRunbookLint is `kmsconform runbook lint [--format text|json] FILE...`.
func runRunbookLint(args []string) int {
	fs := flag.NewFlagSet("kmsconform runbook lint", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	format := fs.String("format", "text", "output format: text (FILE:LINE: error|warning: message (versions)) or json")
	versions := fs.String("versions", "", "only findings that concern these openssl lines, e.g. 1.1.1,3.5 (default: every line lint knows)")
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, runbookUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return cli.ExitUsage
	}
	if fs.NArg() == 0 {
		return cli.Print(os.Stderr, cli.Usage("no runbook given", "e.g. kmsconform runbook lint examples/runbooks/*.md"))
	}
	if *format != "text" && *format != "json" {
		return cli.Print(os.Stderr, cli.Usage(fmt.Sprintf("--format %q", *format), "text or json"))
	}
	var all []runbook.Finding
	for _, f := range fs.Args() {
		src, err := os.ReadFile(f)
		if err != nil {
			return cli.Print(os.Stderr, cli.Usage(err.Error(), "give the path of a shell script or a Markdown file"))
		}
		all = append(all, runbook.OnlyVersions(runbook.Lint(f, src), engine.ParseList(*versions))...)
	}
	var err error
	if *format == "json" {
		err = runbook.WriteFindingsJSON(os.Stdout, all)
	} else {
		err = runbook.WriteFindings(os.Stdout, all)
	}
	if err != nil {
		return cli.Print(os.Stderr, cli.Setup(err, "check stdout"))
	}
	if runbook.HasErrors(all) {
		return cli.ExitFailure
	}
	return cli.ExitOK
}
