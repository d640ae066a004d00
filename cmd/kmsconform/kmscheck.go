package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/kmsconform/kmsconform/flows"
	"github.com/kmsconform/kmsconform/internal/buildinfo"
	icli "github.com/kmsconform/kmsconform/internal/cli"
	"github.com/kmsconform/kmsconform/internal/preflight"
	"github.com/kmsconform/kmsconform/kmsspec"
	"github.com/kmsconform/kmsconform/render"
)

// kmsCheck is `kmsconform kms check`.
func kmsCheck(args []string) int {
	fs := icli.NewFlags("kmsconform kms check", "--endpoint URL [--region R] [--report DIR] [--gate FILE] [--strict] [--run REGEX] [--list]")
	endpoint := fs.String("endpoint", "", "base URL of the KMS (the fake, moto, LocalStack, a proxy); \"aws\" for real AWS through the SDK's resolution")
	region := fs.String("region", "", "region to sign for (default: $AWS_REGION, else us-east-1)")
	reportDir := fs.String("report", "", "write junit.xml, results.json, report.md and report.html to this directory")
	gf := addGateFlags(fs)
	runRE := fs.String("run", "", "run only the specs whose id matches this regular expression")
	name := fs.String("name", "", "name of the target in the report (default: the endpoint)")
	parallel := fs.Int("parallel", 8, "specs run at once")
	withClients := fs.Bool("with-clients", false, "also run the aws CLI and boto3 seed scripts (needs a kmsconform checkout, aws, boto3; slow)")
	list := fs.Bool("list", false, "list the spec ids with their source and exit")
	fs.Meta("endpoint", "URL")
	fs.Meta("region", "R")
	fs.Meta("report", "DIR")
	fs.Meta("run", "REGEX")
	fs.Meta("name", "NAME")
	fs.Extra = "Runs the KMS compatibility specs (compiled in) against any KMS endpoint. Exit status: 0 every spec\npasses or is allowed by the gate file, 1 a spec fails, 2 usage, 3 no KMS answers, 130 interrupted."
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	if fs.NArg() > 0 {
		return icli.Print(os.Stderr, icli.Usage(fmt.Sprintf("unexpected argument %q", fs.Arg(0)), "kms check takes flags only; name the KMS with --endpoint URL"))
	}
	specs, err := kmsspec.Select(*runRE)
	if err != nil {
		return icli.Print(os.Stderr, icli.Usage(err.Error(), "`kmsconform kms check --list` prints every spec id"))
	}
	if *list {
		for _, s := range specs {
			fmt.Printf("%s\t%s\t%s\n", s.ID, s.Title, s.Source)
		}
		return 0
	}
	if err := gf.load(); err != nil {
		return icli.Print(os.Stderr, err)
	}
	if f := gf.file; f != nil {
		if *endpoint == "" {
			*endpoint = f.Endpoint
		}
		if *region == "" {
			*region = f.Region
		}
	}
	if *endpoint == "" {
		return icli.Print(os.Stderr, icli.Usage("no KMS endpoint given", "name it with --endpoint URL (e.g. http://127.0.0.1:4566, or start one with `kmsconform kms serve`), or --endpoint aws for real AWS"))
	}
	ep := *endpoint
	if ep == "aws" {
		ep = ""
	}
	target := *name
	if target == "" {
		target = *endpoint
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := kmsspec.CheckEndpoint(ep); err != nil {
		return icli.Print(os.Stderr, icli.Usage(err.Error(), "--endpoint takes the base URL of a KMS, e.g. http://127.0.0.1:4566"))
	}
	tg, err := kmsspec.Dial(ctx, ep, *region)
	if err != nil {
		return icli.Print(os.Stderr, icli.Setup(err, "check your AWS configuration (AWS_REGION, AWS_PROFILE, AWS_CA_BUNDLE)"))
	}
	info, err := preflight.KMS(ctx, tg.Client, ep)
	if err != nil {
		return icli.Print(os.Stderr, setupErr(err))
	}
	if info.Warning != "" {
		icli.Warnf(os.Stderr, "%s", info.Warning)
	}
	if *reportDir != "" {
		if err := preflight.ReportDir(*reportDir); err != nil {
			return icli.Print(os.Stderr, setupErr(err))
		}
	}

	opts := kmsspec.Options{Parallel: *parallel}
	opts.NoScripts = !*withClients
	run := kmsspec.NewRun(tg, opts)
	started := time.Now()
	fmt.Fprintf(os.Stderr, "kms check: %d specs against %s (run %s)\n", len(specs), target, run.ID)
	results := run.RunAll(ctx, specs, nil)
	if err := run.Close(); err != nil {
		icli.Warnf(os.Stderr, "cleaning up the run's keys: %v", err)
	}
	rep := kmsspec.Report(results, target, started)
	rep.KMSServer = info.Server
	rep.KMSEndpoint, rep.KMSRegion = ep, tg.Region
	if target != *endpoint {
		rep.KMS = target + " (" + *endpoint + ")"
	}
	rep.Tool = buildinfo.String()
	if ctx.Err() != nil {
		rep.Interrupted = true
		for i := range rep.Cells {
			if rep.Cells[i].Verdict == flows.Unexpected {
				rep.Cells[i].Verdict = flows.Interrupted
			}
		}
	}
	stale := gf.apply(rep)
	if *reportDir != "" {
		if err := render.Write(*reportDir, rep); err != nil {
			return icli.Print(os.Stderr, icli.Setup(err, "check that the report directory is writable"))
		}
	}
	printCheckSummary(os.Stdout, rep, target)
	switch {
	case rep.Interrupted:
		return icli.Print(os.Stderr, context.Canceled)
	case rep.Unexpected() > 0:
		return icli.Print(os.Stderr, icli.Failure(fmt.Sprintf("%d of %d specs failed against %s", rep.Unexpected(), len(rep.Cells), target),
			"each failure names what AWS does and where that is recorded; accept a known one for a while in a --gate file"))
	case gf.staleErr(stale) != nil:
		return icli.Print(os.Stderr, gf.staleErr(stale))
	}
	return 0
}

// setupErr maps a pre-flight failure to exit 3 with its hint.
func setupErr(err error) error {
	var pe *preflight.Error
	if errors.As(err, &pe) {
		return &icli.Error{Code: icli.ExitSetup, Msg: pe.Msg, Err: pe.Err, Hint: strings.ReplaceAll(pe.Hint, "--kms-endpoint", "--endpoint")}
	}
	return icli.Setup(err, "check --endpoint and your AWS configuration")
}

// printCheckSummary prints one line per failing, allowed or n/a spec and
// the tally.
func printCheckSummary(w io.Writer, rep *flows.Report, target string) {
	n := map[flows.Verdict]int{}
	for _, c := range rep.Cells {
		n[c.Verdict]++
		switch c.Verdict {
		case flows.Unexpected:
			fmt.Fprintf(w, "FAIL     %s: %s\n", c.ID, firstLine(c.Actual.Reason))
		case flows.Allowed:
			fmt.Fprintf(w, "allowed  %s: %s\n", c.ID, c.Allowance)
		}
	}
	fmt.Fprintf(w, "kms check: %d specs against %s in %s: %d pass, %d fail, %d allowed, %d n/a",
		len(rep.Cells), target, time.Duration(rep.Duration).Round(time.Millisecond), n[flows.ExpectedPass], n[flows.Unexpected], n[flows.Allowed], n[flows.Skipped])
	if n[flows.Interrupted] > 0 {
		fmt.Fprintf(w, ", %d interrupted", n[flows.Interrupted])
	}
	fmt.Fprintln(w)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 240 {
		s = s[:240] + "..."
	}
	return s
}
