// Command testsummary reads `go test -json` on stdin, prints what a person
// needs as it arrives (each package's ok/FAIL line, the whole output of
// failing tests, build errors), and at the end a closing summary:
//
//	test: 812 passed, 0 failed, 52 skipped
//	skipped: 52 of 864 because no Docker: the docker daemon does not answer (engine/container 23, suites/crossversion 29)
//
// (other skip reasons, if any, on "also skipped:" lines before the counts).
//
// `make test` runs it behind `go test -json ./...` and prints the summary
// (written to -summary FILE) as its very last lines. Ginkgo suites count by
// spec: their "N Passed | N Failed | N Pending | N Skipped" line replaces
// the one Go test that runs the suite. A skip's reason is the t.Skip
// message; for Ginkgo specs it is the suite's first output line containing
// "SKIPPING" (e.g. "!!!!! crossversion: SKIPPING every container spec: no
// Docker: ..."), which suites print once when they skip specs for a reason
// a person must know.
//
// It exits 1 when a test or a build failed, 0 otherwise.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// event is one line of `go test -json` (test2json).
type event struct {
	Action     string
	Package    string
	Test       string
	Output     string
	Elapsed    float64
	ImportPath string
}

type pkgState struct {
	passed, failed, skipped int
	ginkgo                  bool
	gPassed, gFailed, gSkip int
	suiteTests              map[string]bool // Go tests that ran a Ginkgo suite
	output                  map[string][]string
	skipWhy                 map[string]string // test -> reason
	suiteSkipWhy            string
	failedTests             []string
}

var (
	ginkgoLine = regexp.MustCompile(`(\d+) Passed \| (\d+) Failed \| (\d+) Pending \| (\d+) Skipped`)
	fileLine   = regexp.MustCompile(`^\s*[\w.-]+\.go:\d+: `)
	ansi       = regexp.MustCompile("\x1b\\[[0-9;]*m")
)

func main() {
	summary := flag.String("summary", "", "also write the closing summary lines to this file")
	flag.Parse()
	lines, ok := summarize(os.Stdin, os.Stdout)
	if *summary != "" {
		_ = os.WriteFile(*summary, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	}
	if !ok {
		os.Exit(1)
	}
}

// summarize reads `go test -json` from r, prints the results to out as they
// come and then the closing lines, and returns those lines and whether
// every build and test passed.
func summarize(r io.Reader, out io.Writer) (lines []string, ok bool) {
	pkgs := map[string]*pkgState{}
	get := func(p string) *pkgState {
		if pkgs[p] == nil {
			pkgs[p] = &pkgState{suiteTests: map[string]bool{}, output: map[string][]string{}, skipWhy: map[string]string{}}
		}
		return pkgs[p]
	}
	buildFailed := false
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		var ev event
		if !strings.HasPrefix(line, "{") || json.Unmarshal([]byte(line), &ev) != nil {
			fmt.Fprintln(out, line) // the go command's own messages
			continue
		}
		switch ev.Action {
		case "build-output":
			fmt.Fprint(out, ev.Output)
			continue
		case "build-fail":
			buildFailed = true
			continue
		}
		if ev.Package == "" {
			continue
		}
		st := get(ev.Package)
		switch ev.Action {
		case "output":
			st.output[ev.Test] = append(st.output[ev.Test], ev.Output)
			if m := ginkgoLine.FindStringSubmatch(ansi.ReplaceAllString(ev.Output, "")); m != nil {
				st.ginkgo = true
				st.suiteTests[ev.Test] = true
				p, _ := strconv.Atoi(m[1])
				f, _ := strconv.Atoi(m[2])
				s, _ := strconv.Atoi(m[4])
				st.gPassed, st.gFailed, st.gSkip = st.gPassed+p, st.gFailed+f, st.gSkip+s
			}
			if st.suiteSkipWhy == "" && strings.Contains(ev.Output, "SKIPPING") {
				st.suiteSkipWhy = cleanReason(ev.Output)
			}
		case "pass", "fail", "skip":
			if ev.Test == "" {
				printPackage(out, ev, st)
				continue
			}
			switch ev.Action {
			case "pass":
				st.passed++
			case "fail":
				st.failed++
				st.failedTests = append(st.failedTests, ev.Test)
			case "skip":
				st.skipped++
				st.skipWhy[ev.Test] = skipReason(st.output[ev.Test])
			}
		}
	}
	lines = closing(pkgs, buildFailed)
	for _, l := range lines {
		fmt.Fprintln(out, l)
	}
	ok = !buildFailed
	for _, st := range pkgs {
		if st.failed > 0 || st.gFailed > 0 {
			ok = false
		}
	}
	return lines, ok
}

