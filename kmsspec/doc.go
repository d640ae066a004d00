// Package kmsspec is the table of KMS compatibility specs: what AWS KMS
// does, where that is recorded, and a check that asks any endpoint through
// aws-sdk-go-v2 whether it does the same.
//
// The table is data compiled into the binary. `kmsconform kms check`, the
// Ginkgo suite in suites/kmscompat and the conformance package all iterate
// the same Specs(); spec ids are stable because gate files name them.
//
// A check gets a *T: a KMS client, a per-spec context and helpers that
// fail the spec with a message. Every key a check creates is tagged with
// the run id (tag "kmsconform-run") and scheduled for deletion when the run
// is closed, so a run against real AWS leaves nothing behind but keys
// pending deletion.
//
// RunAll runs Options.Parallel specs at once, starting the slow ones first
// (scripts, then the specs that wait for an RSA_4096 or RSA_3072 key) and,
// among equally slow ones, the topics in turn, so that the endpoint makes
// the run's distinct large keys at the same time. Asymmetric keys that a
// spec only reads are shared by the run (T.Shared); a spec creates its own
// key only when it changes the key's state or tests creation itself.
package kmsspec
