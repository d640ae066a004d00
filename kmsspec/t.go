package kmsspec

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/smithy-go"
	"github.com/kmsconform/kmsconform/failclass"
	"github.com/kmsconform/kmsconform/internal/kmstarget"
)

// T is what a check gets: the client, a context that ends with the spec,
// and helpers that stop the spec with a failure message.
type T struct {
	// Ctx ends when the spec does (timeout or run cancelled).
	Ctx context.Context
	// C is the run's KMS client.
	C *kms.Client
	// Run is the run the spec belongs to.
	Run *Run

	mu       sync.Mutex
	cleanups []func()
	dir      string
}

// failNow stops a check: a failure with its class, or not applicable.
type failNow struct {
	msg   string
	class failclass.Class
	skip  bool
}

// Fatalf fails the spec with a message and stops it.
func (t *T) Fatalf(format string, args ...any) { t.fail(failclass.Other, format, args...) }

func (t *T) fail(c failclass.Class, format string, args ...any) {
	panic(failNow{msg: fmt.Sprintf(format, args...), class: c})
}

// Skipf makes the spec not applicable and stops it.
func (t *T) Skipf(format string, args ...any) {
	panic(failNow{msg: fmt.Sprintf(format, args...), skip: true})
}

// errClass names the class of an error a call returned.
func errClass(err error) failclass.Class {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return failclass.KMS(ae.ErrorCode())
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return failclass.Timeout
	}
	return failclass.KMSUnavailable
}

// Cleanup runs f when the spec ends, last registered first.
func (t *T) Cleanup(f func()) {
	t.mu.Lock()
	t.cleanups = append(t.cleanups, f)
	t.mu.Unlock()
}

func (t *T) cleanup() {
	t.mu.Lock()
	fs := t.cleanups
	t.cleanups = nil
	t.mu.Unlock()
	for i := len(fs) - 1; i >= 0; i-- {
		func() {
			defer func() { _ = recover() }()
			fs[i]()
		}()
	}
}

// OK fails the spec if err is not nil.
func (t *T) OK(err error, format string, args ...any) {
	if err != nil {
		t.fail(errClass(err), "%s: %v", fmt.Sprintf(format, args...), err)
	}
}

// True fails the spec unless cond holds.
func (t *T) True(cond bool, format string, args ...any) {
	if !cond {
		t.fail(failclass.Mismatch, format, args...)
	}
}

// Equal fails the spec unless got and want are deeply equal.
func (t *T) Equal(got, want any, what string, args ...any) {
	if !reflect.DeepEqual(got, want) {
		t.fail(failclass.Mismatch, "%s: got %s, want %s", fmt.Sprintf(what, args...), show(got), show(want))
	}
}

// show prints a value for a failure message; bytes as (shortened) hex.
func show(v any) string {
	switch x := v.(type) {
	case []byte:
		h := hex.EncodeToString(x)
		if len(h) > 96 {
			h = h[:96] + "..."
		}
		return fmt.Sprintf("%d bytes %s", len(x), h)
	case string:
		return fmt.Sprintf("%q", x)
	case *string:
		return fmt.Sprintf("%q", aws.ToString(x))
	}
	return fmt.Sprintf("%v", v)
}

// APIError fails the spec unless err is a KMS API error with code, and
// returns it.
func (t *T) APIError(err error, code string) smithy.APIError {
	if err == nil {
		t.fail(failclass.NotRefused, "expected %s, the call succeeded", code)
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.fail(errClass(err), "expected API error %s, got a transport error: %v", code, err)
	}
	if ae.ErrorCode() != code {
		t.fail(errClass(err), "error code: got %s, want %s (full error: %v)", ae.ErrorCode(), code, err)
	}
	return ae
}

// Error fails the spec unless err has code and exactly message ("" means
// no message).
func (t *T) Error(err error, code, message string) {
	ae := t.APIError(err, code)
	if ae.ErrorMessage() != message {
		t.fail(failclass.Mismatch, "%s message: got %q, want %q", code, ae.ErrorMessage(), message)
	}
}

// CreateKey creates a key tagged with the run id and scheduled for
// deletion at the end of the run.
func (t *T) CreateKey(in *kms.CreateKeyInput) *types.KeyMetadata {
	md, err := t.Run.createKey(t.Ctx, in)
	t.OK(err, "CreateKey %s/%s", in.KeySpec, in.KeyUsage)
	return md
}

