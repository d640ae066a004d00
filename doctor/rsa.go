package doctor

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/smithy-go"

	"github.com/kmsconform/kmsconform/oracle"
)

// KMS algorithm names for RSA encryption.
const (
	AlgOAEPSHA1   = "RSAES_OAEP_SHA_1"
	AlgOAEPSHA256 = "RSAES_OAEP_SHA_256"
)

// KMSDecrypter decrypts through a KMS key: one Decrypt call with the
// given RSAES_* algorithm. The partner and doctor commands implement it
// over aws-sdk-go-v2.
type KMSDecrypter interface {
	// Decrypt returns the plaintext, or an error naming the KMS error code
	// (e.g. InvalidCiphertextException).
	Decrypt(ctx context.Context, algorithm string, ciphertext []byte) ([]byte, error)
	// KeyBytes is the modulus size in bytes (256 for RSA_2048).
	KeyBytes(ctx context.Context) (int, error)
}

// RSARequest is what DiagnoseRSA needs.
type RSARequest struct {
	// Ciphertext is the producer's output, as received.
	Ciphertext []byte
	// KMS decrypts through the KMS key, when set.
	KMS KMSDecrypter
	// Private is the private key, when known (a test key, a fake's key):
	// it lets the search try what KMS cannot (PKCS#1 v1.5, mixed hashes).
	Private *rsa.PrivateKey
	// Want is the algorithm the producer promised (empty: either).
	Want string
	// Expect, when not nil, is the plaintext the ciphertext must give.
	Expect []byte
}

// RSAFinding is how the ciphertext was made.
type RSAFinding struct {
	// Scheme is "OAEP" or "PKCS1v15".
	Scheme string
	// LabelHash and MGF1Hash are the OAEP hashes (names like "sha256").
	LabelHash, MGF1Hash string
	// KMSAlgorithm is the RSAES_* algorithm that decrypts it, or "" when
	// KMS cannot decrypt it at all.
	KMSAlgorithm string
	// Base64 is true when the ciphertext was base64 text of the bytes.
	Base64 bool
	// Plaintext is the recovered plaintext.
	Plaintext []byte
	// Certain is true when Plaintext matched RSARequest.Expect (or no
	// expectation was given: a valid OAEP decoding is itself proof).
	Certain bool
	// NearMiss is true when it decrypts cleanly but not to
	// RSARequest.Expect (nothing tried gives the expected plaintext);
	// Difference says how the plaintext differs.
	NearMiss   bool
	Difference string
	// Summary is the finding in one line, e.g. "OAEP SHA-1 used where
	// SHA-256 was asked".
	Summary string
	// OK is true when the producer did what was promised: KMS decrypts
	// it with the Want algorithm (or either, when none was promised).
	OK bool
	// Cause is the producer's mistake (or the confirmation) in one
	// sentence; Fix is what the producer should change.
	Cause, Fix string
}

// RSAReport is the outcome of DiagnoseRSA.
type RSAReport struct {
	// Found is nil when nothing decrypts.
	Found *RSAFinding
	// Tried lists what was tried, in order.
	Tried []string
	// Notes are observations (e.g. the ciphertext length is wrong).
	Notes []string
}

// ErrKMS marks a KMS that could not be asked (unreachable, no
// credentials, the key missing): an environment problem, not a diagnosis.
var ErrKMS = errors.New("KMS unavailable")

// rsaHashNames are the OAEP hashes tried, KMS's two first; the oracle
// resolves the names (the harness's one digest table).
var rsaHashNames = []string{"sha1", "sha256", "sha224", "sha384", "sha512"}

type namedHash struct {
	name string
	h    crypto.Hash
}

var hashNames = func() []namedHash {
	out := make([]namedHash, len(rsaHashNames))
	for i, n := range rsaHashNames {
		h, err := oracle.HashByName(n)
		if err != nil {
			panic("doctor: " + err.Error())
		}
		out[i] = namedHash{n, h}
	}
	return out
}()

