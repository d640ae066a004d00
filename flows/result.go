package flows

import (
	"encoding/json"
	"time"

	"github.com/kmsconform/kmsconform/failclass"
)

// Outcome is what a cell did or was expected to do.
type Outcome string

// The outcomes of a cell.
const (
	// Pass: every step succeeded and the bytes compared equal.
	Pass Outcome = "pass"
	// Fail: a step failed (exit code, KMS error) or bytes differed.
	Fail Outcome = "fail"
	// NotApplicable: the cell cannot run with these engines (see Reason).
	NotApplicable Outcome = "n/a"
)

// Verdict classifies a cell's actual outcome against its expectation.
type Verdict string

// The verdicts. Only Unexpected makes a run fail; Interrupted makes it
// exit 130.
const (
	ExpectedPass Verdict = "expected-pass"
	ExpectedFail Verdict = "expected-fail"
	Unexpected   Verdict = "unexpected"
	Skipped      Verdict = "n/a"
	// Interrupted: the run was cancelled before this cell finished; it says
	// nothing about conformance.
	Interrupted Verdict = "interrupted"
	// Allowed: unexpected, but a gate file's allowance covers it
	// (Cell.Allowance says which).
	Allowed Verdict = "allowed"
)

// Expectation is what a cell must do: pass, fail with one of Classes (the
// failclass of the first failing step: openssl's stderr, the KMS error
// code, or a harness observation such as mismatch), or be not applicable.
// Why explains it in one sentence for reports.
type Expectation struct {
	Outcome Outcome `json:"outcome"`
	// Classes are the failure classes a Fail expectation accepts; empty
	// accepts any failure.
	Classes []failclass.Class `json:"classes,omitempty"`
	Why     string            `json:"why,omitempty"`
}

// Param is one bracketed parameter of a flow, e.g. key_spec=RSA_2048.
type Param struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Role names who runs a step.
type Role string

// The roles of a step.
const (
	Producer Role = "producer" // the partner's openssl
	Consumer Role = "consumer" // the owner's openssl
	KMSRole  Role = "kms"      // an AWS KMS API call
	Harness  Role = "harness"  // file handling the seed does with shell tools
)

// Step is one command run by a cell, recorded so that a person can
// reproduce it by hand.
type Step struct {
	// Role is who ran it; Engine names the openssl engine for openssl steps.
	Role   Role   `json:"role"`
	Engine string `json:"engine,omitempty"`
	// Phase is "run" for the flow itself and "fix" for the documented fix.
	Phase string `json:"phase"`
	// Command is the shell line: `openssl enc -d ...`, `aws kms decrypt ...`.
	Command string `json:"command"`
	// ExitCode is openssl's exit code (0 for KMS and harness steps that worked).
	ExitCode int `json:"exit_code"`
	// Stdout and Stderr are excerpts (at most 2 KiB each; binary as hex).
	Stdout string `json:"stdout,omitempty"`
	Stderr string `json:"stderr,omitempty"`
	// Error is the failure this step caused, if any (KMS error code and message, ...).
	Error string `json:"error,omitempty"`
	// Class names why the step failed (failclass), when it failed.
	Class failclass.Class `json:"class,omitempty"`
	// Expected says that this step was meant to be refused (a limit, a refusal).
	Expected string `json:"expected_refusal,omitempty"`
	// Duration is the step's wall time.
	Duration Duration `json:"duration_ms"`
}

// Actual is what a cell did.
type Actual struct {
	Outcome Outcome `json:"outcome"`
	// Reason is the failure text (stderr line, KMS error code, "plaintext mismatch").
	Reason string `json:"reason,omitempty"`
	// Class names the failure (failclass): bad-decrypt, invalid-ciphertext, ...
	Class failclass.Class `json:"class,omitempty"`
	// FixOutcome is the outcome of the documented fix, when one was run.
	FixOutcome Outcome `json:"fix_outcome,omitempty"`
	// FixReason is why the fix failed.
	FixReason string `json:"fix_reason,omitempty"`
}

