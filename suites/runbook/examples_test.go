package runbook_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kmsconform/kmsconform/failclass"
	"github.com/kmsconform/kmsconform/flows"
	"github.com/kmsconform/kmsconform/images"
	"github.com/kmsconform/kmsconform/runbook"
)

// examples are the project's runbooks with the verdict each cell must get:
// want(producer, consumer) returns "" for expected-pass or the failure
// classes an expected-fail may have.
var examples = []struct {
	file string
	want func(p, c string) []failclass.Class
}{
	{"hybrid-onboarding.sh", func(p, c string) []failclass.Class { return nil }},
	{"data-key-pair.md", func(p, c string) []failclass.Class { return nil }},
	{"seed-000-kms-public-key-openssl.md", func(p, c string) []failclass.Class { return nil }},
	{"ecdh-kdf.md", func(p, c string) []failclass.Class {
		if strings.Contains(p, "1.1.1") || strings.Contains(c, "1.1.1") {
			return []failclass.Class{failclass.UnknownCommand}
		}
		return nil
	}},
	{"broken-onboarding.sh", func(p, c string) []failclass.Class {
		if strings.Contains(p, "1.1.1") {
			return []failclass.Class{failclass.ParameterRefused}
		}
		return []failclass.Class{failclass.BadDecrypt, failclass.Mismatch}
	}},
}

type runKey struct{ engines, pairs string }

var (
	runsMu sync.Mutex
	runs   = map[runKey]*flows.Report{}
)

// runExamples runs every example on engines once per test binary and
// returns the report (written to $KMSCONFORM_RUNBOOK_REPORT/ENGINES when set).
func runExamples(t *testing.T, engines, pairs []string) *flows.Report {
	t.Helper()
	runsMu.Lock()
	defer runsMu.Unlock()
	k := runKey{strings.Join(engines, ","), strings.Join(pairs, ",")}
	if rep, ok := runs[k]; ok {
		return rep
	}
	var rbs []*runbook.Runbook
	for _, e := range examples {
		rb, err := runbook.ParseFile(example(e.file))
		if err != nil {
			t.Fatalf("%s: %v", e.file, err)
		}
		rbs = append(rbs, rb)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Minute)
	defer cancel()
	rep, err := runbook.Run(ctx, rbs, runbook.Options{Engines: engines, Pairs: pairs, Binary: bin, Timeout: 5 * time.Minute, Parallel: 4})
	if err != nil {
		t.Fatalf("runbook.Run: %v", err)
	}
	runs[k] = rep
	return rep
}

func checkVerdicts(t *testing.T, rep *flows.Report) {
	t.Helper()
	seen := map[string]int{}
	for _, c := range rep.Cells {
		for _, e := range examples {
			if c.Case != e.file {
				continue
			}
			seen[e.file]++
			want := e.want(c.Producer, c.Consumer)
			switch {
			case c.Verdict == flows.Unexpected:
				t.Errorf("%s: unexpected: %s", c.ID, c.Message)
			case want == nil && c.Verdict != flows.ExpectedPass:
				t.Errorf("%s: verdict %s (%s), want expected-pass", c.ID, c.Verdict, c.Actual.Reason)
			case want != nil && (c.Verdict != flows.ExpectedFail || !hasClass(want, c.Actual.Class)):
				t.Errorf("%s: verdict %s class %s (%s), want expected-fail %v", c.ID, c.Verdict, c.Actual.Class, c.Actual.Reason, want)
			case want != nil && !failingLineRE.MatchString(c.Actual.Reason):
				t.Errorf("%s: reason %q does not name FILE:LINE", c.ID, c.Actual.Reason)
			}
			if len(c.Steps) == 0 {
				t.Errorf("%s: no steps recorded", c.ID)
			}
		}
	}
	for _, e := range examples {
		if seen[e.file] == 0 {
			t.Errorf("%s: no cells", e.file)
		}
	}
}

func hasClass(cs []failclass.Class, c failclass.Class) bool {
	for _, x := range cs {
		if x == c {
			return true
		}
	}
	return false
}

// hostOracle and hostOraclePairs: the host openssl and the oracle each way,
// and the oracle's 1.1.1 profile on each side (the full 9-cell matrix costs
// minutes of aws CLI start-up on a loaded machine).
var (
	hostOracle      = []string{"host", "oracle", "oracle@1.1.1"}
	hostOraclePairs = []string{"host>oracle", "oracle>host", "oracle@1.1.1>host", "host>oracle@1.1.1"}
)

