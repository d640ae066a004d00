package partner

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kmsconform/kmsconform/doctor"
	"github.com/kmsconform/kmsconform/failclass"
	"github.com/kmsconform/kmsconform/internal/cli"
)

// WrappingAlgorithms are the --wrapping-algorithm values for --wrap-import.
var WrappingAlgorithms = []string{"RSAES_OAEP_SHA_256", "RSAES_OAEP_SHA_1", "RSA_AES_KEY_WRAP_SHA_256", "RSA_AES_KEY_WRAP_SHA_1"}

// wrapChecker checks a tool that wraps key material for ImportKeyMaterial.
type wrapChecker struct {
	o      *Options
	alg    string
	conn   *kmsConn
	probes *probeKeys
}

func newWrapChecker(o *Options) (*wrapChecker, error) {
	if o.WrappingAlgorithm == "" {
		o.WrappingAlgorithm = "RSAES_OAEP_SHA_256"
	}
	ok := false
	for _, a := range WrappingAlgorithms {
		ok = ok || a == o.WrappingAlgorithm
	}
	if !ok {
		return nil, cli.Usage(fmt.Sprintf("--wrapping-algorithm %q: want one of %s", o.WrappingAlgorithm, strings.Join(WrappingAlgorithms, ", ")), cli.DidYouMean(o.WrappingAlgorithm, WrappingAlgorithms))
	}
	if len(o.KeySpecs) == 0 {
		o.KeySpecs = KeySpecs
	}
	for _, s := range o.KeySpecs {
		if s != "RSA_2048" && s != "RSA_3072" && s != "RSA_4096" {
			return nil, cli.Usage(fmt.Sprintf("key spec %q: --wrap-import wants wrapping key specs RSA_2048, RSA_3072 or RSA_4096", s), cli.DidYouMean(s, KeySpecs))
		}
	}
	return &wrapChecker{o: o, alg: o.WrappingAlgorithm, probes: &probeKeys{keys: map[int]*rsa.PrivateKey{}}}, nil
}

func (w *wrapChecker) setup(_ context.Context, conn *kmsConn) error {
	w.conn = conn
	return nil
}

func (w *wrapChecker) cases() []Case {
	var out []Case
	for _, spec := range w.o.KeySpecs {
		out = append(out, Case{Name: spec + " wrapping key, 32 bytes of key material", KeySpec: spec, Kind: "binary", Size: 32, input: random(32)})
		if spec == w.o.KeySpecs[0] {
			m := random(32)
			m[0], m[1] = 0, 0
			out = append(out, Case{Name: spec + " wrapping key, material with leading zero bytes", KeySpec: spec, Kind: "binary", Size: 32, input: m})
		}
	}
	return out
}

func (w *wrapChecker) invocation(der, material []byte) invocation {
	return invocation{
		inputs:  map[string][]byte{"{wrapping_pubkey_der}": der, "{wrapping_pubkey_pem}": pemPublic(der), "{material_in}": material},
		outputs: []string{"{out}"},
	}
}

// smoke wraps material for a local key: only whether the tool runs and
// writes {out} counts here.
func (w *wrapChecker) smoke() invocation {
	priv, err := w.probes.get(specBytes(w.o.KeySpecs[0]))
	if err != nil {
		return w.invocation(nil, random(32))
	}
	return w.invocation(publicDER(priv), random(32))
}

// importTarget is an EXTERNAL key with its import parameters.
type importTarget struct {
	keyID      string
	pub, token []byte
}

func (w *wrapChecker) newTarget(ctx context.Context, spec string, r *CaseResult) (*importTarget, error) {
	out, err := w.conn.client.CreateKey(ctx, &kms.CreateKeyInput{Origin: types.OriginTypeExternal, Description: aws.String("kmsconform partner check (safe to delete)")})
	if err != nil {
		return nil, fmt.Errorf("CreateKey Origin=EXTERNAL: %w", kmsErr(err))
	}
	id := aws.ToString(out.KeyMetadata.KeyId)
	w.conn.mu.Lock()
	w.conn.created = append(w.conn.created, id)
	w.conn.mu.Unlock()
	t := &importTarget{keyID: id}
	if err := w.params(ctx, t, w.alg, spec, r); err != nil {
		return nil, err
	}
	return t, nil
}

func (w *wrapChecker) params(ctx context.Context, t *importTarget, alg, spec string, r *CaseResult) error {
	p, err := w.conn.client.GetParametersForImport(ctx, &kms.GetParametersForImportInput{
		KeyId: aws.String(t.keyID), WrappingAlgorithm: types.AlgorithmSpec(alg), WrappingKeySpec: types.WrappingKeySpec(spec),
	})
	if err != nil {
		return fmt.Errorf("GetParametersForImport %s %s: %w", alg, spec, kmsErr(err))
	}
	r.Calls = append(r.Calls, fmt.Sprintf("GetParametersForImport(KeyId=%s, %s, %s) → %d-byte wrapping public key", t.keyID, alg, spec, len(p.PublicKey)))
	t.pub, t.token = p.PublicKey, p.ImportToken
	return nil
}

