package partner

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kmsconform/kmsconform/doctor"
	"github.com/kmsconform/kmsconform/failclass"
	"github.com/kmsconform/kmsconform/internal/cli"
	"github.com/kmsconform/kmsconform/oracle"
)

// rsaChecker checks an RSA key-wrap tool (plain or hybrid).
type rsaChecker struct {
	o      *Options
	encP   doctor.EncParams
	keys   map[string]*kmsKey
	probes *probeKeys
}

func newRSAChecker(o *Options) (*rsaChecker, error) {
	if o.Algorithm != doctor.AlgOAEPSHA1 && o.Algorithm != doctor.AlgOAEPSHA256 {
		hint := "KMS decrypts RSAES_OAEP_SHA_1 and RSAES_OAEP_SHA_256 (PKCS#1 v1.5 never)"
		if s := cli.DidYouMean(o.Algorithm, []string{doctor.AlgOAEPSHA1, doctor.AlgOAEPSHA256}); s != "" {
			hint = s
		}
		return nil, cli.Usage(fmt.Sprintf("--algorithm %q: want %s or %s", o.Algorithm, doctor.AlgOAEPSHA1, doctor.AlgOAEPSHA256), hint)
	}
	if len(o.KeySpecs) == 0 {
		o.KeySpecs = KeySpecs
	}
	for _, s := range o.KeySpecs {
		if s != "RSA_2048" && s != "RSA_3072" && s != "RSA_4096" {
			return nil, cli.Usage(fmt.Sprintf("key spec %q: want RSA_2048, RSA_3072 or RSA_4096", s), cli.DidYouMean(s, KeySpecs))
		}
	}
	encP, err := doctor.ParseEncArgs(strings.Fields(o.EncArgs))
	if err != nil {
		return nil, cli.Usage(fmt.Sprintf("--enc-args: %v", err), "e.g. --enc-args '-aes-256-cbc -pbkdf2'")
	}
	return &rsaChecker{o: o, encP: encP, keys: map[string]*kmsKey{}, probes: &probeKeys{keys: map[int]*rsa.PrivateKey{}}}, nil
}

func (rc *rsaChecker) setup(ctx context.Context, conn *kmsConn) error {
	keys, err := conn.createKeys(ctx, rc.o.KeySpecs, types.KeyUsageTypeEncryptDecrypt)
	rc.keys = keys
	return err
}

func (rc *rsaChecker) cases() []Case {
	if rc.o.Hybrid {
		return hybridCases(rc.o.KeySpecs)
	}
	return rsaCases(rc.o.Algorithm, rc.o.KeySpecs)
}

// invocation gives the tool the public key der and input.
func (rc *rsaChecker) invocation(der, input []byte) invocation {
	inv := invocation{inputs: map[string][]byte{"{pubkey_pem}": pemPublic(der), "{pubkey_der}": der}}
	if rc.o.Hybrid {
		inv.inputs["{data_in}"] = input
		inv.outputs = []string{"{data_out}", "{key_out}"}
	} else {
		inv.inputs["{in}"] = input
		inv.outputs = []string{"{out}"}
	}
	return inv
}

func (rc *rsaChecker) smoke() invocation {
	return rc.invocation(rc.keys[rc.o.KeySpecs[0]].der, []byte("kmsconform partner smoke test\n"))
}

// wrapped is the RSA ciphertext of an execution.
func (rc *rsaChecker) wrapped(e execution) []byte {
	if rc.o.Hybrid {
		return e.outs["{key_out}"]
	}
	return e.outs["{out}"]
}

