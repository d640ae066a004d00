package flows

import (
	"context"
	"errors"
	"io/fs"
	"net"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/smithy-go"

	"github.com/kmsconform/kmsconform/failclass"
	"github.com/kmsconform/kmsconform/internal/kmstarget"
	"github.com/kmsconform/kmsconform/internal/preflight"
)

// DefaultRegion is the region used for the in-process fake and when the
// environment names none.
const DefaultRegion = kmstarget.DefaultRegion

// KMS is the KMS side of a run: a client, where it points, and the keys
// shared by every cell (created once per key spec: RSA key generation is
// the slow part of a run).
type KMS struct {
	// Client is the aws-sdk-go-v2 client every KMS step uses.
	Client *kms.Client
	// Endpoint is the URL (for the in-process fake, its loopback listener;
	// empty when the SDK resolves AWS itself).
	Endpoint string
	// Label describes the endpoint in reports.
	Label string
	// Server is the HTTP Server header of the KMS's answer to the
	// pre-flight ListKeys ("not stated" when absent: AWS sends none).
	Server string
	// Warning is the pre-flight's doubt about the endpoint, if any.
	Warning string
	// Region is the region the client signs for.
	Region string

	mu     sync.Mutex
	shared map[string]*sharedValue
	target *kmstarget.Target
}

type sharedValue struct {
	once sync.Once
	val  any
	err  error
}

// OpenKMS connects to the KMS at endpoint with the standard AWS credential
// chain, or, when endpoint is empty, starts the in-process fake on a
// loopback listener with fixed local credentials (both through
// internal/kmstarget). It then checks that a KMS answers (a pre-flight
// ListKeys): a closed port or a server that is not a KMS is a
// *preflight.Error. Close releases it.
func OpenKMS(ctx context.Context, endpoint string) (*KMS, error) {
	o := kmstarget.Options{Kind: kmstarget.Fake, Region: DefaultRegion, MaxConns: 64}
	if endpoint != "" {
		// A real KMS may throttle: the SDK's standard retries.
		o = kmstarget.Options{Kind: kmstarget.External, Endpoint: endpoint, Retries: 3, MaxConns: 64}
	}
	t, err := kmstarget.Start(ctx, o)
	if err != nil {
		if endpoint == "" {
			return nil, &preflight.Error{Check: "kms", Msg: "cannot start the in-process KMS fake", Err: err,
				Hint: "it listens on a free 127.0.0.1 port: check that loopback TCP works here"}
		}
		return nil, &preflight.Error{Check: "kms", Msg: "cannot configure an AWS KMS client for " + endpoint, Err: err,
			Hint: "check AWS_REGION, AWS_PROFILE and your AWS configuration files"}
	}
	k := &KMS{Client: t.Client, Endpoint: t.Endpoint, Region: t.Region, target: t, shared: map[string]*sharedValue{}, Label: endpoint}
	if endpoint == "" {
		k.Label = "kmsconform in-process fake (" + t.Endpoint + ")"
	}
	info, err := preflight.KMS(ctx, t.Client, endpoint)
	if err != nil {
		t.Close()
		return nil, err
	}
	k.Server, k.Warning = info.Server, info.Warning
	return k, nil
}

// Env is the environment for a child process (the aws CLI, a runbook) that
// must talk to this KMS: the endpoint, the region and, for the in-process
// fake, fixed local credentials with the user's AWS files hidden.
func (k *KMS) Env() []string { return k.target.Env() }

// Close stops the in-process fake, if one was started.
func (k *KMS) Close() error { return k.target.Close() }

// Shared returns the value made by make for key, making it once per run
// (concurrent callers wait for the first).
func (k *KMS) Shared(key string, make func() (any, error)) (any, error) {
	k.mu.Lock()
	s, ok := k.shared[key]
	if !ok {
		s = &sharedValue{}
		k.shared[key] = s
	}
	k.mu.Unlock()
	s.once.Do(func() { s.val, s.err = make() })
	return s.val, s.err
}

// CreateKey creates a KMS key of spec and usage (and origin, "" for AWS_KMS).
func (k *KMS) CreateKey(ctx context.Context, spec, usage, origin string) (string, error) {
	in := &kms.CreateKeyInput{KeySpec: types.KeySpec(spec), KeyUsage: types.KeyUsageType(usage), Description: aws.String("kmsconform flows")}
	if origin != "" {
		in.Origin = types.OriginType(origin)
	}
	out, err := k.Client.CreateKey(ctx, in)
	if err != nil {
		return "", err
	}
	return aws.ToString(out.KeyMetadata.KeyId), nil
}

// kmsErrorClass names a failed KMS call: the class of its AWS error code,
// Interrupted when the run was cancelled, Timeout past a deadline,
// FileNotFound for a missing input file, KMSUnavailable when the KMS did
// not answer.
func kmsErrorClass(ctx context.Context, err error) failclass.Class {
	var ae smithy.APIError
	switch {
	case ctx.Err() != nil || errors.Is(err, context.Canceled):
		return failclass.Interrupted
	case errors.As(err, &ae):
		return failclass.KMS(ae.ErrorCode())
	case errors.Is(err, context.DeadlineExceeded):
		return failclass.Timeout
	case errors.Is(err, fs.ErrNotExist):
		return failclass.FileNotFound
	}
	var ne net.Error
	var oe *net.OpError
	if errors.As(err, &oe) || errors.As(err, &ne) {
		return failclass.KMSUnavailable
	}
	return failclass.Other
}

// apiReason turns an SDK error into "Code: message", the form expectations match.
func apiReason(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		if ae.ErrorMessage() == "" {
			return ae.ErrorCode()
		}
		return ae.ErrorCode() + ": " + ae.ErrorMessage()
	}
	return err.Error()
}