func (w *wrapChecker) importMaterial(ctx context.Context, t *importTarget, blob []byte, r *CaseResult) error {
	_, err := w.conn.client.ImportKeyMaterial(ctx, &kms.ImportKeyMaterialInput{
		KeyId: aws.String(t.keyID), ImportToken: t.token, EncryptedKeyMaterial: blob, ExpirationModel: types.ExpirationModelTypeKeyMaterialDoesNotExpire,
	})
	call := fmt.Sprintf("ImportKeyMaterial(KeyId=%s, %d-byte EncryptedKeyMaterial)", t.keyID, len(blob))
	if err != nil {
		err = kmsErr(err)
		r.Calls = append(r.Calls, call+" → "+err.Error())
		return err
	}
	r.Calls = append(r.Calls, call+" → ok")
	return nil
}

// judge has the tool wrap the case's material for a fresh EXTERNAL key,
// imports it, proves the key works (Encrypt, Decrypt) and that the
// material is the case's (KMS accepts a re-import of the same bytes,
// wrapped by kmsconform, and refuses other bytes).
func (w *wrapChecker) judge(ctx context.Context, c Case) CaseResult {
	r := CaseResult{Case: c}
	t, err := w.newTarget(ctx, c.KeySpec, &r)
	if err != nil {
		r.Detail = err.Error()
		return r
	}
	e, err := w.o.execute(ctx, w.invocation(t.pub, c.input))
	if err != nil {
		r.Detail = "could not prepare the run: " + err.Error()
		return r
	}
	if !w.o.ranOK(&r, e) {
		return r
	}
	blob := e.outs["{out}"]
	if err := w.importMaterial(ctx, t, blob, &r); err != nil {
		r.Detail, r.Class = "KMS refuses the wrapped key material: "+err.Error(), kmsClass(err)
		w.diagnose(ctx, &r, c)
		return r
	}
	enc, err := w.conn.client.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(t.keyID), Plaintext: []byte("kmsconform")})
	if err == nil {
		_, err = w.conn.client.Decrypt(ctx, &kms.DecryptInput{KeyId: aws.String(t.keyID), CiphertextBlob: enc.CiphertextBlob})
	}
	if err != nil {
		err = kmsErr(err)
		r.Detail, r.Class = "the material imports but the key does not Encrypt and Decrypt: "+err.Error(), kmsClass(err)
		return r
	}
	r.Calls = append(r.Calls, "Encrypt + Decrypt with the imported key → ok")
	// Re-import the case's material, wrapped here with RSAES_OAEP_SHA_256:
	// KMS takes it only if it is the material the tool wrapped.
	if err := w.params(ctx, t, "RSAES_OAEP_SHA_256", "RSA_2048", &r); err != nil {
		r.Detail = "the material imports; checking it: " + err.Error()
		return r
	}
	pub, err := x509.ParsePKIXPublicKey(t.pub)
	rpub, ok := pub.(*rsa.PublicKey)
	if err != nil || !ok {
		r.Detail = "the material imports; checking it: the wrapping public key does not parse"
		return r
	}
	mine, err := rsa.EncryptOAEP(sha256.New(), rand.Reader, rpub, c.input, nil)
	if err != nil {
		r.Detail = "the material imports; checking it: " + err.Error()
		return r
	}
	if err := w.importMaterial(ctx, t, mine, &r); err != nil {
		r.Detail, r.Class = "KMS imports what the tool wrapped, but it is not the material in {material_in}: a re-import of those bytes is refused ("+err.Error()+")", string(failclass.Mismatch)
		r.Diagnosis = "the tool wraps other bytes than the key material it is given (e.g. it reads the file as text, hex-decodes or trims it, or generates its own key)"
		r.Fix = "wrap the bytes of {material_in} exactly as read"
		return r
	}
	r.Pass, r.Detail = true, "KMS imports the wrapped material, the key encrypts and decrypts, and the material is the one given"
	return r
}

