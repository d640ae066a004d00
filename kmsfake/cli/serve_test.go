package cli

import "testing"

func TestMainErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
	}{
		{nil, 2},
		{[]string{"--help"}, 0},
		{[]string{"bogus"}, 2},
		{[]string{"serve", "--nope"}, 2},
		{[]string{"serve", "extra"}, 2},
		{[]string{"serve", "--sigv4", "maybe"}, 2},
		{[]string{"serve", "--sigv4", "verify"}, 2},
		{[]string{"serve", "--account", "12"}, 2},
		{[]string{"serve", "--region", "Mars"}, 2},
		{[]string{"serve", "--seed", "/nonexistent/seed.yaml"}, 2},
		{[]string{"serve", "--listen", "256.0.0.1:1"}, 2},
	} {
		if got := Main(c.args); got != c.code {
			t.Errorf("Main(%q) = %d, want %d", c.args, got, c.code)
		}
	}
}
