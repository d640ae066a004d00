package partner

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kmsconform/kmsconform/failclass"
	"github.com/kmsconform/kmsconform/internal/cli"
	"github.com/kmsconform/kmsconform/oracle"
)

// ECCKeySpecs are the KEY_AGREEMENT key specs a --derive tool is checked
// against, and derivesPerSpec how often the tool runs on each. P-521
// adds a case that runs until Z starts with a zero byte a big-integer
// round trip drops (see maxHunt), where a tool that drops it fails.
var (
	ECCKeySpecs    = []string{"ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521"}
	derivesPerSpec = map[string]int{"ECC_NIST_P256": 2, "ECC_NIST_P384": 2, "ECC_NIST_P521": 2}
)

// eccCurve describes a KMS ECC key spec.
type eccCurve struct {
	name  string // "P-256"
	curve elliptic.Curve
	ecdh  ecdh.Curve
	oid   asn1.ObjectIdentifier
	size  int // field size in bytes (Z's length)
}

var eccCurves = map[string]eccCurve{
	"ECC_NIST_P256": {"P-256", elliptic.P256(), ecdh.P256(), asn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 7}, 32},
	"ECC_NIST_P384": {"P-384", elliptic.P384(), ecdh.P384(), asn1.ObjectIdentifier{1, 3, 132, 0, 34}, 48},
	"ECC_NIST_P521": {"P-521", elliptic.P521(), ecdh.P521(), asn1.ObjectIdentifier{1, 3, 132, 0, 35}, 66},
}

// kdf is what a derive tool promises to write: Z or a KDF of it.
type kdf struct {
	spec       string // as given: raw, hkdf-sha256:SALT:INFO, x963-sha256:INFO
	name       string // raw, hkdf-sha256, x963-sha256
	salt, info []byte
}

// apply derives the promised secret from Z (32 bytes for the KDFs).
func (k kdf) apply(z []byte) ([]byte, error) {
	switch k.name {
	case "hkdf-sha256":
		return oracle.HKDF(crypto.SHA256, z, k.salt, k.info, 32)
	case "x963-sha256":
		return oracle.X963KDF(crypto.SHA256, z, k.info, 32)
	}
	return z, nil
}

// parseKDF reads --kdf; SALT and INFO are text, or hex after "0x".
func parseKDF(s string) (kdf, error) {
	if s == "" {
		s = "raw"
	}
	parts := strings.Split(s, ":")
	k := kdf{spec: s, name: parts[0]}
	val := func(i int) ([]byte, error) {
		if i >= len(parts) {
			return nil, nil
		}
		if h, ok := strings.CutPrefix(parts[i], "0x"); ok {
			return hex.DecodeString(h)
		}
		return []byte(parts[i]), nil
	}
	var err error
	switch {
	case k.name == "raw" && len(parts) == 1:
		return k, nil
	case k.name == "hkdf-sha256" && len(parts) == 3:
		if k.salt, err = val(1); err == nil {
			k.info, err = val(2)
		}
	case k.name == "x963-sha256" && len(parts) <= 2:
		k.info, err = val(1)
	default:
		return k, cli.Usage(fmt.Sprintf("--kdf %q: want raw, hkdf-sha256:SALT:INFO or x963-sha256[:SHAREDINFO]", s), "SALT, INFO and SHAREDINFO are text or 0x-prefixed hex (may be empty), e.g. --kdf hkdf-sha256::session or --kdf x963-sha256")
	}
	if err != nil {
		return k, cli.Usage(fmt.Sprintf("--kdf %q: %v", s, err), "give SALT and INFO as text or as 0x-prefixed hex")
	}
	return k, nil
}

// deriveChecker checks an ECDH tool against KMS DeriveSharedSecret.
type deriveChecker struct {
	o    *Options
	kdf  kdf
	keys map[string]*kmsKey
}

