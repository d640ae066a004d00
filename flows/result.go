package flows

import (
	"encoding/json"
	"time"
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

// The verdicts. Only Unexpected makes a run fail.
const (
	ExpectedPass Verdict = "expected-pass"
	ExpectedFail Verdict = "expected-fail"
	Unexpected   Verdict = "unexpected"
	Skipped      Verdict = "n/a"
)

// Expectation is what a cell must do: pass, fail with one of Reasons (a
// substring of the failing step's stderr or the KMS error code), or be not
// applicable. Why explains it in one sentence for reports.
type Expectation struct {
	Outcome Outcome  `json:"outcome"`
	Reasons []string `json:"reasons,omitempty"`
	Why     string   `json:"why,omitempty"`
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
}

// EngineInfo describes one engine of a run for the report header.
type EngineInfo struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Profile string `json:"profile"`
}

// Report is everything a run produced: DIR/results.json.
type Report struct {
	// Started is when the run began; Duration its wall time.
	Started  time.Time    `json:"started"`
	Duration Duration     `json:"duration_ms"`
	Engines  []EngineInfo `json:"engines"`
	// KMS is the endpoint used ("in-process fake" or a URL).
	KMS string `json:"kms"`
	// Shard is "I/N" when the run is a slice of the cells.
	Shard string `json:"shard,omitempty"`
	Cells []Cell `json:"cells"`
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

// Unexpected reports whether any cell of r has an unexpected verdict.
func (r *Report) Unexpected() int {
	n := 0
	for _, c := range r.Cells {
		if c.Verdict == Unexpected {
			n++
		}
	}
	return n
}