// diagnose runs the tool again with a local wrapping key whose private
// half is known and names how it wrapped.
func (w *wrapChecker) diagnose(ctx context.Context, r *CaseResult, c Case) {
	priv, err := w.probes.get(specBytes(c.KeySpec))
	if err != nil {
		return
	}
	e, err := w.o.execute(ctx, w.invocation(publicDER(priv), c.input))
	if err != nil || e.ExitCode != 0 || e.outputProblem() != "" {
		return
	}
	blob, n := e.outs["{out}"], priv.Size()
	rsaAlg := "RSAES_OAEP_SHA_256"
	if strings.HasSuffix(w.alg, "SHA_1") {
		rsaAlg = doctor.AlgOAEPSHA1
	}
	if !strings.HasPrefix(w.alg, "RSA_AES_KEY_WRAP") {
		rep, err := doctor.DiagnoseRSA(ctx, doctor.RSARequest{Ciphertext: blob, Private: priv, Want: rsaAlg, Expect: c.input})
		switch {
		case err != nil:
		case rep.Found != nil:
			r.Diagnosis, r.Fix, r.Fingerprint = rep.Found.Cause, rep.Found.Fix, fingerprintRSA(rep.Found, rsaAlg)
		case len(blob) > n:
			r.Diagnosis = fmt.Sprintf("the tool writes %d bytes, more than one RSA block (%d): it looks like RSA_AES_KEY_WRAP output where %s was asked for", len(blob), n, w.alg)
			r.Fix = "wrap the material with RSA OAEP alone, or import with --wrapping-algorithm RSA_AES_KEY_WRAP_SHA_256"
		case len(rep.Notes) > 0:
			r.Diagnosis = rep.Notes[0]
		}
		return
	}
	if len(blob) <= n {
		r.Diagnosis = fmt.Sprintf("the tool writes %d bytes, at most one RSA block (%d): %s needs the RSA-wrapped AES key followed by the AES-KWP-wrapped material", len(blob), n, w.alg)
		r.Fix = "write RSA-OAEP(AES key) ‖ AES-KWP(AES key, material)"
		r.Fingerprint = &Fingerprint{Observed: "RSA OAEP alone where RSA_AES_KEY_WRAP was asked for", Stacks: kwpFixes}
		return
	}
	rep, err := doctor.DiagnoseRSA(ctx, doctor.RSARequest{Ciphertext: blob[:n], Private: priv, Want: rsaAlg})
	if err != nil || rep.Found == nil {
		r.Diagnosis = "the first RSA block of the tool's output does not decrypt with any OAEP hash pair or PKCS#1 v1.5 under the wrapping key given"
		return
	}
	if !rep.Found.OK {
		r.Diagnosis, r.Fix, r.Fingerprint = "the AES key is RSA-wrapped wrongly: "+rep.Found.Cause, rep.Found.Fix, fingerprintRSA(rep.Found, rsaAlg)
		return
	}
	kek, rest := rep.Found.Plaintext, blob[n:]
	if pt, err := aesUnwrap(ctx, kek, rest, true); err == nil && bytes.Equal(pt, c.input) {
		r.Diagnosis = "on a local wrapping key the tool's output is correct: the KMS endpoint refuses it"
		return
	}
	if pt, err := aesUnwrap(ctx, kek, rest, false); err == nil && bytes.Equal(pt, c.input) {
		r.Diagnosis = "the tool wraps the material with AES key wrap without padding (KW, RFC 3394) where RSA_AES_KEY_WRAP needs AES key wrap with padding (KWP, RFC 5649)"
		r.Fix = "use AES-KWP (id-aes256-wrap-pad) for the material"
		r.Fingerprint = &Fingerprint{Observed: "AES-KW (RFC 3394) instead of AES-KWP (RFC 5649)", Stacks: kwpFixes}
		return
	}
	r.Diagnosis = "the AES key unwraps, but neither AES-KWP nor AES-KW of it gives the material"
}

// kwpFixes wrap key material with AES-KWP, per stack.
var kwpFixes = []StackFix{
	{Stack: "Java", Call: `Cipher.getInstance("AESWrap") (KW)`, Language: "java", Fix: `Cipher kwp = Cipher.getInstance("AES/KWP/NoPadding"); kwp.init(Cipher.WRAP_MODE, aesKey); byte[] wrapped = kwp.wrap(new SecretKeySpec(material, "AES"));`},
	{Stack: "Python cryptography (pyca)", Call: "keywrap.aes_key_wrap (KW)", Language: "python", Fix: `wrapped = keywrap.aes_key_wrap_with_padding(aes_key, material)`},
	{Stack: "openssl", Call: "openssl enc -id-aes256-wrap (KW)", Language: "shell", Fix: `openssl enc -id-aes256-wrap-pad -K "$KEK_HEX" -iv A65959A6 -in material.bin -out material.kwp`},
	{Stack: "Go", Call: "a hand-rolled RFC 3394 wrap", Language: "go", Fix: `// no KWP in the standard library: use openssl enc -id-aes256-wrap-pad, or a vetted RFC 5649 implementation`},
}

// aesUnwrap undoes AES key wrap (pad: KWP, RFC 5649; else KW, RFC 3394)
// with openssl enc, which implements both.
func aesUnwrap(ctx context.Context, kek, data []byte, pad bool) ([]byte, error) {
	cipher := fmt.Sprintf("-id-aes%d-wrap", len(kek)*8)
	iv := "A6A6A6A6A6A6A6A6"
	if pad {
		cipher += "-pad"
		iv = "A65959A6"
	}
	dir, err := os.MkdirTemp("", "kmsconform-partner-kw-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if msg, err := exec.CommandContext(ctx, "openssl", "enc", "-d", cipher, "-K", hex.EncodeToString(kek), "-iv", iv, "-in", in, "-out", out).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("%v: %s", err, firstLine(string(msg), ""))
	}
	return os.ReadFile(out)
}
