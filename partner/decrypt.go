package partner

import (
	"bytes"
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
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

// AlgPKCS1 names PKCS#1 v1.5 encryption for --decrypt (KMS itself never
// decrypts it, but a data key pair's owner may encrypt with it).
const AlgPKCS1 = "RSAES_PKCS1_V1_5"

// padding is one way openssl encrypts for a --decrypt tool.
type padding struct {
	name string   // RSAES_OAEP_SHA_256, ..., or a probe's description
	opts []string // openssl pkeyutl -pkeyopt values
	// scheme, labelHash, mgf1 match rsaStacks rows.
	scheme, labelHash, mgf1 string
}

// paddings are the promised ones first, then the probes a diagnosis tries.
var paddings = []padding{
	{doctor.AlgOAEPSHA256, []string{"rsa_padding_mode:oaep", "rsa_oaep_md:sha256", "rsa_mgf1_md:sha256"}, "OAEP", "sha256", "sha256"},
	{doctor.AlgOAEPSHA1, []string{"rsa_padding_mode:oaep", "rsa_oaep_md:sha1", "rsa_mgf1_md:sha1"}, "OAEP", "sha1", "sha1"},
	{AlgPKCS1, []string{"rsa_padding_mode:pkcs1"}, "PKCS1v15", "", ""},
	{"OAEP label hash SHA-256, MGF1 SHA-1", []string{"rsa_padding_mode:oaep", "rsa_oaep_md:sha256", "rsa_mgf1_md:sha1"}, "OAEP", "sha256", "sha1"},
}

func paddingByName(name string) (padding, bool) {
	for _, p := range paddings {
		if p.name == name {
			return p, true
		}
	}
	return padding{}, false
}

// decryptChecker checks a consumer of KMS data key pairs: openssl
// encrypts with the pair's public key, the tool decrypts with the
// private key KMS returned.
type decryptChecker struct {
	o     *Options
	pad   padding
	pairs map[string]*dataKeyPair
}

// dataKeyPair is one GenerateDataKeyPair answer.
type dataKeyPair struct {
	spec       string
	pkcs8, pub []byte // DER
	via        string // the API call that gave it
	priv       *rsa.PrivateKey
}

func newDecryptChecker(o *Options) (*decryptChecker, error) {
	if o.Algorithm == "" {
		o.Algorithm = doctor.AlgOAEPSHA256
	}
	p, ok := paddingByName(o.Algorithm)
	if !ok || strings.Contains(p.name, " ") {
		names := []string{doctor.AlgOAEPSHA256, doctor.AlgOAEPSHA1, AlgPKCS1}
		return nil, cli.Usage(fmt.Sprintf("--algorithm %q: with --decrypt want %s", o.Algorithm, strings.Join(names, ", ")), cli.DidYouMean(o.Algorithm, names))
	}
	if len(o.KeySpecs) == 0 {
		o.KeySpecs = KeySpecs
	}
	for _, s := range o.KeySpecs {
		if s != "RSA_2048" && s != "RSA_3072" && s != "RSA_4096" {
			return nil, cli.Usage(fmt.Sprintf("key spec %q: --decrypt wants RSA_2048, RSA_3072 or RSA_4096 data key pairs", s), cli.DidYouMean(s, KeySpecs))
		}
	}
	if _, err := exec.LookPath("openssl"); err != nil {
		return nil, cli.Setup(fmt.Errorf("--decrypt needs openssl to encrypt the inputs: %w", err), "install openssl (Debian: apt-get install openssl)")
	}
	return &decryptChecker{o: o, pad: p, pairs: map[string]*dataKeyPair{}}, nil
}

// setup creates a symmetric KMS key and one data key pair per spec,
// alternating GenerateDataKeyPair and ...WithoutPlaintext + Decrypt (the
// two ways seed 002's consumer gets its private key).
func (d *decryptChecker) setup(ctx context.Context, conn *kmsConn) error {
	out, err := conn.client.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String("kmsconform partner check (safe to delete)")})
	if err != nil {
		return fmt.Errorf("CreateKey SYMMETRIC_DEFAULT: %w", kmsErr(err))
	}
	id := aws.ToString(out.KeyMetadata.KeyId)
	conn.created = append(conn.created, id)
	for i, spec := range d.o.KeySpecs {
		p := &dataKeyPair{spec: spec}
		if i%2 == 0 {
			g, err := conn.client.GenerateDataKeyPair(ctx, &kms.GenerateDataKeyPairInput{KeyId: aws.String(id), KeyPairSpec: types.DataKeyPairSpec(spec)})
			if err != nil {
				return fmt.Errorf("GenerateDataKeyPair %s: %w", spec, kmsErr(err))
			}
			p.pkcs8, p.pub, p.via = g.PrivateKeyPlaintext, g.PublicKey, "GenerateDataKeyPair"
		} else {
			g, err := conn.client.GenerateDataKeyPairWithoutPlaintext(ctx, &kms.GenerateDataKeyPairWithoutPlaintextInput{KeyId: aws.String(id), KeyPairSpec: types.DataKeyPairSpec(spec)})
			if err != nil {
				return fmt.Errorf("GenerateDataKeyPairWithoutPlaintext %s: %w", spec, kmsErr(err))
			}
			dec, err := conn.client.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: g.PrivateKeyCiphertextBlob})
			if err != nil {
				return fmt.Errorf("Decrypt of the %s private key: %w", spec, kmsErr(err))
			}
			p.pkcs8, p.pub, p.via = dec.Plaintext, g.PublicKey, "GenerateDataKeyPairWithoutPlaintext + Decrypt"
		}
		k, err := x509.ParsePKCS8PrivateKey(p.pkcs8)
		if err != nil {
			return fmt.Errorf("the %s data key pair's private key is not PKCS#8: %w", spec, err)
		}
		rk, ok := k.(*rsa.PrivateKey)
		if !ok {
			return fmt.Errorf("the %s data key pair's private key is a %T", spec, k)
		}
		p.priv = rk
		d.pairs[spec] = p
	}
	return nil
}

