// Package preflight checks, before any cell or case runs, that a run can
// work at all: the KMS answers with the given credentials, the report
// directory is writable, and each openssl engine can be opened (Docker and
// the image, for container engines). A failing check is an environment
// problem (exit 3), never a conformance failure, so front ends (run,
// runbook, kms check, partner) call these first and stop on the first
// error, which names what was checked and what to do.
package preflight

import (
	"errors"
	"fmt"

	"github.com/kmsconform/kmsconform/internal/cli"
)

// Error is a failed check: what was checked, what was found, and a hint.
type Error struct {
	// Check names what was checked: "kms", "report", "engine".
	Check string
	// Msg says what was found, naming the endpoint, directory or engine.
	Msg string
	// Hint says what to do about it.
	Hint string
	// Err is the underlying error, if any.
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Msg, e.Err)
	}
	return e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

// CLI turns err into the command-line error every front end prints: a
// pre-flight *Error becomes a setup error (exit 3) with its hint; any
// other error is returned as it is.
func CLI(err error) error {
	var pe *Error
	if errors.As(err, &pe) {
		return &cli.Error{Code: cli.ExitSetup, Msg: pe.Error(), Hint: pe.Hint}
	}
	return err
}
