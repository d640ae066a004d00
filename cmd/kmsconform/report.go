package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/kmsconform/kmsconform/flows"
	"github.com/kmsconform/kmsconform/internal/cli"
	"github.com/kmsconform/kmsconform/render"
)

func init() {
	register("report", "report merge | diff: join matrix slices into one report; list the cells whose verdict changed between two reports", reportCmd)
}

// reportSubcommands are the subcommands of `kmsconform report`.
var reportSubcommands = map[string]func(args []string) int{
	"merge": reportMerge,
	"diff":  reportDiff,
}

// reportCmd is `kmsconform report merge|diff ...`.
func reportCmd(args []string) int {
	const synopsis = "usage: kmsconform report merge [--out DIR] SLICE_DIR...\n       kmsconform report diff OLD NEW"
	if len(args) == 0 {
		return cli.Print(os.Stderr, cli.Usage("report needs a subcommand: merge or diff", synopsis))
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Println(synopsis)
		return cli.ExitOK
	}
	run, ok := reportSubcommands[args[0]]
	if !ok {
		hint := cli.DidYouMean(args[0], []string{"merge", "diff"})
		if hint == "" {
			hint = synopsis
		}
		return cli.Print(os.Stderr, cli.Usage(fmt.Sprintf("unknown report subcommand %q", args[0]), hint))
	}
	return run(args[1:])
}

// reportMerge is `kmsconform report merge --out DIR SLICE_DIR...`.
func reportMerge(args []string) int {
	fs := cli.NewFlags("kmsconform report merge", "[--out DIR] SLICE_DIR...")
	fs.Extra = "Each SLICE_DIR holds the results.json of one `kmsconform run --report DIR --shard I/N`."
	out := fs.String("out", "report", "directory for the merged junit.xml, results.json, report.md and report.html")
	fs.Meta("out", "DIR")
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	if fs.NArg() == 0 {
		return cli.Print(os.Stderr, cli.Usage("no slice directories", "name the --report directories of the slices, e.g. kmsconform report merge --out report slice-1 slice-2"))
	}
	var reps []*flows.Report
	for _, dir := range fs.Args() {
		rep, err := readResults(dir)
		if err != nil {
			return cli.Print(os.Stderr, cli.Setup(err, "each directory must hold the results.json that `kmsconform run --report DIR` wrote"))
		}
		reps = append(reps, rep)
	}
	merged, err := flows.Merge(reps...)
	if err != nil {
		return cli.Print(os.Stderr, cli.Usage(err.Error(), "merge only the slices of one matrix: the same flows, engines and N in --shard I/N"))
	}
	if err := render.Write(*out, merged); err != nil {
		return cli.Print(os.Stderr, cli.Setup(err, "check that the --out directory is writable"))
	}
	render.WriteSummary(os.Stdout, merged)
	if n := merged.Unexpected(); n > 0 {
		return cli.Print(os.Stderr, cli.Failure(fmt.Sprintf("%d unexpected cell(s) in the merged report", n), "open "+filepath.Join(*out, "report.html")+": the unexpected cells are listed at the top"))
	}
	return cli.ExitOK
}

// reportDiff is `kmsconform report diff OLD NEW`: the cells whose verdict
// changed, as Markdown on stdout; exit 1 when something got worse.
func reportDiff(args []string) int {
	fs := cli.NewFlags("kmsconform report diff", "OLD NEW")
	fs.Extra = "OLD and NEW are report directories (kmsconform run --report DIR) or results.json files.\n" +
		"Prints the cells whose verdict changed as Markdown; exit 1 when a cell got worse\n" +
		"(it now fails and did not, or it is new and fails), 0 otherwise, 3 when a report cannot be read."
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	if fs.NArg() != 2 {
		return cli.Print(os.Stderr, cli.Usage(fmt.Sprintf("report diff takes two reports, got %d", fs.NArg()), "kmsconform report diff OLD_DIR NEW_DIR (or their results.json files)"))
	}
	oldName, newName := fs.Arg(0), fs.Arg(1)
	old, err := readReportPath(oldName)
	if err != nil {
		return cli.Print(os.Stderr, err)
	}
	cur, err := readReportPath(newName)
	if err != nil {
		return cli.Print(os.Stderr, err)
	}
	d := render.Compare(old, cur)
	var b bytes.Buffer
	if err := render.WriteDiff(&b, oldName, old, newName, cur, d); err != nil {
		return cli.Print(os.Stderr, cli.Setup(err, ""))
	}
	if _, err := io.Copy(os.Stdout, &b); err != nil {
		return cli.Print(os.Stderr, cli.Setup(err, "stdout is not writable"))
	}
	if n := len(d.Worse); n > 0 {
		return cli.Print(os.Stderr, cli.Failure(fmt.Sprintf("%d cell(s) got worse between %s and %s", n, oldName, newName), "the Worse table above lists them; open the new report.html for their commands and diagnosis"))
	}
	return cli.ExitOK
}

// readReportPath reads a report for diff: a directory holding results.json
// or the file itself. Fields it does not know are ignored (reports of
// other versions compare), but the file must be a kmsconform report.
func readReportPath(p string) (*flows.Report, error) {
	name := p
	if st, err := os.Stat(p); err == nil && st.IsDir() {
		name = filepath.Join(p, "results.json")
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, cli.Setup(err, "give a report directory (kmsconform run --report DIR) or its results.json")
	}
	var probe struct {
		Cells   *json.RawMessage `json:"cells"`
		Engines *json.RawMessage `json:"engines"`
	}
	var rep flows.Report
	if err := json.Unmarshal(b, &probe); err == nil && probe.Cells == nil && probe.Engines == nil {
		err = errors.New("no cells and no engines")
		return nil, cli.Setup(fmt.Errorf("%s: not a kmsconform results.json: %v", name, err), "give a report directory (kmsconform run --report DIR) or its results.json")
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		return nil, cli.Setup(fmt.Errorf("%s: not a kmsconform results.json: %v", name, err), "give a report directory (kmsconform run --report DIR) or its results.json")
	}
	return &rep, nil
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