// DiagnoseRSA finds how an RSA ciphertext meant for a KMS key was made:
// first RSAES_OAEP_SHA_256 and _SHA_1 through KMS, then with the private
// key OAEP with every pair of label and MGF1 hashes and PKCS#1 v1.5. A
// ciphertext of the wrong length is checked for base64 text and for a key
// of another size. With Expect, a clean decryption to other bytes is kept
// as a near miss (with the difference) when nothing matches exactly, so a
// wrong expectation never hides the padding. A KMS that cannot be asked is
// an error wrapping ErrKMS.
func DiagnoseRSA(ctx context.Context, req RSARequest) (*RSAReport, error) {
	if req.KMS == nil && req.Private == nil {
		return nil, errors.New("doctor rsa needs a KMS key or a private key")
	}
	if len(req.Ciphertext) == 0 {
		return nil, errors.New("the ciphertext is empty")
	}
	k := 0
	if req.Private != nil {
		k = req.Private.Size()
	} else {
		n, err := req.KMS.KeyBytes(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("%w: reading the KMS key's size: %w", ErrKMS, err)
		}
		k = n
	}
	rep := &RSAReport{}
	ct, isB64 := req.Ciphertext, false
	if len(ct) != k {
		if dec, ok := decodeText(ct); ok && len(dec) == k {
			ct, isB64 = dec, true
			rep.Notes = append(rep.Notes, fmt.Sprintf("the ciphertext is %d bytes of text encoding %d bytes: KMS takes the raw bytes (decode it first, e.g. `base64 -d`)", len(req.Ciphertext), k))
		} else {
			note := fmt.Sprintf("the ciphertext is %d bytes but the key is RSA_%d and takes exactly %d", len(ct), k*8, k)
			switch len(ct) {
			case 256, 384, 512:
				note += fmt.Sprintf(": it was encrypted to an RSA_%d key, not to this one (the producer used another public key)", len(ct)*8)
			default:
				if len(ct) > k {
					note += ": several blocks or extra framing were sent (only one RSA block, no header, is expected)"
				} else {
					note += ": it was truncated or is not an RSA ciphertext"
				}
			}
			rep.Notes = append(rep.Notes, note)
			return rep, nil
		}
	}
	// Every clean decryption is kept: an exact match (or any, without
	// --expect) ends the search; the first one that differs from --expect
	// is the near miss reported when nothing matches.
	var near *RSAFinding
	accept := func(f *RSAFinding) bool {
		if req.Expect == nil || bytes.Equal(f.Plaintext, req.Expect) {
			return true
		}
		if near == nil {
			f.NearMiss = true
			f.Difference, _ = difference(f.Plaintext, req.Expect)
			near = f
		}
		return false
	}
	var f *RSAFinding
	if req.KMS != nil {
		for _, alg := range []string{AlgOAEPSHA256, AlgOAEPSHA1} {
			rep.Tried = append(rep.Tried, "KMS Decrypt "+alg)
			pt, err := req.KMS.Decrypt(ctx, alg, ct)
			if err != nil {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				if !isKMSRefusal(err) {
					return nil, fmt.Errorf("%w: KMS Decrypt: %w", ErrKMS, err)
				}
				continue
			}
			h := "sha256"
			if alg == AlgOAEPSHA1 {
				h = "sha1"
			}
			c := &RSAFinding{Scheme: "OAEP", LabelHash: h, MGF1Hash: h, KMSAlgorithm: alg, Plaintext: pt}
			if accept(c) {
				f = c
				break
			}
		}
	}
	if f == nil && req.Private != nil {
		f = searchPrivate(req.Private, ct, req.Expect, accept, &rep.Tried)
	}
	if f == nil {
		f = near
	}
	if f == nil {
		return rep, nil
	}
	f.Base64 = isB64
	f.Certain = !f.NearMiss
	explainRSA(req, f)
	rep.Found = f
	return rep, nil
}

// kmsCode reads the error code KMSDecrypter implementations return
// ("InvalidCiphertextException", "IncorrectKeyException: ...").
var kmsCode = regexp.MustCompile(`^([A-Z][A-Za-z]*(?:Exception|Fault))\b`)

// kmsRefusals are the KMS answers that say "not this ciphertext"; any other
// answer (AccessDenied, NotFound, Disabled, KMSInvalidState, throttling)
// is about the key or the account: an environment problem.
var kmsRefusals = map[string]bool{
	"InvalidCiphertextException": true,
	"IncorrectKeyException":      true,
	"ValidationException":        true,
}

// isKMSRefusal reports whether err is KMS refusing the ciphertext, rather
// than KMS not answering (connection refused, timeout, no credentials) or
// refusing the caller or the key.
func isKMSRefusal(err error) bool {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return kmsRefusals[ae.ErrorCode()]
	}
	m := kmsCode.FindStringSubmatch(err.Error())
	return m != nil && kmsRefusals[m[1]]
}

