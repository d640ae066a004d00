package opensslcli

import (
	"regexp"
	"strings"
	"testing"
)

// TestMetaCommandsMatchHost compares help, version and list with the host
// openssl: exit codes, which stream carries the output, the exact error
// messages, and the shape of what is listed.
func TestMetaCommandsMatchHost(t *testing.T) {
	dir := t.TempDir()
	// Same exit code and the same stderr (kmsconform's own lines aside).
	exact := [][]string{
		{"version", "-x"}, {"version", "extra"}, {"list"}, {"list", "-foo"}, {"list", "extra"},
		{"help", "nosuch"}, {"nosuch"},
	}
	for _, args := range exact {
		h := encRunHost(t, dir, nil, nil, args...)
		o := encRunOracle(dir, nil, nil, args...)
		if h.code != o.code || encKeyLines(h.stderr) != encKeyLines(o.stderr) || len(o.stdout) != 0 {
			t.Errorf("%v: openssl exit %d stderr %q; oracle exit %d stderr %q stdout %q", args, h.code, h.stderr, o.code, o.stderr, o.stdout)
		}
	}
	// Same exit code and streams; the listed names are the oracle's own.
	for _, args := range [][]string{
		{"help"}, {"version"}, {"version", "-a"}, {"version", "-v", "-b"}, {"version", "-help"},
		{"list", "-commands"}, {"list", "-1", "-commands"}, {"list", "-help"},
		{"list", "-cipher-algorithms"}, {"help", "rand"}, {"-help"}, {"--help"},
	} {
		h := encRunHost(t, dir, nil, nil, args...)
		o := encRunOracle(dir, nil, nil, args...)
		if h.code != o.code || (len(h.stdout) > 0) != (len(o.stdout) > 0) || (len(h.stderr) > 0) != (len(o.stderr) > 0) {
			t.Errorf("%v: openssl exit %d stdout %d B stderr %d B; oracle exit %d stdout %q stderr %q",
				args, h.code, len(h.stdout), len(h.stderr), o.code, o.stdout, o.stderr)
		}
	}
	// version -a: the same fields in the same order.
	field := regexp.MustCompile(`(?m)^([A-Za-z ]+):`)
	fields := func(b []byte) string {
		var out []string
		for _, m := range field.FindAllStringSubmatch(string(b), -1) {
			out = append(out, m[1])
		}
		return strings.Join(out, ",")
	}
	h, o := encRunHost(t, dir, nil, nil, "version", "-a"), encRunOracle(dir, nil, nil, "version", "-a")
	if fields(h.stdout) != fields(o.stdout) {
		t.Errorf("version -a fields: openssl %s; oracle %s\n%s", fields(h.stdout), fields(o.stdout), o.stdout)
	}
	// Every command the oracle lists is one the real openssl lists too.
	hl := strings.Fields(string(encRunHost(t, dir, nil, nil, "list", "-1", "-commands").stdout))
	ol := strings.Split(strings.TrimSpace(string(encRunOracle(dir, nil, nil, "list", "-1", "-commands").stdout)), "\n")
	for _, c := range ol {
		if !contains(hl, c) {
			t.Errorf("oracle lists %q, which openssl does not have", c)
		}
	}
	if !contains(ol, "enc") || !contains(ol, "version") || !contains(ol, "kdf") {
		t.Errorf("list -1 -commands = %q", ol)
	}
}

func TestMetaCommandsFollowProfile(t *testing.T) {
	dir := t.TempDir()
	o := encRunOracle(dir, nil, nil, "--compat", "1.1.1", "list", "-1", "-commands")
	if o.code != 0 || strings.Contains(string(o.stdout), "kdf") {
		t.Errorf("1.1.1 has no kdf command: %q", o.stdout)
	}
	for compat, want := range map[string]string{"1.1.1": "OpenSSL 1.1.1 (kmsconform oracle", "3.0": "OpenSSL 3.0 (kmsconform oracle",
		"libressl-2.8": "LibreSSL 2.8 (kmsconform oracle"} {
		o := encRunOracle(dir, nil, nil, "--compat", compat, "version")
		if o.code != 0 || !strings.HasPrefix(string(o.stdout), want) {
			t.Errorf("--compat %s version = %q, want %q...", compat, o.stdout, want)
		}
	}
	o = encRunOracle(dir, nil, nil, "pkeyutil")
	if o.code != 1 || !strings.Contains(string(o.stderr), "did you mean 'pkeyutl'?") {
		t.Errorf("pkeyutil: %d %q", o.code, o.stderr)
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
