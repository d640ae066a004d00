package partner

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/kmsconform/kmsconform/internal/cli"
)

// Mode is what kind of tool is checked.
type Mode string

// The modes of `kmsconform partner`.
const (
	// ModeEncrypt: the tool RSA-encrypts {in} to {out} with the KMS public key.
	ModeEncrypt Mode = "encrypt"
	// ModeHybrid: the tool encrypts data with `openssl enc` under a
	// password it RSA-wraps with the KMS public key.
	ModeHybrid Mode = "hybrid"
	// ModeDerive: the tool derives an ECDH secret with the KMS public key.
	ModeDerive Mode = "derive"
	// ModeDecrypt: the tool decrypts with the private half of a KMS data
	// key pair what openssl encrypted with its public half.
	ModeDecrypt Mode = "decrypt"
	// ModeWrapImport: the tool wraps key material for ImportKeyMaterial.
	ModeWrapImport Mode = "wrap-import"
)

// Options configure Run.
type Options struct {
	// Encrypt is the command of an RSA key-wrap tool, run with sh -c, with
	// placeholders {pubkey_pem} {pubkey_der} {in} {out}, or for hybrid
	// tools {data_in} {data_out} {key_out}.
	Encrypt string
	// Derive is the command of an ECDH tool: {kms_pubkey_pem} or
	// {kms_pubkey_der}, {pubkey_out}, {secret_out}.
	Derive string
	// Decrypt is the command of a data-key-pair consumer: {privkey_pem} or
	// {privkey_der}, {in}, {out}.
	Decrypt string
	// WrapImport is the command of a key-material wrapping tool:
	// {wrapping_pubkey_der} or {wrapping_pubkey_pem}, {material_in}, {out}.
	WrapImport string
	// WrappingAlgorithm is the GetParametersForImport algorithm for
	// --wrap-import (default RSAES_OAEP_SHA_256).
	WrappingAlgorithm string
	// Algorithm is what an encrypt tool promises: RSAES_OAEP_SHA_1 or
	// RSAES_OAEP_SHA_256; for --decrypt, the padding openssl encrypts
	// with: RSAES_OAEP_SHA_256 (default), RSAES_OAEP_SHA_1 or
	// RSAES_PKCS1_V1_5.
	Algorithm string
	// Hybrid selects the hybrid check: the tool encrypts {data_in} to
	// {data_out} with `openssl enc` settings EncArgs under a password it
	// wraps with RSA into {key_out}.
	Hybrid bool
	// EncArgs are the `openssl enc` options the hybrid data must decrypt
	// with (default "-aes-256-cbc -pbkdf2"); the password is the first
	// line of what KMS decrypts from {key_out}, as `-pass file:` reads it.
	EncArgs string
	// KDF is what a derive tool writes to {secret_out}: raw (Z, the
	// default), hkdf-sha256:SALT:INFO or x963-sha256[:SHAREDINFO].
	KDF string
	// PubkeyFormat is what a derive tool must write to {pubkey_out}: der,
	// or any (default: DER or PEM SubjectPublicKeyInfo, detected).
	PubkeyFormat string
	// KMSEndpoint is a KMS endpoint URL (LocalStack, AWS); empty starts
	// the in-process fake unless UseDefaultAWS is set.
	KMSEndpoint string
	// UseDefaultAWS talks to the endpoint the SDK resolves (real AWS).
	UseDefaultAWS bool
	// KeySpecs defaults to RSA_2048, RSA_3072 and RSA_4096 (ECC_NIST_P256,
	// _P384 and _P521 for --derive).
	KeySpecs []string
	// Dir is the directory the tool runs in (default: the current one),
	// so that relative paths in its command resolve as the caller typed them.
	Dir string
	// Timeout bounds each run of the tool (default 60s).
	Timeout time.Duration
	// Parallel is the number of cases run at once (default 2).
	Parallel int
	// Progress, when set, receives one line per finished case.
	Progress io.Writer

	mode        Mode
	command     string
	smokeFailed bool // the in-limit smoke run failed: no refusal passes
}

