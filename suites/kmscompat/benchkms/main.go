// Command benchkms measures symmetric Encrypt+Decrypt requests per second
// through the same aws-sdk-go-v2 client and concurrency against
// kmsconform's fake (as a process) and moto, both on loopback, in one run,
// and prints the ratio.
//
//	go run ./suites/kmscompat/benchkms -bin bin/kmsconform -duration 5s -c 8 -min 20
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/kmsconform/kmsconform/internal/kmstarget"
)

func main() {
	bin := flag.String("bin", os.Getenv(kmstarget.EnvBinary), "kmsconform binary for the fake (empty: go build)")
	dur := flag.Duration("duration", 5*time.Second, "measuring time per target")
	conc := flag.Int("c", 8, "concurrent clients")
	min := flag.Float64("min", 0, "exit 1 if fake/moto is below this ratio (0: report only)")
	flag.Parse()

	ctx := context.Background()
	results := map[kmstarget.Kind]float64{}
	for _, k := range []kmstarget.Kind{kmstarget.FakeProcess, kmstarget.Moto} {
		rps, err := measure(ctx, kmstarget.Options{Kind: k, Binary: *bin, MaxConns: *conc * 2}, *dur, *conc)
		if err != nil {
			fmt.Fprintf(os.Stderr, "kmsconform: error: %s: %v\n", k, err)
			fmt.Fprintln(os.Stderr, "kmsconform: hint: check that `kmsconform kms serve` and `python3 -m moto.server` start on this machine")
			os.Exit(1)
		}
		results[k] = rps
		fmt.Printf("%-13s %9.0f requests/s  (Encrypt+Decrypt, SYMMETRIC_DEFAULT, %d clients, %v)\n", k, rps, *conc, *dur)
	}
	ratio := results[kmstarget.FakeProcess] / results[kmstarget.Moto]
	verdict := ""
	if *min > 0 {
		verdict = fmt.Sprintf("  (target >= %.0fx: %s)", *min, map[bool]string{true: "met", false: "NOT MET"}[ratio >= *min])
	}
	fmt.Printf("ratio fake/moto: %.1fx%s\n", ratio, verdict)
	if *min > 0 && ratio < *min {
		os.Exit(1)
	}
}

// measure runs conc clients doing Encrypt then Decrypt for dur after a
// short warm-up and returns completed requests per second.
func measure(ctx context.Context, o kmstarget.Options, dur time.Duration, conc int) (float64, error) {
	t, err := kmstarget.Start(ctx, o)
	if err != nil {
		return 0, err
	}
	defer t.Close()
	key, err := t.Client.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String("kmsconform bench")})
	if err != nil {
		return 0, fmt.Errorf("CreateKey: %w", err)
	}
	id := key.KeyMetadata.KeyId
	pt := make([]byte, 64)
	pair := func(ctx context.Context) error {
		enc, err := t.Client.Encrypt(ctx, &kms.EncryptInput{KeyId: id, Plaintext: pt})
		if err != nil {
			return fmt.Errorf("Encrypt: %w", err)
		}
		if _, err := t.Client.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob}); err != nil {
			return fmt.Errorf("Decrypt: %w", err)
		}
		return nil
	}
	for i := 0; i < 20; i++ { // warm-up: connections, caches
		if err := pair(ctx); err != nil {
			return 0, err
		}
	}
	var n atomic.Int64
	var firstErr error
	var once sync.Once
	deadline := time.Now().Add(dur)
	start := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < conc; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if err := pair(ctx); err != nil {
					once.Do(func() { firstErr = err })
					return
				}
				n.Add(2)
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return 0, firstErr
	}
	return float64(n.Load()) / time.Since(start).Seconds(), nil
}
