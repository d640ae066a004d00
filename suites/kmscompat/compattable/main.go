// Command compattable regenerates docs/kms-compat.md through `kmsconform
// kms check`: it starts each local target (the fake as a process, moto)
// with internal/kmstarget, runs `BIN kms check --endpoint URL --report
// DIR/NAME` against it, reads every results.json and writes the table of
// every spec × target, and why each failure fails. With -time it prints
// how long each check took (the bench target).
//
//	go run ./suites/kmscompat/compattable -bin bin/kmsconform -reports report/kms-compat -o docs/kms-compat.md
//
// LocalStack and real AWS columns say "not run here" unless
// $KMSCONFORM_LOCALSTACK_ENDPOINT names a reachable LocalStack.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/kmsconform/kmsconform/flows"
	"github.com/kmsconform/kmsconform/internal/kmstarget"
	"github.com/kmsconform/kmsconform/kmsspec"
)

// column is one target's results, by spec id.
type column struct {
	name    string
	results map[string]flows.Cell
	ran     bool
	took    time.Duration
	why     string // why it was not run
}

func main() {
	bin := flag.String("bin", os.Getenv(kmstarget.EnvBinary), "kmsconform binary (empty: go build)")
	out := flag.String("o", "", "write the Markdown here (default: stdout)")
	reports := flag.String("reports", filepath.Join(os.TempDir(), "kms-compat"), "directory for each target's kms check report")
	targets := flag.String("targets", "fake-process,moto", "targets to measure (fake-process, moto)")
	timeOnly := flag.Bool("time", false, "only run the checks and print their times (no table)")
	maxFake := flag.Duration("max-fake", 0, "with -time, exit 1 if the check against the fake takes longer")
	flag.Parse()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	if *bin == "" {
		b, rm, err := kmstarget.BuildBinary(ctx)
		if err != nil {
			fail(err, "build it with `make build` and pass -bin bin/kmsconform")
		}
		defer rm()
		*bin = b
	}
	var cols []*column
	for _, name := range strings.Split(*targets, ",") {
		k, err := kmstarget.ParseKind(strings.TrimSpace(name))
		if err != nil {
			fail(err, "use -targets fake-process,moto")
		}
		c, err := measure(ctx, *bin, k, *reports)
		if err != nil {
			fail(err, "check that `kmsconform kms serve` and `python3 -m moto.server` start on this machine")
		}
		fmt.Fprintf(os.Stderr, "kms-compat: %s: %d specs in %s\n", c.name, len(c.results), c.took.Round(time.Millisecond))
		if *timeOnly {
			fmt.Printf("kms check against %-14s %d specs in %s\n", c.name+":", len(c.results), c.took.Round(time.Millisecond))
			if k == kmstarget.FakeProcess && *maxFake > 0 && c.took > *maxFake {
				fmt.Fprintf(os.Stderr, "kmsconform: error: kms check against the fake took %s, over %s\n", c.took.Round(time.Millisecond), *maxFake)
				os.Exit(1)
			}
		}
		cols = append(cols, c)
	}
	if *timeOnly {
		return
	}
	cols = append(cols, &column{name: "LocalStack", why: "not run here"}, &column{name: "real AWS", why: "not run here"})
	w := io.Writer(os.Stdout)
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			fail(err, "check that the directory exists and is writable")
		}
		defer f.Close()
		w = f
	}
	if err := render(w, cols); err != nil {
		fail(err, "")
	}
}

func fail(err error, hint string) {
	fmt.Fprintf(os.Stderr, "kmsconform: error: %v\n", err)
	if hint != "" {
		fmt.Fprintf(os.Stderr, "kmsconform: hint: %s\n", hint)
	}
	os.Exit(1)
}

// measure starts target k, runs kms check against it and loads its report.
func measure(ctx context.Context, bin string, k kmstarget.Kind, reports string) (*column, error) {
	tg, err := kmstarget.Start(ctx, kmstarget.Options{Kind: k, Binary: bin, ServeArgs: []string{"--quiet"}})
	if err != nil {
		return nil, err
	}
	defer tg.Close()
	name := "kmsconform fake"
	if k == kmstarget.Moto {
		name = "moto " + motoVersion()
	}
	dir := filepath.Join(reports, string(k))
	cctx, cancel := context.WithTimeout(ctx, 15*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(cctx, bin, "kms", "check", "--endpoint", tg.Endpoint, "--name", name, "--report", dir)
	cmd.Env = tg.Env()
	var outb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &outb, &outb
	start := time.Now()
	err = cmd.Run()
	took := time.Since(start)
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 1) {
		return nil, fmt.Errorf("kms check against %s: %v\n%s", k, err, outb.String())
	}
	b, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil {
		return nil, fmt.Errorf("kms check against %s wrote no results.json: %w\n%s", k, err, outb.String())
	}
	var rep flows.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	c := &column{name: name, results: map[string]flows.Cell{}, ran: true, took: took}
	for _, cell := range rep.Cells {
		c.results[cell.ID] = cell
	}
	return c, nil
}

func motoVersion() string {
	out, err := exec.Command("python3", "-c", "import moto; print(moto.__version__)").Output()
	if err != nil {
		return "(version unknown)"
	}
	return strings.TrimSpace(string(out))
}