// CaseResult is the verdict on one case.
type CaseResult struct {
	Case
	// Pass is the verdict.
	Pass bool `json:"pass"`
	// Allowance, when set, is the gate allowance that accepts this failing
	// case for a while: "reason (until DATE)".
	Allowance string `json:"allowance,omitempty"`
	// Detail says what happened, e.g. "KMS decrypts it to the input".
	Detail string `json:"detail"`
	// Class names the failure (failclass names plus the partner's own).
	Class string `json:"class,omitempty"`
	// Diagnosis is the producer's mistake (doctor's finding), Fix the change.
	Diagnosis string `json:"diagnosis,omitempty"`
	Fix       string `json:"fix,omitempty"`
	// Fingerprint names the stacks whose defaults behave like the tool.
	Fingerprint *Fingerprint `json:"fingerprint,omitempty"`
	// Command is the command line run; ExitCode, Stderr and DurationMS
	// describe that run.
	Command    string `json:"command"`
	ExitCode   int    `json:"exit_code"`
	Stderr     string `json:"stderr,omitempty"`
	DurationMS int64  `json:"duration_ms"`
	// Calls lists the KMS API calls and their outcome.
	Calls []string `json:"kms_calls,omitempty"`
	// InputHex and OutputHex are the first bytes of the input and of what
	// came back, when they differ.
	InputHex  string `json:"input_hex,omitempty"`
	OutputHex string `json:"output_hex,omitempty"`
}

// ToolProblem is why the tool could not be checked at all: it did not
// run, or wrote nothing usable for an input well within its limits.
type ToolProblem struct {
	// Class is tool-not-runnable, tool-failed, timeout or no-output.
	Class   string `json:"class"`
	Message string `json:"message"`
	Hint    string `json:"hint"`
	// Command, ExitCode and Stderr describe the run.
	Command  string `json:"command"`
	ExitCode int    `json:"exit_code"`
	Stderr   string `json:"stderr,omitempty"`
}

// Result is the outcome of Run.
type Result struct {
	Mode      Mode   `json:"mode"`
	Tool      string `json:"tool"`
	Algorithm string `json:"algorithm,omitempty"`
	KDF       string `json:"kdf,omitempty"`
	// WrappingAlgorithm is the --wrap-import algorithm.
	WrappingAlgorithm string `json:"wrapping_algorithm,omitempty"`
	Hybrid            bool   `json:"hybrid"`
	Endpoint          string `json:"kms_endpoint"`
	// KMSWarning is set when the endpoint answered unlike AWS KMS.
	KMSWarning string `json:"kms_warning,omitempty"`
	Dir        string `json:"dir"`
	// Problem, when set, failed the check before any case ran: the tool
	// cannot start, timed out or wrote none of its outputs.
	Problem *ToolProblem `json:"problem,omitempty"`
	// SmokeFailure, when set, is the tool failing on the first in-limit
	// input; the cases ran, and none could pass by refusing its input.
	SmokeFailure *ToolProblem `json:"smoke_failure,omitempty"`
	Cases        []CaseResult `json:"cases"`
	// Pass is true when the tool ran and every case passed or is allowed
	// by a gate file.
	Pass bool `json:"pass"`
	// Diagnoses are the distinct producer mistakes found, most frequent
	// first.
	Diagnoses []string `json:"diagnoses,omitempty"`
	// Fixes are the matching changes.
	Fixes []string `json:"fixes,omitempty"`
	// Fingerprints are the distinct stack fingerprints of failing cases.
	Fingerprints []*Fingerprint `json:"fingerprints,omitempty"`
	// ToolMS is the time spent in the tool, KMSMS the rest of the wall time.
	ToolMS  int64 `json:"tool_ms"`
	TotalMS int64 `json:"total_ms"`
}

// checker is one mode: its cases, its KMS keys and its judge.
type checker interface {
	// setup creates the KMS keys.
	setup(ctx context.Context, conn *kmsConn) error
	// cases are the inputs.
	cases() []Case
	// smoke is an in-limit invocation the tool must complete first.
	smoke() invocation
	// judge runs one case.
	judge(ctx context.Context, c Case) CaseResult
}

