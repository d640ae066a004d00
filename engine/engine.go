// Package engine defines the ways kmsconform runs an openssl command line:
// the host's binary, the oracle in-process, the oracle as the kmsconform
// binary, and (in engine/container) real openssl builds in containers and
// any local image with openssl (image:REF).
// Flows talk only to the OpenSSL interface, so any producer can be paired
// with any consumer.
package engine

import (
	"context"
	"time"
)

// Command is one openssl invocation: `openssl Args...` run in Dir.
type Command struct {
	// Dir is the host working directory; relative file names in Args are
	// resolved there. Engines that run elsewhere (containers) make the same
	// path visible inside.
	Dir string
	// Args are the arguments after "openssl", e.g. {"enc", "-d", ...}.
	Args []string
	// Stdin is fed to standard input (nil means empty input).
	Stdin []byte
	// Env holds extra environment variables, "KEY=value" (for -pass env:).
	Env []string
	// Timeout bounds the run; zero means DefaultTimeout.
	Timeout time.Duration
}

// DefaultTimeout bounds a Command without its own Timeout.
const DefaultTimeout = 60 * time.Second

// Result is what one invocation produced.
type Result struct {
	// Engine names the engine that ran the command.
	Engine string
	// Args are the arguments as run (after "openssl").
	Args []string
	// Stdout and Stderr are the captured standard streams.
	Stdout, Stderr []byte
	// ExitCode is the process's exit code (openssl uses 0 and 1).
	ExitCode int
	// Elapsed is the wall time of the run.
	Elapsed time.Duration
}

// OpenSSL runs openssl command lines. A non-zero exit code is reported in
// Result, not as an error; the error is for failing to run at all (binary
// missing, timeout, container gone).
type OpenSSL interface {
	// Name identifies the engine in reports, e.g. "host", "oracle",
	// "openssl-3.5".
	Name() string
	// Version is what `openssl version` prints (or the oracle's profile).
	Version(ctx context.Context) (string, error)
	// Run runs one command line.
	Run(ctx context.Context, cmd Command) (Result, error)
	// Close releases what the engine holds (processes, containers).
	Close() error
}
