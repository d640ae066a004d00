package flows

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/kmsconform/kmsconform/failclass"
)

// TestInterruptedRunKeepsEveryPlannedCell cancels a run after a few cells:
// every planned cell is in the report, none is unexpected, the cut-off and
// never-started ones are interrupted, and the report says so.
func TestInterruptedRunKeepsEveryPlannedCell(t *testing.T) {
	f, _ := Lookup(3)
	cells := Plan([]*Flow{f}, []string{"oracle", "oracle@1.1.1"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rep, err := Run(ctx, Options{Cells: cells, Parallel: 2, Progress: func(done, _ int, _ *Cell) {
		if done == 3 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if !rep.Interrupted || rep.Planned != len(cells) || len(rep.Cells) != len(cells) {
		t.Fatalf("interrupted %v, planned %d, cells %d of %d", rep.Interrupted, rep.Planned, len(rep.Cells), len(cells))
	}
	if n := rep.Unexpected(); n != 0 {
		t.Errorf("%d unexpected cells after an interrupt", n)
	}
	n := rep.Count(Interrupted)
	if n == 0 || n == len(cells) {
		t.Errorf("%d of %d cells interrupted", n, len(cells))
	}
	for i, c := range rep.Cells {
		if c.ID != cells[i].ID() {
			t.Fatalf("cell %d is %s, want %s (plan order)", i, c.ID, cells[i].ID())
		}
		if c.Verdict == Interrupted && c.Actual.Class != failclass.Interrupted {
			t.Errorf("%s: interrupted with class %q", c.ID, c.Actual.Class)
		}
	}
}

// TestCutOffCellIsInterrupted: a cell whose steps fail because the run was
// cancelled is never unexpected.
func TestCutOffCellIsInterrupted(t *testing.T) {
	c := Cell{Verdict: Unexpected, Actual: Actual{Outcome: Fail, Reason: "engine error: context canceled", Class: failclass.Interrupted}}
	cutOff(&c)
	if c.Verdict != Interrupted {
		t.Errorf("verdict %s", c.Verdict)
	}
	ok := Cell{Verdict: ExpectedPass}
	cutOff(&ok)
	if ok.Verdict != ExpectedPass {
		t.Errorf("a finished cell became %s", ok.Verdict)
	}
}

// TestKeepWorkAndStandIn: a failing cell's files are kept (0700) under the
// report directory; a cell with a stand-in profile says so.
func TestKeepWorkAndStandIn(t *testing.T) {
	f, _ := Lookup(4)
	var cells []Planned
	for _, p := range Plan([]*Flow{f}, []string{"oracle"}) {
		if p.Case.Name == "crlf-key-file" || p.Case.Name == "md5-default-fix-md-md5" {
			cells = append(cells, p)
		}
	}
	report := t.TempDir()
	k, err := OpenKMS(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	rep, err := Run(context.Background(), Options{Cells: cells, KeepWork: report, KMS: k})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range rep.Cells {
		if c.Verdict != ExpectedFail || c.Work == "" {
			t.Fatalf("%s: verdict %s, work %q", c.ID, c.Verdict, c.Work)
		}
		fi, err := os.Stat(filepath.Join(report, c.Work))
		if err != nil || fi.Mode().Perm() != 0o700 {
			t.Fatalf("%s: kept directory %v %v", c.ID, fi, err)
		}
		if _, err := os.Stat(filepath.Join(report, c.Work, "DATA.enc")); err != nil {
			t.Errorf("%s: DATA.enc not kept: %v", c.ID, err)
		}
		if want := c.Producer == "oracle@1.0.2"; c.StandIn != want {
			t.Errorf("%s: StandIn %v", c.ID, c.StandIn)
		}
	}
	for _, e := range rep.Engines {
		if (e.Name == "oracle@1.0.2") != e.StandIn || e.Profile == "" || e.Version == "" {
			t.Errorf("engine info %+v", e)
		}
	}
	if rep.Tool == "" || rep.KMSRegion != DefaultRegion || rep.KMSEndpoint != k.Endpoint || rep.KMSServer == "" {
		t.Errorf("report header: tool %q region %q endpoint %q server %q", rep.Tool, rep.KMSRegion, rep.KMSEndpoint, rep.KMSServer)
	}
}
