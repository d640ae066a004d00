package main

import (
	"context"
	"crypto/rsa"
	"flag"
	"fmt"
	"os"
	"os/signal"

	"github.com/kmsconform/kmsconform/doctor"
)

func doctorRSA(args []string) int {
	fs := flag.NewFlagSet("doctor rsa", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	in := fs.String("in", "", "the RSA ciphertext the KMS key does not decrypt")
	keyID := fs.String("key-id", "", "the KMS key (id, ARN or alias) it was meant for")
	endpoint := fs.String("kms-endpoint", "", "KMS endpoint URL (default: AWS, from the standard configuration)")
	privFile := fs.String("private-key", "", "the RSA private key (PEM or DER), when known: more paddings are tried")
	alg := fs.String("algorithm", "", "what the producer promised: RSAES_OAEP_SHA_1 or RSAES_OAEP_SHA_256")
	expect := fs.String("expect", "", "a file holding the plaintext expected")
	expectText := fs.String("expect-text", "", "the plaintext expected")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		return usageErr(fmt.Sprintf("unexpected argument %q", fs.Arg(0)), "see `kmsconform doctor help`")
	}
	if *in == "" {
		return usageErr("doctor rsa needs --in CIPHERTEXT", "pass the file KMS refuses (InvalidCiphertextException)")
	}
	if (*keyID == "") == (*privFile == "") {
		return usageErr("doctor rsa needs exactly one of --key-id ID and --private-key PEM", "with --key-id it asks KMS; with --private-key it also tries PKCS#1 v1.5 and mixed OAEP hashes")
	}
	if *alg != "" && *alg != doctor.AlgOAEPSHA1 && *alg != doctor.AlgOAEPSHA256 {
		return usageErr(fmt.Sprintf("--algorithm %q is not an RSA encryption algorithm of KMS", *alg), "use RSAES_OAEP_SHA_1 or RSAES_OAEP_SHA_256")
	}
	ct, err := os.ReadFile(*in)
	if err != nil {
		return usageErr(err.Error(), "check the --in path")
	}
	exp, err := readExpect(*expect, *expectText)
	if err != nil {
		return usageErr(err.Error(), "give the expected plaintext once")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	req := doctor.RSARequest{Ciphertext: ct, Want: *alg, Expect: exp}
	if *privFile != "" {
		data, err := os.ReadFile(*privFile)
		if err != nil {
			return usageErr(err.Error(), "check the --private-key path")
		}
		var priv *rsa.PrivateKey
		if priv, err = doctor.ParseRSAPrivateKey(data); err != nil {
			return usageErr(fmt.Sprintf("--private-key %s: %v", *privFile, err), "give the key as `openssl genpkey` writes it")
		}
		req.Private = priv
	} else {
		client, err := doctor.NewKMSClient(ctx, *endpoint)
		if err != nil {
			return usageErr(err.Error(), "or pass --kms-endpoint URL for LocalStack or `kmsconform kms serve`")
		}
		req.KMS = &doctor.KMSKey{Client: client, KeyID: *keyID}
	}
	rep, err := doctor.DiagnoseRSA(ctx, req)
	if err != nil {
		fmt.Fprintf(os.Stderr, "kmsconform: error: %v\n", err)
		fmt.Fprintln(os.Stderr, "kmsconform: hint: check the key id, the endpoint and the credentials (AWS_PROFILE, AWS_REGION)")
		return 1
	}
	return doctor.PrintRSA(os.Stdout, *in, rep)
}