// The examples on the host openssl, the oracle and the oracle's 1.1.1
// profile, on both sides: the right verdict in every cell.
func TestExamplesHostOracle(t *testing.T) {
	if testing.Short() {
		t.Skip("runs bash, openssl and the aws CLI for every cell")
	}
	rep := runExamples(t, hostOracle, hostOraclePairs)
	checkVerdicts(t, rep)
	if dir := os.Getenv("KMSCONFORM_RUNBOOK_REPORT"); dir != "" {
		writeReport(t, filepath.Join(dir, "host-oracle"), rep)
	}
}

// The examples on real openssl 1.1.1 and 3.5 in containers, when Docker
// has the images.
func TestExamplesContainers(t *testing.T) {
	if testing.Short() {
		t.Skip("starts containers")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := images.DockerAvailable(ctx); err != nil {
		t.Skipf("no Docker: %v", err)
	}
	for _, l := range []string{"1.1.1", "3.5"} {
		if _, ok, err := images.Find(ctx, l); err != nil || !ok {
			t.Skipf("no image for openssl %s (kmsconform images build --versions %s)", l, l)
		}
	}
	rep := runExamples(t, []string{"openssl-1.1.1", "openssl-3.5"}, nil)
	checkVerdicts(t, rep)
	if dir := os.Getenv("KMSCONFORM_RUNBOOK_REPORT"); dir != "" {
		writeReport(t, filepath.Join(dir, "containers"), rep)
	}
}

var failingLineRE = regexp.MustCompile(`^\S+:(\d+): `)

// releaseOf names the openssl line an engine stands for, as lint names
// them: openssl-3.5 → 3.5, oracle@1.1.1 → 1.1.1, host → from its version.
func releaseOf(info flows.EngineInfo) string {
	switch {
	case strings.HasPrefix(info.Name, "openssl-"):
		return strings.TrimPrefix(info.Name, "openssl-")
	case strings.HasPrefix(info.Name, "oracle"):
		return info.Profile
	}
	m := regexp.MustCompile(`OpenSSL (\d+\.\d+)\.\d`).FindStringSubmatch(info.Version)
	if m == nil {
		return ""
	}
	if m[1] == "1.1" {
		return "1.1.1"
	}
	return m[1]
}

// Lint and run are held to each other: in every cell, the first error lint
// predicts for the cell's engines is the failing command, and a cell for
// which lint predicts no error passes.
func TestLintHoldsToRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the examples")
	}
	runExamples(t, hostOracle, hostOraclePairs)
	// Every run of the examples so far: host/oracle, and the containers
	// when TestExamplesContainers ran before this test.
	runsMu.Lock()
	var reps []*flows.Report
	for _, rep := range runs {
		reps = append(reps, rep)
	}
	runsMu.Unlock()
	for _, rep := range reps {
		rel := map[string]string{}
		for _, e := range rep.Engines {
			rel[e.Name] = releaseOf(e)
		}
		for _, ex := range examples {
			src, err := os.ReadFile(example(ex.file))
			if err != nil {
				t.Fatal(err)
			}
			findings := runbook.Lint(example(ex.file), src)
			for _, c := range rep.Cells {
				if c.Case != ex.file {
					continue
				}
				predicted := 0
				for _, f := range findings {
					if f.Severity != runbook.Error {
						continue
					}
					eng := c.Producer
					if f.Role == runbook.RoleOwner {
						eng = c.Consumer
					}
					if len(f.Versions) == 0 || contains(f.Versions, rel[eng]) {
						predicted = f.Line
						break
					}
				}
				m := failingLineRE.FindStringSubmatch(c.Actual.Reason)
				switch {
				case predicted == 0 && c.Actual.Outcome != flows.Pass:
					t.Errorf("%s: lint predicts no error but the cell failed: %s", c.ID, c.Actual.Reason)
				case predicted != 0 && c.Actual.Class == failclass.Mismatch:
					// One time in 256 a wrong key decrypts to garbage.
				case predicted != 0 && (m == nil || m[1] != strconv.Itoa(predicted)):
					t.Errorf("%s: lint predicts line %d fails, the run says %q", c.ID, predicted, c.Actual.Reason)
				}
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