// Run validates the tool: it checks that the KMS answers, creates KMS
// keys, runs the tool once on an in-limit input (a tool that cannot run
// or writes nothing fails here, before any case), then runs every case in
// its own temporary directory (removed afterwards) and checks the result
// through KMS. Errors are *cli.Error (usage 2, setup 3) or the context's.
func Run(ctx context.Context, o Options) (*Result, error) {
	start := time.Now()
	if err := o.validate(); err != nil {
		return nil, err
	}
	var ck checker
	switch o.mode {
	case ModeEncrypt, ModeHybrid:
		r, err := newRSAChecker(&o)
		if err != nil {
			return nil, err
		}
		ck = r
	case ModeDerive:
		d, err := newDeriveChecker(&o)
		if err != nil {
			return nil, err
		}
		ck = d
	case ModeDecrypt:
		d, err := newDecryptChecker(&o)
		if err != nil {
			return nil, err
		}
		ck = d
	case ModeWrapImport:
		w, err := newWrapChecker(&o)
		if err != nil {
			return nil, err
		}
		ck = w
	}
	conn, err := dialKMS(ctx, o.KMSEndpoint, o.KMSEndpoint == "" && !o.UseDefaultAWS)
	if err != nil {
		return nil, err
	}
	defer conn.close(context.WithoutCancel(ctx))
	warning, err := conn.preflight(ctx)
	if err != nil {
		return nil, err
	}
	if err := ck.setup(ctx, conn); err != nil {
		return nil, cli.Setup(err, "the KMS answers but refuses to create the keys this check needs: check the credentials' permissions (kms:CreateKey, kms:GetPublicKey)")
	}
	res := &Result{Mode: o.mode, Tool: o.command, Hybrid: o.Hybrid, Endpoint: endpointName(conn), Dir: o.Dir, KMSWarning: warning}
	switch o.mode { // each mode reports only the promise it checks
	case ModeDerive:
		res.KDF = o.KDF
	case ModeWrapImport:
		res.WrappingAlgorithm = o.WrappingAlgorithm
	default:
		res.Algorithm = o.Algorithm
	}
	p, toolTime := o.smokeTest(ctx, ck.smoke())
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	switch {
	case p == nil:
	case p.Class == "tool-failed":
		// It runs but fails: the cases say how, and none passes by refusing.
		res.SmokeFailure, o.smokeFailed = p, true
	default:
		res.Problem, res.ToolMS = p, toolTime.Milliseconds()
		res.TotalMS = time.Since(start).Milliseconds()
		return res, nil
	}
	cases := ck.cases()
	res.Cases = make([]CaseResult, len(cases))
	var wg sync.WaitGroup
	sem := make(chan struct{}, o.Parallel)
	var mu sync.Mutex
	done := 0
	for i, c := range cases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			r := ck.judge(ctx, c)
			mu.Lock()
			defer mu.Unlock()
			res.Cases[i] = r
			res.ToolMS += r.DurationMS
			done++
			if o.Progress != nil {
				v := "pass"
				if !r.Pass {
					v = "FAIL"
				}
				fmt.Fprintf(o.Progress, "[%d/%d] %-4s %s\n", done, len(cases), v, c.Name)
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res.summarise()
	res.TotalMS = time.Since(start).Milliseconds()
	return res, nil
}

func endpointName(c *kmsConn) string {
	switch {
	case c.fake:
		return "in-process kmsconform fake (" + c.endpoint + ")"
	case c.endpoint == "":
		return "AWS KMS (SDK default endpoint)"
	}
	return c.endpoint
}

const exampleHint = "e.g. kmsconform partner --algorithm RSAES_OAEP_SHA_256 --encrypt 'openssl pkeyutl -encrypt -pubin -inkey {pubkey_pem} -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -in {in} -out {out}'"

// validate checks the options and fills the defaults.
func (o *Options) validate() error {
	set := 0
	for _, m := range []struct {
		cmd  string
		mode Mode
	}{{o.Encrypt, ModeEncrypt}, {o.Derive, ModeDerive}, {o.Decrypt, ModeDecrypt}, {o.WrapImport, ModeWrapImport}} {
		if strings.TrimSpace(m.cmd) != "" {
			set++
			o.mode, o.command = m.mode, m.cmd
		}
	}
	switch {
	case set == 0:
		return cli.Usage("no tool given: pass --encrypt, --derive, --decrypt or --wrap-import with the tool's command", exampleHint)
	case set > 1:
		return cli.Usage("--encrypt, --derive, --decrypt and --wrap-import are exclusive: check one tool at a time", "run kmsconform partner once per tool")
	case o.Hybrid && o.mode != ModeEncrypt:
		return cli.Usage("--hybrid goes with --encrypt", "drop --hybrid, or check the tool with --encrypt")
	case o.Hybrid:
		o.mode = ModeHybrid
	}
	known := Placeholders[o.mode]
	if bad := unknownPlaceholders(o.command, known); len(bad) > 0 {
		hint := "known placeholders for this mode: " + strings.Join(known, " ")
		if s := cli.DidYouMean(bad[0], known); s != "" {
			hint = s + " (" + hint + ")"
		}
		return cli.Usage(fmt.Sprintf("unknown placeholder(s) %s in the command", strings.Join(bad, ", ")), hint)
	}
	if err := o.checkPlaceholders(); err != nil {
		return err
	}
	if o.Dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return cli.Setup(fmt.Errorf("finding the current directory: %w", err), "run kmsconform from a directory that exists")
		}
		o.Dir = wd
	}
	if o.Timeout <= 0 {
		o.Timeout = 60 * time.Second
	}
	if o.Parallel <= 0 {
		o.Parallel = 2
	}
	if o.EncArgs == "" {
		o.EncArgs = "-aes-256-cbc -pbkdf2"
	}
	return nil
}

