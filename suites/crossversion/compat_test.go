package crossversion_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kmsconform/kmsconform/engine"
	"github.com/kmsconform/kmsconform/engine/container"
)

// compatCase is one command line run on a real version and on the oracle
// under that version's --compat profile. Both must agree on the exit code,
// on the presence of each Keys line in stderr and, when Exact, on the
// output bytes. The facts of the real binaries (from openssl-interop.md)
// are data too: FailsOn lists the lines where the command must fail, and
// KeyOn[k] the lines whose stderr must contain k; a real binary that
// disagrees fails the spec, so the facts stay pinned.
type compatCase struct {
	Name  string
	Args  []string
	Stdin []byte
	// Exact compares stdout byte for byte (deterministic commands).
	Exact bool
	// StdoutLen, when non-zero, is the stdout length both must give.
	StdoutLen int
	// FailsOn lists the lines where the real command exits non-zero.
	FailsOn []string
	// KeyOn maps a stderr substring to the lines whose stderr has it.
	KeyOn map[string][]string
}

const plainText = "kmsconform cross-version plaintext\n"

var (
	allLines = []string{"1.1.1", "3.0", "3.5", "3.6", "4.0"}
	lines3up = []string{"3.0", "3.5", "3.6", "4.0"}
)

var compatCases = []compatCase{
	{Name: "enc -S writes Salted__ up to 1.1.1 only", Exact: true,
		Args:  []string{"enc", "-aes-256-cbc", "-pass", "pass:pw", "-S", "0102030405060708", "-in", "plain.txt"},
		KeyOn: map[string][]string{"deprecated key derivation": allLines}},
	{Name: "enc -S with -pbkdf2", Exact: true,
		Args: []string{"enc", "-aes-256-cbc", "-pbkdf2", "-pass", "pass:pw", "-S", "0102030405060708", "-in", "plain.txt"}},
	{Name: "enc default -md (sha256 from 1.1.0)", Exact: true,
		Args:  []string{"enc", "-aes-256-cbc", "-nosalt", "-pass", "pass:pw", "-in", "plain.txt"},
		KeyOn: map[string][]string{"deprecated key derivation": allLines}},
	{Name: "enc -md md5 (the 1.0.2 default)", Exact: true,
		Args: []string{"enc", "-aes-256-cbc", "-nosalt", "-md", "md5", "-pass", "pass:pw", "-in", "plain.txt"}},
	{Name: "enc -pbkdf2 -iter", Exact: true,
		Args: []string{"enc", "-aes-128-cbc", "-pbkdf2", "-iter", "1000", "-nosalt", "-pass", "pass:pw", "-in", "plain.txt"}},
	{Name: "enc -pbkdf2 -md sha1 -a", Exact: true,
		Args: []string{"enc", "-aes-256-cbc", "-pbkdf2", "-md", "sha1", "-a", "-nosalt", "-pass", "pass:pw", "-in", "plain.txt"}},
	{Name: "enc -d of a 1.1.1-style salted file", Exact: true,
		Args: []string{"enc", "-d", "-aes-256-cbc", "-pbkdf2", "-pass", "pass:pw", "-in", "salted.bin"}},
	{Name: "enc -d with a wrong password: bad decrypt", Exact: true,
		Args:    []string{"enc", "-d", "-aes-256-cbc", "-pbkdf2", "-nosalt", "-pass", "pass:wrong", "-in", "nosalt.bin"},
		FailsOn: allLines, KeyOn: map[string][]string{"bad decrypt": allLines}},
	{Name: "enc -d -S of a headerless 3.x file: 1.1.1 wants the header", Exact: true,
		Args:    []string{"enc", "-d", "-aes-256-cbc", "-pbkdf2", "-S", "0011223344556677", "-pass", "pass:pw", "-in", "noheader.bin"},
		FailsOn: []string{"1.1.1"}, KeyOn: map[string][]string{"bad magic number": {"1.1.1"}}},
	{Name: "enc -pass file: of a CRLF file (the CR stays in the password)", Exact: true,
		Args: []string{"enc", "-aes-256-cbc", "-pbkdf2", "-nosalt", "-pass", "file:pw.crlf", "-in", "plain.txt"}},
	{Name: "enc -pass file: of an LF file", Exact: true,
		Args: []string{"enc", "-aes-256-cbc", "-pbkdf2", "-nosalt", "-pass", "file:pw.lf", "-in", "plain.txt"}},
	{Name: "rand -hex 16", StdoutLen: 33,
		Args: []string{"rand", "-hex", "16"}},
	{Name: "pkeyutl -derive P-256 (raw X coordinate)", Exact: true, StdoutLen: 32,
		Args: []string{"pkeyutl", "-derive", "-inkey", "ec_a.pem", "-peerkey", "ec_b_pub.pem"}},
	{Name: "kdf HKDF from 3.0 on", Exact: true,
		Args:    []string{"kdf", "-keylen", "32", "-kdfopt", "digest:SHA256", "-kdfopt", "hexkey:000102030405", "-kdfopt", "hexinfo:6b6d73", "-binary", "HKDF"},
		FailsOn: []string{"1.1.1"}, KeyOn: map[string][]string{"Invalid command": {"1.1.1"}}},
	{Name: "kdf command exists from 3.0 on", Exact: true,
		Args:    []string{"kdf", "-keylen", "16", "-kdfopt", "digest:SHA256", "-kdfopt", "pass:pw", "-kdfopt", "salt:salt", "-kdfopt", "iter:1000", "PBKDF2"},
		FailsOn: []string{"1.1.1"}, KeyOn: map[string][]string{"Invalid command": {"1.1.1"}}},
	{Name: "pkeyutl DER public key without -keyform", StdoutLen: 256,
		Args:    []string{"pkeyutl", "-encrypt", "-pubin", "-inkey", "pub.der", "-in", "msg.bin"},
		FailsOn: []string{"1.1.1"}},
	{Name: "pkeyutl DER public key with -keyform DER", StdoutLen: 256,
		Args: []string{"pkeyutl", "-encrypt", "-pubin", "-keyform", "DER", "-inkey", "pub.der", "-in", "msg.bin"}},
	{Name: "rsautl -oaep is deprecated from 3.0 on", StdoutLen: 256,
		Args:  []string{"rsautl", "-encrypt", "-oaep", "-pubin", "-inkey", "pub.pem", "-in", "msg.bin"},
		KeyOn: map[string][]string{"deprecated": lines3up}},
	{Name: "pkeyutl OAEP SHA-256 options", StdoutLen: 256,
		Args: []string{"pkeyutl", "-encrypt", "-pubin", "-inkey", "pub.pem", "-pkeyopt", "rsa_padding_mode:oaep",
			"-pkeyopt", "rsa_oaep_md:sha256", "-pkeyopt", "rsa_mgf1_md:sha256", "-in", "msg.bin"}},
	{Name: "pkeyutl OAEP decrypt", Exact: true,
		Args: []string{"pkeyutl", "-decrypt", "-inkey", "priv.pem", "-pkeyopt", "rsa_padding_mode:oaep",
			"-pkeyopt", "rsa_oaep_md:sha256", "-in", "oaep256.bin"}},
}

