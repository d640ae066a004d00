package crossversion_test

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kmsconform/kmsconform/engine/container"
	"github.com/kmsconform/kmsconform/flows"
	"github.com/kmsconform/kmsconform/images"
)

// BenchmarkMatrix runs the full cross-version matrix (every flow, producer
// and consumer ∈ {oracle, each line}, KMS fake) with warm images and
// reports its wall time, cells per second, and how the time splits:
// container start (opening the engines), openssl steps in containers, in
// the oracle, and KMS calls (step times summed over concurrent cells, so
// the split is a share of the work, not of the wall). Run with
// -benchtime 1x (`make bench-matrix`). Target: < 3 min on 2 cores.
func BenchmarkMatrix(b *testing.B) {
	ctx := context.Background()
	if err := images.DockerAvailable(ctx); err != nil {
		b.Fatalf("the matrix needs Docker: %v", err)
	}
	if _, err := images.Build(ctx, images.BuildOptions{Lines: lines}); err != nil {
		b.Fatal(err)
	}
	defer container.CleanupAll(context.Background())
	kms, err := flows.OpenKMS(ctx, "")
	if err != nil {
		b.Fatal(err)
	}
	defer kms.Close()
	for range b.N {
		t0 := time.Now()
		pool, err := flows.OpenPool(ctx, matrixEngines)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Since(t0)
		_ = pool.Close()
		t1 := time.Now()
		rep, err := flows.Run(ctx, flows.Options{Cells: cells, KMS: kms, Parallel: 16})
		if err != nil {
			b.Fatal(err)
		}
		wall := time.Since(t1)
		byRole := map[string]time.Duration{}
		count := map[string]int{}
		unexpected := 0
		for _, c := range rep.Cells {
			if c.Verdict == flows.Unexpected {
				unexpected++
			}
			for _, s := range c.Steps {
				k := string(s.Role)
				switch {
				case strings.HasPrefix(s.Engine, container.Prefix):
					k = "openssl in containers"
				case strings.HasPrefix(s.Engine, "oracle"):
					k = "oracle"
				case s.Role == flows.KMSRole:
					k = "KMS"
				}
				byRole[k] += time.Duration(s.Duration)
				count[k]++
			}
		}
		var total time.Duration
		var keys []string
		for k, d := range byRole {
			total += d
			keys = append(keys, k)
		}
		sort.Strings(keys)
		w := os.Stdout
		fmt.Fprintf(w, "\nmatrix: %d cells (%d unexpected), engines %s\n", len(rep.Cells), unexpected, strings.Join(matrixEngines, ","))
		fmt.Fprintf(w, "  container start (open %d engines): %s\n", len(matrixEngines), start.Round(time.Millisecond))
		fmt.Fprintf(w, "  matrix wall (warm images, 16 cells in flight): %s   target < 3m0s\n", wall.Round(time.Millisecond))
		fmt.Fprintf(w, "  cells per second: %.1f\n", float64(len(rep.Cells))/wall.Seconds())
		for _, k := range keys {
			fmt.Fprintf(w, "  %-22s %6d steps  %10s summed  %5.1f%%  mean %s\n", k, count[k], byRole[k].Round(time.Millisecond),
				100*float64(byRole[k])/float64(total), (byRole[k] / time.Duration(max(1, count[k]))).Round(100*time.Microsecond))
		}
		b.ReportMetric(wall.Seconds(), "matrix-s")
		b.ReportMetric(float64(len(rep.Cells))/wall.Seconds(), "cells/s")
		b.ReportMetric(start.Seconds(), "start-s")
	}
}