func (d *decryptChecker) cases() []Case {
	var out []Case
	for _, spec := range d.o.KeySpecs {
		k := specBytes(spec)
		lim := k - 11
		if d.pad.scheme == "OAEP" {
			lim = oaepLimit(k, d.pad.name)
		}
		add := func(kind string, in []byte, name string) {
			out = append(out, Case{Name: fmt.Sprintf("%s %s", spec, name), KeySpec: spec, Kind: kind, Size: len(in), input: in})
		}
		add("binary", random(32), "32-byte binary key")
		add("limit", random(lim), fmt.Sprintf("at the limit (%d bytes)", lim))
		if spec == d.o.KeySpecs[0] {
			add("text", []byte("0123456789abcdef0123456789ABCDEF\n"), "text with newline")
			add("binary", []byte{0, 0, 1}, "leading zero bytes")
		}
	}
	return out
}

// privPEM is the private key as KMS gives it, PKCS#8, in PEM.
func (p *dataKeyPair) privPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p.pkcs8})
}

func (d *decryptChecker) invocation(privPEM, privDER, ct []byte) invocation {
	return invocation{
		inputs:  map[string][]byte{"{privkey_pem}": privPEM, "{privkey_der}": privDER, "{in}": ct},
		outputs: []string{"{out}"},
	}
}

func (d *decryptChecker) smoke() invocation {
	p := d.pairs[d.o.KeySpecs[0]]
	ct, err := opensslEncrypt(context.Background(), p.pub, []byte("kmsconform partner smoke test\n"), d.pad)
	if err != nil {
		ct = nil // the smoke run then fails on the tool's side, with the reason in its stderr
	}
	return d.invocation(p.privPEM(), p.pkcs8, ct)
}

// opensslEncrypt encrypts in with openssl pkeyutl to the public key der.
func opensslEncrypt(ctx context.Context, der, in []byte, p padding) ([]byte, error) {
	dir, err := os.MkdirTemp("", "kmsconform-partner-enc-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	pub, inF, outF := filepath.Join(dir, "pub.pem"), filepath.Join(dir, "in"), filepath.Join(dir, "out")
	if err := os.WriteFile(pub, pemPublic(der), 0o600); err != nil {
		return nil, err
	}
	if err := os.WriteFile(inF, in, 0o600); err != nil {
		return nil, err
	}
	args := []string{"pkeyutl", "-encrypt", "-pubin", "-inkey", pub, "-in", inF, "-out", outF}
	for _, o := range p.opts {
		args = append(args, "-pkeyopt", o)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "openssl", args...).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("openssl %s: %v: %s", strings.Join(args, " "), err, firstLine(string(out), ""))
	}
	return os.ReadFile(outF)
}