// fixtureDir holds the files every compat case starts from, made once by
// the host's openssl (a real binary: never mocked).
var fixtureDir string

func makeFixtures(ctx context.Context) {
	dir, err := os.MkdirTemp("", "kmsconform-crossversion-fixtures-")
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(os.RemoveAll, dir)
	host := func(args ...string) {
		cmd := exec.CommandContext(ctx, "openssl", args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		Expect(err).NotTo(HaveOccurred(), "host `openssl %s`: %s", strings.Join(args, " "), out)
	}
	Expect(os.WriteFile(filepath.Join(dir, "plain.txt"), []byte(plainText), 0o600)).To(Succeed())
	Expect(os.WriteFile(filepath.Join(dir, "msg.bin"), bytes.Repeat([]byte{0x5a}, 32), 0o600)).To(Succeed())
	host("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "priv.pem")
	host("pkey", "-in", "priv.pem", "-pubout", "-out", "pub.pem")
	host("pkey", "-in", "priv.pem", "-pubout", "-outform", "DER", "-out", "pub.der")
	host("enc", "-aes-256-cbc", "-pbkdf2", "-pass", "pass:pw", "-in", "plain.txt", "-out", "salted.bin")
	host("enc", "-aes-256-cbc", "-pbkdf2", "-nosalt", "-pass", "pass:pw", "-in", "plain.txt", "-out", "nosalt.bin")
	host("enc", "-aes-256-cbc", "-pbkdf2", "-S", "0011223344556677", "-pass", "pass:pw", "-in", "plain.txt", "-out", "noheader.bin")
	host("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec_a.pem")
	host("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec_b.pem")
	host("ec", "-in", "ec_b.pem", "-pubout", "-out", "ec_b_pub.pem")
	Expect(os.WriteFile(filepath.Join(dir, "pw.crlf"), []byte("secret\r\n"), 0o600)).To(Succeed())
	Expect(os.WriteFile(filepath.Join(dir, "pw.lf"), []byte("secret\n"), 0o600)).To(Succeed())
	host("pkeyutl", "-encrypt", "-pubin", "-inkey", "pub.pem", "-pkeyopt", "rsa_padding_mode:oaep",
		"-pkeyopt", "rsa_oaep_md:sha256", "-in", "msg.bin", "-out", "oaep256.bin")
	fixtureDir = dir
}

// workDir copies the fixtures into a fresh directory for one engine.
func workDir() string {
	dir := GinkgoT().TempDir()
	ents, err := os.ReadDir(fixtureDir)
	Expect(err).NotTo(HaveOccurred())
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(fixtureDir, e.Name()))
		Expect(err).NotTo(HaveOccurred())
		Expect(os.WriteFile(filepath.Join(dir, e.Name()), b, 0o600)).To(Succeed())
	}
	return dir
}

