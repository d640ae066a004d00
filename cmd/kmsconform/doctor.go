package main

import (
	"context"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/kmsconform/kmsconform/doctor"
)

func init() {
	register("doctor", "explain why a ciphertext does not decrypt (enc, rsa)", runDoctor)
}

func runDoctor(args []string) int {
	if len(args) == 0 {
		doctorUsage(os.Stderr)
		return 2
	}
	switch args[0] {
	case "enc":
		return doctorEnc(args[1:])
	case "rsa":
		return doctorRSA(args[1:])
	case "-h", "--help", "help":
		doctorUsage(os.Stdout)
		return 0
	}
	fmt.Fprintf(os.Stderr, "kmsconform: error: unknown doctor check %q\n", args[0])
	fmt.Fprintln(os.Stderr, "kmsconform: hint: use `kmsconform doctor enc ...` for `openssl enc` files or `kmsconform doctor rsa ...` for RSA ciphertexts")
	return 2
}

func doctorUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: kmsconform doctor enc --in FILE (--pass SPEC | --key-file FILE) [--expect FILE | --expect-text TEXT] [--salt HEX]")
	fmt.Fprintln(w, "       kmsconform doctor rsa --in CIPHERTEXT (--key-id ID [--kms-endpoint URL] | --private-key PEM) [--expect FILE | --expect-text TEXT]")
}

// usageErr prints a flag problem in the error/hint style and returns 2.
func usageErr(msg, hint string) int {
	fmt.Fprintf(os.Stderr, "kmsconform: error: %s\n", msg)
	if hint != "" {
		fmt.Fprintf(os.Stderr, "kmsconform: hint: %s\n", hint)
	}
	return 2
}

// readExpect reads --expect FILE or --expect-text TEXT (nil when neither).
func readExpect(file, text string) ([]byte, error) {
	switch {
	case file != "" && text != "":
		return nil, fmt.Errorf("--expect and --expect-text are exclusive")
	case file != "":
		return os.ReadFile(file)
	case text != "":
		return []byte(text), nil
	}
	return nil, nil
}

func doctorEnc(args []string) int {
	fs := flag.NewFlagSet("doctor enc", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	in := fs.String("in", "", "the file made by `openssl enc` that does not decrypt")
	pass := fs.String("pass", "", "the password as openssl's -pass takes it: pass:TEXT, env:VAR or file:PATH")
	keyFile := fs.String("key-file", "", "a password file (same as --pass file:PATH)")
	expect := fs.String("expect", "", "a file holding the plaintext the data must decrypt to")
	expectText := fs.String("expect-text", "", "the plaintext the data must decrypt to")
	salt := fs.String("salt", "", "the hex salt of a file without Salted__ header (OpenSSL 3.x `enc -S`)")
	jobs := fs.Int("jobs", 0, "goroutines for the search (default: the number of CPUs)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		return usageErr(fmt.Sprintf("unexpected argument %q", fs.Arg(0)), "quote the values; see `kmsconform doctor help`")
	}
	if *in == "" {
		return usageErr("doctor enc needs --in FILE", "pass the file that gives \"bad decrypt\"")
	}
	if (*pass == "") == (*keyFile == "") {
		return usageErr("doctor enc needs exactly one of --pass SPEC and --key-file FILE", "e.g. --pass file:key.txt or --pass env:PASSWORD")
	}
	spec := *pass
	if *keyFile != "" {
		spec = "file:" + *keyFile
	}
	src, err := doctor.ReadPassSpec(spec)
	if err != nil {
		return usageErr(err.Error(), "")
	}
	data, err := os.ReadFile(*in)
	if err != nil {
		return usageErr(err.Error(), "check the --in path")
	}
	exp, err := readExpect(*expect, *expectText)
	if err != nil {
		return usageErr(err.Error(), "give the expected plaintext once")
	}
	var saltBytes []byte
	if *salt != "" {
		saltBytes, err = hex.DecodeString(strings.TrimSpace(*salt))
		if err != nil || len(saltBytes) != 8 {
			return usageErr(fmt.Sprintf("--salt %q is not 8 bytes of hex", *salt), "openssl's -S takes 16 hex digits, e.g. --salt 0102030405060708")
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	req := doctor.EncRequest{Data: data, InPath: *in, Pass: src, Expect: exp, Salt: saltBytes, Workers: *jobs}
	rep, err := doctor.DiagnoseEnc(ctx, req)
	if err != nil {
		fmt.Fprintf(os.Stderr, "kmsconform: error: %v\n", err)
		return 1
	}
	return doctor.PrintEnc(os.Stdout, req, rep)
}