// Key creates a key of spec and usage for this spec alone.
func (t *T) Key(spec types.KeySpec, usage types.KeyUsageType) *types.KeyMetadata {
	return t.CreateKey(&kms.CreateKeyInput{KeySpec: spec, KeyUsage: usage})
}

func (r *Run) createKey(ctx context.Context, in *kms.CreateKeyInput) (*types.KeyMetadata, error) {
	if in.Description == nil {
		in.Description = aws.String("kmsconform kms check " + r.ID)
	}
	in.Tags = append(in.Tags, types.Tag{TagKey: aws.String(RunTag), TagValue: aws.String(r.ID)})
	out, err := r.Client.CreateKey(ctx, in)
	if err != nil {
		return nil, err
	}
	if out.KeyMetadata == nil || out.KeyMetadata.KeyId == nil {
		return nil, errors.New("CreateKey returned no KeyMetadata.KeyId")
	}
	r.track(out.KeyMetadata)
	return out.KeyMetadata, nil
}

// track schedules the key md names for deletion when the run closes.
func (r *Run) track(md *types.KeyMetadata) {
	r.mu.Lock()
	r.created = append(r.created, aws.ToString(md.KeyId))
	r.mu.Unlock()
}

// tryCreateKey calls CreateKey with in exactly as given, for a spec that
// expects a refusal; a key created anyway is still scheduled for deletion.
func (t *T) tryCreateKey(in *kms.CreateKeyInput) error {
	out, err := t.C.CreateKey(t.Ctx, in)
	if err == nil && out.KeyMetadata != nil {
		t.Run.track(out.KeyMetadata)
	}
	return err
}

// Shared returns a key of spec and usage shared by the specs of the run
// that only read it (asymmetric key generation is slow). Specs that change
// a key's state must use Key.
func (t *T) Shared(spec types.KeySpec, usage types.KeyUsageType) *types.KeyMetadata {
	r := t.Run
	name := string(spec) + "/" + string(usage)
	r.mu.Lock()
	sk := r.shared[name]
	if sk == nil {
		sk = &sharedKey{}
		r.shared[name] = sk
	}
	r.mu.Unlock()
	sk.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		in := &kms.CreateKeyInput{KeySpec: spec, KeyUsage: usage, Description: aws.String("kmsconform kms check " + r.ID + " (shared)"),
			Tags: []types.Tag{{TagKey: aws.String(RunTag), TagValue: aws.String(r.ID)}}}
		out, err := r.Client.CreateKey(withRecorder(ctx, &recorder{}), in)
		if err == nil && (out.KeyMetadata == nil || out.KeyMetadata.KeyId == nil) {
			err = errors.New("CreateKey returned no KeyMetadata.KeyId")
		}
		if err != nil {
			sk.err = err
			return
		}
		sk.md = out.KeyMetadata
	})
	t.OK(sk.err, "CreateKey %s/%s (shared key)", spec, usage)
	return sk.md
}

var aliasSeq atomic.Int64

// Alias creates a fresh alias for keyID, deleted when the spec ends.
func (t *T) Alias(keyID string) string {
	name := fmt.Sprintf("alias/kmsconform-%s-%d", t.Run.ID, aliasSeq.Add(1))
	_, err := t.C.CreateAlias(t.Ctx, &kms.CreateAliasInput{AliasName: aws.String(name), TargetKeyId: aws.String(keyID)})
	t.OK(err, "CreateAlias %s", name)
	c := t.Run.Target.Client
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, _ = c.DeleteAlias(ctx, &kms.DeleteAliasInput{AliasName: aws.String(name)})
	})
	return name
}

// Account returns the account of the endpoint's keys.
func (t *T) Account() string {
	return aws.ToString(t.Shared(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt).AWSAccountId)
}

// KeyARN builds the ARN AWS prints for key id in the endpoint's region.
func (t *T) KeyARN(id string) string {
	return fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", t.Run.Target.Region, t.Account(), id)
}

// Region is the region the client signs for.
func (t *T) Region() string { return t.Run.Target.Region }

// Raw sends body as JSON to TrentService.op ("" omits X-Amz-Target) and
// returns the answer unparsed.
func (t *T) Raw(op string, body any) *kmstarget.RawResponse {
	b, ok := body.([]byte)
	if !ok {
		var err error
		b, err = json.Marshal(body)
		t.OK(err, "encoding a raw %s body", op)
	}
	target := ""
	if op != "" {
		target = "TrentService." + op
	}
	resp, err := t.Run.Target.Raw(t.Ctx, target, b)
	t.OK(err, "raw %s request", op)
	return resp
}