func compatEntries() []TableEntry {
	var out []TableEntry
	for _, l := range lines {
		for _, c := range compatCases {
			out = append(out, Entry(c.Name+" @ openssl "+l.Name, lineLabels(container.Prefix+l.Name), Label("compat"), l.Name, c))
		}
	}
	return out
}

var _ = DescribeTable("oracle --compat against the real version", func(ctx SpecContext, line string, c compatCase) {
	needDocker()
	realE, oracleE := engines[container.Prefix+line], engines["oracle@"+line]
	run := func(e engine.OpenSSL) engine.Result {
		r, err := e.Run(ctx, engine.Command{Dir: workDir(), Args: c.Args, Stdin: c.Stdin})
		Expect(err).NotTo(HaveOccurred(), "%s could not run `openssl %s`", e.Name(), strings.Join(c.Args, " "))
		return r
	}
	real, orc := run(realE), run(oracleE)
	cmdline := "openssl " + strings.Join(c.Args, " ")
	show := func(r engine.Result) string {
		return "exit " + strconv.Itoa(r.ExitCode) + "\nstderr: " + string(r.Stderr)
	}

	// The real binary still behaves as documented.
	wantFail := slices.Contains(c.FailsOn, line)
	Expect(real.ExitCode != 0).To(Equal(wantFail), "real openssl %s: `%s`: want failure=%v\n%s", line, cmdline, wantFail, show(real))
	for key, on := range c.KeyOn {
		want := slices.Contains(on, line)
		Expect(bytes.Contains(real.Stderr, []byte(key))).To(Equal(want), "real openssl %s: `%s`: stderr has %q should be %v\n%s", line, cmdline, key, want, show(real))
	}

	// The oracle under --compat agrees with it.
	Expect(orc.ExitCode).To(Equal(real.ExitCode), "oracle --compat %s vs real openssl %s: `%s`: exit codes differ\noracle %s\nreal %s", line, line, cmdline, show(orc), show(real))
	for key := range c.KeyOn {
		Expect(bytes.Contains(orc.Stderr, []byte(key))).To(Equal(bytes.Contains(real.Stderr, []byte(key))),
			"oracle --compat %s: `%s`: stderr line %q present in real openssl %s: %v\noracle %s\nreal %s", line, cmdline, key, line, bytes.Contains(real.Stderr, []byte(key)), show(orc), show(real))
	}
	if real.ExitCode != 0 {
		return
	}
	if c.StdoutLen > 0 {
		Expect(real.Stdout).To(HaveLen(c.StdoutLen), "real openssl %s: `%s`", line, cmdline)
		Expect(orc.Stdout).To(HaveLen(c.StdoutLen), "oracle --compat %s: `%s`", line, cmdline)
	}
	if c.Exact {
		Expect(orc.Stdout).To(Equal(real.Stdout), "oracle --compat %s: `%s`: output differs from real openssl %s\noracle %x\nreal   %x", line, cmdline, line, orc.Stdout, real.Stdout)
	}
}, compatEntries())
