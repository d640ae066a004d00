package buildinfo

import (
	"runtime"
	"strings"
	"testing"
)

func TestShortAndString(t *testing.T) {
	cases := []struct {
		in    Info
		short string
	}{
		{Info{Version: "v1.2.0", Revision: "a5a569c1d2e3f00d"}, "v1.2.0"},
		{Info{Version: "(devel)", Revision: "a5a569c1d2e3f00d99", Modified: true}, "a5a569c1d2e3-dirty"},
		{Info{Version: "(devel)"}, "devel"},
	}
	for _, c := range cases {
		if got := c.in.Short(); got != c.short {
			t.Errorf("%+v.Short() = %q, want %q", c.in, got, c.short)
		}
	}
	s := Info{Version: "(devel)", Revision: "abc", Modified: true, GoVersion: "go1.26.8"}.String()
	if !strings.Contains(s, "rev abc") || !strings.Contains(s, "modified") || !strings.Contains(s, runtime.GOOS) {
		t.Errorf("String() = %q", s)
	}
	if g := Get(); g.GoVersion == "" || g.Module == "" || Short() == "" {
		t.Errorf("Get() = %+v", g)
	}
}
