// Package kmscompat runs the KMS compatibility specs of package kmsspec as
// Ginkgo specs against every target named by $KMSCONFORM_KMS_TARGET (see
// internal/kmstarget): one Entry per spec of the table, with its labels.
// The table is the only copy of the specs: `kmsconform kms check` and the
// conformance package iterate it too.
//
// The expectations come from AWS's documented and recorded behaviour
// (codes, exact messages, which errors carry no message), never from any
// one implementation. Under plain `go test` the targets are the fake
// in-process and the fake as a process, and every spec must pass.
//
// Labels: target:<kind>, topic:<area> and op:<Operation> for each KMS
// operation a spec calls for its purpose.
package kmscompat

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kmsconform/kmsconform/internal/kmstarget"
	"github.com/kmsconform/kmsconform/kmsspec"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// kinds are the targets the specs run against, resolved from the
// environment when the spec tree is built.
var kinds, kindsErr = kmstarget.FromEnv(kmstarget.Fake, kmstarget.FakeProcess)

func TestKMSCompat(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "KMS compatibility")
}

var _ = BeforeSuite(func() {
	Expect(kindsErr).NotTo(HaveOccurred())
})

var _ = AfterSuite(func() {
	closeRuns()
})

// One Describe per target, one Entry per spec of the table.
var _ = func() bool {
	for _, k := range kinds {
		var entries []TableEntry
		for _, s := range kmsspec.Specs() {
			entries = append(entries, Entry(s.ID+": "+s.Title, Label(s.Labels()...), s))
		}
		Describe("["+string(k)+"]", Label("target:"+string(k)), func() {
			DescribeTable("KMS spec", func(s *kmsspec.Spec) {
				// The aws CLI and boto3 scripts are slow (a process per
				// step): when the fake runs both in-process and as a
				// process, they run against the process only.
				if k == kmstarget.Fake && slices.Contains(kinds, kmstarget.FakeProcess) && slices.Contains(s.Needs, kmsspec.NeedScripts) {
					Skip("the script specs run against fake-process")
				}
				run, err := getRun(k)
				Expect(err).NotTo(HaveOccurred(), "starting KMS target %s", k)
				res := run.RunOne(context.Background(), s)
				switch res.Status {
				case kmsspec.Skipped:
					Skip(res.Message)
				case kmsspec.Failed:
					Fail(res.Message + "\nAWS: " + s.AWS + "\nsource: " + s.Source)
				}
			}, entries)
		})
	}
	return true
}()

var (
	runsMu    sync.Mutex
	runs      = map[kmstarget.Kind]*kmsspec.Run{}
	startErrs = map[kmstarget.Kind]error{}
)

// getRun starts the target of kind k on first use and shares one run
// (and its keys) among the specs; a start failure is remembered and fails
// every spec of k.
func getRun(k kmstarget.Kind) (*kmsspec.Run, error) {
	runsMu.Lock()
	defer runsMu.Unlock()
	if r, ok := runs[k]; ok {
		return r, nil
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
	runs[k] = kmsspec.NewRun(t, kmsspec.Options{})
	return runs[k], nil
}

func closeRuns() {
	runsMu.Lock()
	defer runsMu.Unlock()
	for k, r := range runs {
		Expect(r.Close()).To(Succeed(), "cleaning up the keys of %s", k)
		Expect(r.Target.Close()).To(Succeed(), "closing target %s", k)
		delete(runs, k)
	}
}
