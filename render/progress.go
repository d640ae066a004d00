package render

import (
	"fmt"
	"io"
	"os"

	"github.com/kmsconform/kmsconform/flows"
)

// Progress returns a flows.Options.Progress callback that keeps one status
// line on w — cells done / total and the cell just finished — when w is a
// terminal, and nil (no progress at all) otherwise, so that logs and CI
// output stay clean. The last call ends the line.
func Progress(w *os.File) func(done, total int, c *flows.Cell) {
	if w == nil {
		return nil
	}
	fi, err := w.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return ProgressTo(w)
}

// ProgressTo is Progress without the terminal check: it always writes to w.
func ProgressTo(w io.Writer) func(done, total int, c *flows.Cell) {
	return func(done, total int, c *flows.Cell) {
		mark := ""
		if c != nil && c.Verdict == flows.Unexpected {
			mark = " UNEXPECTED"
		}
		id := ""
		if c != nil {
			id = c.ID
		}
		fmt.Fprintf(w, "\r\x1b[K[%d/%d] %s%s", done, total, id, mark)
		if done == total {
			fmt.Fprintln(w)
		}
	}
}
