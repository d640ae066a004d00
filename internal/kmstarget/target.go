package kmstarget

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
)

// Kind names a kind of KMS endpoint.
type Kind string

// The kinds of target Start knows.
const (
	Fake        Kind = "fake"
	FakeProcess Kind = "fake-process"
	Moto        Kind = "moto"
	External    Kind = "external"
)

// Kinds lists every Kind, in the order they are documented.
var Kinds = []Kind{Fake, FakeProcess, Moto, External}

// EnvTarget, EnvEndpoint and EnvBinary are the environment variables this
// package reads.
const (
	EnvTarget   = "KMSCONFORM_KMS_TARGET"
	EnvEndpoint = "KMSCONFORM_KMS_ENDPOINT"
	EnvBinary   = "KMSCONFORM_BIN"
)

// DefaultRegion is the region used for local targets and for external ones
// when neither AWS_REGION nor AWS_DEFAULT_REGION is set.
const DefaultRegion = "us-east-1"

// Options tunes Start. The zero value starts the in-process fake in
// us-east-1.
type Options struct {
	// Kind of target; empty means Fake.
	Kind Kind
	// Endpoint is the URL of an External target; empty means
	// $KMSCONFORM_KMS_ENDPOINT, and when that is empty too the SDK's own
	// resolution (AWS_ENDPOINT_URL, else real AWS).
	Endpoint string
	// Region for local targets (default DefaultRegion).
	Region string
	// Binary is the kmsconform binary for FakeProcess; empty means
	// $KMSCONFORM_BIN, else it is built from the module into a temporary
	// directory removed by Close.
	Binary string
	// ServeArgs are extra arguments for `kmsconform kms serve`.
	ServeArgs []string
	// Python is the interpreter that runs moto (default "python3").
	Python string
	// StartTimeout bounds the start of a child process (default 60s).
	StartTimeout time.Duration
	// Retries is the SDK's maximum number of attempts; 0 means 1 (no
	// retries), so that a wrong answer is seen as it is.
	Retries int
	// MaxConns is the HTTP client's idle connection pool per host
	// (default 64).
	MaxConns int
}

// Target is a running KMS endpoint and a client configured for it.
type Target struct {
	// Kind of the target.
	Kind Kind
	// Endpoint is the base URL, e.g. http://127.0.0.1:41231 (empty for an
	// external target resolved by the SDK itself).
	Endpoint string
	// Region the client signs for.
	Region string
	// Config is the SDK configuration behind Client (credentials, region,
	// HTTP client, retryer).
	Config aws.Config
	// Client is an aws-sdk-go-v2 KMS client for Endpoint.
	Client *kms.Client

	// HTTPClient is the client used by Client; raw calls use it too.
	HTTPClient aws.HTTPClient

	closers []func() error
}

// FromEnv returns the kinds named by $KMSCONFORM_KMS_TARGET (comma
// separated), or def when it is unset or empty. An unknown name is an error
// that lists the valid ones.
func FromEnv(def ...Kind) ([]Kind, error) {
	v := strings.TrimSpace(os.Getenv(EnvTarget))
	if v == "" {
		return def, nil
	}
	var out []Kind
	for _, f := range strings.Split(v, ",") {
		k, err := ParseKind(strings.TrimSpace(f))
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, nil
}

// ParseKind checks that s names a Kind.
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds {
		if string(k) == s {
			return k, nil
		}
	}
	names := make([]string, len(Kinds))
	for i, k := range Kinds {
		names[i] = string(k)
	}
	return "", fmt.Errorf("kmstarget: unknown target %q: want one of %s", s, strings.Join(names, ", "))
}

// Start brings up the target described by o and returns it ready to answer.
// The caller must Close it.
func Start(ctx context.Context, o Options) (*Target, error) {
	if o.Kind == "" {
		o.Kind = Fake
	}
	if o.StartTimeout <= 0 {
		o.StartTimeout = 60 * time.Second
	}
	switch o.Kind {
	case Fake:
		return startFake(ctx, o)
	case FakeProcess:
		return startFakeProcess(ctx, o)
	case Moto:
		return startMoto(ctx, o)
	case External:
		return startExternal(ctx, o)
	}
	_, err := ParseKind(string(o.Kind))
	return nil, err
}

// Close stops whatever Start started (server, child process, temporary
// files). It is safe to call more than once.
func (t *Target) Close() error {
	var errs []error
	for i := len(t.closers) - 1; i >= 0; i-- {
		errs = append(errs, t.closers[i]())
	}
	t.closers = nil
	return errors.Join(errs...)
}

func (t *Target) onClose(f func() error) { t.closers = append(t.closers, f) }

// Env returns the environment for a child process (aws CLI, boto3) that
// must talk to this target: the current environment plus AWS_ENDPOINT_URL,
// the region and, for local targets, fixed test credentials with the user's
// AWS config files hidden.
func (t *Target) Env() []string {
	env := os.Environ()
	drop := map[string]bool{}
	set := map[string]string{
		"AWS_REGION":         t.Region,
		"AWS_DEFAULT_REGION": t.Region,
		"AWS_PAGER":          "",
	}
	if t.Endpoint != "" {
		set["AWS_ENDPOINT_URL"] = t.Endpoint
		drop["AWS_ENDPOINT_URL_KMS"] = true
	}
	if t.Kind != External {
		set["AWS_ACCESS_KEY_ID"] = localAccessKey
		set["AWS_SECRET_ACCESS_KEY"] = localSecretKey
		set["AWS_CONFIG_FILE"] = os.DevNull
		set["AWS_SHARED_CREDENTIALS_FILE"] = os.DevNull
		for _, k := range []string{"AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE"} {
			drop[k] = true
		}
	}
	out := env[:0:0]
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		if _, over := set[k]; over || drop[k] {
			continue
		}
		out = append(out, kv)
	}
	for k, v := range set {
		out = append(out, k+"="+v)
	}
	return out
}
