// Package kmscompat holds the KMS compatibility specs: one set of Ginkgo
// specs, through aws-sdk-go-v2, the aws CLI and boto3, run against every
// target named by $KMSCONFORM_KMS_TARGET (see internal/kmstarget).
//
// The expectations come from AWS's documented and recorded behaviour
// (codes, exact messages, which errors carry no message), never from any
// one implementation. Under plain `go test` the targets are the fake
// in-process and the fake as a process, and every spec must pass; `make
// kms-compat` adds moto, whose failures are the point of the comparison.
//
// Labels: op:<Operation> for each KMS operation a spec calls for its
// purpose, topic:<area> (keys, aliases, rsa-oaep, symmetric, datakeys,
// ecdh, states, sign, random, import, wire, cli, boto3).
package kmscompat

import (
	"context"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/kmsconform/kmsconform/internal/kmstarget"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// kinds are the targets the specs run against, resolved from the
// environment when the spec tree is built.
var kinds, kindsErr = kmstarget.FromEnv(kmstarget.Fake, kmstarget.FakeProcess)

// hostOpenSSL is the real openssl binary the specs encrypt and derive with.
var hostOpenSSL string

func TestKMSCompat(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "KMS compatibility")
}

var _ = BeforeSuite(func() {
	Expect(kindsErr).NotTo(HaveOccurred())
	p, err := exec.LookPath("openssl")
	Expect(err).NotTo(HaveOccurred(), "the KMS compatibility suite needs the host's openssl on PATH (apt-get install openssl)")
	hostOpenSSL = p
})

var _ = AfterSuite(func() {
	closeTargets()
})

// One Describe per target; every topic adds its specs under it.
var _ = func() bool {
	for _, k := range kinds {
		k := k
		Describe("["+string(k)+"]", Label("target:"+string(k)), func() {
			e := &env{kind: k}
			BeforeEach(func() { e.start() })
			for _, add := range topics {
				add(e)
			}
		})
	}
	return true
}()

// topics are the functions that declare each topic's specs for one target.
var topics []func(*env)

// addTopic registers a topic's spec-declaring function (from init).
func addTopic(f func(*env)) { topics = append(topics, f) }

var (
	targetsMu sync.Mutex
	targets   = map[kmstarget.Kind]*kmstarget.Target{}
	startErrs = map[kmstarget.Kind]error{}
)

// getTarget starts the target of kind k on first use and shares it among
// the specs; a start failure is remembered and fails every spec of k.
func getTarget(k kmstarget.Kind) (*kmstarget.Target, error) {
	targetsMu.Lock()
	defer targetsMu.Unlock()
	if t, ok := targets[k]; ok {
		return t, nil
	}
	if err, ok := startErrs[k]; ok {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	t, err := kmstarget.Start(ctx, kmstarget.Options{Kind: k})
	if err != nil {
		startErrs[k] = err
		return nil, err
	}
	targets[k] = t
	return t, nil
}

func closeTargets() {
	targetsMu.Lock()
	defer targetsMu.Unlock()
	for k, t := range targets {
		cleanupSharedKeys(t)
		Expect(t.Close()).To(Succeed(), "closing target %s", k)
		delete(targets, k)
	}
}
