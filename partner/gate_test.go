package partner

import (
	"strings"
	"testing"
	"time"

	"github.com/kmsconform/kmsconform/gate"
)

func TestApplyGate(t *testing.T) {
	f, err := gate.Parse("kmsconform.yaml", []byte(`allow:
  - id: "RSA_2048 over*"
    reason: "partner fixes the limit check in the next release"
    until: 2027-01-31
  - id: "RSA_4096*"
    reason: "nothing fails here"
    until: 2027-01-31
`))
	if err != nil {
		t.Fatal(err)
	}
	result := func() *Result {
		r := &Result{Cases: []CaseResult{
			{Case: Case{Name: "RSA_2048 text"}, Pass: true},
			{Case: Case{Name: "RSA_2048 over the limit (191 bytes)"}, Pass: false, Detail: "the tool wrapped 191 bytes"},
		}}
		r.summarise()
		return r
	}

	r := result()
	if r.Pass {
		t.Fatal("a failing case passes before the gate")
	}
	stale := ApplyGate(r, f, time.Date(2027, 1, 31, 12, 0, 0, 0, time.UTC))
	if !r.Pass || r.Cases[1].Allowance == "" || r.Cases[1].Pass {
		t.Fatalf("live allowance: Pass=%v case=%+v", r.Pass, r.Cases[1])
	}
	if len(stale) != 1 || stale[0].Allowance.ID != "RSA_4096*" {
		t.Fatalf("stale = %v, want the RSA_4096 allowance", stale)
	}

	r = result()
	ApplyGate(r, f, time.Date(2027, 2, 1, 0, 0, 1, 0, time.UTC))
	if r.Pass || r.Cases[1].Allowance != "" || !strings.Contains(r.Cases[1].Detail, "allowance expired on 2027-01-31") {
		t.Fatalf("expired allowance: Pass=%v case=%+v", r.Pass, r.Cases[1])
	}

	r = &Result{Problem: &ToolProblem{Class: "tool-not-runnable"}}
	ApplyGate(r, f, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	if r.Pass {
		t.Fatal("a tool that never ran passes through a gate file")
	}
}