func cellText(c *column, id string) string {
	if !c.ran {
		return c.why
	}
	r, ok := c.results[id]
	switch {
	case !ok:
		return "—"
	case r.Verdict == flows.ExpectedPass:
		return "pass"
	case r.Verdict == flows.Unexpected:
		return "**FAIL**"
	}
	return string(r.Verdict)
}

func md(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 240 {
		s = s[:240] + "…"
	}
	return s
}

func render(w io.Writer, cols []*column) error {
	specs := kmsspec.Specs()
	var b strings.Builder
	b.WriteString("# KMS compatibility: kmsconform's fake and its peers\n\n")
	b.WriteString("Generated by `make kms-compat` through `kmsconform kms check` (do not edit by hand).\n")
	b.WriteString("Every spec states what AWS KMS does and where that is recorded (codes, exact messages, which errors\n")
	b.WriteString("carry no message, openssl interop); a target passes a spec only if it answers as AWS does.\n")
	b.WriteString("LocalStack and real AWS cannot be reached from the machines that generate this page: their columns\n")
	b.WriteString("say \"not run here\". Run the same specs against them with\n")
	b.WriteString("`kmsconform kms check --endpoint http://localhost:4566` (LocalStack) or `--endpoint aws` with real credentials.\n\n")
	b.WriteString(gateDoc)
	b.WriteString("## Summary\n\n| target | passed | failed | n/a | total | time |\n|---|---|---|---|---|---|\n")
	for _, c := range cols {
		if !c.ran {
			fmt.Fprintf(&b, "| %s | %s | | | | |\n", c.name, c.why)
			continue
		}
		n := map[flows.Verdict]int{}
		for _, r := range c.results {
			n[r.Verdict]++
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %s |\n", c.name, n[flows.ExpectedPass], n[flows.Unexpected], n[flows.Skipped], len(c.results), c.took.Round(100*time.Millisecond))
	}
	b.WriteString("\nn/a: the spec needs the aws CLI and boto3 scripts of a checkout (`kms check --with-clients`).\n")
	b.WriteString("\n## Every spec\n\n| spec | what AWS does (source) |")
	for _, c := range cols {
		fmt.Fprintf(&b, " %s |", c.name)
	}
	b.WriteString("\n|---|---|")
	for range cols {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, s := range specs {
		fmt.Fprintf(&b, "| `%s` | %s (%s) |", s.ID, md(s.Title), md(s.Source))
		for _, c := range cols {
			fmt.Fprintf(&b, " %s |", cellText(c, s.ID))
		}
		b.WriteString("\n")
	}
	for _, c := range cols {
		if !c.ran {
			continue
		}
		var fails []string
		for _, s := range specs {
			if r, ok := c.results[s.ID]; ok && r.Verdict == flows.Unexpected {
				fails = append(fails, fmt.Sprintf("- `%s`: %s", s.ID, md(r.Actual.Reason)))
			}
		}
		if len(fails) > 0 {
			fmt.Fprintf(&b, "\n## Why %s fails\n\n%s\n", c.name, strings.Join(fails, "\n"))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// gateDoc documents the gate file schema on the generated page.
const gateDoc = "## Gating a KMS in CI\n\n" +
	"`kmsconform kms check --endpoint URL [--region R] [--report DIR] [--gate FILE] [--strict] [--run REGEX]` runs every spec\n" +
	"below against the endpoint and exits 0 iff each passes or is allowed by the gate file, 1 otherwise, 2 for bad usage\n" +
	"(including a bad gate file, named FILE:LINE), 3 when no KMS answers (closed port, an HTML page, a 404), before any spec.\n" +
	"Keys it creates carry the tag `kmsconform-run=<run id>` and are scheduled for deletion (7 days) at the end.\n" +
	"The same table runs as Go subtests with `conformance.TestKMS(t, endpoint)` and in the repository's GitHub Action.\n\n" +
	"A gate file (also `run --gate`, `runbook --gate`) is YAML:\n\n" +
	"```yaml\n" +
	"allow:                          # reviewed, expiring exceptions\n" +
	"  - id: \"DeriveSharedSecret/*\"  # a spec or cell id, or a glob (* any run of characters, ? one)\n" +
	"    reason: \"moto lacks ECDH\"   # required\n" +
	"    until: 2027-01-31           # required; allowed through the end of this day (UTC)\n" +
	"engines: [host, oracle]         # optional: run's --engines\n" +
	"flows: [\"1\", \"3\"]              # optional: run's --flows\n" +
	"endpoint: http://127.0.0.1:4566 # optional: the KMS endpoint\n" +
	"region: us-east-1               # optional\n" +
	"```\n\n" +
	"An allowed failure shows as `allowed (reason (until DATE))`; past its date the spec fails again with\n" +
	"`allowance expired on DATE`. An allowance that matches nothing, or only passing specs, is stale: a warning, and\n" +
	"an error with `--strict`. Unknown keys, bad YAML and bad dates are exit 2 with FILE:LINE.\n" +
	"`gate/examples/moto-5.2.1.yaml` allows every known moto 5.2.1 difference.\n\n"
