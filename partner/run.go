package partner

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/kmsconform/kmsconform/doctor"
	"github.com/kmsconform/kmsconform/oracle"
)

// Options configure Run.
type Options struct {
	// Encrypt is the partner's command, run with sh -c, with placeholders
	// {pubkey_pem} {pubkey_der} {in} {out}, or for hybrid tools
	// {data_in} {data_out} {key_out}.
	Encrypt string
	// Algorithm is what the partner promises: RSAES_OAEP_SHA_1 or
	// RSAES_OAEP_SHA_256.
	Algorithm string
	// Hybrid selects the hybrid check: the tool encrypts {data_in} to
	// {data_out} with `openssl enc` settings EncArgs under a password it
	// wraps with RSA into {key_out}.
	Hybrid bool
	// EncArgs are the `openssl enc` options the hybrid data must decrypt
	// with (default "-aes-256-cbc -pbkdf2"); the password is the first
	// line of what KMS decrypts from {key_out}, as `-pass file:` reads it.
	EncArgs string
	// KMSEndpoint is a KMS endpoint URL (LocalStack, AWS); empty starts
	// the in-process fake unless UseDefaultAWS is set.
	KMSEndpoint string
	// UseDefaultAWS talks to the endpoint the SDK resolves (real AWS).
	UseDefaultAWS bool
	// KeySpecs defaults to RSA_2048, RSA_3072 and RSA_4096.
	KeySpecs []string
	// Timeout bounds each run of the tool (default 60s).
	Timeout time.Duration
	// Parallel is the number of cases run at once (default 2).
	Parallel int
	// Progress, when set, receives one line per finished case.
	Progress io.Writer
}

