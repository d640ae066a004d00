// Package partners holds example partner tools, correct and typically
// broken, in shell, Java, Node and Python; this test runs each through
// `kmsconform partner` logic against the in-process KMS fake and checks
// the verdict and the diagnosis.
package partners_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kmsconform/kmsconform/partner"
)

type example struct {
	name, cmd, alg string
	hybrid         bool
	specs          []string
	pass           bool
	diagnosis      string // substring of the first diagnosis
	detail         string // substring of a failing case's detail (no diagnosis)
	needs          string // interpreter that must be installed
}

// javaCmd compiles a single-file Java example once (what `java File.java`
// does on every run, at a second or more each) and returns the command
// that runs the compiled class.
func javaCmd(t *testing.T, here, class string) string {
	t.Helper()
	if _, err := exec.LookPath("javac"); err != nil {
		t.Fatalf("javac (Java 17) is needed to run the Java partner examples: %v", err)
	}
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "javac", "-d", dir, filepath.Join(here, "java", class+".java")).CombinedOutput()
	if err != nil {
		t.Fatalf("javac %s.java: %v\n%s", class, err, out)
	}
	return "java -cp " + dir + " " + class
}

func TestPartnerExamples(t *testing.T) {
	here, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	sh := func(s string) string { return filepath.Join(here, "shell", s) }
	const io3 = " {pubkey_pem} {in} {out}"
	const hy = " {pubkey_pem} {data_in} {data_out} {key_out}"
	all := partner.KeySpecs
	one := []string{"RSA_2048"}
	// Interpreted tools start slowly: the smallest and the largest key.
	ends := []string{"RSA_2048", "RSA_4096"}
	examples := []example{
		{name: "shell oaep-sha256", cmd: sh("oaep-sha256.sh") + io3, alg: "RSAES_OAEP_SHA_256", specs: all, pass: true},
		{name: "shell oaep md without padding mode", cmd: sh("oaep-md-without-padding-mode.sh") + io3, alg: "RSAES_OAEP_SHA_256", specs: one,
			diagnosis: "PKCS#1 v1.5"},
		{name: "shell truncating tool", cmd: sh("oaep-truncates.sh") + io3, alg: "RSAES_OAEP_SHA_256", specs: one,
			detail: "the tool accepted 191 bytes and silently encrypted 190 bytes of them"},
		{name: "shell hybrid", cmd: sh("hybrid.sh") + hy, alg: "RSAES_OAEP_SHA_256", hybrid: true, specs: all, pass: true},
		{name: "shell hybrid CRLF key file", cmd: sh("hybrid-crlf-key-file.sh") + hy, alg: "RSAES_OAEP_SHA_256", hybrid: true, specs: one,
			diagnosis: "carriage return"},
		{name: "shell hybrid without -pbkdf2", cmd: sh("hybrid-no-pbkdf2.sh") + hy, alg: "RSAES_OAEP_SHA_256", hybrid: true, specs: one,
			diagnosis: "legacy key derivation (EVP_BytesToKey, no -pbkdf2)"},
		{name: "java explicit OAEPParameterSpec", cmd: javaCmd(t, here, "OaepExplicit") + io3, alg: "RSAES_OAEP_SHA_256", specs: ends, pass: true, needs: "java"},
		{name: "java OAEPWithSHA-256AndMGF1Padding defaults", cmd: javaCmd(t, here, "OaepDefaults") + io3, alg: "RSAES_OAEP_SHA_256", specs: one,
			diagnosis: "MGF1 with SHA-1", needs: "java"},
		{name: "node oaepHash sha256", cmd: "node " + filepath.Join(here, "node", "oaep-sha256.js") + io3, alg: "RSAES_OAEP_SHA_256", specs: ends, pass: true, needs: "node"},
		{name: "node default oaepHash", cmd: "node " + filepath.Join(here, "node", "oaep-default-hash.js") + io3, alg: "RSAES_OAEP_SHA_256", specs: one,
			diagnosis: "OAEP with sha1", needs: "node"},
		{name: "node default oaepHash is fine for SHA_1", cmd: "node " + filepath.Join(here, "node", "oaep-default-hash.js") + io3, alg: "RSAES_OAEP_SHA_1", specs: one, pass: true, needs: "node"},
		{name: "python OAEP SHA-256", cmd: "python3 " + filepath.Join(here, "python", "oaep_sha256.py") + io3, alg: "RSAES_OAEP_SHA_256", specs: ends, pass: true, needs: "python3"},
		{name: "python mismatched hashes", cmd: "python3 " + filepath.Join(here, "python", "oaep_mismatched.py") + io3, alg: "RSAES_OAEP_SHA_256", specs: one,
			diagnosis: "label hash sha1 and MGF1 hash sha256", needs: "python3"},
	}
	for _, ex := range examples {
		t.Run(ex.name, func(t *testing.T) {
			if ex.needs != "" {
				if _, err := exec.LookPath(ex.needs); err != nil {
					t.Fatalf("%s is needed to run this partner example: %v", ex.needs, err)
				}
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			res, err := partner.Run(ctx, partner.Options{Encrypt: ex.cmd, Algorithm: ex.alg, Hybrid: ex.hybrid, KeySpecs: ex.specs, Timeout: 90 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			code := partner.Print(&out, res)
			if res.Pass != ex.pass || (code == 0) != ex.pass {
				t.Fatalf("verdict pass=%v exit=%d, want pass=%v\n%s", res.Pass, code, ex.pass, out.String())
			}
			if ex.pass {
				if len(res.Diagnoses) != 0 {
					t.Errorf("a passing tool got diagnoses %q", res.Diagnoses)
				}
				return
			}
			if ex.detail != "" {
				for _, c := range res.Cases {
					if !c.Pass && strings.Contains(c.Detail, ex.detail) {
						return
					}
				}
				t.Fatalf("no failing case says %q\n%s", ex.detail, out.String())
			}
			if len(res.Diagnoses) == 0 || !strings.Contains(res.Diagnoses[0], ex.diagnosis) {
				t.Fatalf("diagnosis %q, want it to mention %q\n%s", res.Diagnoses, ex.diagnosis, out.String())
			}
			dir := t.TempDir()
			if err := partner.WriteReport(dir, res); err != nil {
				t.Fatal(err)
			}
			md, err := os.ReadFile(filepath.Join(dir, "partner.md"))
			if err != nil || !bytes.Contains(md, []byte("# Partner tool check: FAIL")) || !bytes.Contains(md, []byte(ex.diagnosis)) {
				t.Errorf("partner.md lacks the verdict or the diagnosis (%v):\n%s", err, md)
			}
		})
	}
}
