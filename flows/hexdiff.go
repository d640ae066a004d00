package flows

import (
	"fmt"
	"strings"
)

// HexDiff describes how got differs from want: both lengths, the first
// differing offset and 32 bytes of hex of each side around it.
func HexDiff(wantName string, want []byte, gotName string, got []byte) string {
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	start := i - i%16
	if start >= 16 {
		start -= 16
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d bytes, %s: %d bytes; first difference at offset %d (0x%x)\n", wantName, len(want), gotName, len(got), i, i)
	dump := func(name string, d []byte) {
		for off := start; off < start+32 && off < len(d); off += 16 {
			end := min(off+16, len(d))
			fmt.Fprintf(&b, "%-16s %08x  % x\n", name, off, d[off:end])
		}
		if start >= len(d) {
			fmt.Fprintf(&b, "%-16s %08x  (ends)\n", name, start)
		}
	}
	dump(wantName, want)
	dump(gotName, got)
	return b.String()
}
