package flows

import (
	"strings"
	"testing"
	"time"
)

func TestMergeJoinsSlicesInFlowOrder(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	f3, _ := Lookup(3)
	if len(f3.Cases) < 2 {
		t.Fatal("flow 3 needs two cases for this test")
	}
	first, second := f3.Cases[0].Name, f3.Cases[1].Name
	a := &Report{Started: t0, Duration: Duration(2 * time.Second), KMS: "in-process fake",
		Engines: []EngineInfo{{Name: "oracle", Version: "v1"}},
		Cells: []Cell{
			{ID: "3/" + second + "/oracle>oracle", Flow: 3, Case: second, Producer: "oracle", Consumer: "oracle", Verdict: ExpectedPass},
			{ID: "1/x/oracle>kms", Flow: 1, Case: "x", Producer: "oracle", Consumer: "kms", Verdict: Unexpected},
		}}
	b := &Report{Started: t0.Add(time.Second), Duration: Duration(5 * time.Second), KMS: "in-process fake",
		Engines: []EngineInfo{{Name: "oracle", Version: "v1"}, {Name: "openssl-3.5", Version: "3.5.7"}},
		Cells: []Cell{
			{ID: "3/" + first + "/openssl-3.5>oracle", Flow: 3, Case: first, Producer: "openssl-3.5", Consumer: "oracle", Verdict: ExpectedFail},
		}}
	m, err := Merge(a, b)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range m.Cells {
		ids = append(ids, c.ID)
	}
	want := []string{"1/x/oracle>kms", "3/" + first + "/openssl-3.5>oracle", "3/" + second + "/oracle>oracle"}
	if strings.Join(ids, " ") != strings.Join(want, " ") {
		t.Errorf("cells = %v, want %v", ids, want)
	}
	if len(m.Engines) != 2 || m.KMS != "in-process fake" {
		t.Errorf("engines %v, KMS %q", m.Engines, m.KMS)
	}
	if !m.Started.Equal(t0) || time.Duration(m.Duration) != 6*time.Second {
		t.Errorf("started %v duration %v, want %v and 6s", m.Started, time.Duration(m.Duration), t0)
	}
	if m.Unexpected() != 1 {
		t.Errorf("Unexpected() = %d, want 1", m.Unexpected())
	}
}

func TestMergeRefusesOverlapAndVersionSkew(t *testing.T) {
	cell := Cell{ID: "7/RSA_2048/oracle>kms", Flow: 7}
	_, err := Merge(&Report{Cells: []Cell{cell}}, &Report{Cells: []Cell{cell}})
	if err == nil || !strings.Contains(err.Error(), "overlap") {
		t.Errorf("overlapping slices: err = %v, want an overlap error", err)
	}
	_, err = Merge(&Report{Engines: []EngineInfo{{Name: "openssl-3.5", Version: "3.5.7"}}},
		&Report{Engines: []EngineInfo{{Name: "openssl-3.5", Version: "3.5.6"}}})
	if err == nil || !strings.Contains(err.Error(), "openssl-3.5") {
		t.Errorf("version skew: err = %v, want an error naming the engine", err)
	}
	if _, err := Merge(); err == nil {
		t.Error("Merge() with no reports: want an error")
	}
}

func TestMergeAddsPlannedAndKeepsInterrupted(t *testing.T) {
	a := &Report{Planned: 3, KMSRegion: "us-east-1", Tool: "kmsconform v1"}
	b := &Report{Planned: 2, Interrupted: true, KMSRegion: "us-east-1", Tool: "kmsconform v1"}
	m, err := Merge(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if m.Planned != 5 || !m.Interrupted || m.KMSRegion != "us-east-1" || m.Tool != "kmsconform v1" {
		t.Errorf("merged header %+v", m)
	}
}
