package doctor

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// DiagnoseInput names the files a failing report cell kept (paths; an
// empty path is absent). Give the enc pair, the RSA pair, or both.
type DiagnoseInput struct {
	// EncFile is a file made by `openssl enc` that did not decrypt.
	EncFile string
	// PassFile is the consumer's password file, read as `-pass file:`
	// reads it (first line, CR kept). PassSpec is an openssl -pass argument
	// (pass:TEXT, env:VAR, file:PATH) used instead when PassFile is empty.
	PassFile, PassSpec string
	// Salt is the salt of a header-less enc file (OpenSSL 3.x `enc -S`).
	Salt []byte

	// RSACiphertext is an RSA ciphertext that did not decrypt.
	RSACiphertext string
	// PrivateKeyPEM is the RSA private key (PEM or DER) it was meant for.
	PrivateKeyPEM string
	// KMS, when set, decrypts through the KMS key it was meant for (tried
	// before the private key).
	KMS KMSDecrypter
	// Algorithm is the RSAES_* algorithm the producer promised (empty:
	// either).
	Algorithm string

	// Expect is the plaintext expected; ExpectFile a file holding it
	// (Expect wins when both are set). Neither: plausibility decides.
	Expect     []byte
	ExpectFile string
}

// DiagnoseFiles runs the doctor on a failing cell's kept files and returns
// its verdict in one line, e.g. "consistent with -md md5 without -pbkdf2
// (legacy EVP_BytesToKey) on the producer" or "OAEP SHA-1 used where
// SHA-256 was asked"; a candidate that decrypts cleanly but not to the
// expected plaintext adds "near miss: ..." with the difference. When
// nothing explains the files the verdict starts with "not explained:" and
// says what was tried. With both an enc and an RSA pair the two verdicts
// are joined as "enc: ...; rsa: ...".
//
// The error is for input that cannot be diagnosed (no files, unreadable
// files, a key that does not parse: wrap cli.Usage around it) and for a
// KMS that does not answer (errors.Is(err, ErrKMS): an environment
// problem). A cancelled ctx returns ctx's error.
func DiagnoseFiles(ctx context.Context, in DiagnoseInput) (string, error) {
	hasEnc, hasRSA := in.EncFile != "", in.RSACiphertext != ""
	if !hasEnc && !hasRSA {
		return "", errors.New("doctor: nothing to diagnose: give EncFile (with PassFile or PassSpec) or RSACiphertext (with PrivateKeyPEM or KMS)")
	}
	expect := in.Expect
	if expect == nil && in.ExpectFile != "" {
		b, err := os.ReadFile(in.ExpectFile)
		if err != nil {
			return "", fmt.Errorf("doctor: expected plaintext: %w", err)
		}
		expect = b
	}
	var parts []string
	if hasEnc {
		v, err := diagnoseEncFile(ctx, in, expect)
		if err != nil {
			return "", err
		}
		parts = append(parts, v)
	}
	if hasRSA {
		v, err := diagnoseRSAFile(ctx, in, expect)
		if err != nil {
			return "", err
		}
		parts = append(parts, v)
	}
	if len(parts) == 2 {
		return "enc: " + parts[0] + "; rsa: " + parts[1], nil
	}
	return parts[0], nil
}

func diagnoseEncFile(ctx context.Context, in DiagnoseInput, expect []byte) (string, error) {
	spec := in.PassSpec
	if in.PassFile != "" {
		spec = "file:" + in.PassFile
	}
	if spec == "" {
		return "", errors.New("doctor: EncFile needs PassFile or PassSpec")
	}
	src, err := ReadPassSpec(spec)
	if err != nil {
		return "", fmt.Errorf("doctor: %w", err)
	}
	data, err := os.ReadFile(in.EncFile)
	if err != nil {
		return "", fmt.Errorf("doctor: %w", err)
	}
	rep, err := DiagnoseEnc(ctx, EncRequest{Data: data, InPath: in.EncFile, Pass: src, Expect: expect, Salt: in.Salt})
	if err != nil {
		return "", err
	}
	if rep.Found != nil {
		return rep.Found.Summary, nil
	}
	return fmt.Sprintf("not explained: no password variant or setting tried decrypts it cleanly (%d key derivations, %d candidates)", rep.Derivations, rep.Candidates), nil
}

func diagnoseRSAFile(ctx context.Context, in DiagnoseInput, expect []byte) (string, error) {
	ct, err := os.ReadFile(in.RSACiphertext)
	if err != nil {
		return "", fmt.Errorf("doctor: %w", err)
	}
	req := RSARequest{Ciphertext: ct, KMS: in.KMS, Want: in.Algorithm, Expect: expect}
	if in.PrivateKeyPEM != "" {
		pem, err := os.ReadFile(in.PrivateKeyPEM)
		if err != nil {
			return "", fmt.Errorf("doctor: %w", err)
		}
		if req.Private, err = ParseRSAPrivateKey(pem); err != nil {
			return "", fmt.Errorf("doctor: %s: %w", in.PrivateKeyPEM, err)
		}
	}
	rep, err := DiagnoseRSA(ctx, req)
	if err != nil {
		return "", err
	}
	switch {
	case rep.Found != nil:
		return rep.Found.Summary, nil
	case len(rep.Notes) > 0:
		return "not explained: " + rep.Notes[0], nil
	}
	return "not explained: nothing tried decrypts it (" + describeRSATried(rep.Tried) + ")", nil
}
