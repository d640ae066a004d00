package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/kmsconform/kmsconform/flows"
	"github.com/kmsconform/kmsconform/render"
)

// TestShardsMergeToTheWholeRun runs flow 7 on the oracle whole and in two
// shards, merges the shards with `report merge`, and requires the same cells
// with the same verdicts, and every report file.
func TestShardsMergeToTheWholeRun(t *testing.T) {
	dir := t.TempDir()
	run := func(name string, extra ...string) {
		t.Helper()
		args := append([]string{"--engines", "oracle", "--flows", "7", "--report", filepath.Join(dir, name)}, extra...)
		if code := runFlows(args); code != 0 {
			t.Fatalf("kmsconform run %v: exit %d", args, code)
		}
	}
	run("whole")
	run("s1", "--shard", "1/2")
	run("s2", "--shard", "2/2")
	if code := reportCmd([]string{"merge", "--out", filepath.Join(dir, "merged"), filepath.Join(dir, "s1"), filepath.Join(dir, "s2")}); code != 0 {
		t.Fatalf("report merge: exit %d", code)
	}
	whole, err := readResults(filepath.Join(dir, "whole"))
	if err != nil {
		t.Fatal(err)
	}
	merged, err := readResults(filepath.Join(dir, "merged"))
	if err != nil {
		t.Fatal(err)
	}
	sorted := func(cells []string) []string { slices.Sort(cells); return cells }
	var w, m []string
	for _, c := range whole.Cells {
		w = append(w, c.ID+"="+string(c.Verdict))
	}
	for _, c := range merged.Cells {
		m = append(m, c.ID+"="+string(c.Verdict))
	}
	if len(w) == 0 || !slices.Equal(sorted(w), sorted(m)) {
		t.Errorf("merged cells differ from the whole run:\nwhole  %v\nmerged %v", w, m)
	}
	for _, f := range []string{"junit.xml", "results.json", "report.md", "report.html"} {
		if st, err := os.Stat(filepath.Join(dir, "merged", f)); err != nil || st.Size() == 0 {
			t.Errorf("merged report lacks %s: %v", f, err)
		}
	}
	// Overlapping slices are refused.
	if code := reportCmd([]string{"merge", "--out", filepath.Join(dir, "bad"), filepath.Join(dir, "s1"), filepath.Join(dir, "whole")}); code == 0 {
		t.Error("merging overlapping slices succeeded; want a failure")
	}
	if code := reportCmd([]string{"merge", "--out", filepath.Join(dir, "bad"), filepath.Join(dir, "nonexistent")}); code == 0 {
		t.Error("merging a missing directory succeeded; want a failure")
	}
}

// TestReportDiffExitCodes: 1 when a cell got worse, 0 when not (better or
// unchanged), 2 for bad usage, 3 for an unreadable or foreign report.
func TestReportDiffExitCodes(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, v flows.Verdict) string {
		t.Helper()
		rep := &flows.Report{Cells: []flows.Cell{{ID: "4/md5/host>oracle", Flow: 4, FlowTitle: "bad decrypt", Verdict: v},
			{ID: "4/sha256/host>oracle", Flow: 4, FlowTitle: "bad decrypt", Verdict: flows.ExpectedPass}}}
		p := filepath.Join(dir, name)
		if err := render.Write(p, rep); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good, bad := write("good", flows.ExpectedFail), write("bad", flows.Unexpected)
	foreign := filepath.Join(dir, "foreign.json")
	if err := os.WriteFile(foreign, []byte(`{"name":"not a report"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want int
	}{
		{[]string{"diff", good, bad}, 1},
		{[]string{"diff", bad, good}, 0},
		{[]string{"diff", good, filepath.Join(good, "results.json")}, 0},
		{[]string{"diff", good}, 2},
		{[]string{"diff", good, filepath.Join(dir, "missing")}, 3},
		{[]string{"diff", good, foreign}, 3},
		{[]string{"dif", good, bad}, 2},
		{[]string{"diff", "--help"}, 0},
	} {
		if got := reportCmd(c.args); got != c.want {
			t.Errorf("report %v: exit %d, want %d", c.args, got, c.want)
		}
	}
}
