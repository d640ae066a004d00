package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/kmsconform/kmsconform/flows"
	"github.com/kmsconform/kmsconform/render"
)

func init() {
	register("report", "report merge: join the results of matrix slices (--shard, CI jobs) into one report", reportCmd)
}

// reportCmd is `kmsconform report merge --out DIR SLICE_DIR...`.
func reportCmd(args []string) int {
	if len(args) == 0 || args[0] != "merge" {
		return runUsageError("report needs a subcommand", "kmsconform report merge --out DIR SLICE_DIR...")
	}
	fs := flag.NewFlagSet("kmsconform report merge", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	out := fs.String("out", "report", "directory for the merged junit.xml, results.json, report.md and report.html")
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: kmsconform report merge [--out DIR] SLICE_DIR...  (each holding a results.json from kmsconform run --report)")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		return runUsageError("no slice directories", "name the --report directories of the slices, e.g. kmsconform report merge --out report slice-1 slice-2")
	}
	var reps []*flows.Report
	for _, dir := range fs.Args() {
		rep, err := readResults(dir)
		if err != nil {
			return runFailure(err.Error(), "each directory must hold the results.json that `kmsconform run --report DIR` wrote")
		}
		reps = append(reps, rep)
	}
	merged, err := flows.Merge(reps...)
	if err != nil {
		return runFailure(err.Error(), "merge only the slices of one matrix: the same flows, engines and N in --shard I/N")
	}
	if err := runWriteReport(*out, merged); err != nil {
		return runFailure(err.Error(), "check that the --out directory is writable")
	}
	render.WriteSummary(os.Stdout, merged)
	if n := merged.Unexpected(); n > 0 {
		fmt.Fprintf(os.Stderr, "kmsconform: error: %d unexpected cell(s) in the merged report\n", n)
		return 1
	}
	return 0
}

// readResults reads DIR/results.json strictly: an unknown field means the
// file is not a kmsconform report (or comes from another version).
func readResults(dir string) (*flows.Report, error) {
	name := filepath.Join(dir, "results.json")
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	dec.DisallowUnknownFields()
	var rep flows.Report
	if err := dec.Decode(&rep); err != nil {
		return nil, fmt.Errorf("%s: not a kmsconform results.json: %v", name, err)
	}
	return &rep, nil
}
