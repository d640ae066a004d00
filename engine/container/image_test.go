package container

import (
	"context"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kmsconform/kmsconform/engine"
	"github.com/kmsconform/kmsconform/images"
	"github.com/kmsconform/kmsconform/internal/cli"
)

func TestParseImageName(t *testing.T) {
	for name, want := range map[string][2]string{
		"image:example.com/mine/openssl:1":                                    {"example.com/mine/openssl:1", ""},
		"image:debian:12@/usr/bin/openssl":                                    {"debian:12", "/usr/bin/openssl"},
		"image:reg:5000/o/ssl@sha256:" + strings.Repeat("a", 64):              {"reg:5000/o/ssl@sha256:" + strings.Repeat("a", 64), ""},
		"image:o@sha256:" + strings.Repeat("b", 64) + "@/opt/ssl/bin/openssl": {"o@sha256:" + strings.Repeat("b", 64), "/opt/ssl/bin/openssl"},
	} {
		ref, bin, err := ParseImageName(name)
		if err != nil || ref != want[0] || bin != want[1] {
			t.Errorf("ParseImageName(%q) = %q, %q, %v; want %q, %q", name, ref, bin, err, want[0], want[1])
		}
	}
	for _, bad := range []string{"image:", "image:@/usr/bin/openssl", "image:x@/usr/../bin/openssl", "image:a b", "image:x@/"} {
		if _, _, err := ParseImageName(bad); err == nil {
			t.Errorf("ParseImageName(%q) accepted", bad)
		}
	}
	if _, err := engine.Open("image:"); cli.Code(err) != cli.ExitUsage {
		t.Errorf("Open(image:) = %v (code %d), want a usage error", err, cli.Code(err))
	}
}

// TestUserImageWithEvidence: kmsconform's 3.5 image re-tagged as a user's
// own runs as engine image:REF (and image:REF@/path), through the agent,
// and yields evidence: version -a, the binary's sha256 read in the
// container, the image and its id.
func TestUserImageWithEvidence(t *testing.T) {
	needDocker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	im, ok, err := images.Find(ctx, "3.5")
	if err != nil || !ok {
		t.Fatalf("no 3.5 image: %v", err)
	}
	const mine = "example.com/mine/openssl:1"
	if out, err := exec.CommandContext(ctx, "docker", "tag", im.Ref, mine).CombinedOutput(); err != nil {
		t.Fatalf("docker tag: %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("docker", "rmi", mine).Run() })

	for _, name := range []string{"image:" + mine, "image:" + mine + "@/usr/bin/openssl"} {
		t.Run(name, func(t *testing.T) {
			e, err := engine.Open(name)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer e.Close()
			v, err := e.Version(ctx)
			if err != nil || !strings.HasPrefix(v, "OpenSSL 3.5.") {
				t.Fatalf("Version = %q, %v", v, err)
			}
			p, err := engine.ProfileOf(ctx, e)
			if err != nil || p.Name != "3.0" {
				t.Fatalf("profile %q, %v", p.Name, err)
			}
			dir := t.TempDir()
			r, err := e.Run(ctx, engine.Command{Dir: dir, Args: []string{"enc", "-aes-256-cbc", "-pbkdf2", "-pass", "pass:x", "-a"}, Stdin: []byte("hi")})
			if err != nil || r.ExitCode != 0 || !strings.HasPrefix(string(r.Stdout), "U2FsdGVkX1") {
				t.Fatalf("enc: %v exit %d %q %q", err, r.ExitCode, r.Stdout, r.Stderr)
			}
			f, err := engine.Evidence(ctx, e)
			if err != nil {
				t.Fatalf("Evidence: %v", err)
			}
			if f.Image != mine || !strings.HasPrefix(f.ImageID, "sha256:") || f.ImageID != im.ID {
				t.Errorf("image %q id %q, want %q %q", f.Image, f.ImageID, mine, im.ID)
			}
			if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(f.SHA256) || !strings.HasPrefix(f.Binary, "/") {
				t.Errorf("binary %q sha256 %q", f.Binary, f.SHA256)
			}
			if !strings.Contains(f.VersionAll, "OPENSSLDIR:") || !strings.HasPrefix(f.VersionAll, v) || f.Profile != "3.0" || f.Warning != "" {
				t.Errorf("facts %+v", f)
			}
			t.Logf("evidence of %s: %+v", name, f)
			// The digest is the binary's: the same file hashed by the image's own openssl.
			out, err := e.(*Engine).shell(ctx, shQuote(f.Binary)+" dgst -sha256 -r "+shQuote(f.Binary), 30*time.Second)
			if err != nil || !strings.HasPrefix(out, f.SHA256) {
				t.Errorf("openssl dgst in the image = %q, %v; evidence says %s", out, err, f.SHA256)
			}
		})
	}
	// The digest differs from another image's openssl: evidence tells them apart.
	other := openT(t, "openssl-1.1.1")
	fo, err := engine.Evidence(ctx, other)
	if err != nil || fo.SHA256 == "" || fo.Image != mustFind(t, "1.1.1").Ref {
		t.Fatalf("openssl-1.1.1 evidence %+v, %v", fo, err)
	}
}

func TestUserImageErrors(t *testing.T) {
	needDocker(t)
	_, err := engine.Open("image:example.com/nobody/none:404")
	if cli.Code(err) != cli.ExitSetup || !strings.Contains(err.Error(), "no local image") {
		t.Errorf("missing image: %v (code %d)", err, cli.Code(err))
	}
	im := mustFind(t, "3.5")
	_, err = engine.Open("image:" + im.Ref + "@/usr/bin/no-openssl")
	if cli.Code(err) != cli.ExitSetup || !strings.Contains(err.Error(), "cannot run openssl") {
		t.Errorf("missing binary: %v (code %d)", err, cli.Code(err))
	}
	_, err = engine.Open("openssl-3.55")
	if cli.Code(err) != cli.ExitUsage || !strings.Contains(err.Error(), `did you mean "openssl-3.5"?`) {
		t.Errorf("openssl-3.55: %v (code %d)", err, cli.Code(err))
	}
}

func mustFind(t *testing.T, line string) images.Image {
	t.Helper()
	im, ok, err := images.Find(context.Background(), line)
	if err != nil || !ok {
		t.Fatalf("no %s image: %v", line, err)
	}
	return im
}
