package main

import (
	"context"
	"fmt"
	"os"

	"github.com/kmsconform/kmsconform/doctor"
	"github.com/kmsconform/kmsconform/internal/cli"
)

func doctorRSA(args []string) int {
	fs := cli.NewFlags("kmsconform doctor rsa", "--in CIPHERTEXT (--key-id ID [--kms-endpoint URL] | --private-key PEM) [--algorithm ALG] [--expect FILE | --expect-text TEXT]")
	in := fs.String("in", "", "the RSA ciphertext the KMS key does not decrypt")
	keyID := fs.String("key-id", "", "the KMS key (id, ARN or alias) it was meant for")
	endpoint := fs.String("kms-endpoint", "", "KMS endpoint URL (default: AWS, from the standard configuration)")
	privFile := fs.String("private-key", "", "the RSA private key (PEM or DER), when known: more paddings are tried")
	alg := fs.String("algorithm", "", "what the producer promised: RSAES_OAEP_SHA_1 or RSAES_OAEP_SHA_256")
	expect := fs.String("expect", "", "a file holding the plaintext expected")
	expectText := fs.String("expect-text", "", "the plaintext expected")
	for name, meta := range map[string]string{"in": "FILE", "key-id": "ID", "kms-endpoint": "URL", "private-key": "PEM", "algorithm": "ALG", "expect": "FILE", "expect-text": "TEXT"} {
		fs.Meta(name, meta)
	}
	fs.Extra = `Through KMS it tries RSAES_OAEP_SHA_256 and RSAES_OAEP_SHA_1; with the
private key also every pair of OAEP label and MGF1 hashes and PKCS#1 v1.5.

` + doctorExit
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	if fs.NArg() > 0 {
		return cli.Print(os.Stderr, fs.Unexpected(fs.Arg(0)))
	}
	if *in == "" {
		return cli.Print(os.Stderr, cli.Usage("doctor rsa needs --in CIPHERTEXT", "pass the file KMS refuses (InvalidCiphertextException)"))
	}
	if (*keyID == "") == (*privFile == "") {
		return cli.Print(os.Stderr, cli.Usage("doctor rsa needs exactly one of --key-id ID and --private-key PEM", "with --key-id it asks KMS; with --private-key it also tries PKCS#1 v1.5 and mixed OAEP hashes"))
	}
	algs := []string{doctor.AlgOAEPSHA1, doctor.AlgOAEPSHA256}
	if *alg != "" && *alg != doctor.AlgOAEPSHA1 && *alg != doctor.AlgOAEPSHA256 {
		hint := "use RSAES_OAEP_SHA_1 or RSAES_OAEP_SHA_256"
		if s := cli.Suggest(*alg, algs); s != "" {
			hint = fmt.Sprintf("did you mean %s? (%s)", s, hint)
		}
		return cli.Print(os.Stderr, cli.Usage(fmt.Sprintf("--algorithm %q is not an RSA encryption algorithm of KMS", *alg), hint))
	}
	ct, err := os.ReadFile(*in)
	if err != nil {
		return cli.Print(os.Stderr, cli.Usage(err.Error(), "check the --in path"))
	}
	exp, err := readExpect(*expect, *expectText, fs.Given("expect-text"))
	if err != nil {
		return cli.Print(os.Stderr, err)
	}
	ctx, stop := doctorContext()
	defer stop()
	req := doctor.RSARequest{Ciphertext: ct, Want: *alg, Expect: exp}
	if *privFile != "" {
		data, err := os.ReadFile(*privFile)
		if err != nil {
			return cli.Print(os.Stderr, cli.Usage(err.Error(), "check the --private-key path"))
		}
		priv, err := doctor.ParseRSAPrivateKey(data)
		if err != nil {
			return cli.Print(os.Stderr, cli.Usage(fmt.Sprintf("--private-key %s: %v", *privFile, err), "give the key as `openssl genpkey` writes it"))
		}
		req.Private = priv
	} else {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, doctorKMSTimeout)
		defer cancel()
		client, err := doctor.NewKMSClient(ctx, *endpoint)
		if err != nil {
			return cli.Print(os.Stderr, cli.Setup(err, "or pass --kms-endpoint URL for LocalStack or `kmsconform kms serve`"))
		}
		req.KMS = &doctor.KMSKey{Client: client, KeyID: *keyID}
	}
	rep, err := doctor.DiagnoseRSA(ctx, req)
	if err != nil {
		return cli.Print(os.Stderr, doctorErr(ctx, err))
	}
	return doctor.PrintRSA(os.Stdout, *in, rep)
}
