package kmsspec

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// runScript runs a script of the repository with the endpoint's
// environment (AWS_ENDPOINT_URL, region, credentials) and the host openssl
// and returns its output.
func runScript(t *T, interp, rel string) string {
	path := filepath.Join(t.Run.opts.RepoRoot, rel)
	ctx, cancel := context.WithTimeout(t.Ctx, 3*time.Minute)
	defer cancel()
	var cmd *exec.Cmd
	if interp == "" {
		cmd = exec.CommandContext(ctx, path)
	} else {
		cmd = exec.CommandContext(ctx, interp, path)
	}
	cmd.Env = append(t.Run.Target.Env(), "OPENSSL="+t.Run.opts.OpenSSL, "TMPDIR="+t.TempDir())
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s against %s failed (%v); its output:\n%s", rel, t.Run.Target.Endpoint, err, out.String())
	}
	return out.String()
}

func scriptSpec(id, topic, title, interp, script string, needs []Need, o []string, want ...string) *Spec {
	return &Spec{ID: id, Topic: topic, Title: title, Ops: o, Needs: needs,
		AWS:    "the seed runbook, run verbatim through the real client, ends with its OK lines",
		Source: seeds + "; scripts/" + strings.TrimPrefix(script, "scripts/"),
		Check: func(t *T) {
			out := runScript(t, interp, script)
			for _, w := range want {
				t.True(strings.Contains(out, w), "%s did not print %q; its output:\n%s", script, w, out)
			}
		}}
}

func init() {
	cli := []Need{NeedScripts, NeedAWSCLI, NeedOpenSSL}
	add(
		scriptSpec("cli/seed-000-001", "cli", "seed 000/001: rsautl -oaep and pkeyutl OAEP SHA-256 keys decrypt with aws kms decrypt", "", "scripts/aws-cli/seed-000-001-rsa-oaep.sh", cli,
			ops("GetPublicKey", "Decrypt"), "OK: seed 000/001 method 1", "OK: seed 000/001 method 2"),
		scriptSpec("cli/seed-002", "cli", "seed 002: generate-data-key-pair-without-plaintext, decrypt without key id, pkeyutl round trip", "", "scripts/aws-cli/seed-002-data-key-pair.sh", cli,
			ops("GenerateDataKeyPairWithoutPlaintext", "Decrypt"), "OK: seed 002"),
		scriptSpec("cli/seed-003", "cli", "seed 003: derive-shared-secret equals openssl pkeyutl -derive", "", "scripts/aws-cli/seed-003-ecdh.sh", cli,
			ops("DeriveSharedSecret", "CreateAlias"), "OK: seed 003 ECDH (32 bytes)"),
		scriptSpec("cli/seed-003-004", "cli", "seed 003/004: RSA hybrid through an alias with RSAES_OAEP_SHA_256", "", "scripts/aws-cli/seed-003-004-rsa-hybrid.sh", cli,
			ops("Decrypt", "CreateAlias"), "OK: seed 003/004"),
		scriptSpec("boto3/main-ops", "boto3", "scripts/boto3/main_ops.py finds no mismatch", "python3", "scripts/boto3/main_ops.py", []Need{NeedScripts, NeedBoto3, NeedOpenSSL},
			nil, "all checks passed"),
	)
}