func newDeriveChecker(o *Options) (*deriveChecker, error) {
	k, err := parseKDF(o.KDF)
	if err != nil {
		return nil, err
	}
	o.KDF = k.spec
	switch o.PubkeyFormat {
	case "", "any":
		o.PubkeyFormat = "any"
	case "der":
	default:
		return nil, cli.Usage(fmt.Sprintf("--pubkey-format %q: want der or any", o.PubkeyFormat), "der: the tool must write DER SubjectPublicKeyInfo, as DeriveSharedSecret takes it; any: PEM is accepted and converted")
	}
	if len(o.KeySpecs) == 0 {
		o.KeySpecs = ECCKeySpecs
	}
	for _, s := range o.KeySpecs {
		if _, ok := eccCurves[s]; !ok {
			return nil, cli.Usage(fmt.Sprintf("key spec %q: --derive wants ECC_NIST_P256, ECC_NIST_P384 or ECC_NIST_P521", s), cli.DidYouMean(s, ECCKeySpecs))
		}
	}
	return &deriveChecker{o: o, kdf: k, keys: map[string]*kmsKey{}}, nil
}

func (d *deriveChecker) setup(ctx context.Context, conn *kmsConn) error {
	keys, err := conn.createKeys(ctx, d.o.KeySpecs, types.KeyUsageTypeKeyAgreement)
	d.keys = keys
	return err
}

func (d *deriveChecker) cases() []Case {
	var out []Case
	for _, spec := range d.o.KeySpecs {
		n := derivesPerSpec[spec]
		for i := 1; i <= n; i++ {
			out = append(out, Case{Name: fmt.Sprintf("%s derive %d of %d", spec, i, n), KeySpec: spec, Kind: "derive"})
		}
		if spec == "ECC_NIST_P521" {
			out = append(out, Case{Name: fmt.Sprintf("%s a Z with a leading zero byte (up to %d runs)", spec, maxHunt), KeySpec: spec, Kind: "leading-zero"})
		}
	}
	return out
}

func (d *deriveChecker) invocation(spec string) invocation {
	k := d.keys[spec]
	return invocation{
		inputs:  map[string][]byte{"{kms_pubkey_pem}": k.pem, "{kms_pubkey_der}": k.der},
		outputs: []string{"{pubkey_out}", "{secret_out}"},
	}
}

func (d *deriveChecker) smoke() invocation { return d.invocation(d.o.KeySpecs[0]) }

// ranOK fills r from e and reports whether the tool ran and wrote its
// outputs; if not, r says why.
func (o *Options) ranOK(r *CaseResult, e execution) bool {
	r.Command, r.ExitCode, r.Stderr, r.DurationMS = e.Command, e.ExitCode, e.Stderr, e.Duration.Milliseconds()
	switch {
	case e.TimedOut:
		r.Detail, r.Class = fmt.Sprintf("the tool did not finish within %s", o.Timeout), string(failclass.Timeout)
	case e.notRunnable():
		r.Detail, r.Class = fmt.Sprintf("the tool could not be started (exit %d)", e.ExitCode), string(failclass.ToolNotRunnable)
	case e.ExitCode != 0:
		r.Detail, r.Class = fmt.Sprintf("the tool failed (exit %d): %s", e.ExitCode, firstLine(failclass.ErrorLine(e.Stderr), "no message")), "tool-failed"
	case e.outputProblem() != "":
		r.Detail, r.Class = e.outputProblem(), "no-output"
	default:
		return true
	}
	return false
}

// maxHunt bounds the runs of a "leading-zero" case. It looks for a Z that
// any big-integer round trip shortens: a zero byte followed by one below
// 0x80 (Go's big.Int.Bytes() drops the zero; Java's
// BigInteger.toByteArray() keeps it as a sign byte when the next byte is
// 0x80 or more). A P-521 Z is like that with probability 1/4, so 40 runs
// miss it with probability (3/4)^40 ≈ 10^-5; the first one ends the case.
const maxHunt = 40

// shortened reports whether a big-integer round trip shortens z.
func shortened(z []byte) bool { return len(z) > 1 && z[0] == 0 && z[1] < 0x80 }

// judge runs a case: once, or for a "leading-zero" case until KMS's Z
// starts with a zero byte (a tool that drops it fails there).
func (d *deriveChecker) judge(ctx context.Context, c Case) CaseResult {
	if c.Kind != "leading-zero" {
		r, _ := d.judgeOnce(ctx, c)
		return r
	}
	var r CaseResult
	var total int64
	for i := 1; i <= maxHunt && ctx.Err() == nil; i++ {
		var lead bool
		r, lead = d.judgeOnce(ctx, c)
		total += r.DurationMS
		r.DurationMS = total
		if !r.Pass || lead {
			if lead && r.Pass {
				r.Detail += fmt.Sprintf(" (run %d: Z starts with a zero byte that a big-integer round trip drops)", i)
			}
			return r
		}
	}
	r.Detail += fmt.Sprintf(" (no Z with a leading zero byte that a big-integer round trip drops came up in %d runs: leading zeros untested)", maxHunt)
	return r
}