// printPackage prints a package's end like go test does, and the output of
// its failing tests (or all of it when the package failed outside a test).
func printPackage(out io.Writer, ev event, st *pkgState) {
	switch ev.Action {
	case "pass":
		fmt.Fprintf(out, "ok  \t%s\t%.3fs\n", ev.Package, ev.Elapsed)
	case "skip":
		fmt.Fprintf(out, "?   \t%s\t[no test files]\n", ev.Package)
	case "fail":
		// The failing tests' output, then the package's own lines, which
		// end with go test's "FAIL\tpkg\ttime" (or "[build failed]").
		for _, t := range st.failedTests {
			printLines(out, st.output[t])
		}
		printLines(out, st.output[""])
	}
}

// printLines prints ls, dropping a line equal to the one before it.
func printLines(w io.Writer, ls []string) {
	for i, l := range ls {
		if i > 0 && l == ls[i-1] {
			continue
		}
		fmt.Fprint(w, l)
	}
}

// skipReason is the message of a t.Skip, without its file:line prefix.
func skipReason(out []string) string {
	for i := len(out) - 1; i >= 0; i-- {
		l := out[i]
		if strings.Contains(l, "--- SKIP") || strings.HasPrefix(l, "=== ") {
			continue
		}
		if fileLine.MatchString(l) {
			return cleanReason(fileLine.ReplaceAllString(l, ""))
		}
	}
	return "no reason given"
}

// cleanReason shortens a reason line for the summary.
func cleanReason(s string) string {
	s = strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "!"))
	if i := strings.Index(s, "SKIPPING"); i >= 0 {
		if j := strings.Index(s[i:], ": "); j >= 0 {
			s = s[i+j+2:]
		}
	}
	if len(s) > 160 {
		s = s[:157] + "..."
	}
	return s
}

// closing builds the summary lines: the counts, then one line per skip
// reason with the packages it hit.
func closing(pkgs map[string]*pkgState, buildFailed bool) []string {
	passed, failed, skipped := 0, 0, 0
	byReason := map[string]map[string]int{}
	add := func(reason, pkg string, n int) {
		if byReason[reason] == nil {
			byReason[reason] = map[string]int{}
		}
		byReason[reason][pkg] += n
	}
	for name, st := range pkgs {
		short := strings.TrimPrefix(name, "github.com/kmsconform/kmsconform/")
		passed += st.passed + st.gPassed
		failed += st.failed + st.gFailed
		skipped += st.skipped + st.gSkip
		if st.ginkgo { // the suites' own Go tests are counted by spec
			for t := range st.suiteTests {
				if t != "" {
					passed--
				}
			}
			if st.gSkip > 0 {
				why := st.suiteSkipWhy
				if why == "" {
					why = "not selected (focus, labels or environment)"
				}
				add(why, short, st.gSkip)
			}
		}
		for _, why := range st.skipWhy {
			add(why, short, 1)
		}
	}
	fail := ""
	if buildFailed {
		fail = " (and a build failed)"
	}
	counts := fmt.Sprintf("test: %d passed, %d failed, %d skipped%s", max(passed, 0), failed, skipped, fail)
	if skipped == 0 {
		return []string{counts, "skipped: none"}
	}
	var reasons []string
	for r := range byReason {
		reasons = append(reasons, r)
	}
	sort.Slice(reasons, func(i, j int) bool { return total(byReason[reasons[i]]) > total(byReason[reasons[j]]) })
	var lines []string
	where := func(r string) string {
		var ws []string
		for p, n := range byReason[r] {
			ws = append(ws, fmt.Sprintf("%s %d", p, n))
		}
		sort.Strings(ws)
		return strings.Join(ws, ", ")
	}
	// Every reason but the largest on its own line, then the counts, then
	// the largest reason last: the last line says how many were skipped
	// and why.
	for _, r := range reasons[1:] {
		lines = append(lines, fmt.Sprintf("  also skipped: %d because %s (%s)", total(byReason[r]), r, where(r)))
	}
	top := reasons[0]
	last := fmt.Sprintf("skipped: %d of %d because %s (%s)", total(byReason[top]), passed+failed+skipped, top, where(top))
	if len(reasons) > 1 {
		last += fmt.Sprintf("; %d more for the reasons above", skipped-total(byReason[top]))
	}
	return append(lines, counts, last)
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
