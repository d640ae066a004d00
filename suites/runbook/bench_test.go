package runbook_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kmsconform/kmsconform/engine"
	"github.com/kmsconform/kmsconform/engine/container"
	"github.com/kmsconform/kmsconform/flows"
	"github.com/kmsconform/kmsconform/images"
	"github.com/kmsconform/kmsconform/internal/kmstarget"
	"github.com/kmsconform/kmsconform/runbook"
)

// BenchmarkRunbookVsHand runs hybrid-onboarding.sh on the host engine (one
// cell) and the same script by hand — bash, the same openssl and aws CLI,
// the same kind of KMS fake, the key created by the aws CLI — and reports
// the ratio (target ≤ 1.3).
func BenchmarkRunbookVsHand(b *testing.B) {
	script := example("hybrid-onboarding.sh")
	rb, err := runbook.ParseFile(script)
	if err != nil {
		b.Fatal(err)
	}
	awsPath, err := exec.LookPath("aws")
	if err != nil {
		b.Skip("no aws CLI")
	}
	ctx := context.Background()
	tg, err := kmstarget.Start(ctx, kmstarget.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer tg.Close()
	// By hand: a PATH aws that adds --endpoint-url, as a person would alias it.
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "aws"), []byte("#!/bin/sh\nexec "+awsPath+" --endpoint-url "+tg.Endpoint+" \"$@\"\n"), 0o700); err != nil {
		b.Fatal(err)
	}
	var hand, tool time.Duration
	for i := 0; i < b.N; i++ {
		work := b.TempDir()
		data := make([]byte, 100000)
		if err := os.WriteFile(filepath.Join(work, "DATA"), data, 0o600); err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		out, err := tg.Client.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: types.KeySpecRsa3072, KeyUsage: types.KeyUsageTypeEncryptDecrypt})
		if err != nil {
			b.Fatal(err)
		}
		cmd := exec.Command("bash", script)
		cmd.Dir = work
		cmd.Env = append(tg.Env(), "kid="+aws.ToString(out.KeyMetadata.KeyId), "PATH="+dir+":"+os.Getenv("PATH"))
		if o, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("by hand: %v\n%s", err, o)
		}
		hand += time.Since(t0)

		t0 = time.Now()
		rep, err := runbook.Run(ctx, []*runbook.Runbook{rb}, runbook.Options{Engines: []string{"host"}, Binary: bin})
		if err != nil || rep.Cells[0].Verdict != flows.ExpectedPass {
			b.Fatalf("runbook: %v %+v", err, rep)
		}
		tool += time.Since(t0)
	}
	n := float64(b.N)
	b.ReportMetric(hand.Seconds()*1000/n, "hand-ms/op")
	b.ReportMetric(tool.Seconds()*1000/n, "runbook-ms/op")
	b.ReportMetric(tool.Seconds()/hand.Seconds(), "ratio")
	fmt.Fprintf(os.Stderr, "bench-runbook: by hand %.0f ms, kmsconform runbook (host) %.0f ms, ratio %.2f (target <= 1.3)\n",
		hand.Seconds()*1000/n, tool.Seconds()*1000/n, tool.Seconds()/hand.Seconds())
}

// BenchmarkContainerOverhead measures what an openssl command costs in a
// runbook (bash, the generated wrapper, streamed through the container's
// agent) against the same command through engine/container's Run, in the
// same container line (target: ≤ 10 ms more per command).
func BenchmarkContainerOverhead(b *testing.B) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if err := images.DockerAvailable(ctx); err != nil {
		b.Skipf("no Docker: %v", err)
	}
	if _, ok, err := images.Find(ctx, "3.5"); err != nil || !ok {
		b.Skip("no openssl 3.5 image")
	}
	// Per command through a runbook: the cell's wall time with 1+n commands
	// minus with 1, over n — the wrapper's own start-up included.
	const n = 20
	cmdLine := "openssl rand -hex 16 > r.txt\n"
	short, err := runbook.Parse("one.sh", []byte("# kmsconform: role partner\n"+cmdLine))
	if err != nil {
		b.Fatal(err)
	}
	long, err := runbook.Parse("many.sh", []byte("# kmsconform: role partner\n"+strings.Repeat(cmdLine, n+1)))
	if err != nil {
		b.Fatal(err)
	}
	e, err := container.Open(ctx, "openssl-3.5")
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	work, err := os.MkdirTemp("", "kmsconform-bench-")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(work)
	var direct, wrapped time.Duration
	cellTime := func(rb *runbook.Runbook) time.Duration {
		rep, err := runbook.Run(ctx, []*runbook.Runbook{rb}, runbook.Options{Engines: []string{"openssl-3.5"}, Binary: bin})
		if err != nil || rep.Cells[0].Verdict != flows.ExpectedPass {
			b.Fatalf("runbook: %v", err)
		}
		return time.Duration(rep.Cells[0].Duration)
	}
	for i := 0; i < b.N; i++ {
		for j := 0; j < n; j++ {
			t0 := time.Now()
			r, err := e.Run(ctx, engine.Command{Dir: work, Args: []string{"rand", "-hex", "16"}})
			if err != nil || r.ExitCode != 0 {
				b.Fatal(err, r.ExitCode)
			}
			direct += time.Since(t0)
		}
		wrapped += cellTime(long) - cellTime(short)
	}
	per := func(d time.Duration) float64 { return d.Seconds() * 1000 / float64(b.N*n) }
	b.ReportMetric(per(direct), "engine-ms/cmd")
	b.ReportMetric(per(wrapped), "runbook-ms/cmd")
	b.ReportMetric(per(wrapped)-per(direct), "overhead-ms/cmd")
	fmt.Fprintf(os.Stderr, "bench-runbook: openssl-3.5 per command: engine.Run %.1f ms, runbook wrapper %.1f ms, overhead %.1f ms (target <= 10 ms)\n",
		per(direct), per(wrapped), per(wrapped)-per(direct))
}
