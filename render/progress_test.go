package render

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kmsconform/kmsconform/flows"
)

func TestProgressIsQuietWhenNotATerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if Progress(f) != nil {
		t.Error("progress written to a regular file")
	}
	if Progress(nil) != nil {
		t.Error("progress for a nil file")
	}
}

func TestProgressLine(t *testing.T) {
	var b bytes.Buffer
	p := ProgressTo(&b)
	p(1, 2, &flows.Cell{ID: "4/md5/host>oracle", Verdict: flows.ExpectedFail})
	p(2, 2, &flows.Cell{ID: "4/md5/oracle>host", Verdict: flows.Unexpected})
	s := b.String()
	if !strings.Contains(s, "[1/2] 4/md5/host>oracle") || !strings.Contains(s, "[2/2] 4/md5/oracle>host UNEXPECTED\n") {
		t.Errorf("progress output %q", s)
	}
}
