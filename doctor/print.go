package doctor

import (
	"fmt"
	"io"
	"strings"
)

// PrintEnc writes the outcome of DiagnoseEnc in kmsconform's
// `error:` / `hint:` style and returns the exit code: 0 when a cause was
// found, 1 when not.
func PrintEnc(w io.Writer, req EncRequest, rep *EncReport) int {
	name := displayName(req.InPath)
	if f := rep.Found; f != nil {
		fmt.Fprintf(w, "kmsconform: error: %s.\n", f.Cause)
		how := "checked: the output matches the expected plaintext"
		if !f.Certain {
			how = "plausible, not certain: " + f.Plausible + " and the padding is valid; give --expect to be sure"
		}
		fmt.Fprintf(w, "kmsconform: hint: this command decrypts it (%s):\n    %s\n", how, f.Command)
		fmt.Fprintf(w, "kmsconform: hint: fix: %s.\n", f.Fix)
		return 0
	}
	if req.Expect != nil {
		fmt.Fprintf(w, "kmsconform: error: no setting tried decrypts %s to the expected plaintext.\n", name)
	} else {
		fmt.Fprintf(w, "kmsconform: error: no setting tried decrypts %s to anything plausible.\n", name)
	}
	fmt.Fprintf(w, "kmsconform: hint: tried %s.\n", rep.Tried)
	for _, n := range rep.Notes {
		fmt.Fprintf(w, "kmsconform: hint: %s.\n", n)
	}
	if len(rep.Rejected) > 0 {
		fmt.Fprintf(w, "kmsconform: hint: %d candidate(s) had valid padding by chance (1 key in 256 does) but %s; the first: %s with the password %s.\n",
			len(rep.Rejected), rejectWhy(req), summary(rep.Rejected[0].Params), rep.Rejected[0].Params.PasswordVariant)
	}
	fmt.Fprintln(w, "kmsconform: hint: check that the password is the producer's, and ask the producer for the exact `openssl enc` command and version.")
	return 1
}

func rejectWhy(req EncRequest) string {
	if req.Expect != nil {
		return "did not give the expected plaintext"
	}
	return "gave no plausible plaintext (give --expect if the data is binary)"
}

// PrintRSA writes the outcome of DiagnoseRSA in the error/hint style and
// returns the exit code: 0 when the way the ciphertext was made is found,
// 1 when not.
func PrintRSA(w io.Writer, name string, rep *RSAReport) int {
	if f := rep.Found; f != nil {
		if f.OK {
			fmt.Fprintf(w, "kmsconform: %s is fine: %s.\n", name, f.Cause)
			return 0
		}
		fmt.Fprintf(w, "kmsconform: error: %s: %s.\n", name, f.Cause)
		if f.KMSAlgorithm != "" {
			fmt.Fprintf(w, "kmsconform: hint: KMS decrypts it with EncryptionAlgorithm %s.\n", f.KMSAlgorithm)
		}
		fmt.Fprintf(w, "kmsconform: hint: the producer should %s.\n", f.Fix)
		return 0
	}
	fmt.Fprintf(w, "kmsconform: error: nothing tried decrypts %s.\n", name)
	for _, n := range rep.Notes {
		fmt.Fprintf(w, "kmsconform: hint: %s.\n", n)
	}
	if len(rep.Tried) > 0 {
		fmt.Fprintf(w, "kmsconform: hint: tried %s.\n", strings.Join(rep.Tried, "; "))
	}
	fmt.Fprintln(w, "kmsconform: hint: check that the producer used this key's public key; with --private-key more paddings are tried (PKCS#1 v1.5, mixed OAEP hashes).")
	return 1
}
