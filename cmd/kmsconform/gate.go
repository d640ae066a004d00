package main

import (
	"os"
	"time"

	"github.com/kmsconform/kmsconform/flows"
	"github.com/kmsconform/kmsconform/gate"
	"github.com/kmsconform/kmsconform/internal/cli"
)

// gateFlags are --gate FILE and --strict, shared by every command that
// judges cells (run, runbook, kms check, partner).
type gateFlags struct {
	path   *string
	strict *bool
	file   *gate.File
}

// addGateFlags defines --gate and --strict on fs.
func addGateFlags(fs *cli.Flags) *gateFlags {
	g := &gateFlags{
		path:   fs.String("gate", "", "gate file (YAML): reviewed, expiring allowances for known failures; it may also name engines, flows, the endpoint and region"),
		strict: fs.Bool("strict", false, "with --gate, stale allowances (matching nothing, or only cells that pass) fail the command"),
	}
	fs.Meta("gate", "FILE")
	return g
}

// load reads the gate file, if one was named; a bad file is a usage error
// naming FILE:LINE.
func (g *gateFlags) load() error {
	if *g.path == "" {
		return nil
	}
	f, err := gate.Load(*g.path)
	if err != nil {
		return cli.Usage(err.Error(), "a gate file is `allow: [{id: GLOB, reason: TEXT, until: YYYY-MM-DD}]`, with optional engines, flows, endpoint and region (see README, Gate files)")
	}
	g.file = f
	return nil
}

// apply marks the unexpected cells of rep that a live allowance covers as
// allowed, warns about stale allowances and returns them.
func (g *gateFlags) apply(rep *flows.Report) []gate.Stale {
	stale := g.file.ApplyReport(rep, time.Now())
	for _, s := range stale {
		cli.Warnf(os.Stderr, "%s: %s", *g.path, s)
	}
	return stale
}

// staleErr is the failure --strict makes of stale allowances, or nil.
func (g *gateFlags) staleErr(stale []gate.Stale) error {
	if !*g.strict || len(stale) == 0 {
		return nil
	}
	return cli.Failure(gate.StaleError(*g.path, stale).Error(), "remove the stale allowances (or drop --strict)")
}
