// Package cli is `kmsconform kms`: flag parsing and error printing over
// kmsfake, kept apart from cmd/kmsconform so tests can run it too.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	icli "github.com/kmsconform/kmsconform/internal/cli"
	"github.com/kmsconform/kmsconform/kmsfake"
)

// Summary is the one-line description of `kmsconform kms`.
const Summary = "the KMS fake: kms serve [--listen ADDR] [--data DIR] [--seed FILE] ..."

const extra = `The fake listens on loopback by default. A non-loopback --listen without
--sigv4 verify lets anyone who can reach the port use and delete its keys.
Timeouts close a stalled request or an idle keep-alive connection; --max-conns
caps open connections (others wait in the kernel's queue).
--key-pool N keeps N fresh RSA keys of each size (2048, 3072, 4096) ready
for CreateKey, GenerateDataKeyPair and GetParametersForImport; each key is
handed out once. One background goroutine makes them while the server is
idle (no request for 250 ms): about 5-10 CPU seconds on one core for the
default 4, then a refill after keys are taken. "key pool filled" is printed
on stderr when the pool is first full. --key-pool 0: every key is made when
it is asked for.`

// DefaultKeyPool is --key-pool's default: enough RSA keys of each size for
// one `kmsconform kms check` run (it takes four of each, five of 2048).
const DefaultKeyPool = 4

// Main runs `kmsconform kms ARGS...` and returns the exit code: 0 after a
// clean stop, 2 for bad flags or files, 3 when it cannot listen or use the
// data directory. `serve` prints "kmsconform kms: listening on http://ADDR"
// on stdout once it accepts connections and stops cleanly on SIGINT or
// SIGTERM.
func Main(args []string) int {
	return run(args, os.Stdout, os.Stderr, nil)
}