func (d *decryptChecker) judge(ctx context.Context, c Case) CaseResult {
	r := CaseResult{Case: c}
	p := d.pairs[c.KeySpec]
	ct, err := opensslEncrypt(ctx, p.pub, c.input, d.pad)
	if err != nil {
		r.Detail = "could not encrypt the input: " + err.Error()
		return r
	}
	r.Calls = append(r.Calls, fmt.Sprintf("%s(KeyPairSpec=%s) → PKCS#8 private key; openssl pkeyutl -encrypt -pkeyopt %s → %d bytes", p.via, c.KeySpec, strings.Join(d.pad.opts, " -pkeyopt "), len(ct)))
	e, err := d.o.execute(ctx, d.invocation(p.privPEM(), p.pkcs8, ct))
	if err != nil {
		r.Detail = "could not prepare the run: " + err.Error()
		return r
	}
	if d.o.ranOK(&r, e) && bytes.Equal(e.outs["{out}"], c.input) {
		r.Pass, r.Detail = true, "the tool decrypts openssl's ciphertext to the input"
		return r
	}
	if r.Class == "" {
		got := e.outs["{out}"]
		r.Class = string(failclass.Mismatch)
		r.Detail = fmt.Sprintf("the tool wrote %d bytes that differ from the %d-byte input", len(got), len(c.input))
		r.InputHex, r.OutputHex = hexPrefix(c.input), hexPrefix(got)
	}
	d.diagnose(ctx, &r, c, p)
	return r
}

// diagnose re-runs the tool on the same input encrypted with the other
// paddings, and with the key as PKCS#1 PEM, to name what it expects.
func (d *decryptChecker) diagnose(ctx context.Context, r *CaseResult, c Case, p *dataKeyPair) {
	works := func(privPEM, privDER []byte, pad padding) bool {
		ct, err := opensslEncrypt(ctx, p.pub, c.input, pad)
		if err != nil {
			return false
		}
		e, err := d.o.execute(ctx, d.invocation(privPEM, privDER, ct))
		return err == nil && e.ExitCode == 0 && bytes.Equal(e.outs["{out}"], c.input)
	}
	for _, pad := range paddings {
		if pad.name == d.pad.name || !works(p.privPEM(), p.pkcs8, pad) {
			continue
		}
		r.Diagnosis = fmt.Sprintf("the tool decrypts %s, not the promised %s", pad.name, d.pad.name)
		if pad.scheme == "OAEP" && pad.labelHash != pad.mgf1 {
			r.Diagnosis = fmt.Sprintf("the tool decrypts OAEP with label hash %s and MGF1 %s, not the promised %s", pad.labelHash, pad.mgf1, d.pad.name)
		}
		r.Fix = "decrypt with " + d.pad.name
		r.Fingerprint = fingerprintDecrypt(pad, d.pad)
		return
	}
	pkcs1 := x509.MarshalPKCS1PrivateKey(p.priv)
	if works(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: pkcs1}), pkcs1, d.pad) {
		r.Diagnosis = "the tool reads only PKCS#1 private keys (RSA PRIVATE KEY); KMS data key pairs are PKCS#8 (PRIVATE KEY)"
		r.Fix = "parse the private key as PKCS#8"
		r.Fingerprint = &Fingerprint{Observed: "a PKCS#1-only private key parser", Stacks: pkcs8Fixes}
		return
	}
	r.Diagnosis = "no other padding and no PKCS#1 form of the key makes the tool decrypt the input"
}

