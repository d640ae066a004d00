package kmsfake

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestAWSCLI runs the real aws CLIs (v1 on PATH, v2 at /usr/bin/aws when it
// is another binary) against the fake with SigV4 verification on: botocore
// must sign, send and parse exactly as with AWS.
func TestAWSCLI(t *testing.T) {
	bins := []string{"aws"}
	if p, err := exec.LookPath("aws"); err == nil && p != "/usr/bin/aws" {
		if _, err := os.Stat("/usr/bin/aws"); err == nil {
			bins = append(bins, "/usr/bin/aws")
		}
	}
	for _, bin := range bins {
		t.Run(bin, func(t *testing.T) { t.Parallel(); testAWSCLI(t, bin) })
	}
}

func testAWSCLI(t *testing.T, bin string) {
	if _, err := exec.LookPath(bin); err != nil {
		t.Skipf("%s not installed", bin)
	}
	dir := t.TempDir()
	creds := writeFile(t, dir, "credentials", []byte("[default]\naws_access_key_id = AKIDCLI\naws_secret_access_key = clisecret\n"))
	e := newEnv(t, Options{SigV4: "verify", CredentialsFile: creds})
	aws := func(secret string, args ...string) (string, string, error) {
		c, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cmd := exec.CommandContext(c, bin, append([]string{"--endpoint-url", e.hs.URL, "kms"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "AWS_ENDPOINT_URL="+e.hs.URL, "AWS_ACCESS_KEY_ID=AKIDCLI", "AWS_SECRET_ACCESS_KEY="+secret,
			"AWS_DEFAULT_REGION=eu-west-3", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER=")
		var out, errb strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		return out.String(), errb.String(), err
	}
	out, stderr, err := aws("clisecret", "create-key", "--key-spec", "RSA_2048", "--key-usage", "ENCRYPT_DECRYPT", "--description", "made by  the aws CLI", "--output", "json")
	if err != nil {
		t.Fatalf("aws kms create-key: %v\n%s", err, stderr)
	}
	var created struct {
		KeyMetadata struct{ KeyId, Arn, Description string }
	}
	if err := json.Unmarshal([]byte(out), &created); err != nil || !strings.HasPrefix(created.KeyMetadata.Arn, "arn:aws:kms:eu-west-3:000000000000:key/") ||
		created.KeyMetadata.Description != "made by  the aws CLI" {
		t.Fatalf("create-key output %q: %v", out, err)
	}
	id := created.KeyMetadata.KeyId
	writeFile(t, dir, "pt.bin", []byte("from the aws CLI"))
	if _, stderr, err := aws("clisecret", "encrypt", "--key-id", id, "--encryption-algorithm", "RSAES_OAEP_SHA_1", "--plaintext", "fileb://pt.bin", "--output", "text", "--query", "CiphertextBlob"); err != nil {
		t.Fatalf("aws kms encrypt: %v\n%s", err, stderr)
	}
	writeFile(t, dir, "junk.bin", make([]byte, 256))
	_, stderr, err = aws("clisecret", "decrypt", "--key-id", id, "--encryption-algorithm", "RSAES_OAEP_SHA_256", "--ciphertext-blob", "fileb://junk.bin")
	if err == nil || !strings.Contains(stderr, "(InvalidCiphertextException) when calling the Decrypt operation") {
		t.Fatalf("aws kms decrypt of junk: %v\n%s", err, stderr)
	}
	_, stderr, err = aws("wrong", "list-keys")
	if err == nil || !strings.Contains(stderr, "(InvalidSignatureException)") {
		t.Fatalf("aws kms list-keys with a wrong secret: %v\n%s", err, stderr)
	}
}
