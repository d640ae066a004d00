// Package cli is `kmsconform kms`: flag parsing and error printing over
// kmsfake, kept apart from cmd/kmsconform so tests can run it too.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/kmsconform/kmsconform/kmsfake"
)

func kmsUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: kmsconform kms serve [--listen 127.0.0.1:4566] [--data DIR] [--seed FILE] [--region R]")
	fmt.Fprintln(w, "                            [--account 000000000000] [--sigv4 off|verify] [--credentials FILE] [--quiet]")
}

func kmsFail(format string, hint string, args ...any) int {
	fmt.Fprintf(os.Stderr, "kmsconform: error: "+format+"\n", args...)
	if hint != "" {
		fmt.Fprintf(os.Stderr, "kmsconform: hint: %s\n", hint)
	}
	return 2
}

// Summary is the one-line description of `kmsconform kms`.
const Summary = "the KMS fake: kms serve [--listen ADDR] [--data DIR] [--seed FILE] ..."

// Main runs `kmsconform kms ARGS...` and returns the exit code. `serve`
// prints "kmsconform kms: listening on http://ADDR" once it accepts
// connections and stops cleanly on SIGINT or SIGTERM.
func Main(args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		kmsUsage(os.Stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	if args[0] != "serve" {
		return kmsFail("unknown kms command %q", "the only kms command is `kmsconform kms serve`", args[0])
	}
	fs := flag.NewFlagSet("kms serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	listen := fs.String("listen", "127.0.0.1:4566", "address to listen on (loopback by default; port 0 picks a free port)")
	data := fs.String("data", "", "directory that keeps keys durably across restarts (default: in memory)")
	seed := fs.String("seed", "", "YAML or JSON file of keys to create at start")
	region := fs.String("region", "us-east-1", "default region (requests' SigV4 scope overrides it)")
	account := fs.String("account", "000000000000", "default account (12-digit access key ids override it)")
	sigv4 := fs.String("sigv4", "off", "off, or verify (needs --credentials)")
	creds := fs.String("credentials", "", "AWS shared-credentials file for --sigv4 verify")
	quiet := fs.Bool("quiet", false, "do not log one line per request")
	if err := fs.Parse(args[1:]); err != nil {
		kmsUsage(os.Stderr)
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(os.Stderr)
			fs.PrintDefaults()
			return 0
		}
		return kmsFail("%v", "run `kmsconform kms --help` for the flags", err)
	}
	if fs.NArg() > 0 {
		return kmsFail("unexpected argument %q", "kms serve takes flags only", fs.Arg(0))
	}
	var handler slog.Handler = slog.NewTextHandler(os.Stderr, nil)
	if *quiet {
		handler = slog.NewTextHandler(io.Discard, nil)
	}
	srv, err := kmsfake.New(kmsfake.Options{
		Region: *region, Account: *account, DataDir: *data, SeedFile: *seed,
		SigV4: *sigv4, CredentialsFile: *creds, Logger: slog.New(handler),
	})
	if err != nil {
		return kmsFail("%v", "check the --data, --seed, --region, --account, --sigv4 and --credentials values", err)
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return kmsFail("listen on %s: %v", "pick a free port, e.g. --listen 127.0.0.1:0", *listen, err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 30 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	fmt.Printf("kmsconform kms: listening on http://%s\n", ln.Addr())
	select {
	case <-ctx.Done():
	case err := <-served:
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			return kmsFail("serving: %v", "", err)
		}
		return 0
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil {
		hs.Close()
	}
	fmt.Fprintln(os.Stderr, "kmsconform kms: stopped")
	return 0
}