// RawJSON is Raw with the answer decoded as a JSON object.
func (t *T) RawJSON(op string, body any) (int, map[string]any, *kmstarget.RawResponse) {
	resp := t.Raw(op, body)
	m, err := resp.JSON()
	t.OK(err, "raw %s answer (HTTP %d)", op, resp.Status)
	return resp.Status, m, resp
}

// RawNoMessage sends a request that must fail with code and a body
// carrying no message at all.
func (t *T) RawNoMessage(op string, body any, code string) {
	status, m, _ := t.RawJSON(op, body)
	t.Equal(status, 400, "HTTP status of %s (body %v)", code, m)
	typ, _ := m["__type"].(string)
	t.True(strings.HasSuffix(typ, code), "__type: got %q, want %s (body %v)", typ, code, m)
	for _, f := range []string{"message", "Message"} {
		if v, has := m[f]; has && v != nil && v != "" {
			t.fail(failclass.Mismatch, "AWS sends %s with no message; got %s=%v", code, f, v)
		}
	}
}

// TempDir returns a directory removed when the spec ends.
func (t *T) TempDir() string {
	if t.dir == "" {
		d, err := os.MkdirTemp("", "kmsspec-")
		t.OK(err, "temporary directory")
		t.dir = d
		t.Cleanup(func() { os.RemoveAll(d) })
	}
	return t.dir
}

// WriteFile writes a 0600 file in the spec's directory and returns its path.
func (t *T) WriteFile(name string, data []byte) string {
	p := filepath.Join(t.TempDir(), name)
	t.OK(os.WriteFile(p, data, 0o600), "writing %s", name)
	return p
}

// ReadFile reads a file of the spec's directory.
func (t *T) ReadFile(p string) []byte {
	b, err := os.ReadFile(p)
	t.OK(err, "reading %s", p)
	return b
}

// OpenSSL runs the host openssl in the spec's directory (30 s timeout)
// and returns its stdout; a failure names the command line and stderr.
func (t *T) OpenSSL(stdin []byte, args ...string) []byte {
	if t.Run.opts.OpenSSL == "" {
		t.Skipf("no openssl on PATH")
	}
	ctx, cancel := context.WithTimeout(t.Ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, t.Run.opts.OpenSSL, args...)
	cmd.Dir = t.TempDir()
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("openssl %s: %v\nstderr: %s", strings.Join(args, " "), err, errb.String())
	}
	return out.Bytes()
}

// PEMFromDER turns a DER SubjectPublicKeyInfo into a PEM file with openssl.
func (t *T) PEMFromDER(der []byte, name string) string {
	in := t.WriteFile(name+".der", der)
	out := filepath.Join(t.TempDir(), name+".pem")
	t.OpenSSL(nil, "pkey", "-pubin", "-inform", "DER", "-in", in, "-out", out)
	return out
}

// PublicKey returns a key's DER SubjectPublicKeyInfo from GetPublicKey.
func (t *T) PublicKey(md *types.KeyMetadata) []byte {
	out, err := t.C.GetPublicKey(t.Ctx, &kms.GetPublicKeyInput{KeyId: md.KeyId})
	t.OK(err, "GetPublicKey")
	return out.PublicKey
}

// PublicKeyPEM is PublicKey written as a PEM file by openssl.
func (t *T) PublicKeyPEM(md *types.KeyMetadata) string {
	return t.PEMFromDER(t.PublicKey(md), "kms_public")
}

// OtherRegion returns a client for the same endpoint signing for another
// region, and that region.
func (t *T) OtherRegion() (*kms.Client, string) {
	region := "eu-west-1"
	if t.Region() == region {
		region = "us-west-2"
	}
	return kms.New(t.C.Options(), func(o *kms.Options) { o.Region = region }), region
}

// SameSet reports whether got and want hold the same elements.
func SameSet[E comparable](got, want []E) bool {
	if len(got) != len(want) {
		return false
	}
	n := map[E]int{}
	for _, g := range got {
		n[g]++
	}
	for _, w := range want {
		n[w]--
		if n[w] < 0 {
			return false
		}
	}
	return true
}
