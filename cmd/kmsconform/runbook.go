package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/kmsconform/kmsconform/engine"
	"github.com/kmsconform/kmsconform/flows"
	"github.com/kmsconform/kmsconform/internal/cli"
	"github.com/kmsconform/kmsconform/internal/preflight"
	"github.com/kmsconform/kmsconform/render"
	"github.com/kmsconform/kmsconform/runbook"
)

func init() {
	register("runbook", "run a partner runbook (shell or Markdown) across openssl engines on both sides; `runbook lint` checks it", runRunbook)
}

// runRunbook is `kmsconform runbook ...`.
func runRunbook(args []string) int {
	if len(args) > 0 && args[0] == "lint" {
		return runRunbookLint(args[1:])
	}
	fs := cli.NewFlags("kmsconform runbook", "[--engines LIST] [--pairs P>C,...] [--kms-endpoint URL] [--gate FILE] [--report DIR] [--timeout D] FILE...\n       kmsconform runbook lint [--format text|json] [--versions 1.1.1,3.5] FILE...")
	enginesFlag := fs.String("engines", "host,oracle", "comma-separated openssl engines: host, host:/path, oracle, oracle@1.1.1, openssl-1.1.1, openssl-3.5, image:REF, ...")
	endpoint := fs.String("kms-endpoint", "", "a KMS endpoint URL with the standard AWS credential chain (default: the in-process fake); keys are scheduled for deletion afterwards")
	reportDir := fs.String("report", "", "write junit.xml, results.json, report.md and report.html to this directory")
	timeout := fs.Duration("timeout", runbook.DefaultTimeout, "time limit of one cell (one run of the runbook)")
	parallel := fs.Int("parallel", 4, "cells run at once")
	awsCLI := fs.String("aws", "", "the aws CLI to run (default: aws on PATH)")
	gf := addGateFlags(fs)
	pairs := fs.String("pairs", "", "only these cells, e.g. 'host>oracle,oracle>host' (default: every producer x consumer)")
	fs.Meta("engines", "LIST")
	fs.Meta("kms-endpoint", "URL")
	fs.Meta("report", "DIR")
	fs.Meta("timeout", "D")
	fs.Meta("pairs", "P>C,...")
	fs.Meta("aws", "PATH")
	fs.Extra = "Each cell runs the whole runbook in one bash with openssl bound to the current role's engine\n(partner = producer, owner = consumer). Runbooks are trusted code, like a Makefile.\nExit status: 0 every cell as expected, 1 an unexpected cell, 2 usage or a bad runbook (FILE:LINE),\n3 setup (KMS, engines, report directory), 130 interrupted."
	if code, stop := fs.ParseArgs(args); stop {
		return code
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
				cli.Errorf(os.Stderr, "%s", p)
				if p.Hint != "" {
					cli.Hintf(os.Stderr, "%s", p.Hint)
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
	if err := gf.load(); err != nil {
		return cli.Print(os.Stderr, err)
	}
	if f := gf.file; f != nil {
		// The gate file's engines and endpoint apply where no flag says otherwise.
		if len(f.Engines) > 0 && !fs.Given("engines") {
			names = f.Engines
		}
		if f.Endpoint != "" && !fs.Given("kms-endpoint") {
			*endpoint = f.Endpoint
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
	stale := gf.apply(rep)
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
	if err := gf.staleErr(stale); err != nil {
		return cli.Print(os.Stderr, err)
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
	fs := cli.NewFlags("kmsconform runbook lint", "[--format text|json] [--versions 1.1.1,3.5] FILE...")
	format := fs.String("format", "text", "output format: text (FILE:LINE: error|warning: message (versions)) or json")
	versions := fs.String("versions", "", "only findings that concern these openssl lines, e.g. 1.1.1,3.5 (default: every line lint knows)")
	fs.Meta("format", "text|json")
	fs.Meta("versions", "LIST")
	fs.Extra = "Exit status: 0 no error found (warnings allowed), 1 an error found, 2 usage."
	if code, stop := fs.ParseArgs(args); stop {
		return code
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
