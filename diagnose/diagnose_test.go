package diagnose

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kmsconform/kmsconform/flows"
)

// sh runs a shell line with the host openssl in dir (skipping the test when
// there is no openssl), failing the test when it fails.
func sh(t *testing.T, dir, line string) {
	t.Helper()
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("no host openssl")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", line)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", line, err, out)
	}
}

// keptCell lays out a report directory with one failing cell whose work
// directory was kept, and returns the report, its directory and the work dir.
func keptCell(t *testing.T, steps []flows.Step) (*flows.Report, string, string) {
	t.Helper()
	report := t.TempDir()
	work := filepath.Join(report, "work", "cell")
	if err := os.MkdirAll(work, 0o700); err != nil {
		t.Fatal(err)
	}
	rep := &flows.Report{Cells: []flows.Cell{
		{ID: "3/x/host>host", Verdict: flows.ExpectedPass, Work: "work/cell"}, // not failing: left alone
		{ID: "3/y/host>host", Verdict: flows.Unexpected, Steps: steps},        // no kept files
		{ID: "3/z/host>host", Verdict: flows.Unexpected, Work: "work/cell", Steps: steps},
	}}
	return rep, report, work
}

func step(role flows.Role, cmd string, exit int) flows.Step {
	s := flows.Step{Role: role, Phase: "run", Command: cmd, ExitCode: exit}
	if exit != 0 {
		s.Error = "exit code 1"
	}
	return s
}

// TestEncFileFromAnMD5Producer: the producer encrypted with -md md5 (1.0.2's
// default), the consumer decrypts with 3.x's sha256: the doctor must say md5.
func TestEncFileFromAnMD5Producer(t *testing.T) {
	steps := []flows.Step{
		step(flows.Producer, "openssl rand -base64 32 > key.bin", 0),
		step(flows.Harness, "head -c 1000 /dev/urandom > DATA", 0),
		step(flows.Producer, "openssl enc -aes-256-cbc -md md5 -salt -in DATA -out DATA.enc -pass file:./key.bin", 0),
		step(flows.Consumer, "openssl enc -d -aes-256-cbc -in DATA.enc -out DATA_plaintext -pass file:./key.bin", 1),
		// The cell stops here: no cmp step names the original; the
		// producer's -in DATA -out DATA.enc does.
	}
	rep, report, work := keptCell(t, steps)
	for _, s := range steps[:3] {
		sh(t, work, s.Command)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if n := Cells(ctx, rep, report); n != 1 {
		t.Fatalf("diagnosed %d cells, want 1: %+v", n, rep.Cells)
	}
	d := rep.Cells[2].Diagnosis
	t.Logf("diagnosis: %s", d)
	if !strings.Contains(d, "md5") {
		t.Errorf("diagnosis %q does not name -md md5", d)
	}
	if rep.Cells[0].Diagnosis != "" || rep.Cells[1].Diagnosis != "" {
		t.Errorf("cells without a failure or kept files were diagnosed: %q, %q", rep.Cells[0].Diagnosis, rep.Cells[1].Diagnosis)
	}
}

// TestRSACiphertextWithPKCS1Padding: the producer used PKCS#1 v1.5 where
// the consumer asked OAEP SHA-256: the doctor must name the padding.
func TestRSACiphertextWithPKCS1Padding(t *testing.T) {
	steps := []flows.Step{
		step(flows.Producer, "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out private.pem", 0),
		step(flows.Producer, "openssl rand -out key.bin 32", 0),
		step(flows.Producer, "openssl pkeyutl -encrypt -inkey private.pem -pkeyopt rsa_padding_mode:pkcs1 -in key.bin -out key.bin.enc", 0),
		step(flows.Consumer, "openssl pkeyutl -decrypt -inkey private.pem -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -in key.bin.enc -out keyplaintext.bin", 1),
		step(flows.Harness, "cmp key.bin keyplaintext.bin", 0),
	}
	rep, report, work := keptCell(t, steps)
	for _, s := range steps[:3] {
		sh(t, work, s.Command)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if n := Cells(ctx, rep, report); n != 1 {
		t.Fatalf("diagnosed %d cells, want 1: %+v", n, rep.Cells[2])
	}
	d := rep.Cells[2].Diagnosis
	t.Logf("diagnosis: %s", d)
	if !strings.Contains(strings.ToLower(d), "pkcs#1") && !strings.Contains(strings.ToLower(d), "v1.5") {
		t.Errorf("diagnosis %q does not name PKCS#1 v1.5", d)
	}
}

// TestKMSCellWithoutKMSOrKey: an aws kms decrypt refusal with the KMS gone
// and no private key kept says how to diagnose it instead of guessing.
func TestKMSCellWithoutKMSOrKey(t *testing.T) {
	steps := []flows.Step{
		step(flows.KMSRole, "aws kms decrypt --key-id 1234 --encryption-algorithm RSAES_OAEP_SHA_256 --ciphertext-blob fileb://key.bin.enc --query Plaintext --output text | base64 -d > keyplaintext.bin", 254),
	}
	rep, report, work := keptCell(t, steps)
	if err := os.WriteFile(filepath.Join(work, "key.bin.enc"), make([]byte, 256), 0o600); err != nil {
		t.Fatal(err)
	}
	if n := Cells(context.Background(), rep, report); n != 0 {
		t.Fatalf("diagnosed %d cells without a KMS or a key", n)
	}
	if d := rep.Cells[2].Diagnosis; !strings.Contains(d, "kmsconform doctor rsa") {
		t.Errorf("diagnosis %q does not point to kmsconform doctor rsa", d)
	}
}

func TestShellWords(t *testing.T) {
	for line, want := range map[string][]string{
		`openssl enc -d -in 'my file.enc' -pass "file:./k y"`:                                                   {"openssl", "enc", "-d", "-in", "my file.enc", "-pass", "file:./k y"},
		`aws kms decrypt --ciphertext-blob fileb://a.enc --query Plaintext --output text | base64 -d > out.bin`: {"aws", "kms", "decrypt", "--ciphertext-blob", "fileb://a.enc", "--query", "Plaintext", "--output", "text", "|", "base64", "-d", ">", "out.bin"},
		`aws kms create-key --key-spec RSA_2048  # created once per run`:                                        {"aws", "kms", "create-key", "--key-spec", "RSA_2048"},
		`echo a\ b`: {"echo", "a b"},
	} {
		if got := shellWords(line); !reflect.DeepEqual(got, want) {
			t.Errorf("shellWords(%q) = %q, want %q", line, got, want)
		}
	}
}
