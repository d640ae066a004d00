package render

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/kmsconform/kmsconform/flows"
)

func TestReplayLines(t *testing.T) {
	engines := []flows.EngineInfo{
		{Name: "host"},
		{Name: "host:/opt/openssl 3/bin/openssl"},
		{Name: "openssl-3.5", Image: "kmsconform/openssl:3.5.9"},
		{Name: "openssl-1.1.1"},
		{Name: "oracle@1.0.2", StandIn: true},
	}
	decrypt := flows.Step{Role: flows.KMSRole, Command: "aws kms decrypt --ciphertext-blob fileb://k.enc --query Plaintext --output text | base64 -d > k"}
	enc := func(engine, prefix string) flows.Step {
		return flows.Step{Role: flows.Consumer, Engine: engine, Command: prefix + " enc -d -aes-256-cbc -in DATA.enc -pass file:./key.bin"}
	}
	for _, c := range []struct {
		name string
		rep  flows.Report
		step flows.Step
		want string
	}{
		{"in-process fake", flows.Report{KMS: "kmsconform in-process fake (http://127.0.0.1:40529); server: kmsconform-kmsfake/devel"}, decrypt,
			"aws --endpoint-url " + ServeEndpoint + " --region us-east-1 kms decrypt --ciphertext-blob fileb://k.enc --query Plaintext --output text | base64 -d > k"},
		{"endpoint and region recorded", flows.Report{KMS: "http://127.0.0.1:4599", KMSEndpoint: "http://127.0.0.1:4599", KMSRegion: "eu-west-1"}, decrypt,
			"aws --endpoint-url http://127.0.0.1:4599 --region eu-west-1 kms decrypt"},
		{"an older report's URL label", flows.Report{KMS: "http://localhost:4566; server: not stated"}, decrypt,
			"aws --endpoint-url http://localhost:4566 --region us-east-1 kms decrypt"},
		{"AWS itself", flows.Report{KMS: "AWS", KMSRegion: "eu-central-1"}, decrypt, "aws --region eu-central-1 kms decrypt"},
		{"host", flows.Report{}, enc("host", "openssl"), "openssl enc -d -aes-256-cbc"},
		{"host path", flows.Report{}, enc("host:/opt/openssl 3/bin/openssl", "openssl"), "'/opt/openssl 3/bin/openssl' enc -d"},
		{"container", flows.Report{}, enc("openssl-3.5", "openssl"), `docker run --rm -i -v "$PWD:$PWD" -w "$PWD" kmsconform/openssl:3.5.9 openssl enc -d`},
		{"container without an image recorded", flows.Report{}, enc("openssl-1.1.1", "openssl"), `docker run --rm -i -v "$PWD:$PWD" -w "$PWD" kmsconform/openssl:1.1.1 openssl enc -d`},
		{"oracle profile", flows.Report{}, enc("oracle@1.0.2", "kmsconform openssl --compat 1.0.2"), "kmsconform openssl --compat 1.0.2 enc -d"},
		{"harness", flows.Report{}, flows.Step{Role: flows.Harness, Command: "cmp DATA DATA_plaintext"}, "cmp DATA DATA_plaintext"},
	} {
		c.rep.Engines = engines
		got := newReplayer(&c.rep).line(c.step)
		if !strings.HasPrefix(got, c.want) {
			t.Errorf("%s: %q, want it to start with %q", c.name, got, c.want)
		}
	}
	in := newReplayer(&flows.Report{KMS: "kmsconform in-process fake (http://127.0.0.1:40529)"}).note()
	if !strings.Contains(in, "kmsconform kms serve") || !strings.Contains(in, "http://127.0.0.1:40529") || !strings.Contains(in, "gone with the run") {
		t.Errorf("the in-process note does not say how to replay: %q", in)
	}
}

// TestReplayARealCell runs flow 1 (RSA_2048, host → host) against the
// in-process KMS fake, then pastes every recorded step as the report shows
// it — aws lines with --endpoint-url and --region — into sh, with the real
// aws CLI and openssl, while the fake still serves: every line must work.
func TestReplayARealCell(t *testing.T) {
	for _, tool := range []string{"aws", "openssl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("no %s on PATH", tool)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	k, err := flows.OpenKMS(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	f, ok := flows.Lookup(1)
	if !ok {
		t.Fatal("flow 1 is not registered")
	}
	var cells []flows.Planned
	for _, p := range flows.Plan([]*flows.Flow{f}, []string{"host"}) {
		if p.Case.Name == "RSA_2048" {
			cells = append(cells, p)
		}
	}
	rep, err := flows.Run(ctx, flows.Options{Cells: cells, KMS: k, Parallel: 1})
	if err != nil || len(rep.Cells) != 1 || rep.Cells[0].Verdict != flows.ExpectedPass {
		t.Fatalf("flow 1 RSA_2048 host>host: %v %+v", err, rep)
	}
	// As if the fake were an endpoint that outlives the run.
	rep.KMS, rep.KMSEndpoint = k.Endpoint, k.Endpoint
	rp := newReplayer(rep)
	dir := t.TempDir()
	var env []string
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "AWS_") {
			env = append(env, e)
		}
	}
	env = append(env, "AWS_ACCESS_KEY_ID=kmsconformlocal", "AWS_SECRET_ACCESS_KEY=kmsconformlocal",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	for _, s := range rep.Cells[0].Steps {
		line := rp.line(s)
		if strings.HasPrefix(s.Command, "aws kms ") && !strings.Contains(line, "--endpoint-url "+k.Endpoint+" --region "+rep.KMSRegion+" kms ") {
			t.Errorf("aws line without the endpoint and region: %s", line)
		}
		cmd := exec.CommandContext(ctx, "sh", "-c", line)
		cmd.Dir, cmd.Env = dir, env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("replaying %q: %v\n%s", line, err, out)
		}
	}
}
