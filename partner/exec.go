package partner

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// invocation is one run of the tool: the files it is given and those it
// must write, by placeholder.
type invocation struct {
	inputs  map[string][]byte
	outputs []string
	// watchCaller lists the caller's directory before and after the run
	// to name files the tool wrote there (only for runs not in parallel).
	watchCaller bool
}

// execution is what one invocation did.
type execution struct {
	run
	outs map[string][]byte // placeholder → the non-empty file the tool wrote
	// missing are the outputs not created ("{out} (not created)") or
	// left empty.
	missing []string
	// strays are files the tool wrote that are not its outputs.
	strays []string
}

// caseDirLabel replaces a case's temporary directory in the command shown.
const caseDirLabel = "$CASE_DIR"

// execute writes the inputs into a fresh temporary directory, runs the
// tool in the caller's directory with the placeholders naming those
// files, and reads back what it wrote. The directory is removed.
func (o *Options) execute(ctx context.Context, inv invocation) (execution, error) {
	dir, err := os.MkdirTemp("", "kmsconform-partner-")
	if err != nil {
		return execution{}, err
	}
	defer os.RemoveAll(dir)
	vals := map[string]string{}
	for ph, data := range inv.inputs {
		vals[ph] = filepath.Join(dir, fileNames[ph])
		if err := os.WriteFile(vals[ph], data, 0o600); err != nil {
			return execution{}, err
		}
	}
	for _, ph := range inv.outputs {
		vals[ph] = filepath.Join(dir, fileNames[ph])
	}
	var before map[string]time.Time
	if inv.watchCaller {
		before = listDir(o.Dir)
	}
	e := execution{run: runTool(ctx, o.Dir, expand(o.command, vals), o.Timeout), outs: map[string][]byte{}}
	e.Command = strings.ReplaceAll(e.Command, dir, caseDirLabel)
	for _, ph := range inv.outputs {
		b, err := os.ReadFile(vals[ph])
		switch {
		case err != nil:
			e.missing = append(e.missing, ph+" (not created)")
		case len(b) == 0:
			e.missing = append(e.missing, ph+" (left empty)")
		default:
			e.outs[ph] = b
		}
	}
	known := map[string]bool{}
	for _, p := range vals {
		known[filepath.Base(p)] = true
	}
	for name := range listDir(dir) {
		if !known[name] {
			e.strays = append(e.strays, filepath.Join(caseDirLabel, name))
		}
	}
	if inv.watchCaller {
		for name, mt := range listDir(o.Dir) {
			if old, ok := before[name]; !ok || !old.Equal(mt) {
				e.strays = append(e.strays, filepath.Join(o.Dir, name))
			}
		}
	}
	sort.Strings(e.strays)
	return e, nil
}

// listDir maps the names in dir to their modification times.
func listDir(dir string) map[string]time.Time {
	out := map[string]time.Time{}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return out
	}
	for _, de := range ents {
		if fi, err := de.Info(); err == nil {
			out[de.Name()] = fi.ModTime()
		}
	}
	return out
}

// outputProblem names what the tool did instead of writing its outputs,
// or "" when it wrote them all.
func (e execution) outputProblem() string {
	if len(e.missing) == 0 {
		return ""
	}
	msg := "the tool exited 0 but " + strings.Join(e.missing, " and ")
	switch {
	case e.StdoutBytes > 0:
		msg += fmt.Sprintf("; it printed %d bytes to stdout instead: it must write to the file its placeholder names, not to stdout", e.StdoutBytes)
	case len(e.strays) > 0:
		msg += fmt.Sprintf("; it wrote %s instead: it must write to the file its placeholder names", strings.Join(e.strays, ", "))
	default:
		msg += "; it wrote nothing at all"
	}
	return msg
}