// judge runs one case and judges it.
func (rc *rsaChecker) judge(ctx context.Context, c Case) CaseResult {
	o, key := rc.o, rc.keys[c.KeySpec]
	r := CaseResult{Case: c}
	e, err := o.execute(ctx, rc.invocation(key.der, c.input))
	if err != nil {
		r.Detail = "could not prepare the run: " + err.Error()
		return r
	}
	r.Command, r.ExitCode, r.Stderr, r.DurationMS = e.Command, e.ExitCode, e.Stderr, e.Duration.Milliseconds()
	refused := e.ExitCode != 0
	switch {
	case refused && o.smokeFailed && (c.Kind == "over-limit" || c.Kind == "empty"):
		// A refusal is right only from a tool seen to work on an in-limit input.
		r.Detail, r.Class = fmt.Sprintf("the tool failed (exit %d), as it did on the first in-limit input, so this refusal shows nothing", e.ExitCode), "tool-failed"
		return r
	case e.TimedOut:
		r.Detail, r.Class = fmt.Sprintf("the tool did not finish within %s", o.Timeout), string(failclass.Timeout)
		return r
	case e.notRunnable():
		// Never a pass, even where a refusal would be right.
		r.Detail, r.Class = fmt.Sprintf("the tool could not be started (exit %d)", e.ExitCode), string(failclass.ToolNotRunnable)
		return r
	case refused && c.Kind == "over-limit":
		r.Pass, r.Detail = true, fmt.Sprintf("the tool refused input past the OAEP limit (exit %d)", e.ExitCode)
		return r
	case refused && c.Kind == "empty":
		r.Pass, r.Detail = true, fmt.Sprintf("the tool refused empty input (exit %d)", e.ExitCode)
		return r
	case refused:
		r.Detail, r.Class = fmt.Sprintf("the tool failed (exit %d): %s", e.ExitCode, firstLine(failclass.ErrorLine(e.Stderr), "no message")), "tool-failed"
		return r
	case e.outputProblem() != "":
		r.Detail, r.Class = e.outputProblem(), "no-output"
		return r
	}
	wrapped := rc.wrapped(e)
	pt, callErr := key.Decrypt(ctx, o.Algorithm, wrapped)
	call := fmt.Sprintf("Decrypt(KeyId=%s [%s], EncryptionAlgorithm=%s, %d-byte CiphertextBlob)", key.id, key.spec, o.Algorithm, len(wrapped))
	if callErr != nil {
		r.Calls = append(r.Calls, call+" → "+callErr.Error())
	} else {
		r.Calls = append(r.Calls, fmt.Sprintf("%s → %d-byte Plaintext", call, len(pt)))
	}
	if o.Hybrid {
		return rc.judgeHybrid(ctx, r, c, key, e, pt, callErr)
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
		r.Detail, r.Class = fmt.Sprintf("the tool accepted %d bytes and silently encrypted %d bytes of them: data is lost without an error", len(c.input), len(pt)), string(failclass.Mismatch)
		r.InputHex, r.OutputHex = hexPrefix(c.input), hexPrefix(pt)
		return r
	case callErr == nil:
		r.Detail, r.Class = fmt.Sprintf("KMS decrypts it, but to %d bytes that differ from the %d-byte input", len(pt), len(c.input)), string(failclass.Mismatch)
		r.InputHex, r.OutputHex = hexPrefix(c.input), hexPrefix(pt)
		return r
	case c.Kind == "over-limit":
		r.Pass, r.Detail = true, "the tool wrote something KMS refuses ("+callErr.Error()+"): the data is not silently truncated"
		return r
	}
	r.Detail, r.Class = "KMS does not decrypt it: "+callErr.Error(), kmsClass(callErr)
	rc.diagnose(ctx, &r, c, key, wrapped)
	return r
}

// kmsClass is the failure class of a KMS error ("Code: message").
func kmsClass(err error) string {
	code, _, _ := strings.Cut(err.Error(), ":")
	return string(failclass.KMS(code))
}