// Cell is the result of one flow × case × producer × consumer.
type Cell struct {
	// ID is stable across runs: "1/RSA_2048/host>oracle".
	ID        string  `json:"id"`
	Flow      int     `json:"flow"`
	FlowTitle string  `json:"flow_title"`
	Seed      string  `json:"seed"`
	Case      string  `json:"case"`
	Params    []Param `json:"params,omitempty"`
	Producer  string  `json:"producer"`
	Consumer  string  `json:"consumer"`
	// Expected and Actual outcome, and the Verdict comparing them.
	Expected Expectation `json:"expected"`
	Actual   Actual      `json:"actual"`
	Verdict  Verdict     `json:"verdict"`
	// Message explains an unexpected verdict in one sentence.
	Message string `json:"message,omitempty"`
	// Steps are every command run, in order.
	Steps []Step `json:"steps,omitempty"`
	// Diff is a hex diff of the bytes that differed (expected vs got).
	Diff string `json:"diff,omitempty"`
	// Duration is the cell's wall time.
	Duration Duration `json:"duration_ms"`
	// StandIn is true when the producer or consumer is a stand-in compat
	// profile (no real binary of that line ran: 1.0.2, LibreSSL).
	StandIn bool `json:"stand_in,omitempty"`
	// Allowance explains an Allowed verdict: "reason (until DATE)".
	Allowance string `json:"allowance,omitempty"`
	// Work is the kept work directory of a failing cell, relative to the
	// report directory ("work/CELL"), when it was kept.
	Work string `json:"work,omitempty"`
	// Diagnosis is doctor's verdict on a failing cell's kept files.
	Diagnosis string `json:"diagnosis,omitempty"`
}

// EngineInfo describes one engine of a run for the report header, with the
// evidence an auditor needs to tell exactly what ran.
type EngineInfo struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Profile string `json:"profile"`
	// StandIn is true when the engine is a stand-in profile, not a real binary.
	StandIn bool `json:"stand_in,omitempty"`
	// VersionAll is `openssl version -a`.
	VersionAll string `json:"version_all,omitempty"`
	// SHA256 is the openssl binary's digest (host and image engines).
	SHA256 string `json:"sha256,omitempty"`
	// Image and ImageID name the container image, for container engines.
	Image   string `json:"image,omitempty"`
	ImageID string `json:"image_id,omitempty"`
	// Warning says what a reader should know (nearest profile chosen, ...).
	Warning string `json:"warning,omitempty"`
}

// Report is everything a run produced: DIR/results.json.
type Report struct {
	// Started is when the run began; Duration its wall time.
	Started  time.Time    `json:"started"`
	Duration Duration     `json:"duration_ms"`
	Engines  []EngineInfo `json:"engines"`
	// KMS is the endpoint used ("in-process fake" or a URL).
	KMS string `json:"kms"`
	// KMSEndpoint and KMSRegion are what the aws CLI lines of the report
	// need to be replayed: `AWS_ENDPOINT_URL=... AWS_REGION=... aws kms ...`
	// (KMSEndpoint is empty when the SDK's own resolution, i.e. AWS, was used).
	KMSEndpoint string `json:"kms_endpoint,omitempty"`
	KMSRegion   string `json:"kms_region,omitempty"`
	// KMSServer is the KMS's HTTP Server header ("not stated" when absent).
	KMSServer string `json:"kms_server,omitempty"`
	// Tool is kmsconform's own version and VCS revision.
	Tool string `json:"tool,omitempty"`
	// Shard is "I/N" when the run is a slice of the cells.
	Shard string `json:"shard,omitempty"`
	// Planned is how many cells the run meant to run; Interrupted is true
	// when it was cancelled before all of them finished.
	Planned     int    `json:"planned,omitempty"`
	Interrupted bool   `json:"interrupted,omitempty"`
	Cells       []Cell `json:"cells"`
}

// Duration is a time.Duration serialised as fractional milliseconds.
type Duration time.Duration

// MarshalJSON writes milliseconds.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(float64(time.Duration(d).Microseconds()) / 1000)
}

// UnmarshalJSON reads milliseconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var ms float64
	if err := json.Unmarshal(b, &ms); err != nil {
		return err
	}
	*d = Duration(time.Duration(ms * float64(time.Millisecond)))
	return nil
}

// Unexpected returns how many cells of r have an unexpected verdict.
func (r *Report) Unexpected() int { return r.Count(Unexpected) }

// Count returns how many cells of r have verdict v.
func (r *Report) Count(v Verdict) int {
	n := 0
	for _, c := range r.Cells {
		if c.Verdict == v {
			n++
		}
	}
	return n
}