// required are the placeholders each mode's command must use: all of
// each inner list, at least one of each outer alternative.
var required = map[Mode][][]string{
	ModeEncrypt:    {{"{in}"}, {"{out}"}, {"{pubkey_pem}", "{pubkey_der}"}},
	ModeHybrid:     {{"{data_in}"}, {"{data_out}"}, {"{key_out}"}, {"{pubkey_pem}", "{pubkey_der}"}},
	ModeDerive:     {{"{pubkey_out}"}, {"{secret_out}"}, {"{kms_pubkey_pem}", "{kms_pubkey_der}"}},
	ModeDecrypt:    {{"{in}"}, {"{out}"}, {"{privkey_pem}", "{privkey_der}"}},
	ModeWrapImport: {{"{material_in}"}, {"{out}"}, {"{wrapping_pubkey_der}", "{wrapping_pubkey_pem}"}},
}

func (o *Options) checkPlaceholders() error {
	for _, alts := range required[o.mode] {
		found := false
		for _, p := range alts {
			found = found || strings.Contains(o.command, p)
		}
		if !found {
			return cli.Usage(fmt.Sprintf("the command does not use %s (%s needs %s)", strings.Join(alts, " or "), modeFlag[o.mode], describeRequired(o.mode)), exampleHint)
		}
	}
	return nil
}

// modeFlag is how each mode is asked for on the command line.
var modeFlag = map[Mode]string{ModeEncrypt: "--encrypt", ModeHybrid: "--encrypt --hybrid", ModeDerive: "--derive", ModeDecrypt: "--decrypt", ModeWrapImport: "--wrap-import"}

func describeRequired(m Mode) string {
	var parts []string
	for _, alts := range required[m] {
		parts = append(parts, strings.Join(alts, "|"))
	}
	return strings.Join(parts, " ")
}

// summarise sets Pass, the distinct diagnoses and fingerprints.
func (r *Result) summarise() {
	r.Pass = r.Problem == nil && r.SmokeFailure == nil && len(r.Cases) > 0
	r.Diagnoses, r.Fixes, r.Fingerprints = nil, nil, nil
	count := map[string]int{}
	fix := map[string]string{}
	var order []string
	seenFP := map[string]bool{}
	for _, c := range r.Cases {
		if c.failing() {
			r.Pass = false
		}
		if c.Diagnosis != "" {
			if count[c.Diagnosis] == 0 {
				order = append(order, c.Diagnosis)
				fix[c.Diagnosis] = c.Fix
			}
			count[c.Diagnosis]++
		}
		if c.Fingerprint != nil && !c.Pass && !seenFP[c.Fingerprint.Observed] {
			seenFP[c.Fingerprint.Observed] = true
			r.Fingerprints = append(r.Fingerprints, c.Fingerprint)
		}
	}
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && count[order[j]] > count[order[j-1]]; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	r.Diagnoses = order
	for _, d := range order {
		r.Fixes = append(r.Fixes, fix[d])
	}
}

func errText(err error) string {
	if err == nil {
		return "ok"
	}
	return err.Error()
}

func hexPrefix(b []byte) string {
	const max = 48
	s := fmt.Sprintf("%x", b)
	if len(b) > max {
		s = fmt.Sprintf("%x… (%d bytes)", b[:max], len(b))
	}
	return s
}
