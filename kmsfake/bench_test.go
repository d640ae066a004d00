package kmsfake

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
)

// Benchmarks for `make bench-kmsfake`, which prints the ratios of one run:
// Decrypt RSA-2048 OAEP through the fake (SDK → HTTP → fake) against bare
// crypto/rsa DecryptOAEP on the same key, and process start to first answer.

func rsaBenchSetup(b *testing.B) (*testEnv, *string, *rsa.PrivateKey, []byte) {
	e := newEnv(b, Options{})
	md := createKey(b, e, "RSA_2048", "ENCRYPT_DECRYPT")
	k := e.srv.store.key(scope{"000000000000", "us-east-1"}, *md.KeyId)
	ct, err := rsa.EncryptOAEP(sha256.New(), rand.Reader, &k.asym.rsa.PublicKey, []byte("a 32-byte data key for the bench"), nil)
	if err != nil {
		b.Fatal(err)
	}
	return e, md.KeyId, k.asym.rsa, ct
}

func BenchmarkDecryptRSA2048Fake(b *testing.B) {
	e, id, _, ct := rsaBenchSetup(b)
	c := ctx(b)
	in := &kms.DecryptInput{KeyId: id, CiphertextBlob: ct, EncryptionAlgorithm: "RSAES_OAEP_SHA_256"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := e.kms.Decrypt(c, in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecryptRSA2048Bare(b *testing.B) {
	_, _, priv, ct := rsaBenchSetup(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := rsa.DecryptOAEP(sha256.New(), nil, priv, ct, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecryptRSA2048Ratio interleaves one bare DecryptOAEP and one
// Decrypt through the fake per iteration, so that load from other
// processes hits both sides alike, and reports both times and the ratio
// bare/fake (the throughput of the fake relative to bare crypto/rsa).
func BenchmarkDecryptRSA2048Ratio(b *testing.B) {
	e, id, priv, ct := rsaBenchSetup(b)
	c := ctx(b)
	in := &kms.DecryptInput{KeyId: id, CiphertextBlob: ct, EncryptionAlgorithm: "RSAES_OAEP_SHA_256"}
	var bare, fake time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if _, err := rsa.DecryptOAEP(sha256.New(), nil, priv, ct, nil); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := e.kms.Decrypt(c, in); err != nil {
			b.Fatal(err)
		}
		bare += t1.Sub(t0)
		fake += time.Since(t1)
	}
	b.ReportMetric(float64(bare.Nanoseconds())/float64(b.N), "bare-ns/op")
	b.ReportMetric(float64(fake.Nanoseconds())/float64(b.N), "fake-ns/op")
	b.ReportMetric(float64(bare)/float64(fake), "ratio")
}

// BenchmarkDecryptRSA2048ParallelRatio is the throughput form: each
// iteration runs a batch of bare DecryptOAEP calls on every core, then the
// same batch of Decrypt requests through the fake from as many concurrent
// clients, and reports the ratio of the batch times (bare/fake). Both sides
// keep every core busy, so the ratio measures the fake's extra work rather
// than wake-up latency; cpu-ratio compares the CPU time the process spent
// on each batch, which load from other processes does not distort.
func BenchmarkDecryptRSA2048ParallelRatio(b *testing.B) {
	e, id, priv, ct := rsaBenchSetup(b)
	c := ctx(b)
	in := &kms.DecryptInput{KeyId: id, CiphertextBlob: ct, EncryptionAlgorithm: "RSAES_OAEP_SHA_256"}
	workers := runtime.GOMAXPROCS(0)
	const perWorker = 4
	var bareCPU, fakeCPU time.Duration
	batch := func(op func() error, cpu *time.Duration) time.Duration {
		var wg sync.WaitGroup
		var failed atomic.Value
		c0 := processCPU()
		t0 := time.Now()
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < perWorker; i++ {
					if err := op(); err != nil {
						failed.Store(err)
					}
				}
			}()
		}
		wg.Wait()
		d := time.Since(t0)
		*cpu += processCPU() - c0
		if err, _ := failed.Load().(error); err != nil {
			b.Fatal(err)
		}
		return d
	}
	var bare, fake time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bare += batch(func() error { _, err := rsa.DecryptOAEP(sha256.New(), nil, priv, ct, nil); return err }, &bareCPU)
		fake += batch(func() error { _, err := e.kms.Decrypt(c, in); return err }, &fakeCPU)
	}
	ops := float64(b.N * workers * perWorker)
	b.ReportMetric(float64(bare.Nanoseconds())/ops, "bare-ns/op")
	b.ReportMetric(float64(fake.Nanoseconds())/ops, "fake-ns/op")
	b.ReportMetric(float64(bare)/float64(fake), "ratio")
	b.ReportMetric(float64(bareCPU)/float64(fakeCPU), "cpu-ratio")
}

// processCPU is the CPU time (user+system) this process has used: client,
// HTTP and fake together, unaffected by other processes on the machine.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkStartToFirstAnswer starts `kmsconform kms serve` and measures
// until its first answered request (GenerateRandom), then kills it.
func BenchmarkStartToFirstAnswer(b *testing.B) {
	bin := realBinary(b)
	for i := 0; i < b.N; i++ {
		p := startServe(b, bin)
		cl := newClient(p.url, "us-east-1", "test", "test")
		if _, err := cl.GenerateRandom(ctx(b), &kms.GenerateRandomInput{NumberOfBytes: aws.Int32(8)}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		p.kill()
		b.StartTimer()
	}
}