// judgeOnce runs the tool once and checks its secret against the one KMS
// derives with the tool's public key; lead is true when that Z is one a
// big-integer round trip shortens.
func (d *deriveChecker) judgeOnce(ctx context.Context, c Case) (r CaseResult, lead bool) {
	r = CaseResult{Case: c}
	key, cv := d.keys[c.KeySpec], eccCurves[c.KeySpec]
	e, err := d.o.execute(ctx, d.invocation(c.KeySpec))
	if err != nil {
		r.Detail = "could not prepare the run: " + err.Error()
		return r, false
	}
	if !d.o.ranOK(&r, e) {
		return r, false
	}
	secret := e.outs["{secret_out}"]
	if d.o.PubkeyFormat == "der" && bytes.Contains(e.outs["{pubkey_out}"], []byte("-----BEGIN")) {
		r.Detail, r.Class = "the tool wrote its public key as PEM where DER was agreed (--pubkey-format der)", "bad-public-key"
		d.explain(&r, "pem-not-der", cv, nil)
		return r, false
	}
	pub := readPeerKey(e.outs["{pubkey_out}"], cv)
	if pub.err != "" {
		r.Detail, r.Class = pub.err, "bad-public-key"
		d.explain(&r, pub.finding, cv, nil)
		return r, false
	}
	if pub.finding != "" {
		// What KMS says of the bytes as the tool wrote them decides.
		if _, err := d.derive(ctx, key, e.outs["{pubkey_out}"], &r); err == nil {
			pub.finding = ""
		}
	}
	z, err := d.derive(ctx, key, pub.der, &r)
	if err != nil {
		r.Detail, r.Class = "KMS DeriveSharedSecret refuses the tool's public key: "+err.Error(), kmsClass(err)
		return r, false
	}
	lead = shortened(z)
	want, err := d.kdf.apply(z)
	if err != nil {
		r.Detail = "applying " + d.kdf.spec + ": " + err.Error()
		return r, false
	}
	if pub.finding != "" {
		r.Detail, r.Class = pub.note, "bad-public-key"
		d.explain(&r, pub.finding, cv, z)
		return r, lead
	}
	if bytes.Equal(secret, want) {
		r.Pass, r.Detail = true, fmt.Sprintf("the tool's %d-byte secret equals %s of KMS's Z", len(secret), d.kdf.spec)
		if d.kdf.name == "raw" {
			r.Detail = fmt.Sprintf("the tool's %d-byte secret equals the Z KMS derives", len(secret))
		}
		return r, lead
	}
	r.Class = string(failclass.Mismatch)
	r.Detail = fmt.Sprintf("the tool's %d-byte secret differs from %s of the %d-byte Z KMS derives with the tool's public key", len(secret), d.kdf.spec, len(z))
	if d.kdf.name == "raw" {
		r.Detail = fmt.Sprintf("the tool's %d-byte secret differs from the %d-byte Z KMS derives with the tool's public key", len(secret), len(z))
	}
	r.InputHex, r.OutputHex = hexPrefix(want), hexPrefix(secret)
	if f := d.matchSecret(secret, z); f != "" {
		d.explain(&r, f, cv, z)
	} else {
		r.Diagnosis = "no known transformation of Z (hash, KDF, truncation, leading zeros, hex or base64 text) gives the tool's secret: the tool may derive with another key than the one it wrote to {pubkey_out}, or not with the KMS public key"
		r.Fix = "write the public key of the same key pair whose private half derives the secret, and derive with the KMS public key given"
	}
	return r, lead
}

// derive calls KMS DeriveSharedSecret with der.
func (d *deriveChecker) derive(ctx context.Context, key *kmsKey, der []byte, r *CaseResult) ([]byte, error) {
	out, err := key.conn.client.DeriveSharedSecret(ctx, &kms.DeriveSharedSecretInput{
		KeyId: aws.String(key.id), KeyAgreementAlgorithm: types.KeyAgreementAlgorithmSpecEcdh, PublicKey: der,
	})
	call := fmt.Sprintf("DeriveSharedSecret(KeyId=%s [%s], ECDH, %d-byte PublicKey)", key.id, key.spec, len(der))
	if err != nil {
		err = kmsErr(err)
		r.Calls = append(r.Calls, call+" → "+err.Error())
		return nil, err
	}
	r.Calls = append(r.Calls, fmt.Sprintf("%s → %d-byte SharedSecret", call, len(out.SharedSecret)))
	return out.SharedSecret, nil
}

