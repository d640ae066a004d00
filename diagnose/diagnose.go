// Package diagnose runs the doctor (doctor.DiagnoseFiles) on the kept work
// directories of a run's failing cells and writes its verdict into
// Cell.Diagnosis. It reads the cell's failing step to find the files: for
// `openssl enc -d` the -in file and its password (-pass, -kfile, -k); for
// `aws kms decrypt` the ciphertext blob, the key through the run's KMS
// while it serves (or a private key among the kept files); for `pkeyutl`
// or `rsautl -decrypt` the ciphertext and -inkey. A harness `cmp ORIGINAL
// OUT` step names the plaintext expected when the original was kept.
package diagnose

import (
	"context"
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
	// Total bounds all cells together (default 2 min): a run never waits
	// long for its diagnoses.
	Total time.Duration
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
	if o.Total <= 0 {
		o.Total = 2 * time.Minute
	}
	ctx, cancelAll := context.WithTimeout(ctx, o.Total)
	defer cancelAll()
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
		timedOut := cctx.Err() != nil
		cancel()
		switch {
		case err == nil && d != "":
			c.Diagnosis = d
			n++
		case errors.Is(err, errNotCovered):
		case err != nil && (timedOut || errors.Is(err, context.DeadlineExceeded)):
			c.Diagnosis = fmt.Sprintf("the doctor's search did not finish in time; run it on the kept files by hand: %s", byHand(c))
		case err != nil:
			c.Diagnosis = "doctor could not diagnose the kept files: " + err.Error()
		}
	}
	return n
}

// byHand is the doctor command a person runs in the cell's kept directory.
func byHand(c *flows.Cell) string {
	st, _ := failingStep(c)
	args := shellWords(st.Command)
	if has(args, "enc") {
		pass := optValue(args, "-pass")
		if pass == "" {
			pass = "file:" + optValue(args, "-kfile")
		}
		return fmt.Sprintf("`kmsconform doctor enc --in %s --pass %s`", flows.ShellQuote(optValue(args, "-in")), flows.ShellQuote(pass))
	}
	return "`kmsconform doctor rsa --help`"
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

// encDiag diagnoses the consumer's -in file with its password.
func encDiag(ctx context.Context, c *flows.Cell, st flows.Step, args []string, dir string) (string, error) {
	in := optValue(args, "-in")
	if in == "" {
		return "", fmt.Errorf("the failing step %q names no -in file", st.Command)
	}
	d := doctor.DiagnoseInput{EncFile: inDir(dir, in), ExpectFile: expectedFile(c, dir, in, outputOf(args))}
	switch {
	case optValue(args, "-pass") != "":
		d.PassSpec = optValue(args, "-pass")
		if f, ok := strings.CutPrefix(d.PassSpec, "file:"); ok {
			d.PassSpec, d.PassFile = "", inDir(dir, f)
		}
	case optValue(args, "-kfile") != "":
		d.PassFile = inDir(dir, optValue(args, "-kfile"))
	case optValue(args, "-k") != "":
		d.PassSpec = "pass:" + optValue(args, "-k")
	default:
		return "", fmt.Errorf("the failing step %q gives no password (-pass, -k, -kfile)", st.Command)
	}
	return doctor.DiagnoseFiles(ctx, d)
}

// rsaDiag diagnoses an RSA ciphertext: through the KMS key (aws kms
// decrypt --key-id K) while the run's KMS serves, or with the consumer's
// private key (-inkey) or one among the kept files.
func rsaDiag(ctx context.Context, c *flows.Cell, args []string, dir string, client *kms.Client, viaKMS bool) (string, error) {
	var d doctor.DiagnoseInput
	var in string
	if viaKMS {
		in = strings.TrimPrefix(optValue(args, "--ciphertext-blob"), "fileb://")
		d.Algorithm = optValue(args, "--encryption-algorithm")
		if id := optValue(args, "--key-id"); id != "" && client != nil {
			d.KMS = &doctor.KMSKey{Client: client, KeyID: id}
		}
		d.PrivateKeyPEM = privateKeyIn(dir)
		if d.KMS == nil && d.PrivateKeyPEM == "" {
			return "", errors.New("the KMS key's private half is not among the kept files and the run's KMS is gone: run `kmsconform doctor rsa` against the KMS")
		}
	} else {
		in = optValue(args, "-in")
		key := optValue(args, "-inkey")
		if key == "" {
			return "", errNotCovered
		}
		d.PrivateKeyPEM = inDir(dir, key)
		if has(args, "rsa_padding_mode:oaep") || has(args, "-oaep") {
			d.Algorithm = doctor.AlgOAEPSHA1
			if has(args, "rsa_oaep_md:sha256") {
				d.Algorithm = doctor.AlgOAEPSHA256
			}
		}
	}
	if in == "" {
		return "", errNotCovered
	}
	d.RSACiphertext = inDir(dir, in)
	d.ExpectFile = expectedFile(c, dir, in, outputOf(args))
	return doctor.DiagnoseFiles(ctx, d)
}

// expectedFile is the kept plaintext the failing step should have given:
// the input of the step that made its input file (the producer's `-in
// DATA -out DATA.enc`), else the other side of a harness `cmp ORIGINAL OUT`
// step; "" when neither was kept.
func expectedFile(c *flows.Cell, dir, in, out string) string {
	kept := func(name string) string {
		if name == "" {
			return ""
		}
		if st, err := os.Stat(inDir(dir, name)); err == nil && st.Mode().IsRegular() {
			return inDir(dir, name)
		}
		return ""
	}
	for _, s := range c.Steps {
		w := shellWords(s.Command)
		if outputOf(w) != in || s.ExitCode != 0 {
			continue
		}
		src := optValue(w, "-in")
		if src == "" {
			src = optValue(w, "<")
		}
		if f := kept(src); f != "" && src != in {
			return f
		}
	}
	if out == "" {
		return ""
	}
	for _, s := range c.Steps {
		w := shellWords(s.Command)
		if len(w) < 3 || w[0] != "cmp" || (w[1] != out && w[2] != out) {
			continue
		}
		orig := w[1]
		if orig == out {
			orig = w[2]
		}
		if f := kept(orig); f != "" {
			return f
		}
	}
	return ""
}

// privateKeyIn is the first RSA private key among dir's .pem, .der and
// .key files, or "".
func privateKeyIn(dir string) string {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return ""
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
		if _, err := doctor.ParseRSAPrivateKey(b); err == nil {
			return filepath.Join(dir, e.Name())
		}
	}
	return ""
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
