package runbook

import "testing"

// FuzzLint: any input, shell or Markdown, lints without panicking, and
// every finding points at a line of the file.
func FuzzLint(f *testing.F) {
	f.Add("# kmsconform: role partner\nopenssl kdf $(echo \"a\\\n`b`\") <<EOF\n$(aws kms x\nEOF\n", false)
	f.Add("<!-- kmsconform: role owner -->\n```bash\ncat <<'X' | openssl enc -d\n$(a)\nX\n```\n", true)
	f.Add("a=$( ( b ) ) c <(d) >(e) 2>&1 |& f; g && h || i\\\n", false)
	f.Fuzz(func(t *testing.T, src string, md bool) {
		name := "f.sh"
		if md {
			name = "f.md"
		}
		n := 1
		for _, c := range src {
			if c == '\n' {
				n++
			}
		}
		for _, fd := range Lint(name, []byte(src)) {
			if fd.Line < 0 || fd.Line > n+1 {
				t.Fatalf("finding at line %d of %d: %s", fd.Line, n, fd)
			}
		}
	})
}
