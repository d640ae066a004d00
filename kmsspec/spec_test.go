package kmsspec

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/kmsconform/kmsconform/kmsfake"
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

// TestWantUsesKnownAnswers: every answer id a check names exists in
// kmsfake.Answers (the spec's expected texts come from that table).
func TestWantUsesKnownAnswers(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	re := regexp.MustCompile(`(?:Want\(err, |answerSource\()"([^"]+)"`)
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			n++
			if _, ok := kmsfake.LookupAnswer(m[1]); !ok {
				t.Errorf("%s: kmsfake.Answers has no %q", f, m[1])
			}
		}
	}
	if n < 50 {
		t.Errorf("only %d answer references found", n)
	}
}

// TestSelect: --run filtering and its errors.
func TestSelect(t *testing.T) {
	got, err := Select(`^GenerateRandom/`)
	if err != nil || len(got) != 9 {
		t.Errorf("Select(^GenerateRandom/) = %d specs, %v", len(got), err)
	}
	if _, err := Select("("); err == nil {
		t.Error("a bad regexp was accepted")
	}
	if _, err := Select("NoSuchSpec"); err == nil {
		t.Error("a regexp matching nothing was accepted")
	}
}
