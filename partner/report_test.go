package partner

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteReport writes the three formats for a failing result and for
// a tool that could not run; every per-case field reaches each format and
// the HTML escapes what the tool printed.
func TestWriteReport(t *testing.T) {
	failing := &Result{Mode: ModeEncrypt, Tool: "./tool {pubkey_pem} {in} {out}", Algorithm: "RSAES_OAEP_SHA_256", Endpoint: "fake", Dir: "/work",
		Cases: []CaseResult{
			{Case: Case{Name: "RSA_2048 32-byte binary key"}, Pass: true, Detail: "KMS decrypts it to the input"},
			{Case: Case{Name: "RSA_2048 at the limit (190 bytes)"}, Detail: "KMS does not decrypt it", Class: "invalid-ciphertext",
				Diagnosis: "MGF1 with SHA-1", Fix: "explicit OAEPParameterSpec", Command: "./tool $CASE_DIR/pubkey.pem", ExitCode: 0,
				Stderr: "<script>alert(1)</script>", Fingerprint: &Fingerprint{Observed: "OAEP, label hash sha256, MGF1 sha1",
					Stacks: []StackFix{{Stack: "Java (SunJCE or BouncyCastle)", Call: "SunJCE default", Language: "java", Fix: "new OAEPParameterSpec(...)"}}}},
		}}
	failing.summarise()
	broken := &Result{Mode: ModeDerive, Tool: "nope", KDF: "raw", Problem: &ToolProblem{Class: "tool-not-runnable", Message: "the tool cannot run (exit 127)", Hint: "check it", Command: "nope", ExitCode: 127, Stderr: "sh: 1: nope: not found"}}
	broken.summarise()
	for name, r := range map[string]*Result{"failing": failing, "broken": broken} {
		dir := t.TempDir()
		if err := WriteReport(dir, r); err != nil {
			t.Fatal(err)
		}
		read := func(f string) string {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
		md, html, js := read("partner.md"), read("partner.html"), read("partner.json")
		var back Result
		if err := json.Unmarshal([]byte(js), &back); err != nil || back.Pass || back.Mode != r.Mode {
			t.Errorf("%s: partner.json does not round-trip: %v %+v", name, err, back)
		}
		if strings.Contains(html, "<script>") {
			t.Errorf("%s: partner.html does not escape the tool's stderr", name)
		}
		want := []string{"FAIL", r.Tool}
		if r.Problem != nil {
			want = append(want, "exit 127", "nope: not found", "could not be checked")
		} else {
			want = append(want, "MGF1 with SHA-1", "explicit OAEPParameterSpec", "Consistent with", "new OAEPParameterSpec(...)", "invalid-ciphertext", "./tool $CASE_DIR/pubkey.pem")
		}
		for _, w := range want {
			if !strings.Contains(md, w) {
				t.Errorf("%s: partner.md lacks %q", name, w)
			}
			if !strings.Contains(html, strings.ReplaceAll(w, "'", "&#39;")) {
				t.Errorf("%s: partner.html lacks %q", name, w)
			}
		}
	}
}