// searchPrivate tries the OAEP hash pairs (KMS's own first) and PKCS#1
// v1.5, offering each clean decryption to accept. A PKCS#1 v1.5 decoding
// that differs from expect must also look like a near miss (its padding
// check passes for about one random block in 2^16).
func searchPrivate(priv *rsa.PrivateKey, ct, expect []byte, accept func(*RSAFinding) bool, tried *[]string) *RSAFinding {
	type pair struct{ l, m int }
	var pairs []pair
	pairs = append(pairs, pair{1, 1}, pair{0, 0}, pair{1, 0}, pair{0, 1})
	for l := range hashNames {
		for m := range hashNames {
			if l > 1 || m > 1 {
				pairs = append(pairs, pair{l, m})
			}
		}
	}
	for _, p := range pairs {
		l, m := hashNames[p.l], hashNames[p.m]
		*tried = append(*tried, fmt.Sprintf("OAEP label hash %s, MGF1 %s", l.name, m.name))
		pt, err := priv.Decrypt(nil, ct, &rsa.OAEPOptions{Hash: l.h, MGFHash: m.h})
		if err != nil {
			continue
		}
		f := &RSAFinding{Scheme: "OAEP", LabelHash: l.name, MGF1Hash: m.name, Plaintext: pt}
		if l.name == m.name && (l.name == "sha1" || l.name == "sha256") {
			f.KMSAlgorithm = kmsAlg(l.name)
		}
		if accept(f) {
			return f
		}
	}
	*tried = append(*tried, "PKCS#1 v1.5")
	pt, err := rsa.DecryptPKCS1v15(nil, priv, ct) //nolint:staticcheck // diagnosing producers that use it
	if err != nil {
		return nil
	}
	if expect != nil && !bytes.Equal(pt, expect) {
		if _, ok := nearMiss(pt, expect, true); !ok {
			return nil
		}
	}
	f := &RSAFinding{Scheme: "PKCS1v15", Plaintext: pt}
	if accept(f) {
		return f
	}
	return nil
}

func kmsAlg(h string) string {
	if h == "sha1" {
		return AlgOAEPSHA1
	}
	return AlgOAEPSHA256
}

// decodeText decodes ct when it is base64 (or hex) text.
func decodeText(ct []byte) ([]byte, bool) {
	s := strings.Join(strings.Fields(string(ct)), "")
	if dec, err := base64.StdEncoding.DecodeString(s); err == nil {
		return dec, true
	}
	if dec, err := hex.DecodeString(s); err == nil {
		return dec, true
	}
	return nil, false
}

