package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
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
