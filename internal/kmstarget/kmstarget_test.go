package kmstarget

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
)

func TestParseKind(t *testing.T) {
	for _, k := range Kinds {
		got, err := ParseKind(string(k))
		if err != nil || got != k {
			t.Errorf("ParseKind(%q) = %q, %v", k, got, err)
		}
	}
	_, err := ParseKind("localstack")
	if err == nil || !strings.Contains(err.Error(), "fake, fake-process, moto, external") {
		t.Errorf("ParseKind(localstack) error = %v, want the list of valid kinds", err)
	}
}

func TestFromEnv(t *testing.T) {
	t.Setenv(EnvTarget, "")
	got, err := FromEnv(Fake, FakeProcess)
	if err != nil || len(got) != 2 || got[0] != Fake || got[1] != FakeProcess {
		t.Errorf("default: %v, %v", got, err)
	}
	t.Setenv(EnvTarget, " moto , external")
	got, err = FromEnv(Fake)
	if err != nil || len(got) != 2 || got[0] != Moto || got[1] != External {
		t.Errorf("list: %v, %v", got, err)
	}
	t.Setenv(EnvTarget, "moto,nope")
	if _, err := FromEnv(Fake); err == nil {
		t.Error("an unknown kind in the list was accepted")
	}
}

func TestEnvHidesUserConfigForLocalTargets(t *testing.T) {
	t.Setenv("AWS_PROFILE", "prod")
	t.Setenv("AWS_SESSION_TOKEN", "tok")
	tg := localTarget(Moto, "http://127.0.0.1:1", Options{})
	defer tg.Close()
	env := map[string]string{}
	for _, kv := range tg.Env() {
		k, v, _ := strings.Cut(kv, "=")
		if _, dup := env[k]; dup {
			t.Errorf("%s set twice", k)
		}
		env[k] = v
	}
	want := map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:1", "AWS_REGION": DefaultRegion, "AWS_ACCESS_KEY_ID": localAccessKey, "AWS_CONFIG_FILE": "/dev/null"}
	for k, v := range want {
		if env[k] != v {
			t.Errorf("%s = %q, want %q", k, env[k], v)
		}
	}
	for _, k := range []string{"AWS_PROFILE", "AWS_SESSION_TOKEN"} {
		if _, has := env[k]; has {
			t.Errorf("%s leaks into a local target's environment", k)
		}
	}
}

// TestMotoAndExternal starts a real moto server, uses it through the SDK
// and a raw signed request, then reaches the same server as an "external"
// endpoint through the standard credential chain, and checks that Close
// stops the process.
func TestMotoAndExternal(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	m, err := Start(ctx, Options{Kind: Moto})
	if err != nil {
		t.Fatalf("starting moto: %v", err)
	}
	defer m.Close()
	out, err := m.Client.GenerateRandom(ctx, &kms.GenerateRandomInput{NumberOfBytes: aws.Int32(16)})
	if err != nil || len(out.Plaintext) != 16 {
		t.Fatalf("GenerateRandom through moto: %v (%d bytes)", err, len(out.Plaintext))
	}
	resp, err := m.Raw(ctx, "TrentService.GenerateRandom", []byte(`{"NumberOfBytes": 8}`))
	if err != nil || resp.Status != 200 {
		t.Fatalf("raw GenerateRandom: %v %+v", err, resp)
	}
	if body, err := resp.JSON(); err != nil || body["Plaintext"] == nil {
		t.Fatalf("raw body: %v %v", body, err)
	}

	t.Setenv(EnvEndpoint, m.Endpoint)
	t.Setenv("AWS_ACCESS_KEY_ID", "ext")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "ext")
	t.Setenv("AWS_REGION", "eu-west-1")
	t.Setenv("AWS_CONFIG_FILE", "/dev/null")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
	x, err := Start(ctx, Options{Kind: External})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if x.Region != "eu-west-1" || x.Endpoint != m.Endpoint {
		t.Errorf("external target: region %q endpoint %q", x.Region, x.Endpoint)
	}
	k, err := x.Client.CreateKey(ctx, &kms.CreateKeyInput{})
	if err != nil {
		t.Fatalf("CreateKey through the external target: %v", err)
	}
	if arn := aws.ToString(k.KeyMetadata.Arn); !strings.HasPrefix(arn, "arn:aws:kms:eu-west-1:") {
		t.Errorf("key ARN %q not in the region from AWS_REGION", arn)
	}

	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Raw(ctx, "TrentService.GenerateRandom", []byte(`{}`)); err == nil {
		t.Error("moto still answers after Close")
	}
}

func TestFakeProcessBadBinary(t *testing.T) {
	_, err := Start(context.Background(), Options{Kind: FakeProcess, Binary: "/nonexistent/kmsconform", StartTimeout: 5 * time.Second})
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/kmsconform") {
		t.Errorf("error = %v, want one naming the binary", err)
	}
}

func TestFakeInProcess(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	f, err := Start(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if f.Kind != Fake || !strings.HasPrefix(f.Endpoint, "http://127.0.0.1:") {
		t.Errorf("default target: kind %q endpoint %q", f.Kind, f.Endpoint)
	}
	out, err := f.Client.GenerateRandom(ctx, &kms.GenerateRandomInput{NumberOfBytes: aws.Int32(32)})
	if err != nil || len(out.Plaintext) != 32 {
		t.Fatalf("GenerateRandom: %v", err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// TestExternalEndpointOption: Options.Endpoint names the external endpoint
// (before $KMSCONFORM_KMS_ENDPOINT), with the standard credential chain.
func TestExternalEndpointOption(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	f, err := Start(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	t.Setenv(EnvEndpoint, "http://127.0.0.1:1")
	t.Setenv("AWS_ACCESS_KEY_ID", "ext")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "ext")
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	x, err := Start(ctx, Options{Kind: External, Endpoint: f.Endpoint})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if x.Endpoint != f.Endpoint {
		t.Fatalf("endpoint %q, want %q", x.Endpoint, f.Endpoint)
	}
	if _, err := x.Client.ListKeys(ctx, &kms.ListKeysInput{}); err != nil {
		t.Fatal(err)
	}
}
