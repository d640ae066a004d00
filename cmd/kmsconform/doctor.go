package main

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/kmsconform/kmsconform/doctor"
	"github.com/kmsconform/kmsconform/internal/cli"
)

func init() {
	register("doctor", "explain why a ciphertext does not decrypt (enc, rsa)", runDoctor)
}

// doctorChecks are the doctor's subcommands.
var doctorChecks = []string{"enc", "rsa"}

// doctorExit is the part of the doctor's usage every check repeats.
const doctorExit = `exit codes:
  0  it decrypts as expected: no fault
  1  a fault is diagnosed (a producer mistake, a near miss: it decrypts
     cleanly but not to --expect), or nothing tried explains it
  2  usage error (bad flags, unreadable input files)
  3  environment error (KMS unreachable, no AWS configuration)`

func runDoctor(args []string) int {
	if len(args) == 0 {
		return cli.Print(os.Stderr, cli.Usage("doctor needs a check: enc or rsa", "see `kmsconform doctor --help`"))
	}
	switch args[0] {
	case "enc":
		return doctorEnc(args[1:])
	case "rsa":
		return doctorRSA(args[1:])
	case "-h", "-help", "--help", "help":
		doctorUsage(os.Stdout)
		return cli.ExitOK
	}
	hint := "use `kmsconform doctor enc ...` for `openssl enc` files or `kmsconform doctor rsa ...` for RSA ciphertexts"
	if s := cli.Suggest(args[0], doctorChecks); s != "" {
		hint = fmt.Sprintf("did you mean `kmsconform doctor %s`?", s)
	}
	return cli.Print(os.Stderr, cli.Usage(fmt.Sprintf("unknown doctor check %q", args[0]), hint))
}

func doctorUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: kmsconform doctor enc --in FILE (--pass SPEC | --key-file FILE) [--expect FILE | --expect-text TEXT] [--salt HEX]")
	fmt.Fprintln(w, "       kmsconform doctor rsa --in CIPHERTEXT (--key-id ID [--kms-endpoint URL] | --private-key PEM) [--algorithm ALG] [--expect FILE | --expect-text TEXT]")
	fmt.Fprintln(w, "\nkmsconform doctor CHECK --help shows a check's flags.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, doctorExit)
}

// readExpect reads --expect FILE or --expect-text TEXT (nil when neither).
func readExpect(file, text string, textSet bool) ([]byte, error) {
	switch {
	case file != "" && textSet:
		return nil, cli.Usage("--expect and --expect-text are exclusive", "give the expected plaintext once")
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, cli.Usage(err.Error(), "check the --expect path")
		}
		return b, nil
	case textSet:
		return []byte(text), nil
	}
	return nil, nil
}

// doctorKMSTimeout bounds the KMS calls of `doctor rsa --key-id`.
const doctorKMSTimeout = 2 * time.Minute

// doctorContext is cancelled by SIGINT or SIGTERM (exit 130).
func doctorContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

func doctorEnc(args []string) int {
	fs := cli.NewFlags("kmsconform doctor enc", "--in FILE (--pass SPEC | --key-file FILE) [--expect FILE | --expect-text TEXT] [--salt HEX] [--jobs N]")
	in := fs.String("in", "", "the file made by `openssl enc` that does not decrypt")
	pass := fs.String("pass", "", "the password as openssl's -pass takes it: pass:TEXT, env:VAR or file:PATH")
	keyFile := fs.String("key-file", "", "a password file (same as --pass file:PATH)")
	expect := fs.String("expect", "", "a file holding the plaintext the data must decrypt to")
	expectText := fs.String("expect-text", "", "the plaintext the data must decrypt to")
	salt := fs.String("salt", "", "the hex salt of a file without Salted__ header (OpenSSL 3.x `enc -S`)")
	jobs := fs.Int("jobs", 0, "goroutines for the search (default: the number of CPUs)")
	for name, meta := range map[string]string{"in": "FILE", "pass": "SPEC", "key-file": "FILE", "expect": "FILE", "expect-text": "TEXT", "salt": "HEX"} {
		fs.Meta(name, meta)
	}
	fs.Extra = `The search tries the password as given and its usual variants (CR, LF,
CRLF, trailing whitespace), -md sha256/md5/sha1/sha512, the legacy
EVP_BytesToKey and -pbkdf2 at several -iter counts, AES in every key size
and mode, binary and base64 framing, with and without a salt.

` + doctorExit
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	if fs.NArg() > 0 {
		return cli.Print(os.Stderr, fs.Unexpected(fs.Arg(0)))
	}
	if *in == "" {
		return cli.Print(os.Stderr, cli.Usage("doctor enc needs --in FILE", "pass the file that gives \"bad decrypt\""))
	}
	if (*pass == "") == (*keyFile == "") {
		return cli.Print(os.Stderr, cli.Usage("doctor enc needs exactly one of --pass SPEC and --key-file FILE", "e.g. --pass file:key.txt or --pass env:PASSWORD"))
	}
	spec := *pass
	if *keyFile != "" {
		spec = "file:" + *keyFile
	}
	src, err := doctor.ReadPassSpec(spec)
	if err != nil {
		return cli.Print(os.Stderr, cli.Usage(err.Error(), "see `kmsconform doctor enc --help`"))
	}
	data, err := os.ReadFile(*in)
	if err != nil {
		return cli.Print(os.Stderr, cli.Usage(err.Error(), "check the --in path"))
	}
	exp, err := readExpect(*expect, *expectText, fs.Given("expect-text"))
	if err != nil {
		return cli.Print(os.Stderr, err)
	}
	var saltBytes []byte
	if *salt != "" {
		saltBytes, err = hex.DecodeString(strings.TrimSpace(*salt))
		if err != nil || len(saltBytes) != 8 {
			return cli.Print(os.Stderr, cli.Usage(fmt.Sprintf("--salt %q is not 8 bytes of hex", *salt), "openssl's -S takes 16 hex digits, e.g. --salt 0102030405060708"))
		}
	}
	ctx, stop := doctorContext()
	defer stop()
	req := doctor.EncRequest{Data: data, InPath: *in, Pass: src, Expect: exp, Salt: saltBytes, Workers: *jobs}
	rep, err := doctor.DiagnoseEnc(ctx, req)
	if err != nil {
		if ctx.Err() != nil {
			return cli.Print(os.Stderr, context.Canceled)
		}
		return cli.Print(os.Stderr, cli.Usage(err.Error(), "check the --in file"))
	}
	return doctor.PrintEnc(os.Stdout, req, rep)
}

// doctorErr maps an error of DiagnoseRSA to the CLI contract: a KMS that
// does not answer is exit 3, an interruption 130, bad input 2.
func doctorErr(ctx context.Context, err error) error {
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		return context.Canceled
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return cli.Setup(fmt.Errorf("KMS did not answer within %v", doctorKMSTimeout), "check --kms-endpoint and the network")
	case errors.Is(err, doctor.ErrKMS):
		return cli.Setup(err, "check --kms-endpoint, the key id and the credentials (AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_REGION)")
	}
	return cli.Usage(err.Error(), "check the --in file")
}
