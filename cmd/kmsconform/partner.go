package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/kmsconform/kmsconform/partner"
)

func init() {
	register("partner", "validate a third party's encryption tool against KMS", runPartner)
}

func runPartner(args []string) int {
	fs := flag.NewFlagSet("partner", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	enc := fs.String("encrypt", "", "the tool's command line, with {pubkey_pem} {pubkey_der} {in} {out} (or {data_in} {data_out} {key_out} with --hybrid)")
	alg := fs.String("algorithm", "", "what the tool promises: RSAES_OAEP_SHA_1 or RSAES_OAEP_SHA_256")
	hybrid := fs.Bool("hybrid", false, "the tool encrypts data with `openssl enc` under a password it wraps with RSA")
	encArgs := fs.String("enc-args", "-aes-256-cbc -pbkdf2", "with --hybrid: the `openssl enc` options the data must decrypt with")
	endpoint := fs.String("kms-endpoint", "", "a KMS endpoint URL (LocalStack, AWS); default: the in-process fake")
	aws := fs.Bool("aws", false, "use the SDK's default AWS KMS endpoint and credentials instead of the fake")
	specs := fs.String("key-specs", strings.Join(partner.KeySpecs, ","), "comma-separated RSA key specs")
	timeout := fs.Duration("timeout", 60*time.Second, "time limit for one run of the tool")
	report := fs.String("report", "", "write DIR/partner.md and DIR/partner.json")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		return usageErr(fmt.Sprintf("unexpected argument %q", fs.Arg(0)), "quote the --encrypt command as one argument")
	}
	var progress io.Writer
	if fi, err := os.Stderr.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
		progress = os.Stderr
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res, err := partner.Run(ctx, partner.Options{
		Encrypt: *enc, Algorithm: *alg, Hybrid: *hybrid, EncArgs: *encArgs,
		KMSEndpoint: *endpoint, UseDefaultAWS: *aws, KeySpecs: strings.Split(*specs, ","),
		Timeout: *timeout, Progress: progress,
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "kmsconform: error: %v\n", err)
		fmt.Fprintln(os.Stderr, "kmsconform: hint: e.g. kmsconform partner --encrypt 'openssl pkeyutl -encrypt -pubin -inkey {pubkey_pem} -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -in {in} -out {out}' --algorithm RSAES_OAEP_SHA_256")
		return 2
	}
	if *report != "" {
		if err := partner.WriteReport(*report, res); err != nil {
			fmt.Fprintf(os.Stderr, "kmsconform: error: writing the report: %v\n", err)
			return 2
		}
	}
	return partner.Print(os.Stdout, res)
}
