// Package diagnose runs the doctor on the kept work directories of a run's
// failing cells and writes its verdict into Cell.Diagnosis: an `enc` file
// that does not decrypt is searched with doctor.DiagnoseEnc (with its
// password file and, when the original is kept, the expected plaintext),
// an RSA ciphertext with doctor.DiagnoseRSA (with the private key the
// consumer used, or the run's KMS while it still serves).
package diagnose

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/kmsconform/kmsconform/doctor"
	"github.com/kmsconform/kmsconform/flows"
)

// Options tunes CellsWith.
type Options struct {
	// KMS, when set, is the run's KMS (still serving): RSA ciphertexts a
	// KMS key refused are diagnosed through it.
	KMS *kms.Client
	// PerCell bounds one cell's search (default 30 s).
	PerCell time.Duration
	// Max is how many cells are diagnosed at most (default 25): the search
	// uses every CPU, and the first failures usually share one cause.
	Max int
}

// Cells diagnoses every failing cell of rep whose work directory was kept
// (Cell.Work, relative to reportDir) and sets its Diagnosis. It returns how
// many cells got one. Cells it cannot diagnose (no kept input, a step the
// doctor does not cover) are left as they are.
func Cells(ctx context.Context, rep *flows.Report, reportDir string) int {
	return CellsWith(ctx, rep, reportDir, Options{})
}

// CellsWith is Cells with options.
func CellsWith(ctx context.Context, rep *flows.Report, reportDir string, o Options) int {
	if o.PerCell <= 0 {
		o.PerCell = 30 * time.Second
	}
	if o.Max <= 0 {
		o.Max = 25
	}
	n, tried := 0, 0
	for i := range rep.Cells {
		c := &rep.Cells[i]
		if c.Work == "" || c.Diagnosis != "" || (c.Verdict != flows.Unexpected && c.Verdict != flows.Allowed) {
			continue
		}
		if tried == o.Max || ctx.Err() != nil {
			break
		}
		tried++
		cctx, cancel := context.WithTimeout(ctx, o.PerCell)
		d, err := Cell(cctx, c, filepath.Join(reportDir, filepath.FromSlash(c.Work)), o.KMS)
		cancel()
		switch {
		case err == nil && d != "":
			c.Diagnosis = d
			n++
		case err != nil && !errors.Is(err, errNotCovered):
			c.Diagnosis = "doctor could not diagnose the kept files: " + err.Error()
		}
	}
	return n
}

// errNotCovered: the failing step is not one the doctor diagnoses.
var errNotCovered = errors.New("not a step the doctor diagnoses")

// Cell diagnoses one failing cell from its kept directory dir and returns
// the doctor's verdict in one paragraph. client may be nil.
func Cell(ctx context.Context, c *flows.Cell, dir string, client *kms.Client) (string, error) {
	st, ok := failingStep(c)
	if !ok {
		return "", errNotCovered
	}
	args := shellWords(st.Command)
	switch {
	case has(args, "enc") && (has(args, "-d") || has(args, "-decrypt")):
		return encDiag(ctx, c, st, args, dir)
	case has(args, "decrypt") && has(args, "kms"):
		return rsaDiag(ctx, c, args, dir, client, true)
	case (has(args, "pkeyutl") || has(args, "rsautl")) && has(args, "-decrypt"):
		return rsaDiag(ctx, c, args, dir, client, false)
	}
	return "", errNotCovered
}

// failingStep is the first step of the run phase that failed.
func failingStep(c *flows.Cell) (flows.Step, bool) {
	for _, s := range c.Steps {
		if s.Phase == "fix" {
			continue
		}
		if s.Error != "" || s.ExitCode != 0 {
			return s, true
		}
	}
	return flows.Step{}, false
}

// encDiag searches how the producer made the consumer's -in file.
func encDiag(ctx context.Context, c *flows.Cell, st flows.Step, args []string, dir string) (string, error) {
	in := optValue(args, "-in")
	if in == "" {
		return "", fmt.Errorf("the failing step %q names no -in file", st.Command)
	}
	data, err := os.ReadFile(inDir(dir, in))
	if err != nil {
		return "", fmt.Errorf("the kept files lack %s: %w", in, err)
	}
	var pass doctor.PassSource
	switch {
	case optValue(args, "-pass") != "":
		spec := optValue(args, "-pass")
		if f, ok := strings.CutPrefix(spec, "file:"); ok {
			spec = "file:" + inDir(dir, f)
		}
		pass, err = doctor.ReadPassSpec(spec)
	case optValue(args, "-kfile") != "":
		pass, err = doctor.ReadPassSpec("file:" + inDir(dir, optValue(args, "-kfile")))
	case optValue(args, "-k") != "":
		pass, err = doctor.ReadPassSpec("pass:" + optValue(args, "-k"))
	default:
		return "", fmt.Errorf("the failing step %q gives no password (-pass, -k, -kfile)", st.Command)
	}
	if err != nil {
		return "", err
	}
	req := doctor.EncRequest{Data: data, InPath: in, Pass: pass, Workers: 0}
	req.Expect = expected(c, dir, outputOf(args))
	rep, err := doctor.DiagnoseEnc(ctx, req)
	if err != nil {
		return "", err
	}
	if f := rep.Found; f != nil {
		how := "checked against the kept original"
		if !f.Certain {
			how = "plausible, not certain: " + f.Plausible
		}
		return fmt.Sprintf("%s (%s). Fix: %s. This decrypts it: %s", f.Cause, how, f.Fix, f.Command), nil
	}
	d := fmt.Sprintf("no setting tried decrypts %s (tried %s)", in, rep.Tried)
	if len(rep.Notes) > 0 {
		d += "; " + strings.Join(rep.Notes, "; ")
	}
	return d, nil
}