// explainRSA fills Cause, Fix, Summary and OK.
func explainRSA(req RSARequest, f *RSAFinding) {
	want := req.Want
	wantWords := "OAEP"
	if want != "" {
		wantWords = algWords(want)
	}
	var cause, fix, short string
	switch {
	case f.Scheme == "PKCS1v15":
		cause = "the producer used PKCS#1 v1.5 padding, which KMS never decrypts (e.g. `openssl pkeyutl -encrypt` without -pkeyopt rsa_padding_mode:oaep, where OpenSSL 3.x silently ignores rsa_oaep_md)"
		fix = "encrypt with OAEP: `openssl pkeyutl -encrypt -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256` for RSAES_OAEP_SHA_256"
		short = "PKCS#1 v1.5 used where " + wantWords + " was asked"
	case f.KMSAlgorithm != "" && (want == "" || want == f.KMSAlgorithm):
		f.OK = true
		cause = fmt.Sprintf("the ciphertext is OAEP with %s for the label hash and MGF1, which KMS decrypts as %s", f.LabelHash, f.KMSAlgorithm)
		fix = "nothing in the padding"
		short = "no fault: " + algWords(f.KMSAlgorithm) + " (" + f.KMSAlgorithm + ")"
	case f.KMSAlgorithm != "":
		cause = fmt.Sprintf("the tool uses OAEP with %s (decryptable as %s) where %s was promised — e.g. Node's crypto.publicEncrypt default oaepHash 'sha1', or `openssl rsautl -oaep`", f.LabelHash, f.KMSAlgorithm, want)
		if want == AlgOAEPSHA256 {
			fix = "use SHA-256 for both OAEP hashes (Node: oaepHash: 'sha256'; openssl: pkeyutl -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256), or decrypt with RSAES_OAEP_SHA_1"
		} else {
			fix = "use SHA-1 for both OAEP hashes (openssl: rsautl -oaep or pkeyutl -pkeyopt rsa_oaep_md:sha1), or decrypt with RSAES_OAEP_SHA_256"
		}
		short = algWords(f.KMSAlgorithm) + " used where " + strings.TrimPrefix(algWords(want), "OAEP ") + " was asked"
	case f.LabelHash == "sha256" && f.MGF1Hash == "sha1":
		cause = "the tool uses MGF1 with SHA-1 under a SHA-256 OAEP label hash — the Java SunJCE default for RSA/ECB/OAEPWithSHA-256AndMGF1Padding — which KMS RSAES_OAEP_SHA_256 (SHA-256 for both) cannot decrypt"
		fix = "pass the parameters explicitly: Java `new OAEPParameterSpec(\"SHA-256\", \"MGF1\", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT)`; Python `padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)`; openssl `-pkeyopt rsa_mgf1_md:sha256`"
		short = "OAEP SHA-256 with MGF1 SHA-1 (the Java SunJCE default) where SHA-256 for both was asked"
	default:
		cause = fmt.Sprintf("the tool uses OAEP with label hash %s and MGF1 hash %s; KMS needs one hash for both, SHA-1 (RSAES_OAEP_SHA_1) or SHA-256 (RSAES_OAEP_SHA_256)", f.LabelHash, f.MGF1Hash)
		fix = "use the same hash for the OAEP label and MGF1: SHA-256 and SHA-256 for RSAES_OAEP_SHA_256 (Python: padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None))"
		short = fmt.Sprintf("OAEP label hash %s with MGF1 %s, which no KMS algorithm decrypts", f.LabelHash, f.MGF1Hash)
	}
	if f.Base64 {
		if f.OK {
			cause = "the ciphertext was sent as base64 text, not the raw bytes KMS takes; decoded, " + cause
			fix = "send the raw ciphertext bytes (or base64-decode before calling KMS)"
			short = "sent as base64 text, not the raw bytes; decoded: " + algWords(f.KMSAlgorithm)
		} else {
			cause += "; and the ciphertext was sent as base64 text, not the raw bytes KMS takes"
			fix += "; send the raw ciphertext bytes (or base64-decode before calling KMS)"
			short += "; sent as base64 text"
		}
		f.OK = false
	}
	if f.NearMiss {
		cause += "; it decrypts cleanly but not to the expected plaintext: " + f.Difference
		if f.OK {
			fix = "change nothing in the padding; " + dataFix(f.Difference)
		} else {
			fix += "; " + dataFix(f.Difference)
		}
		short = strings.TrimPrefix(short, "no fault: ") + "; near miss: " + f.Difference
		f.OK = false
	}
	f.Cause, f.Fix, f.Summary = cause, fix, short
}

// algWords names a KMS RSAES algorithm in words ("OAEP SHA-256").
func algWords(alg string) string {
	switch alg {
	case AlgOAEPSHA1:
		return "OAEP SHA-1"
	case AlgOAEPSHA256:
		return "OAEP SHA-256"
	}
	return alg
}

// describeRSATried counts and groups the attempts of a search.
func describeRSATried(tried []string) string {
	var kms []string
	pairs, pkcs1 := 0, false
	for _, t := range tried {
		switch {
		case strings.HasPrefix(t, "KMS Decrypt "):
			kms = append(kms, strings.TrimPrefix(t, "KMS Decrypt "))
		case strings.HasPrefix(t, "OAEP "):
			pairs++
		case t == "PKCS#1 v1.5":
			pkcs1 = true
		}
	}
	var parts []string
	if len(kms) > 0 {
		parts = append(parts, fmt.Sprintf("KMS Decrypt with %s", strings.Join(kms, " and ")))
	}
	if pairs > 0 {
		parts = append(parts, fmt.Sprintf("OAEP with %d (label hash, MGF1 hash) pairs over %s", pairs, strings.Join(rsaHashNames, ", ")))
	}
	if pkcs1 {
		parts = append(parts, "PKCS#1 v1.5")
	}
	return fmt.Sprintf("%d paddings: %s", len(tried), strings.Join(parts, "; "))
}