// peerKey is what the tool wrote as its public key, made DER SPKI when
// possible.
type peerKey struct {
	der []byte // DER SPKI for KMS (converted when the tool wrote another form)
	// finding names a form KMS does not take (a deriveFindings key) and
	// note says it; err is set when no key could be read at all.
	finding, note, err string
}

// readPeerKey reads the tool's public key: DER or PEM SPKI (either is
// accepted), a compressed point in SPKI, a raw point, or another curve.
func readPeerKey(b []byte, cv eccCurve) peerKey {
	der := b
	if blk, _ := pem.Decode(b); blk != nil {
		if blk.Type != "PUBLIC KEY" {
			return peerKey{finding: "not-spki", err: fmt.Sprintf("the tool wrote a PEM %q block as its public key, not a PUBLIC KEY (SubjectPublicKeyInfo)", blk.Type)}
		}
		der = blk.Bytes
	}
	if pk, err := x509.ParsePKIXPublicKey(der); err == nil {
		ep, ok := pk.(*ecdsa.PublicKey)
		switch {
		case !ok:
			return peerKey{finding: "not-spki", err: fmt.Sprintf("the tool's public key is a %T, not an EC key", pk)}
		case ep.Curve != cv.curve:
			return peerKey{finding: "wrong-curve", err: fmt.Sprintf("the tool's public key is on %s but the KMS key is %s", ep.Curve.Params().Name, cv.name)}
		}
		return peerKey{der: der}
	}
	var s struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	point, inSPKI := b, false
	if rest, err := asn1.Unmarshal(der, &s); err == nil && len(rest) == 0 {
		var oid asn1.ObjectIdentifier
		if _, err := asn1.Unmarshal(s.Algorithm.Parameters.FullBytes, &oid); err == nil && !oid.Equal(cv.oid) {
			return peerKey{finding: "wrong-curve", err: fmt.Sprintf("the tool's public key is on curve %v but the KMS key is %s", oid, cv.name)}
		}
		point, inSPKI = s.PublicKey.Bytes, true
	}
	raw := point
	if len(point) == 1+cv.size && (point[0] == 2 || point[0] == 3) {
		x, y := elliptic.UnmarshalCompressed(cv.curve, point)
		if x == nil {
			return peerKey{finding: "not-spki", err: "the tool's public key is a compressed point that is not on " + cv.name}
		}
		raw = make([]byte, 1+2*cv.size)
		raw[0] = 4
		x.FillBytes(raw[1 : 1+cv.size])
		y.FillBytes(raw[1+cv.size:])
	}
	pub, err := cv.ecdh.NewPublicKey(raw)
	if err != nil {
		for spec, other := range eccCurves {
			if other.size != cv.size && (len(point) == 1+2*other.size || len(point) == 1+other.size) {
				return peerKey{finding: "wrong-curve", err: fmt.Sprintf("the tool's public key is a %d-byte point, the size of a %s point (%s), but the KMS key is %s", len(point), other.name, spec, cv.name)}
			}
		}
		return peerKey{finding: "not-spki", err: fmt.Sprintf("the tool's %d-byte public key is neither DER nor PEM SubjectPublicKeyInfo nor an EC point on %s", len(b), cv.name)}
	}
	spki, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return peerKey{finding: "not-spki", err: err.Error()}
	}
	pk := peerKey{der: spki}
	switch {
	case inSPKI:
		pk.finding, pk.note = "compressed-spki", "the tool's SubjectPublicKeyInfo holds a compressed point; KMS DeriveSharedSecret takes an uncompressed one (the secret was checked with the point decompressed)"
	case len(point) == 1+cv.size:
		pk.finding, pk.note = "raw-point", fmt.Sprintf("the tool wrote a bare compressed %d-byte EC point, not a DER SubjectPublicKeyInfo as KMS DeriveSharedSecret takes", len(point))
	default:
		pk.finding, pk.note = "raw-point", fmt.Sprintf("the tool wrote a bare %d-byte EC point (04‖X‖Y), not a DER SubjectPublicKeyInfo as KMS DeriveSharedSecret takes", len(point))
	}
	return pk
}
