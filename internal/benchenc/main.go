// Command benchenc measures `kmsconform openssl enc` against the host's
// openssl in the same run: aes-256-cbc on one large file, encryption and
// decryption, the same I/O on both sides (input from a temporary file,
// output to /dev/null). It prints both throughputs, their ratio and the
// oracle's peak RSS (getrusage of the child), and PASS or MISSED for each
// target: encrypt ratio >= 0.75, decrypt ratio >= 1.0 (the oracle may use
// every core; openssl enc uses one), peak RSS < 64 MiB. The load average at
// the start and end is printed too: on a shared machine a missed ratio next
// to a high load is worth a rerun. `make bench-enc` runs it.
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/kmsconform/kmsconform/internal/cli"
)

func main() { os.Exit(run()) }

const (
	targetRSS = 64 << 20
	password  = "pass:kmsconform-bench"
)

// targetRatio is the least oracle/openssl throughput ratio per operation.
var targetRatio = map[string]float64{"encrypt": 0.75, "decrypt": 1.0}

func run() int {
	oracleBin := flag.String("oracle", "bin/kmsconform", "the kmsconform binary (built by `make build`)")
	size := flag.Int64("size", 1<<30, "bytes of plaintext")
	rounds := flag.Int("rounds", 3, "runs of each side; the best time counts")
	dir := flag.String("dir", os.TempDir(), "where the temporary input files go")
	strict := flag.Bool("strict", false, "exit 1 when a target is missed")
	flag.Parse()

	host, err := exec.LookPath("openssl")
	if err != nil {
		return fail("the host openssl is needed for the comparison", "apt-get install openssl")
	}
	if _, err := os.Stat(*oracleBin); err != nil {
		return fail(fmt.Sprintf("no oracle binary at %s", *oracleBin), "run `make build` first")
	}
	tmp, err := os.MkdirTemp(*dir, "kmsconform-bench-enc-")
	if err != nil {
		return fail(err.Error(), "set -dir to a writable directory with 2 GiB free")
	}
	defer os.RemoveAll(tmp)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	plain := filepath.Join(tmp, "plain.bin")
	ct := filepath.Join(tmp, "plain.bin.enc")
	if err := makeInput(plain, *size); err != nil {
		return fail("writing the input file: "+err.Error(), "check free space in -dir")
	}
	if _, err := runOne(ctx, host, []string{"enc", "-aes-256-cbc", "-pbkdf2", "-pass", password, "-in", plain, "-out", ct}); err != nil {
		return fail("openssl could not make the ciphertext: "+err.Error(), "check the host openssl")
	}
	fmt.Printf("enc -aes-256-cbc -pbkdf2 on %.2f GiB, input from a file, output to /dev/null, best of %d (GOMAXPROCS of the oracle: all %d cores)\n",
		float64(*size)/(1<<30), *rounds, runtime.NumCPU())
	fmt.Printf("load average at start: %s\n", loadAvg())
	fmt.Printf("%-8s %14s %14s %8s %16s %16s  %s\n", "op", "openssl GiB/s", "oracle GiB/s", "ratio", "oracle peak RSS", "openssl peak RSS", "targets")
	ok := true
	for _, op := range []struct {
		name string
		args []string
	}{
		{"encrypt", []string{"enc", "-aes-256-cbc", "-pbkdf2", "-pass", password, "-in", plain, "-out", os.DevNull}},
		{"decrypt", []string{"enc", "-d", "-aes-256-cbc", "-pbkdf2", "-pass", password, "-in", ct, "-out", os.DevNull}},
	} {
		var best [2]measure
		for r := 0; r < *rounds; r++ {
			// alternate which side goes first, so neither always gets a warm cache
			order := []int{0, 1}
			if r%2 == 1 {
				order = []int{1, 0}
			}
			for _, side := range order {
				bin, args := host, op.args
				if side == 1 {
					bin, args = *oracleBin, append([]string{"openssl"}, op.args...)
				}
				m, err := runOne(ctx, bin, args)
				if err != nil {
					return fail(fmt.Sprintf("%s %v: %v", bin, args, err), "run the command by hand to see why")
				}
				if best[side].elapsed == 0 || m.elapsed < best[side].elapsed {
					best[side].elapsed = m.elapsed
				}
				best[side].maxRSS = max(best[side].maxRSS, m.maxRSS)
			}
		}
		gib := float64(*size) / (1 << 30)
		h, o := gib/best[0].elapsed.Seconds(), gib/best[1].elapsed.Seconds()
		ratio := o / h
		ratioOK, rssOK := ratio >= targetRatio[op.name], best[1].maxRSS < targetRSS
		ok = ok && ratioOK && rssOK
		fmt.Printf("%-8s %14.2f %14.2f %7.2fx %12.1f MiB %12.1f MiB  ratio >= %.2f: %s, RSS < %d MiB: %s\n",
			op.name, h, o, ratio, float64(best[1].maxRSS)/(1<<20), float64(best[0].maxRSS)/(1<<20),
			targetRatio[op.name], passMissed(ratioOK), targetRSS>>20, passMissed(rssOK))
	}
	fmt.Printf("load average at end: %s\n", loadAvg())
	if !ok && *strict {
		return 1
	}
	return 0
}

func passMissed(ok bool) string {
	if ok {
		return "PASS"
	}
	return "MISSED"
}

// loadAvg returns the first three fields of /proc/loadavg, or "unknown".
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

type measure struct {
	elapsed time.Duration
	maxRSS  int64
}

// runOne runs one command with a timeout and returns its wall time and peak RSS.
func runOne(ctx context.Context, bin string, args []string) (measure, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var stderr limitedBuffer
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	elapsed := time.Since(start)
	if err != nil {
		return measure{}, fmt.Errorf("%w: %s", err, stderr.String())
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss * 1024 // kilobytes on Linux
	}
	return measure{elapsed, rss}, nil
}

// makeInput writes size bytes: a random 4 MiB block, repeated (CBC's cost
// does not depend on the data).
func makeInput(path string, size int64) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	block := make([]byte, 4<<20)
	if _, err := rand.Read(block); err != nil {
		f.Close()
		return err
	}
	for left := size; left > 0; {
		n := min(left, int64(len(block)))
		if _, err := f.Write(block[:n]); err != nil {
			f.Close()
			return err
		}
		left -= n
	}
	return f.Close()
}

// limitedBuffer keeps the first 4 KiB of a stream (for error messages).
type limitedBuffer struct{ b []byte }

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := 4096 - len(l.b); room > 0 {
		l.b = append(l.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

func (l *limitedBuffer) String() string { return string(l.b) }

// fail prints a setup problem (no openssl, no binary, no space) with its
// hint and returns exit 3: the bench could not measure, nothing was missed.
func fail(msg, hint string) int {
	return cli.Print(os.Stderr, cli.Setup(errors.New("bench-enc: "+msg), hint))
}