// CaseResult is the verdict on one case.
type CaseResult struct {
	Case
	// Pass is the verdict.
	Pass bool `json:"pass"`
	// Detail says what happened, e.g. "KMS decrypts it to the input".
	Detail string `json:"detail"`
	// Diagnosis is the producer's mistake (doctor's finding), Fix the change.
	Diagnosis string `json:"diagnosis,omitempty"`
	Fix       string `json:"fix,omitempty"`
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

// Result is the outcome of Run.
type Result struct {
	Tool      string       `json:"tool"`
	Algorithm string       `json:"algorithm"`
	Hybrid    bool         `json:"hybrid"`
	Endpoint  string       `json:"kms_endpoint"`
	Cases     []CaseResult `json:"cases"`
	// Pass is true when every case passed.
	Pass bool `json:"pass"`
	// Diagnoses are the distinct producer mistakes found, most frequent
	// first.
	Diagnoses []string `json:"diagnoses,omitempty"`
	// Fixes are the matching changes.
	Fixes []string `json:"fixes,omitempty"`
}

// Run validates the tool: it creates one KMS key per key spec, runs every
// case in its own temporary directory (removed afterwards) and decrypts
// the result through KMS. Failures are diagnosed by running the tool again
// on a local key of the same size whose private key is known.
func Run(ctx context.Context, o Options) (*Result, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	encP, err := doctor.ParseEncArgs(strings.Fields(o.EncArgs))
	if err != nil {
		return nil, fmt.Errorf("--enc-args: %w", err)
	}
	conn, err := dialKMS(ctx, o.KMSEndpoint, o.KMSEndpoint == "" && !o.UseDefaultAWS)
	if err != nil {
		return nil, err
	}
	defer conn.close(context.WithoutCancel(ctx))
	keys := map[string]*kmsKey{}
	for _, spec := range o.KeySpecs {
		k, err := conn.createKey(ctx, spec)
		if err != nil {
			return nil, err
		}
		keys[spec] = k
	}
	cases := rsaCases(o.Algorithm, o.KeySpecs)
	if o.Hybrid {
		cases = hybridCases(o.KeySpecs)
	}
	res := &Result{Tool: o.Encrypt, Algorithm: o.Algorithm, Hybrid: o.Hybrid, Endpoint: endpointName(conn), Cases: make([]CaseResult, len(cases))}
	probes := &probeKeys{keys: map[int]*rsa.PrivateKey{}}
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
			r := o.runCase(ctx, c, keys[c.KeySpec], encP, probes)
			res.Cases[i] = r
			mu.Lock()
			done++
			if o.Progress != nil {
				v := "pass"
				if !r.Pass {
					v = "FAIL"
				}
				fmt.Fprintf(o.Progress, "[%d/%d] %-4s %s\n", done, len(cases), v, c.Name)
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res.summarise()
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

func (o *Options) validate() error {
	if strings.TrimSpace(o.Encrypt) == "" {
		return errors.New("no --encrypt command given")
	}
	if o.Algorithm != doctor.AlgOAEPSHA1 && o.Algorithm != doctor.AlgOAEPSHA256 {
		return fmt.Errorf("--algorithm %q: want %s or %s", o.Algorithm, doctor.AlgOAEPSHA1, doctor.AlgOAEPSHA256)
	}
	if bad := unknownPlaceholders(o.Encrypt); len(bad) > 0 {
		return fmt.Errorf("unknown placeholder(s) %s in the command (known: %s)", strings.Join(bad, ", "), strings.Join(Placeholders, " "))
	}
	need := []string{"{in}", "{out}"}
	if o.Hybrid {
		need = []string{"{data_in}", "{data_out}", "{key_out}"}
	}
	for _, p := range need {
		if !strings.Contains(o.Encrypt, p) {
			return fmt.Errorf("the command does not use %s (a %s tool needs %s)", p, map[bool]string{false: "plain RSA", true: "hybrid"}[o.Hybrid], strings.Join(need, " "))
		}
	}
	if !strings.Contains(o.Encrypt, "{pubkey_pem}") && !strings.Contains(o.Encrypt, "{pubkey_der}") {
		return errors.New("the command uses neither {pubkey_pem} nor {pubkey_der}: it must be given the KMS public key")
	}
	if len(o.KeySpecs) == 0 {
		o.KeySpecs = KeySpecs
	}
	for _, s := range o.KeySpecs {
		if s != "RSA_2048" && s != "RSA_3072" && s != "RSA_4096" {
			return fmt.Errorf("key spec %q: want RSA_2048, RSA_3072 or RSA_4096", s)
		}
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

// probeKeys are local RSA keys, one per size, generated on first use.
type probeKeys struct {
	mu   sync.Mutex
	keys map[int]*rsa.PrivateKey
}

func (p *probeKeys) get(nBytes int) (*rsa.PrivateKey, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if k, ok := p.keys[nBytes]; ok {
		return k, nil
	}
	k, err := rsa.GenerateKey(rand.Reader, nBytes*8)
	if err != nil {
		return nil, err
	}
	p.keys[nBytes] = k
	return k, nil
}

// execution is one run of the tool in a fresh directory.
type execution struct {
	run
	out, keyOut []byte // {out} / {data_out}, and {key_out}
	outErr      error
}

// execute writes the public key and the input into a temporary directory,
// runs the tool there and reads back what it wrote.
func (o *Options) execute(ctx context.Context, der []byte, input []byte) (execution, error) {
	dir, err := os.MkdirTemp("", "kmsconform-partner-")
	if err != nil {
		return execution{}, err
	}
	defer os.RemoveAll(dir)
	p := func(n string) string { return filepath.Join(dir, n) }
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	for name, data := range map[string][]byte{"pubkey.pem": pemBytes, "pubkey.der": der, "input.bin": input} {
		if err := os.WriteFile(p(name), data, 0o600); err != nil {
			return execution{}, err
		}
	}
	vals := map[string]string{"{pubkey_pem}": p("pubkey.pem"), "{pubkey_der}": p("pubkey.der")}
	if o.Hybrid {
		vals["{data_in}"], vals["{data_out}"], vals["{key_out}"] = p("input.bin"), p("data.enc"), p("key.enc")
	} else {
		vals["{in}"], vals["{out}"] = p("input.bin"), p("output.bin")
	}
	e := execution{run: runTool(ctx, dir, expand(o.Encrypt, vals), o.Timeout)}
	e.Command = strings.ReplaceAll(e.Command, dir+string(filepath.Separator), "")
	if o.Hybrid {
		e.out, e.outErr = os.ReadFile(p("data.enc"))
		if e.outErr == nil {
			e.keyOut, e.outErr = os.ReadFile(p("key.enc"))
		}
	} else {
		e.out, e.outErr = os.ReadFile(p("output.bin"))
	}
	return e, nil
}

// publicDER is the SubjectPublicKeyInfo of a probe key.
func publicDER(k *rsa.PrivateKey) []byte {
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		return nil
	}
	return der
}

func hexPrefix(b []byte) string {
	const max = 48
	s := fmt.Sprintf("%x", b)
	if len(b) > max {
		s = fmt.Sprintf("%x… (%d bytes)", b[:max], len(b))
	}
	return s
}

// runCase runs one case and judges it.
func (o *Options) runCase(ctx context.Context, c Case, key *kmsKey, encP doctor.EncParams, probes *probeKeys) CaseResult {
	r := CaseResult{Case: c}
	e, err := o.execute(ctx, key.der, c.input)
	if err != nil {
		r.Detail = "could not prepare the run: " + err.Error()
		return r
	}
	r.Command, r.ExitCode, r.Stderr, r.DurationMS = e.Command, e.ExitCode, e.Stderr, e.Duration.Milliseconds()
	refused := e.ExitCode != 0
	switch {
	case e.TimedOut:
		r.Detail = fmt.Sprintf("the tool did not finish within %s", o.Timeout)
		return r
	case refused && c.Kind == "over-limit":
		r.Pass, r.Detail = true, fmt.Sprintf("the tool refused input past the OAEP limit (exit %d)", e.ExitCode)
		return r
	case refused && c.Kind == "empty":
		r.Pass, r.Detail = true, fmt.Sprintf("the tool refused empty input (exit %d)", e.ExitCode)
		return r
	case refused:
		r.Detail = fmt.Sprintf("the tool failed (exit %d)", e.ExitCode)
		return r
	case e.outErr != nil:
		r.Detail = "the tool exited 0 but did not write its output: " + e.outErr.Error()
		return r
	}
	wrapped := e.out
	if o.Hybrid {
		wrapped = e.keyOut
	}
	pt, callErr := key.Decrypt(ctx, o.Algorithm, wrapped)
	call := fmt.Sprintf("Decrypt(KeyId=%s [%s], EncryptionAlgorithm=%s, %d-byte CiphertextBlob)", key.id, key.spec, o.Algorithm, len(wrapped))
	if callErr != nil {
		r.Calls = append(r.Calls, call+" → "+callErr.Error())
	} else {
		r.Calls = append(r.Calls, fmt.Sprintf("%s → %d-byte Plaintext", call, len(pt)))
	}
	if o.Hybrid {
		return o.judgeHybrid(ctx, r, c, key, e, pt, callErr, encP, probes)
	}
	switch {
	case callErr == nil && bytes.Equal(pt, c.input):
		if c.Kind == "over-limit" {
			r.Detail = "KMS decrypts more than OAEP allows: impossible for a correct key"
			return r
		}
		r.Pass, r.Detail = true, "KMS decrypts it to the input"
		return r
	case callErr == nil && c.Kind == "over-limit":
		r.Detail = fmt.Sprintf("the tool accepted %d bytes and silently encrypted %d bytes of them: data is lost without an error", len(c.input), len(pt))
		r.InputHex, r.OutputHex = hexPrefix(c.input), hexPrefix(pt)
		return r
	case callErr == nil:
		r.Detail = fmt.Sprintf("KMS decrypts it, but to %d bytes that differ from the %d-byte input", len(pt), len(c.input))
		r.InputHex, r.OutputHex = hexPrefix(c.input), hexPrefix(pt)
		return r
	case c.Kind == "over-limit":
		r.Pass, r.Detail = true, "the tool wrote something KMS refuses ("+callErr.Error()+"): the data is not silently truncated"
		return r
	}
	r.Detail = "KMS does not decrypt it: " + callErr.Error()
	o.diagnoseRSA(ctx, &r, c, key, wrapped, probes)
	return r
}

// diagnoseRSA asks the doctor, first through KMS with the other
// algorithm, then on a probe key whose private key is known.
func (o *Options) diagnoseRSA(ctx context.Context, r *CaseResult, c Case, key *kmsKey, ct []byte, probes *probeKeys) {
	rep, err := doctor.DiagnoseRSA(ctx, doctor.RSARequest{Ciphertext: ct, KMS: key, Want: o.Algorithm, Expect: wantRSAPlain(o, c)})
	if err == nil && rep.Found != nil {
		r.Diagnosis, r.Fix = rep.Found.Cause, rep.Found.Fix
		return
	}
	if err == nil && len(rep.Notes) > 0 {
		r.Diagnosis = rep.Notes[0]
	}
	priv, err := probes.get(key.nBytes)
	if err != nil {
		return
	}
	e, err := o.execute(ctx, publicDER(priv), c.input)
	if err != nil || e.ExitCode != 0 || e.outErr != nil {
		return
	}
	probeCT := e.out
	if o.Hybrid {
		probeCT = e.keyOut
	}
	rep, err = doctor.DiagnoseRSA(ctx, doctor.RSARequest{Ciphertext: probeCT, Private: priv, Want: o.Algorithm, Expect: wantRSAPlain(o, c)})
	if err != nil {
		return
	}
	switch {
	case rep.Found != nil && rep.Found.OK:
		r.Diagnosis = fmt.Sprintf("the tool is right: on a local key of the same size its output is OAEP as %s promises, yet this KMS endpoint refuses it, so the endpoint is at fault (moto, for one, cannot decrypt OAEP ciphertexts made outside it)", o.Algorithm)
		r.Fix = "run the check against a KMS that decrypts external OAEP ciphertexts (AWS KMS, LocalStack, the kmsconform fake)"
	case rep.Found != nil:
		r.Diagnosis, r.Fix = rep.Found.Cause, rep.Found.Fix
	case len(rep.Notes) > 0:
		r.Diagnosis = rep.Notes[0]
	case r.Diagnosis == "":
		r.Diagnosis = "no OAEP hash pair or PKCS#1 v1.5 decrypts the tool's output with a key whose private half is known: the tool does not RSA-encrypt with the given public key"
	}
}

// wantRSAPlain is the plaintext the RSA layer must give (the input for
// plain tools; unknown for hybrid ones, whose key is their own).
func wantRSAPlain(o *Options, c Case) []byte {
	if o.Hybrid {
		return nil
	}
	if c.input == nil {
		return []byte{}
	}
	return c.input
}

// judgeHybrid checks the data half of a hybrid tool's output.
func (o *Options) judgeHybrid(ctx context.Context, r CaseResult, c Case, key *kmsKey, e execution, pw []byte, callErr error, encP doctor.EncParams, probes *probeKeys) CaseResult {
	if callErr != nil {
		r.Detail = "KMS does not decrypt the wrapped key: " + callErr.Error()
		o.diagnoseRSA(ctx, &r, c, key, e.keyOut, probes)
		return r
	}
	line, _, _ := bytes.Cut(pw, []byte("\n"))
	var buf bytes.Buffer
	err := oracle.Decrypt(&buf, bytes.NewReader(e.out), line, oracle.EncParams{
		Cipher: encP.Cipher, MD: encP.MD, PBKDF2: encP.PBKDF2, Iter: encP.Iter,
		NoSalt: encP.NoSalt, Base64: encP.Base64, Base64OneLine: encP.Base64OneLine,
	})
	data := buf.Bytes()
	r.Calls = append(r.Calls, fmt.Sprintf("openssl enc -d %s -pass file:<the %d bytes KMS returned> (oracle) → %s", o.EncArgs, len(pw), errText(err)))
	if err == nil && bytes.Equal(data, c.input) {
		r.Pass, r.Detail = true, "KMS unwraps the key and the data decrypts to the input"
		return r
	}
	if err == nil {
		r.Detail = fmt.Sprintf("the data decrypts with valid padding but differs from the input (%d vs %d bytes)", len(data), len(c.input))
		r.InputHex, r.OutputHex = hexPrefix(c.input), hexPrefix(data)
	} else {
		r.Detail = fmt.Sprintf("KMS unwraps the key but the data does not decrypt with `openssl enc -d %s`: %v", o.EncArgs, err)
	}
	src := doctor.PassSource{Spec: "file:key.bin", Password: line, FileCRLF: bytes.HasSuffix(line, []byte("\r"))}
	expect := c.input
	if expect == nil {
		expect = []byte{} // empty data is still an expectation
	}
	rep, derr := doctor.DiagnoseEnc(ctx, doctor.EncRequest{Data: e.out, InPath: "data.enc", Pass: src, Expect: expect})
	if derr == nil && rep.Found != nil {
		r.Diagnosis, r.Fix = rep.Found.Cause, rep.Found.Fix
	}
	return r
}

func errText(err error) string {
	if err == nil {
		return "ok"
	}
	return err.Error()
}

// summarise sets Pass and the distinct diagnoses.
func (r *Result) summarise() {
	r.Pass = true
	count := map[string]int{}
	fix := map[string]string{}
	var order []string
	for _, c := range r.Cases {
		if !c.Pass {
			r.Pass = false
		}
		if c.Diagnosis != "" {
			if count[c.Diagnosis] == 0 {
				order = append(order, c.Diagnosis)
				fix[c.Diagnosis] = c.Fix
			}
			count[c.Diagnosis]++
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