// run is Main with its streams and an optional stop channel (tests).
func run(args []string, stdout, stderr io.Writer, stop <-chan struct{}) int {
	top := icli.NewFlags("kmsconform kms", "serve [flags]")
	top.Stdout, top.Stderr = stdout, stderr
	if len(args) == 0 {
		top.PrintUsage(stderr)
		return icli.Print(stderr, icli.Usage("missing kms command", "the only kms command is `kmsconform kms serve`"))
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		top.PrintUsage(stdout)
		return icli.ExitOK
	case "serve":
	default:
		hint := "the only kms command is `kmsconform kms serve`"
		if s := icli.DidYouMean(args[0], []string{"serve"}); s != "" {
			hint = s
		}
		return icli.Print(stderr, icli.Usage(fmt.Sprintf("unknown kms command %q", args[0]), hint))
	}
	fs := icli.NewFlags("kmsconform kms serve", "[flags]")
	fs.Stdout, fs.Stderr, fs.Extra = stdout, stderr, extra
	def := kmsfake.DefaultHTTPLimits()
	listen := fs.String("listen", "127.0.0.1:4566", "address to listen on (loopback by default; port 0 picks a free port)")
	data := fs.String("data", "", "directory that keeps keys durably across restarts (made 0700; default: in memory)")
	seed := fs.String("seed", "", "YAML or JSON file of keys to create at start")
	region := fs.String("region", "us-east-1", "default region (requests' SigV4 scope overrides it)")
	account := fs.String("account", "000000000000", "default account (12-digit access key ids override it)")
	sigv4 := fs.String("sigv4", "off", "off, or verify (needs --credentials)")
	creds := fs.String("credentials", "", "AWS shared-credentials file for --sigv4 verify")
	quiet := fs.Bool("quiet", false, "do not log one line per request")
	keyPool := fs.Int("key-pool", DefaultKeyPool, fmt.Sprintf("fresh RSA keys of each size made ahead of demand by one background goroutine (0 to %d; 0: none)", kmsfake.MaxKeyPool))
	l := def
	fs.DurationVar(&l.ReadHeaderTimeout, "read-header-timeout", def.ReadHeaderTimeout, "time allowed to read a request's headers")
	fs.DurationVar(&l.ReadTimeout, "read-timeout", def.ReadTimeout, "time allowed to read a whole request; a stalled body is cut off")
	fs.DurationVar(&l.WriteTimeout, "write-timeout", def.WriteTimeout, "time allowed to write an answer")
	fs.DurationVar(&l.IdleTimeout, "idle-timeout", def.IdleTimeout, "close a keep-alive connection idle this long")
	fs.IntVar(&l.MaxHeaderBytes, "max-header-bytes", def.MaxHeaderBytes, "largest request line and headers, in bytes")
	fs.IntVar(&l.MaxConns, "max-conns", def.MaxConns, "most connections open at once")
	fs.Meta("listen", "ADDR")
	fs.Meta("data", "DIR")
	fs.Meta("seed", "FILE")
	fs.Meta("region", "REGION")
	fs.Meta("account", "ID")
	fs.Meta("sigv4", "off|verify")
	fs.Meta("credentials", "FILE")
	fs.Meta("key-pool", "N")
	if code, stop := fs.ParseArgs(args[1:]); stop {
		return code
	}
	if fs.NArg() > 0 {
		return icli.Print(stderr, fs.Unexpected(fs.Arg(0)))
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"read-header-timeout", l.ReadHeaderTimeout}, {"read-timeout", l.ReadTimeout}, {"write-timeout", l.WriteTimeout}, {"idle-timeout", l.IdleTimeout}} {
		if d.v <= 0 {
			return icli.Print(stderr, icli.Usage(fmt.Sprintf("--%s %v: must be positive", d.name, d.v), "e.g. --"+d.name+" 30s"))
		}
	}
	if l.MaxHeaderBytes < 4096 || l.MaxConns < 1 {
		return icli.Print(stderr, icli.Usage(fmt.Sprintf("--max-header-bytes %d / --max-conns %d: need at least 4096 bytes and 1 connection", l.MaxHeaderBytes, l.MaxConns), "see `kmsconform kms serve --help`"))
	}
	if *keyPool < 0 || *keyPool > kmsfake.MaxKeyPool {
		return icli.Print(stderr, icli.Usage(fmt.Sprintf("--key-pool %d: give 0 to %d keys per RSA size", *keyPool, kmsfake.MaxKeyPool), fmt.Sprintf("e.g. --key-pool %d, or --key-pool 0 for no pool", DefaultKeyPool)))
	}
	var handler slog.Handler = slog.NewTextHandler(stderr, nil)
	if *quiet {
		handler = slog.DiscardHandler
	}
	srv, err := kmsfake.New(kmsfake.Options{
		Region: *region, Account: *account, DataDir: *data, SeedFile: *seed,
		SigV4: *sigv4, CredentialsFile: *creds, Logger: slog.New(handler), KeyPool: *keyPool,
	})
	if errors.Is(err, kmsfake.ErrDataDir) {
		return icli.Print(stderr, icli.Setup(err, "use a directory only you can read, or remove --data to keep keys in memory"))
	}
	if err != nil {
		return icli.Print(stderr, icli.Usage(err.Error(), "check the --data, --seed, --region, --account, --sigv4 and --credentials values"))
	}
	defer srv.Close()
	for _, w := range srv.Warnings() {
		icli.Warnf(stderr, "%s", w)
	}
	host, _, err := net.SplitHostPort(*listen)
	if err != nil {
		return icli.Print(stderr, icli.Usage(fmt.Sprintf("--listen %q: %v", *listen, err), "give HOST:PORT, e.g. --listen 127.0.0.1:4566"))
	}
	ln, err := net.Listen("tcp", *listen)
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return icli.Print(stderr, icli.Usage(fmt.Sprintf("--listen %q: host %q is not an address of this machine", *listen, host), "give HOST:PORT, e.g. --listen 127.0.0.1:4566"))
	}
	if err != nil {
		return icli.Print(stderr, icli.Setup(fmt.Errorf("listen on %s: %w", *listen, err), "pick a free port, e.g. --listen 127.0.0.1:0"))
	}
	if !boundToLoopback(ln.Addr()) && *sigv4 != "verify" {
		icli.Warnf(stderr, "listening on %s, which is not loopback-only, without --sigv4 verify: anyone who can reach this port can use, export and delete the keys", ln.Addr())
		icli.Hintf(stderr, "keep --listen 127.0.0.1:PORT, or add --sigv4 verify --credentials FILE")
	}
	hs := srv.HTTPServer(l)
	ctx, stopSignals := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stopSignals()
	served := make(chan error, 1)
	go func() { served <- hs.Serve(kmsfake.LimitListener(ln, l.MaxConns)) }()
	fmt.Fprintf(stdout, "kmsconform kms: listening on http://%s\n", ln.Addr())
	if filled := srv.KeyPoolFilled(); filled != nil {
		started := time.Now()
		go func() {
			select {
			case <-filled:
				fmt.Fprintf(stderr, "kmsconform kms: key pool filled: %d RSA keys of each size ready (%s)\n", *keyPool, time.Since(started).Round(100*time.Millisecond))
			case <-ctx.Done():
			case <-stop:
			}
		}()
	}
	select {
	case <-ctx.Done():
	case <-stop:
	case err := <-served:
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			return icli.Print(stderr, icli.Setup(fmt.Errorf("serving: %w", err), ""))
		}
		return icli.ExitOK
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil {
		hs.Close()
	}
	fmt.Fprintln(stderr, "kmsconform kms: stopped")
	return icli.ExitOK
}

// boundToLoopback reports whether the listener took a loopback address
// only; "", "0.0.0.0" and "::" in --listen bind every interface.
func boundToLoopback(a net.Addr) bool {
	t, ok := a.(*net.TCPAddr)
	return ok && t.IP.IsLoopback()
}
