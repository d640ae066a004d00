package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/kmsconform/kmsconform/internal/cli"
	"github.com/kmsconform/kmsconform/internal/preflight"
	"github.com/kmsconform/kmsconform/partner"
)

func init() {
	register("partner", "validate a third party's encryption, ECDH, decryption or key-wrapping tool against KMS", runPartner)
}

func runPartner(args []string) int {
	fs := cli.NewFlags("kmsconform partner", "(--encrypt CMD --algorithm ALG [--hybrid] | --derive CMD [--kdf KDF] | --decrypt CMD | --wrap-import CMD) [flags]")
	enc := fs.String("encrypt", "", "an RSA key-wrap tool's command line, with {pubkey_pem} or {pubkey_der}, {in} and {out} (or {data_in} {data_out} {key_out} with --hybrid)")
	derive := fs.String("derive", "", "an ECDH tool's command line, with {kms_pubkey_pem} or {kms_pubkey_der}, {pubkey_out} and {secret_out}")
	decrypt := fs.String("decrypt", "", "a KMS data-key-pair consumer's command line, with {privkey_pem} or {privkey_der}, {in} and {out}")
	wrapImport := fs.String("wrap-import", "", "a key-material wrapping tool's command line, with {wrapping_pubkey_der} or {wrapping_pubkey_pem}, {material_in} and {out}")
	wrapAlg := fs.String("wrapping-algorithm", "RSAES_OAEP_SHA_256", "with --wrap-import: RSAES_OAEP_SHA_256, RSAES_OAEP_SHA_1, RSA_AES_KEY_WRAP_SHA_256 or RSA_AES_KEY_WRAP_SHA_1")
	alg := fs.String("algorithm", "", "with --encrypt: what the tool promises, RSAES_OAEP_SHA_1 or RSAES_OAEP_SHA_256; with --decrypt: the padding openssl encrypts with, RSAES_OAEP_SHA_256 (default), RSAES_OAEP_SHA_1 or RSAES_PKCS1_V1_5")
	hybrid := fs.Bool("hybrid", false, "with --encrypt: the tool encrypts data with openssl enc under a password it wraps with RSA")
	encArgs := fs.String("enc-args", "-aes-256-cbc -pbkdf2", "with --hybrid: the openssl enc options the data must decrypt with")
	kdf := fs.String("kdf", "raw", "with --derive: what the tool writes to {secret_out}: raw (Z), hkdf-sha256:SALT:INFO or x963-sha256[:SHAREDINFO] (32 bytes; values are text or 0x-hex)")
	pubFormat := fs.String("pubkey-format", "any", "with --derive: der if the tool must write DER SubjectPublicKeyInfo to {pubkey_out}; any accepts PEM too")
	endpoint := fs.String("kms-endpoint", "", "a KMS endpoint URL (LocalStack, AWS); default: the in-process fake")
	aws := fs.Bool("aws", false, "use the SDK's default AWS KMS endpoint and credentials instead of the fake")
	specs := fs.String("key-specs", "", "comma-separated key specs (default RSA_2048,RSA_3072,RSA_4096, for --wrap-import the wrapping keys; ECC_NIST_P256,ECC_NIST_P384,ECC_NIST_P521 with --derive)")
	timeout := fs.Duration("timeout", 60*time.Second, "time limit for one run of the tool")
	parallel := fs.Int("parallel", 2, "cases run at once")
	report := fs.String("report", "", "write DIR/partner.md, DIR/partner.json and DIR/partner.html")
	for name, meta := range map[string]string{"encrypt": "CMD", "derive": "CMD", "decrypt": "CMD", "algorithm": "ALG", "wrap-import": "CMD", "wrapping-algorithm": "ALG", "enc-args": "ARGS", "kdf": "KDF", "kms-endpoint": "URL", "key-specs": "SPECS", "report": "DIR"} {
		fs.Meta(name, meta)
	}
	fs.Extra = `The tool runs with sh -c in the current directory with your environment and stdin
at /dev/null; placeholders become absolute file names. It runs once on a small input
first: a tool that cannot start or writes nothing fails there (exit 1), no case runs.
The KMS must answer ListKeys first (exit 3 otherwise).
Example:
  kmsconform partner --algorithm RSAES_OAEP_SHA_256 \
    --encrypt 'openssl pkeyutl -encrypt -pubin -inkey {pubkey_pem} -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -in {in} -out {out}'`
	gf := addGateFlags(fs)
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	if err := gf.load(); err != nil {
		return cli.Print(os.Stderr, err)
	}
	if fs.NArg() > 0 {
		return cli.Print(os.Stderr, cli.Usage("unexpected argument "+quote(fs.Arg(0)), "quote the tool's command as one argument, e.g. --encrypt 'tool {pubkey_pem} {in} {out}'"))
	}
	var progress io.Writer
	if fi, err := os.Stderr.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
		progress = os.Stderr
	}
	var keySpecs []string
	if *specs != "" {
		keySpecs = strings.Split(*specs, ",")
	}
	if *report != "" {
		if err := preflight.ReportDir(*report); err != nil {
			return cli.Print(os.Stderr, cli.Setup(err, "choose a --report directory you can write to; no case was run"))
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := partner.Run(ctx, partner.Options{
		Encrypt: *enc, Derive: *derive, Decrypt: *decrypt, WrapImport: *wrapImport, WrappingAlgorithm: *wrapAlg, Algorithm: *alg, Hybrid: *hybrid, EncArgs: *encArgs, KDF: *kdf, PubkeyFormat: *pubFormat,
		KMSEndpoint: *endpoint, UseDefaultAWS: *aws, KeySpecs: keySpecs,
		Timeout: *timeout, Parallel: *parallel, Progress: progress,
	})
	if err != nil {
		return cli.Print(os.Stderr, err)
	}
	stale := partner.ApplyGate(res, gf.file, time.Now())
	for _, s := range stale {
		cli.Warnf(os.Stderr, "%s: %s", *gf.path, s)
	}
	code := partner.Print(os.Stderr, res)
	if *report != "" {
		if err := partner.WriteReport(*report, res); err != nil {
			return cli.Print(os.Stderr, cli.Setup(err, "pass a writable --report directory"))
		}
		cli.Hintf(os.Stderr, "report: %s/partner.md, partner.json, partner.html", strings.TrimRight(*report, "/"))
	}
	if code == cli.ExitOK {
		if err := gf.staleErr(stale); err != nil {
			return cli.Print(os.Stderr, err)
		}
	}
	return code
}

func quote(s string) string { return `"` + s + `"` }
