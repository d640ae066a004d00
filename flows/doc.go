// Package flows defines every documented openssl ⇄ AWS KMS flow once, as
// steps over three roles — the producer's openssl (the partner side), the
// consumer's openssl (the owner side) and a KMS — and runs them as cells:
// one flow × parameter case × producer engine × consumer engine.
//
// A reader finds each flow in one file (flow01_*.go … flow09_*.go) and sees
// from it every command it runs. Expectations are data (Expectation, Rule,
// Need): a cell must pass, must fail with one of named failure classes
// (package failclass: bad-decrypt, invalid-ciphertext, mismatch, ...), or is
// not applicable for a stated reason decided from the engines' compat
// profiles. Every failing step records its class: openssl's from its whole
// stderr, a KMS call's from the error code, the harness's own (mismatch).
// The outcome of every cell is a Cell (result.go), JSON-serialisable, which
// the Ginkgo suite, `kmsconform run`, the container matrix and reports share.
// Run returns every planned cell; when the run is cancelled, the cells that
// did not finish are Interrupted, never Unexpected.
package flows