// rsaDiag finds how an RSA ciphertext was made: through the KMS key (aws
// kms decrypt --key-id K) or with the consumer's private key (-inkey).
func rsaDiag(ctx context.Context, c *flows.Cell, args []string, dir string, client *kms.Client, viaKMS bool) (string, error) {
	var req doctor.RSARequest
	var in string
	if viaKMS {
		in = strings.TrimPrefix(optValue(args, "--ciphertext-blob"), "fileb://")
		req.Want = optValue(args, "--encryption-algorithm")
		if id := optValue(args, "--key-id"); id != "" && client != nil {
			req.KMS = &doctor.KMSKey{Client: client, KeyID: id}
		}
		if req.KMS == nil {
			if k := privateKeyIn(dir); k != nil {
				req.Private = k
			} else {
				return "", fmt.Errorf("the KMS key's private half is not among the kept files and the run's KMS is gone: run `kmsconform doctor rsa` against the KMS")
			}
		}
	} else {
		in = optValue(args, "-in")
		key := optValue(args, "-inkey")
		if key == "" {
			return "", errNotCovered
		}
		b, err := os.ReadFile(inDir(dir, key))
		if err != nil {
			return "", fmt.Errorf("the kept files lack %s: %w", key, err)
		}
		if req.Private, err = doctor.ParseRSAPrivateKey(b); err != nil {
			return "", fmt.Errorf("%s: %w", key, err)
		}
		if has(args, "rsa_padding_mode:oaep") {
			req.Want = doctor.AlgOAEPSHA1
			if has(args, "rsa_oaep_md:sha256") {
				req.Want = doctor.AlgOAEPSHA256
			}
		}
	}
	if in == "" {
		return "", errNotCovered
	}
	ct, err := os.ReadFile(inDir(dir, in))
	if err != nil {
		return "", fmt.Errorf("the kept files lack %s: %w", in, err)
	}
	req.Ciphertext = ct
	req.Expect = expected(c, dir, outputOf(args))
	rep, err := doctor.DiagnoseRSA(ctx, req)
	if err != nil {
		return "", err
	}
	if f := rep.Found; f != nil {
		d := f.Cause
		if f.KMSAlgorithm != "" {
			d += "; KMS decrypts it with " + f.KMSAlgorithm
		}
		if f.Fix != "" && !f.OK {
			d += ". Fix: the producer should " + f.Fix
		}
		return d, nil
	}
	d := "nothing tried decrypts " + in
	if len(rep.Notes) > 0 {
		d += ": " + strings.Join(rep.Notes, "; ")
	}
	if len(rep.Tried) > 0 {
		d += " (tried " + strings.Join(rep.Tried, "; ") + ")"
	}
	return d, nil
}

// expected reads the plaintext the cell compares out with (a harness
// `cmp ORIGINAL OUT` step), when the original was kept; nil otherwise.
func expected(c *flows.Cell, dir, out string) []byte {
	if out == "" {
		return nil
	}
	for _, s := range c.Steps {
		w := shellWords(s.Command)
		if len(w) >= 3 && w[0] == "cmp" && (w[2] == out || w[1] == out) {
			orig := w[1]
			if orig == out {
				orig = w[2]
			}
			if b, err := os.ReadFile(inDir(dir, orig)); err == nil {
				return b
			}
		}
	}
	return nil
}

// privateKeyIn returns the first RSA private key among dir's .pem/.der/.key files.
func privateKeyIn(dir string) *rsa.PrivateKey {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	for _, e := range ents {
		ext := filepath.Ext(e.Name())
		if e.IsDir() || (ext != ".pem" && ext != ".der" && ext != ".key") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			continue
		}
		if k, err := doctor.ParseRSAPrivateKey(b); err == nil {
			return k
		}
	}
	return nil
}

// outputOf is the file a command writes: -out FILE, or `> FILE`.
func outputOf(args []string) string {
	if o := optValue(args, "-out"); o != "" {
		return o
	}
	return optValue(args, ">")
}

// inDir resolves a file named by a recorded command inside dir.
func inDir(dir, name string) string {
	if filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(dir, filepath.FromSlash(name))
}

func has(args []string, w string) bool {
	for _, a := range args {
		if a == w {
			return true
		}
	}
	return false
}

// optValue is the word after the option opt (or the part after "opt=").
func optValue(args []string, opt string) string {
	for i, a := range args {
		if a == opt && i+1 < len(args) {
			return args[i+1]
		}
		if v, ok := strings.CutPrefix(a, opt+"="); ok && strings.HasPrefix(opt, "-") {
			return v
		}
	}
	return ""
}

// shellWords splits a recorded shell line into words: single and double
// quotes and backslashes as sh reads them; |, <, > and ; are words of
// their own; a # at the start of a word ends the line.
func shellWords(s string) []string {
	var out []string
	var cur strings.Builder
	inWord := false
	flush := func() {
		if inWord {
			out = append(out, cur.String())
			cur.Reset()
			inWord = false
		}
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch == '\'':
			inWord = true
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				cur.WriteString(s[i+1:])
				i = len(s)
				break
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
		case ch == '"':
			inWord = true
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				cur.WriteByte(s[i])
			}
		case ch == '\\' && i+1 < len(s):
			inWord = true
			i++
			cur.WriteByte(s[i])
		case ch == ' ' || ch == '\t' || ch == '\n':
			flush()
		case ch == '|' || ch == '<' || ch == '>' || ch == ';':
			flush()
			out = append(out, string(ch))
		case ch == '#' && !inWord:
			return out
		default:
			inWord = true
			cur.WriteByte(ch)
		}
	}
	flush()
	return out
}