// diagnose asks the doctor, first through KMS with the other algorithm,
// then on a probe key whose private key is known; the finding gives the
// fingerprint.
func (rc *rsaChecker) diagnose(ctx context.Context, r *CaseResult, c Case, key *kmsKey, ct []byte) {
	o := rc.o
	want := rc.wantPlain(c)
	rep, err := doctor.DiagnoseRSA(ctx, doctor.RSARequest{Ciphertext: ct, KMS: key, Want: o.Algorithm, Expect: want})
	if err == nil && rep.Found != nil {
		r.Diagnosis, r.Fix = rep.Found.Cause, rep.Found.Fix
		r.Fingerprint = fingerprintRSA(rep.Found, o.Algorithm)
		return
	}
	if err == nil && len(rep.Notes) > 0 {
		r.Diagnosis = rep.Notes[0]
	}
	priv, err := rc.probes.get(key.nBytes)
	if err != nil {
		return
	}
	e, err := o.execute(ctx, rc.invocation(publicDER(priv), c.input))
	if err != nil || e.ExitCode != 0 || e.outputProblem() != "" {
		return
	}
	rep, err = doctor.DiagnoseRSA(ctx, doctor.RSARequest{Ciphertext: rc.wrapped(e), Private: priv, Want: o.Algorithm, Expect: want})
	if err != nil {
		return
	}
	switch {
	case rep.Found != nil && rep.Found.OK:
		r.Diagnosis = fmt.Sprintf("the tool is right: on a local key of the same size its output is OAEP as %s promises, yet this KMS endpoint refuses it, so the endpoint is at fault (moto, for one, cannot decrypt OAEP ciphertexts made outside it)", o.Algorithm)
		r.Fix = "run the check against a KMS that decrypts external OAEP ciphertexts (AWS KMS, LocalStack, the kmsconform fake)"
	case rep.Found != nil:
		r.Diagnosis, r.Fix = rep.Found.Cause, rep.Found.Fix
		r.Fingerprint = fingerprintRSA(rep.Found, o.Algorithm)
	case len(rep.Notes) > 0:
		r.Diagnosis = rep.Notes[0]
	case r.Diagnosis == "":
		r.Diagnosis = "no OAEP hash pair or PKCS#1 v1.5 decrypts the tool's output with a key whose private half is known: the tool does not RSA-encrypt with the given public key"
	}
}

// wantPlain is the plaintext the RSA layer must give (the input for
// plain tools; unknown for hybrid ones, whose key is their own).
func (rc *rsaChecker) wantPlain(c Case) []byte {
	if rc.o.Hybrid {
		return nil
	}
	if c.input == nil {
		return []byte{}
	}
	return c.input
}

// judgeHybrid checks the data half of a hybrid tool's output.
func (rc *rsaChecker) judgeHybrid(ctx context.Context, r CaseResult, c Case, key *kmsKey, e execution, pw []byte, callErr error) CaseResult {
	o, encP := rc.o, rc.encP
	if callErr != nil {
		r.Detail, r.Class = "KMS does not decrypt the wrapped key: "+callErr.Error(), kmsClass(callErr)
		rc.diagnose(ctx, &r, c, key, e.outs["{key_out}"])
		return r
	}
	line, _, _ := bytes.Cut(pw, []byte("\n"))
	var buf bytes.Buffer
	data := e.outs["{data_out}"]
	err := oracle.Decrypt(&buf, bytes.NewReader(data), line, oracle.EncParams{
		Cipher: encP.Cipher, MD: encP.MD, PBKDF2: encP.PBKDF2, Iter: encP.Iter,
		NoSalt: encP.NoSalt, Base64: encP.Base64, Base64OneLine: encP.Base64OneLine,
	})
	got := buf.Bytes()
	r.Calls = append(r.Calls, fmt.Sprintf("openssl enc -d %s -pass file:<the %d bytes KMS returned> (oracle) → %s", o.EncArgs, len(pw), errText(err)))
	if err == nil && bytes.Equal(got, c.input) {
		r.Pass, r.Detail = true, "KMS unwraps the key and the data decrypts to the input"
		return r
	}
	if err == nil {
		r.Detail = fmt.Sprintf("the data decrypts with valid padding but differs from the input (%d vs %d bytes)", len(got), len(c.input))
		r.InputHex, r.OutputHex = hexPrefix(c.input), hexPrefix(got)
		r.Class = string(failclass.Mismatch)
	} else {
		r.Detail = fmt.Sprintf("KMS unwraps the key but the data does not decrypt with `openssl enc -d %s`: %v", o.EncArgs, err)
		r.Class = string(failclass.BadDecrypt)
	}
	src := doctor.PassSource{Spec: "file:key.bin", Password: line, FileCRLF: bytes.HasSuffix(line, []byte("\r"))}
	expect := c.input
	if expect == nil {
		expect = []byte{} // empty data is still an expectation
	}
	rep, derr := doctor.DiagnoseEnc(ctx, doctor.EncRequest{Data: data, InPath: "data.enc", Pass: src, Expect: expect})
	if derr == nil && rep.Found != nil {
		r.Diagnosis, r.Fix = rep.Found.Cause, rep.Found.Fix
	}
	return r
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

// publicDER is the SubjectPublicKeyInfo of a probe key.
func publicDER(k *rsa.PrivateKey) []byte {
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		return nil
	}
	return der
}
