package doctor

import (
	"fmt"
	"io"

	"github.com/kmsconform/kmsconform/internal/cli"
)

// PrintEnc writes the outcome of DiagnoseEnc with internal/cli's error and
// hint printer and returns the exit code of the CLI contract: 0 when the
// file decrypts as expected with no fault, 1 when a fault is diagnosed (a
// producer mistake, a near miss) or nothing explains it.
func PrintEnc(w io.Writer, req EncRequest, rep *EncReport) int {
	name := displayName(req.InPath)
	if f := rep.Found; f != nil {
		if !f.Fault {
			fmt.Fprintf(w, "%s: %s.\n", cli.Prog, f.Cause)
			cli.Hintf(w, "this command decrypts it (%s):\n    %s", foundHow(f), f.Command)
			return cli.ExitOK
		}
		cli.Errorf(w, "%s.", f.Cause)
		cli.Hintf(w, "this command decrypts it (%s):\n    %s", foundHow(f), f.Command)
		cli.Hintf(w, "fix: %s.", f.Fix)
		return cli.ExitFailure
	}
	if req.Expect != nil {
		cli.Errorf(w, "no setting tried decrypts %s to the expected plaintext, nor to anything close to it.", name)
	} else {
		cli.Errorf(w, "no setting tried decrypts %s to anything plausible.", name)
	}
	cli.Hintf(w, "tried %s.", rep.Tried)
	for _, n := range rep.Notes {
		cli.Hintf(w, "%s.", n)
	}
	if len(rep.Rejected) > 0 {
		cli.Hintf(w, "%d candidate(s) had valid padding by chance (1 key in 256 does) but %s; the first: %s with the password %s.",
			len(rep.Rejected), rejectWhy(req), summary(rep.Rejected[0].Params), rep.Rejected[0].Params.PasswordVariant)
	}
	cli.Hintf(w, "none of these password variants decrypts it cleanly: check that the password is the producer's, and ask the producer for the exact `openssl enc` command and version.")
	return cli.ExitFailure
}

// foundHow says how sure a finding is.
func foundHow(f *EncFinding) string {
	switch {
	case f.Certain:
		return "checked: the output matches the expected plaintext"
	case f.NearMiss:
		return "checked: it decrypts cleanly; the output differs from the expected plaintext as said"
	}
	return "plausible, not certain: " + f.Plausible + " and the padding is valid; give --expect to be sure"
}

func rejectWhy(req EncRequest) string {
	if req.Expect != nil {
		return "did not give the expected plaintext"
	}
	return "gave no plausible plaintext (give --expect if the data is binary)"
}

// PrintRSA writes the outcome of DiagnoseRSA with internal/cli's printer
// and returns the exit code: 0 when the ciphertext is what was promised
// (and decrypts to the expected plaintext), 1 when a fault is diagnosed or
// nothing decrypts it.
func PrintRSA(w io.Writer, name string, rep *RSAReport) int {
	if f := rep.Found; f != nil {
		if f.OK {
			fmt.Fprintf(w, "%s: %s is fine: %s.\n", cli.Prog, name, f.Cause)
			return cli.ExitOK
		}
		cli.Errorf(w, "%s: %s.", name, f.Cause)
		if f.KMSAlgorithm != "" {
			cli.Hintf(w, "KMS decrypts it with EncryptionAlgorithm %s.", f.KMSAlgorithm)
		}
		cli.Hintf(w, "fix: %s.", f.Fix)
		return cli.ExitFailure
	}
	cli.Errorf(w, "nothing tried decrypts %s.", name)
	for _, n := range rep.Notes {
		cli.Hintf(w, "%s.", n)
	}
	if len(rep.Tried) > 0 {
		cli.Hintf(w, "tried %s.", describeRSATried(rep.Tried))
	}
	cli.Hintf(w, "check that the producer used this key's public key; with --private-key more paddings are tried (PKCS#1 v1.5, mixed OAEP hashes).")
	return cli.ExitFailure
}
