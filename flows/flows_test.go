package flows

import (
	"context"
	"strings"
	"testing"

	"github.com/kmsconform/kmsconform/failclass"
)

// runHost runs the named cases of flow id with the host openssl on both sides.
func runHost(t *testing.T, id int, names ...string) []Cell {
	t.Helper()
	f, ok := Lookup(id)
	if !ok {
		t.Fatalf("no flow %d", id)
	}
	var cells []Planned
	for _, p := range Plan([]*Flow{f}, []string{"host"}) {
		for _, n := range names {
			if p.Case.Name == n {
				cells = append(cells, p)
			}
		}
	}
	if len(cells) != len(names) {
		t.Fatalf("planned %d cells for %v", len(cells), names)
	}
	rep, err := Run(context.Background(), Options{Cells: cells})
	if err != nil {
		t.Fatal(err)
	}
	return rep.Cells
}

func TestEncVariantsHostToHost(t *testing.T) {
	for _, c := range runHost(t, 3, "pbkdf2-size0", "legacy-md-md5", "pbkdf2-base64") {
		if c.Verdict != ExpectedPass {
			t.Errorf("%s: %s %s\n%+v", c.ID, c.Verdict, c.Message, c.Steps)
		}
		if len(c.Steps) < 4 || !strings.HasPrefix(c.Steps[2].Command, "openssl enc -aes-256-cbc -salt -in DATA -out DATA.enc -pass file:./pass.txt") {
			t.Errorf("%s: steps %+v", c.ID, c.Steps)
		}
	}
}

func TestBadDecryptReproducedAndFixed(t *testing.T) {
	for _, c := range runHost(t, 4, "crlf-key-file", "pbkdf2-one-side", "iter-mismatch", "explicit-salt-no-header") {
		if c.Verdict != ExpectedFail || c.Actual.FixOutcome != Pass {
			t.Errorf("%s: %s %s actual %+v", c.ID, c.Verdict, c.Message, c.Actual)
		}
	}
}

func TestUnexpectedSuccessIsAFailure(t *testing.T) {
	v, _ := judge(MustFail("x", failclass.BadDecrypt), Actual{Outcome: Pass})
	if v != Unexpected {
		t.Fatalf("verdict %s", v)
	}
	v, msg := judge(MustFail("x", failclass.BadDecrypt), Actual{Outcome: Fail, Reason: "unable to load Public Key", Class: failclass.KeyUnreadable})
	if v != Unexpected || !strings.Contains(msg, "bad-decrypt") || !strings.Contains(msg, "key-unreadable") {
		t.Fatalf("wrong class: verdict %s %q", v, msg)
	}
	// The class decides, never a word in the text.
	v, _ = judge(MustFail("x", failclass.ParameterRefused), Actual{Outcome: Fail, Reason: "bad parameter: bad decrypt", Class: failclass.BadDecrypt})
	if v != Unexpected {
		t.Fatalf("a reason containing the word matched: verdict %s", v)
	}
	v, _ = judge(MustFail("x", failclass.BadDecrypt, failclass.Mismatch), Actual{Outcome: Fail, Reason: "plaintext mismatch", Class: failclass.Mismatch})
	if v != ExpectedFail {
		t.Fatalf("second class: verdict %s", v)
	}
	v, _ = judge(MustPass, Actual{Outcome: Fail, Reason: "bad decrypt", Class: failclass.BadDecrypt})
	if v != Unexpected {
		t.Fatalf("verdict %s", v)
	}
}

func TestMismatchGivesHexDiff(t *testing.T) {
	d := HexDiff("DATA", []byte("hello world"), "OUT", []byte("hello_world!"))
	if !strings.Contains(d, "first difference at offset 5") || !strings.Contains(d, "68 65 6c 6c 6f 20") {
		t.Fatal(d)
	}
}

func TestShardsPartitionCells(t *testing.T) {
	all := Plan(All(), []string{"host", "oracle"})
	seen := map[string]int{}
	for i := 1; i <= 3; i++ {
		s, err := Shard(all, i, 3)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range s {
			seen[c.ID()]++
		}
	}
	if len(seen) != len(all) {
		t.Fatalf("shards cover %d of %d cells", len(seen), len(all))
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("%s in %d shards", id, n)
		}
	}
	if _, err := Shard(all, 4, 3); err == nil {
		t.Fatal("shard 4/3 accepted")
	}
}

func TestNotApplicableFromProfiles(t *testing.T) {
	f, _ := Lookup(6)
	rep, err := Run(context.Background(), Options{Cells: Plan([]*Flow{{ID: 6, Title: f.Title, Cases: f.Cases[:1]}}, []string{"oracle@1.1.1"})})
	if err != nil {
		t.Fatal(err)
	}
	c := rep.Cells[0]
	if c.Verdict != Skipped || !strings.Contains(c.Expected.Why, "no kdf command before 3.0") {
		t.Fatalf("%+v", c)
	}
}
