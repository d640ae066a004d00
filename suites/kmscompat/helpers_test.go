package kmscompat

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/smithy-go"
	"github.com/kmsconform/kmsconform/internal/kmstarget"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// env is one target as the specs of a Describe see it.
type env struct {
	kind kmstarget.Kind
	t    *kmstarget.Target
	c    *kms.Client
}

func (e *env) start() {
	t, err := getTarget(e.kind)
	Expect(err).NotTo(HaveOccurred(), "starting KMS target %s", e.kind)
	e.t, e.c = t, t.Client
}

// ctx returns a context that ends with the spec or after 2 minutes.
func (e *env) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	DeferCleanup(cancel)
	return ctx
}

// createKey creates a key that is scheduled for deletion when the spec
// ends (so that a run against real AWS leaves nothing behind).
func (e *env) createKey(in *kms.CreateKeyInput) *types.KeyMetadata {
	GinkgoHelper()
	if in.Description == nil {
		in.Description = aws.String("kmsconform compatibility suite")
	}
	out, err := e.c.CreateKey(e.ctx(), in)
	Expect(err).NotTo(HaveOccurred(), "CreateKey %s/%s", in.KeySpec, in.KeyUsage)
	Expect(out.KeyMetadata).NotTo(BeNil(), "CreateKey returned no KeyMetadata")
	id := aws.ToString(out.KeyMetadata.KeyId)
	c := e.c
	DeferCleanup(func() { scheduleDeletion(c, id) })
	return out.KeyMetadata
}

// key creates a key of the given spec and usage.
func (e *env) key(spec types.KeySpec, usage types.KeyUsageType) *types.KeyMetadata {
	GinkgoHelper()
	return e.createKey(&kms.CreateKeyInput{KeySpec: spec, KeyUsage: usage})
}

func scheduleDeletion(c *kms.Client, id string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, _ = c.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(id), PendingWindowInDays: aws.Int32(7)})
}

var (
	sharedMu   sync.Mutex
	sharedKeys = map[*kmstarget.Target]map[string]*types.KeyMetadata{}
)

// sharedKey returns a key of spec/usage shared by the specs of this target
// that only read it (asymmetric key generation is slow). Specs that change
// a key's state must use key.
func (e *env) sharedKey(spec types.KeySpec, usage types.KeyUsageType) *types.KeyMetadata {
	GinkgoHelper()
	sharedMu.Lock()
	defer sharedMu.Unlock()
	m := sharedKeys[e.t]
	if m == nil {
		m = map[string]*types.KeyMetadata{}
		sharedKeys[e.t] = m
	}
	name := string(spec) + "/" + string(usage)
	if k, ok := m[name]; ok {
		return k
	}
	out, err := e.c.CreateKey(e.ctx(), &kms.CreateKeyInput{KeySpec: spec, KeyUsage: usage, Description: aws.String("kmsconform compatibility suite (shared)")})
	Expect(err).NotTo(HaveOccurred(), "CreateKey %s/%s", spec, usage)
	m[name] = out.KeyMetadata
	return out.KeyMetadata
}

func cleanupSharedKeys(t *kmstarget.Target) {
	sharedMu.Lock()
	defer sharedMu.Unlock()
	for _, k := range sharedKeys[t] {
		scheduleDeletion(t.Client, aws.ToString(k.KeyId))
	}
	delete(sharedKeys, t)
}

// apiError asserts that err is an API error with the given code and
// returns it.
func apiError(err error, code string) smithy.APIError {
	GinkgoHelper()
	Expect(err).To(HaveOccurred(), "expected %s, the call succeeded", code)
	var ae smithy.APIError
	Expect(errors.As(err, &ae)).To(BeTrue(), "expected API error %s, got a transport error: %v", code, err)
	Expect(ae.ErrorCode()).To(Equal(code), "error code (full error: %v)", err)
	return ae
}

// expectError asserts code and exact message.
func expectError(err error, code, message string) {
	GinkgoHelper()
	ae := apiError(err, code)
	Expect(ae.ErrorMessage()).To(Equal(message), "%s message", code)
}

// httpStatus returns the HTTP status of an SDK error (0 if none).
func httpStatus(err error) int {
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// raw sends a JSON body to TrentService.<op> and returns the status and the
// decoded body.
func (e *env) raw(op string, body any) (int, map[string]any, *kmstarget.RawResponse) {
	GinkgoHelper()
	b, err := json.Marshal(body)
	Expect(err).NotTo(HaveOccurred())
	target := ""
	if op != "" {
		target = "TrentService." + op
	}
	resp, err := e.t.Raw(e.ctx(), target, b)
	Expect(err).NotTo(HaveOccurred(), "raw %s request", op)
	m, err := resp.JSON()
	Expect(err).NotTo(HaveOccurred(), "raw %s answer (HTTP %d)", op, resp.Status)
	return resp.Status, m, resp
}

// expectRawNoMessage sends a request that must fail with code and a body
// carrying no message field at all.
func (e *env) expectRawNoMessage(op string, body any, code string) {
	GinkgoHelper()
	status, m, _ := e.raw(op, body)
	Expect(status).To(Equal(400), "HTTP status of %s (body %v)", code, m)
	Expect(m["__type"]).To(HaveSuffix(code), "__type (body %v)", m)
	for _, f := range []string{"message", "Message"} {
		v, has := m[f]
		Expect(has && v != nil && v != "").To(BeFalse(), "AWS sends %s with no message; got %s=%v", code, f, v)
	}
}

// account returns the account of the target's keys.
func (e *env) account() string {
	GinkgoHelper()
	k := e.sharedKey(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
	return aws.ToString(k.AWSAccountId)
}

// tempDir is a spec-scoped directory (removed when the spec ends).
func tempDir() string { return GinkgoT().TempDir() }

// writeFile writes a 0600 file in dir and returns its path.
func writeFile(dir, name string, data []byte) string {
	GinkgoHelper()
	p := filepath.Join(dir, name)
	Expect(os.WriteFile(p, data, 0o600)).To(Succeed())
	return p
}

// openssl runs the host openssl in dir with a 30-second timeout and
// returns its stdout; a failure reports the command line and stderr.
func openssl(dir string, stdin []byte, args ...string) []byte {
	GinkgoHelper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, hostOpenSSL, args...)
	cmd.Dir = dir
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	Expect(err).NotTo(HaveOccurred(), "openssl %s\nstderr: %s", strings.Join(args, " "), errb.String())
	return out.Bytes()
}

// pemFromDER turns a DER SubjectPublicKeyInfo into PEM with openssl.
func pemFromDER(dir string, der []byte, name string) string {
	GinkgoHelper()
	in := writeFile(dir, name+".der", der)
	out := filepath.Join(dir, name+".pem")
	openssl(dir, nil, "pkey", "-pubin", "-inform", "DER", "-in", in, "-out", out)
	return out
}

// keyARN builds the ARN AWS prints for a key id in this target.
func (e *env) keyARN(id string) string {
	return fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", e.t.Region, e.account(), id)
}

// uniqueAlias returns an alias name no other spec uses.
func uniqueAlias(prefix string) string {
	return fmt.Sprintf("alias/kmsconform-%s-%d-%d", prefix, GinkgoParallelProcess(), time.Now().UnixNano())
}

// readFile reads a file the spec made.
func readFile(p string) []byte {
	GinkgoHelper()
	b, err := os.ReadFile(p)
	Expect(err).NotTo(HaveOccurred())
	return b
}
