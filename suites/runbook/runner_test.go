package runbook_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kmsconform/kmsconform/failclass"
	"github.com/kmsconform/kmsconform/flows"
	"github.com/kmsconform/kmsconform/images"
	"github.com/kmsconform/kmsconform/runbook"
)

func runSrc(t *testing.T, name, src string, o runbook.Options) *flows.Report {
	t.Helper()
	rb, err := runbook.Parse(name, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if o.Binary == "" {
		o.Binary = bin
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	rep, err := runbook.Run(ctx, []*runbook.Runbook{rb}, o)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// Pipes flow through every engine as through a local binary: stdin from a
// pipe, stdout into a pipe, 1 MiB through two openssl processes.
const streamSrc = `# kmsconform: file a.bin 1M
# kmsconform: role partner
cat a.bin | openssl enc -aes-128-cbc -pbkdf2 -pass file:a.bin -out a.enc
# kmsconform: role owner
openssl enc -d -aes-128-cbc -pbkdf2 -pass file:a.bin -in a.enc | openssl enc -base64 | openssl enc -d -base64 > b.bin
# kmsconform: same a.bin b.bin
`

func TestStreamingPipes(t *testing.T) {
	engines := []string{"host", "oracle"}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if images.DockerAvailable(ctx) == nil {
		if _, ok, _ := images.Find(ctx, "1.1.1"); ok {
			engines = append(engines, "openssl-1.1.1")
		}
	}
	rep := runSrc(t, "stream.sh", streamSrc, runbook.Options{Engines: engines})
	if len(rep.Cells) != len(engines)*len(engines) {
		t.Fatalf("%d cells", len(rep.Cells))
	}
	for _, c := range rep.Cells {
		if c.Verdict != flows.ExpectedPass {
			t.Errorf("%s: %s %s", c.ID, c.Verdict, c.Message)
		}
		n := 0
		for _, s := range c.Steps {
			if s.Engine != "" {
				n++
				if want := map[flows.Role]string{flows.Producer: c.Producer, flows.Consumer: c.Consumer}[s.Role]; s.Engine != want {
					t.Errorf("%s: step %q ran on %s as %s", c.ID, s.Command, s.Engine, s.Role)
				}
			}
		}
		if n != 4 {
			t.Errorf("%s: %d openssl steps recorded, want 4", c.ID, n)
		}
	}
}

// A failing command is named by FILE:LINE (its first line), class and
// stderr line; `same` failing gives a hex diff; a hung runbook times out;
// expect fail turns each into an expected failure.
func TestFailuresAndVerdicts(t *testing.T) {
	cases := []struct {
		name, src   string
		class       failclass.Class
		reason      string
		verdict     flows.Verdict
		timeout     time.Duration
		wantDiff    bool
		wantCommand string
	}{
		{"failing command", "# kmsconform: role partner\nopenssl rand -hex 8 >/dev/null\nopenssl enc -aes-128-cbc \\\n  -nosuchflag -in x\n",
			failclass.UnknownOption, "f.sh:3: `openssl enc -aes-128-cbc -nosuchflag -in x` exited 1", flows.Unexpected, 0, false, ""},
		{"expected", "# kmsconform: expect fail file-not-found — no such input\n# kmsconform: role owner\nopenssl enc -d -aes-128-cbc -pbkdf2 -pass pass:x -in missing.enc\n",
			failclass.FileNotFound, "f.sh:3: ", flows.ExpectedFail, 0, false, "pass:***"},
		{"same differs", "# kmsconform: role partner\nopenssl rand -out a 32\nopenssl rand -out b 32\n# kmsconform: same a b\n",
			failclass.Mismatch, "f.sh:4: same a b: the files differ", flows.Unexpected, 0, true, ""},
		{"harness command", "# kmsconform: role partner\nopenssl rand -out a 32\ncmp a /dev/null\n",
			failclass.Other, "f.sh:3: `cmp a /dev/null` exited 1", flows.Unexpected, 0, false, ""},
		{"timeout", "# kmsconform: expect fail timeout — hangs\n# kmsconform: role partner\nsleep 60\n",
			failclass.Timeout, "timed out after 2s (last command f.sh:3 `sleep 60`)", flows.ExpectedFail, 2 * time.Second, false, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep := runSrc(t, "f.sh", c.src, runbook.Options{Engines: []string{"host"}, Timeout: c.timeout})
			cell := rep.Cells[0]
			if cell.Actual.Class != c.class || !strings.Contains(cell.Actual.Reason, c.reason) || cell.Verdict != c.verdict {
				t.Errorf("got %s / %s / %q, want %s / %s / %q", cell.Verdict, cell.Actual.Class, cell.Actual.Reason, c.verdict, c.class, c.reason)
			}
			if c.wantDiff && cell.Diff == "" {
				t.Errorf("no hex diff")
			}
			if c.wantCommand != "" {
				found := false
				for _, s := range cell.Steps {
					found = found || strings.Contains(s.Command, c.wantCommand)
					if strings.Contains(s.Command, "pass:x") {
						t.Errorf("secret recorded: %q", s.Command)
					}
				}
				if !found {
					t.Errorf("no step with %q", c.wantCommand)
				}
			}
		})
	}
}
