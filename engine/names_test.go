package engine_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kmsconform/kmsconform/engine"
	"github.com/kmsconform/kmsconform/internal/cli"
)

func TestNamesAndForms(t *testing.T) {
	names := strings.Join(engine.Names(), " ")
	for _, want := range []string{"host", "oracle", "oracle@1.1.1", "oracle-bin", "oracle-bin@libressl-2.8"} {
		if !strings.Contains(" "+names+" ", " "+want+" ") {
			t.Errorf("Names() lacks %q: %s", want, names)
		}
	}
	forms := strings.Join(engine.Forms(), " ")
	for _, want := range []string{"host:/path/to/openssl", "oracle@COMPAT"} {
		if !strings.Contains(forms, want) {
			t.Errorf("Forms() lacks %q: %s", want, forms)
		}
	}
}

func TestOpenSuggests(t *testing.T) {
	for name, want := range map[string]string{
		"orcale":        `did you mean "oracle"?`,
		"hostt":         `did you mean "host"?`,
		"oracle@1.1":    "", // an alias of 1.1.1: opens
		"oracle@1.1.11": `did you mean "oracle@1.1.1"?`,
	} {
		e, err := engine.Open(name)
		if want == "" {
			if err != nil {
				t.Errorf("Open(%q): %v", name, err)
			} else {
				e.Close()
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), want) || cli.Code(err) != cli.ExitUsage {
			t.Errorf("Open(%q) = %v (code %d), want %s and exit 2", name, err, cli.Code(err), want)
		}
	}
	_, err := engine.Open("zzzzzzzz")
	if err == nil || strings.Contains(err.Error(), "did you mean") || !strings.Contains(err.Error(), "host:/path/to/openssl") {
		t.Errorf("Open(zzzzzzzz) = %v", err)
	}
	_, err = engine.Open("host:/nonexistent/openssl")
	if cli.Code(err) != cli.ExitSetup {
		t.Errorf("missing host binary: %v (code %d), want exit 3", err, cli.Code(err))
	}
}

func TestChooseProfileNearest(t *testing.T) {
	for v, want := range map[string][2]string{
		"OpenSSL 3.0.19 27 Jan 2026":                           {"3.0", ""},
		"OpenSSL 3.6.5 1 Jan 2027":                             {"3.0", ""},
		"OpenSSL 3.7.0 1 Apr 2027":                             {"3.0", "nearest, 3.0"},
		"OpenSSL 5.1.0 1 Apr 2030":                             {"4.0", "nearest, 4.0"},
		"OpenSSL 1.1.0l 10 Sep 2019":                           {"1.1.1", "nearest, 1.1.1"},
		"OpenSSL 0.9.8zh 3 Dec 2015":                           {"1.0.2", "nearest, 1.0.2"},
		"LibreSSL 3.3.6":                                       {"libressl-3.3", ""},
		"LibreSSL 4.0.0":                                       {"libressl-3.3", "nearest"},
		"OpenSSL 3.0 (kmsconform oracle devel, compat 3.0: x)": {"3.0", ""},
	} {
		p, warn, err := engine.ChooseProfile(v)
		if err != nil || p.Name != want[0] || (want[1] == "") != (warn == "") || !strings.Contains(warn, want[1]) {
			t.Errorf("ChooseProfile(%q) = %s, %q, %v; want %s, %q", v, p.Name, warn, err, want[0], want[1])
		}
	}
}

// TestHostEvidence: the host engine's evidence is `openssl version -a` and
// the binary's sha256; an openssl of an unknown version (a script standing
// in for OpenSSL 5.1) gets the nearest profile and a warning naming it.
func TestHostEvidence(t *testing.T) {
	ctx := context.Background()
	e, err := engine.Open("host")
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	f, err := engine.Evidence(ctx, e)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := engine.FileSHA256(f.Binary)
	if !strings.HasPrefix(f.VersionAll, f.Version) || !strings.Contains(f.VersionAll, "OPENSSLDIR") ||
		!regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(f.SHA256) || f.SHA256 != want || f.Warning != "" {
		t.Errorf("host facts %+v", f)
	}

	dir := t.TempDir()
	fake := filepath.Join(dir, "openssl")
	script := "#!/bin/sh\ncase \"$*\" in 'version') echo 'OpenSSL 5.1.0 1 Apr 2030';; 'version -a') printf 'OpenSSL 5.1.0 1 Apr 2030\\nplatform: x\\n';; *) exit 1;; esac\n"
	if err := os.WriteFile(fake, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	e5, err := engine.Open("host:" + fake)
	if err != nil {
		t.Fatal(err)
	}
	f, err = engine.Evidence(ctx, e5)
	if err != nil || f.Profile != "4.0" || !strings.Contains(f.Warning, "OpenSSL 5.1") || !strings.Contains(f.Warning, "nearest, 4.0") ||
		f.VersionAll != "OpenSSL 5.1.0 1 Apr 2030\nplatform: x" {
		t.Errorf("OpenSSL 5.1 facts %+v, %v", f, err)
	}
	if p, err := engine.ProfileOf(ctx, e5); err != nil || p.Name != "4.0" {
		t.Errorf("ProfileOf = %s, %v", p.Name, err)
	}
}

func TestOracleEvidence(t *testing.T) {
	e, err := engine.Open("oracle@1.1.1")
	if err != nil {
		t.Fatal(err)
	}
	f, err := engine.Evidence(context.Background(), e)
	if err != nil || f.Profile != "1.1.1" || !strings.Contains(f.VersionAll, "kmsconform oracle") || f.SHA256 == "" {
		t.Errorf("oracle facts %+v, %v", f, err)
	}
}