// pkcs8Fixes read a PKCS#8 private key, per stack.
var pkcs8Fixes = []StackFix{
	{Stack: "Python cryptography (pyca)", Call: "a hand-written RSA PRIVATE KEY parser", Language: "python", Fix: `key = serialization.load_pem_private_key(pem_bytes, password=None)  # PKCS#8 and PKCS#1`},
	{Stack: "Go", Call: "x509.ParsePKCS1PrivateKey", Language: "go", Fix: `k, err := x509.ParsePKCS8PrivateKey(block.Bytes)`},
	{Stack: "Java", Call: "an RSAPrivateCrtKeySpec built from PKCS#1 fields", Language: "java", Fix: `PrivateKey k = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));`},
	{Stack: "Node crypto", Call: "createPrivateKey({ type: 'pkcs1' })", Language: "javascript", Fix: `crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })`},
	{Stack: "openssl", Call: "openssl rsa (1.x PKCS#1 output)", Language: "shell", Fix: `openssl pkeyutl -decrypt -inkey priv.pem ...  # pkeyutl reads PKCS#8`},
}

// decryptFix is the decryption call for each promised padding.
var decryptFix = map[string]map[string]string{
	doctor.AlgOAEPSHA256: {
		"java":   `cipher.init(Cipher.DECRYPT_MODE, priv, new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));`,
		"node":   `crypto.privateDecrypt({ key, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, ct)`,
		"web":    `await crypto.subtle.importKey('pkcs8', der, { name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['decrypt'])`,
		"pyca":   `key.decrypt(ct, padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None))`,
		"go":     `pt, err := rsa.DecryptOAEP(sha256.New(), nil, priv, ct, nil)`,
		"dotnet": `byte[] pt = rsa.Decrypt(ct, RSAEncryptionPadding.OaepSHA256);`,
		"shell":  `openssl pkeyutl -decrypt -inkey priv.pem -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -in ct -out pt`,
	},
	doctor.AlgOAEPSHA1: {
		"java":   `cipher.init(Cipher.DECRYPT_MODE, priv, new OAEPParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT));`,
		"node":   `crypto.privateDecrypt({ key, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, ct)`,
		"web":    `await crypto.subtle.importKey('pkcs8', der, { name: 'RSA-OAEP', hash: 'SHA-1' }, false, ['decrypt'])`,
		"pyca":   `key.decrypt(ct, padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA1()), algorithm=hashes.SHA1(), label=None))`,
		"go":     `pt, err := rsa.DecryptOAEP(sha1.New(), nil, priv, ct, nil)`,
		"dotnet": `byte[] pt = rsa.Decrypt(ct, RSAEncryptionPadding.OaepSHA1);`,
		"shell":  `openssl pkeyutl -decrypt -inkey priv.pem -pkeyopt rsa_padding_mode:oaep -in ct -out pt`,
	},
	AlgPKCS1: {
		"java":   `Cipher.getInstance("RSA/ECB/PKCS1Padding")`,
		"node":   `crypto.privateDecrypt({ key, padding: crypto.constants.RSA_PKCS1_PADDING }, ct)  // Node 20+ may refuse it (CVE-2023-46809)`,
		"pyca":   `key.decrypt(ct, padding.PKCS1v15())`,
		"go":     `pt, err := rsa.DecryptPKCS1v15(nil, priv, ct)`,
		"dotnet": `byte[] pt = rsa.Decrypt(ct, RSAEncryptionPadding.Pkcs1);`,
		"shell":  `openssl pkeyutl -decrypt -inkey priv.pem -pkeyopt rsa_padding_mode:pkcs1 -in ct -out pt`,
	},
}

// fingerprintDecrypt names the stacks whose calls decrypt got (the
// encrypt-side rsaStacks rows describe the same parameters) and gives
// the decryption call for want.
func fingerprintDecrypt(got, want padding) *Fingerprint {
	fp := &Fingerprint{Observed: "the tool decrypts " + got.name}
	for _, b := range rsaStacks {
		if b.scheme != got.scheme || (got.scheme == "OAEP" && (b.label != got.labelHash || b.mgf1 != got.mgf1)) {
			continue
		}
		fix := decryptFix[want.name][b.stack]
		if fix == "" {
			continue
		}
		fp.Stacks = append(fp.Stacks, StackFix{Stack: oaepFix[doctor.AlgOAEPSHA256][b.stack].Stack, Call: b.call, Language: oaepFix[doctor.AlgOAEPSHA256][b.stack].Language, Fix: fix, Source: b.source})
	}
	return fp
}
