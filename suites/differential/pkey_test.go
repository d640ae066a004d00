package differential

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kmsconform/kmsconform/opensslcli"
)

// pkResult is one run of either side.
type pkResult struct {
	stdout []byte
	stderr string
	code   int
}

// pkHost runs the host openssl in dir with a timeout.
func pkHost(dir string, stdin []byte, args ...string) pkResult {
	GinkgoHelper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, hostOpenSSL, args...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr, cmd.Stdin = &out, &errb, bytes.NewReader(stdin)
	code := 0
	if err := cmd.Run(); err != nil {
		ee, ok := err.(*exec.ExitError)
		Expect(ok).To(BeTrue(), "openssl %s: %v", strings.Join(args, " "), err)
		code = ee.ExitCode()
	}
	return pkResult{out.Bytes(), errb.String(), code}
}

// pkOracle runs `kmsconform openssl` in-process in dir.
func pkOracle(dir string, stdin []byte, args ...string) pkResult {
	var out, errb bytes.Buffer
	code := opensslcli.Main(args, opensslcli.Env{Dir: dir, Stdin: bytes.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }})
	return pkResult{out.Bytes(), errb.String(), code}
}

// pkOK fails the spec with the command line and stderr unless r exited 0.
func pkOK(who string, args []string, r pkResult) []byte {
	GinkgoHelper()
	Expect(r.code).To(Equal(0), "%s openssl %s\nstderr: %s", who, strings.Join(args, " "), r.stderr)
	return r.stdout
}

func pkWriteFile(dir, name string, data []byte) {
	GinkgoHelper()
	Expect(os.WriteFile(filepath.Join(dir, name), data, 0o600)).To(Succeed())
}

func pkReadFile(dir, name string) []byte {
	GinkgoHelper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	Expect(err).NotTo(HaveOccurred())
	return b
}

// pkQueue matches the reason of an openssl error-queue line.
var pkQueue = regexp.MustCompile(`:error:([0-9A-F]{8}):[^:]*:[^:]*:([^:]*):`)

// pkReasons lists the "code reason" pairs of the error-queue lines in stderr.
func pkReasons(stderr string) []string {
	var rs []string
	for _, m := range pkQueue.FindAllStringSubmatch(stderr, -1) {
		rs = append(rs, m[1]+" "+m[2])
	}
	return rs
}

// pkRSAKeys holds one host-generated RSA key per size (keygen is slow).
var pkRSAKeys = map[int]string{}

// pkRSAKeyDir returns a fresh directory holding priv.pem and pub.pem for an
// RSA key of the given size, generated once by the host openssl.
func pkRSAKeyDir(bits int) string {
	GinkgoHelper()
	dir := GinkgoT().TempDir()
	if _, ok := pkRSAKeys[bits]; !ok {
		args := []string{"genpkey", "-algorithm", "RSA", "-pkeyopt", fmt.Sprintf("rsa_keygen_bits:%d", bits)}
		pkRSAKeys[bits] = string(pkOK("host", args, pkHost(dir, nil, args...)))
	}
	pkWriteFile(dir, "priv.pem", []byte(pkRSAKeys[bits]))
	args := []string{"pkey", "-in", "priv.pem", "-pubout", "-out", "pub.pem"}
	pkOK("host", args, pkHost(dir, nil, args...))
	return dir
}

// pkScheme is one RSA encryption scheme as openssl command-line options.
type pkScheme struct {
	cmd   string   // "pkeyutl" or "rsautl"
	opts  []string // padding options, identical for encrypt and decrypt
	hLen  int      // label hash length for OAEP, 0 for PKCS#1
	pkcs1 bool
}

var pkSchemes = map[string]pkScheme{
	"OAEP-SHA1":             {"pkeyutl", []string{"-pkeyopt", "rsa_padding_mode:oaep"}, 20, false},
	"OAEP-SHA256":           {"pkeyutl", []string{"-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256"}, 32, false},
	"OAEP-SHA256-MGF1-SHA1": {"pkeyutl", []string{"-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256", "-pkeyopt", "rsa_mgf1_md:sha1"}, 32, false},
	"PKCS1":                 {"pkeyutl", nil, 0, true},
	"rsautl-oaep":           {"rsautl", []string{"-oaep"}, 20, false},
	"OAEP-SHA512-MGF1-SHA224-label": {"pkeyutl", []string{"-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha512",
		"-pkeyopt", "rsa_mgf1_md:sha224", "-pkeyopt", "rsa_oaep_label:6b6d73636f6e666f726d"}, 64, false},
}

// pkLimit is the longest plaintext for the scheme and key size.
func (s pkScheme) limit(bits int) int {
	k := bits / 8
	if s.pkcs1 {
		return k - 11
	}
	return k - 2*s.hLen - 2
}

func pkRSARoundTrips(bits int, scheme string) {
	s := pkSchemes[scheme]
	dir := pkRSAKeyDir(bits)
	max := s.limit(bits)
	sizes := []int{0, 1, 1 + mrand.IntN(max), 1 + mrand.IntN(max), max - 1, max}
	for _, n := range sizes {
		msg := make([]byte, n)
		_, _ = rand.Read(msg)
		pkWriteFile(dir, "msg", msg)
		enc := append([]string{s.cmd, "-encrypt", "-pubin", "-inkey", "pub.pem", "-in", "msg", "-out", "ct"}, s.opts...)
		dec := append([]string{s.cmd, "-decrypt", "-inkey", "priv.pem", "-in", "ct"}, s.opts...)
		By(fmt.Sprintf("%d bytes: oracle encrypts, host decrypts", n))
		pkOK("oracle", enc, pkOracle(dir, nil, enc...))
		Expect(pkReadFile(dir, "ct")).To(HaveLen(bits/8), "ciphertext length")
		Expect(pkOK("host", dec, pkHost(dir, nil, dec...))).To(Equal(msg), "host decryption of the oracle's ciphertext")
		By(fmt.Sprintf("%d bytes: host encrypts, oracle decrypts", n))
		pkOK("host", enc, pkHost(dir, nil, enc...))
		Expect(pkOK("oracle", dec, pkOracle(dir, nil, dec...))).To(Equal(msg), "oracle decryption of the host's ciphertext")
	}
	By(fmt.Sprintf("%d bytes, one past the limit: both refuse alike", max+1))
	pkWriteFile(dir, "msg", make([]byte, max+1))
	enc := append([]string{s.cmd, "-encrypt", "-pubin", "-inkey", "pub.pem", "-in", "msg"}, s.opts...)
	h, o := pkHost(dir, nil, enc...), pkOracle(dir, nil, enc...)
	Expect(h.code).To(Equal(1), "host exit code")
	Expect(o.code).To(Equal(h.code), "oracle exit code; stderr %s", o.stderr)
	Expect(pkReasons(o.stderr)).To(Equal(pkReasons(h.stderr)), "error queue\nhost:   %s\noracle: %s", h.stderr, o.stderr)
	Expect(h.stderr).To(ContainSubstring("data too large for key size"))
	Expect(strings.SplitN(o.stderr, "\n", 2)[0]).To(Equal(strings.SplitN(h.stderr, "\n", 2)[0]))
}

var _ = Describe("RSA encryption, oracle vs host openssl", Label("rsa"), func() {
	var entries []TableEntry
	for _, bits := range []int{2048, 3072, 4096} {
		for _, scheme := range []string{"OAEP-SHA1", "OAEP-SHA256", "OAEP-SHA256-MGF1-SHA1", "PKCS1", "rsautl-oaep", "OAEP-SHA512-MGF1-SHA224-label"} {
			entries = append(entries, Entry(fmt.Sprintf("RSA-%d %s", bits, scheme), Label(fmt.Sprintf("rsa:%d", bits), "scheme:"+scheme), bits, scheme))
		}
	}
	DescribeTable("round trips both ways, up to and one past the limit", pkRSARoundTrips, entries)

	It("generates RSA keys the host accepts and uses", func() {
		dir := GinkgoT().TempDir()
		gen := []string{"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "priv.pem"}
		pkOK("oracle", gen, pkOracle(dir, nil, gen...))
		chk := []string{"pkey", "-in", "priv.pem", "-check", "-noout"}
		pkOK("host", chk, pkHost(dir, nil, chk...))
		pub := []string{"rsa", "-in", "priv.pem", "-pubout", "-out", "pub.pem"}
		pkOK("oracle", pub, pkOracle(dir, nil, pub...))
		pkWriteFile(dir, "msg", []byte("oracle key"))
		enc := []string{"pkeyutl", "-encrypt", "-pubin", "-inkey", "pub.pem", "-in", "msg", "-out", "ct", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256"}
		pkOK("host", enc, pkHost(dir, nil, enc...))
		dec := []string{"pkeyutl", "-decrypt", "-inkey", "priv.pem", "-in", "ct", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256"}
		Expect(pkOK("host", dec, pkHost(dir, nil, dec...))).To(Equal([]byte("oracle key")))
		Expect(pkOK("oracle", dec, pkOracle(dir, nil, dec...))).To(Equal([]byte("oracle key")))
	})

	It("decrypts with the wrong OAEP hash as the host does: oaep decoding error", func() {
		dir := pkRSAKeyDir(2048)
		pkWriteFile(dir, "msg", []byte("data key"))
		enc := []string{"pkeyutl", "-encrypt", "-pubin", "-inkey", "pub.pem", "-in", "msg", "-out", "ct", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256"}
		pkOK("oracle", enc, pkOracle(dir, nil, enc...))
		dec := []string{"pkeyutl", "-decrypt", "-inkey", "priv.pem", "-in", "ct", "-pkeyopt", "rsa_padding_mode:oaep"}
		h, o := pkHost(dir, nil, dec...), pkOracle(dir, nil, dec...)
		Expect([]int{h.code, o.code}).To(Equal([]int{1, 1}))
		Expect(pkReasons(o.stderr)).To(Equal(pkReasons(h.stderr)))
	})

	It("treats rsa_oaep_md without rsa_padding_mode:oaep as PKCS#1 v1.5, as 3.x does", func() {
		dir := pkRSAKeyDir(2048)
		pkWriteFile(dir, "msg", []byte("quirk"))
		enc := []string{"pkeyutl", "-encrypt", "-pubin", "-inkey", "pub.pem", "-in", "msg", "-out", "ct", "-pkeyopt", "rsa_oaep_md:sha256"}
		dec := []string{"pkeyutl", "-decrypt", "-inkey", "priv.pem", "-in", "ct"}
		pkOK("host", enc, pkHost(dir, nil, enc...))
		Expect(pkOK("oracle", dec, pkOracle(dir, nil, dec...))).To(Equal([]byte("quirk")))
		pkOK("oracle", enc, pkOracle(dir, nil, enc...))
		Expect(pkOK("host", dec, pkHost(dir, nil, dec...))).To(Equal([]byte("quirk")))
	})
})

var _ = Describe("ECDH, oracle vs host openssl", Label("ecdh"), func() {
	DescribeTable("derives identical bytes both ways", func(curve string, size int) {
		dir := GinkgoT().TempDir()
		gen := []string{"ecparam", "-name", curve, "-genkey", "-noout", "-out", "a.pem"}
		pkOK("oracle", gen, pkOracle(dir, nil, gen...))
		gen = []string{"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:" + curve, "-out", "b.pem"}
		pkOK("host", gen, pkHost(dir, nil, gen...))
		for _, k := range []string{"a", "b"} {
			pub := []string{"ec", "-in", k + ".pem", "-pubout", "-out", k + "pub.pem"}
			pkOK("host", pub, pkHost(dir, nil, pub...))
		}
		ab := []string{"pkeyutl", "-derive", "-inkey", "a.pem", "-peerkey", "bpub.pem"}
		ba := []string{"pkeyutl", "-derive", "-inkey", "b.pem", "-peerkey", "apub.pem"}
		hAB, oAB := pkOK("host", ab, pkHost(dir, nil, ab...)), pkOK("oracle", ab, pkOracle(dir, nil, ab...))
		hBA, oBA := pkOK("host", ba, pkHost(dir, nil, ba...)), pkOK("oracle", ba, pkOracle(dir, nil, ba...))
		Expect(hAB).To(HaveLen(size))
		Expect(oAB).To(Equal(hAB), "oracle %x\nhost   %x", oAB, hAB)
		Expect(oBA).To(Equal(hBA))
		Expect(hBA).To(Equal(hAB), "ECDH is symmetric")
	},
		Entry("P-256", Label("curve:P-256"), "P-256", 32),
		Entry("P-384", Label("curve:P-384"), "secp384r1", 48),
		Entry("P-521", Label("curve:P-521"), "secp521r1", 66),
	)
})

var _ = Describe("DER/PEM key conversions, oracle vs host openssl", Label("keys"), func() {
	var dir string
	BeforeEach(func() {
		dir = pkRSAKeyDir(2048)
		for _, c := range []string{"prime256v1", "secp384r1", "secp521r1"} {
			g := []string{"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:" + c, "-out", "ec-" + c + ".pem"}
			pkOK("host", g, pkHost(dir, nil, g...))
		}
		d := []string{"rsa", "-pubin", "-in", "pub.pem", "-outform", "DER", "-out", "pub.der"}
		pkOK("host", d, pkHost(dir, nil, d...))
		d = []string{"ec", "-in", "ec-secp384r1.pem", "-pubout", "-outform", "DER", "-out", "ecpub.der"}
		pkOK("host", d, pkHost(dir, nil, d...))
	})
	DescribeTable("writes byte-identical output", func(args []string, stdinFile string) {
		var stdin []byte
		if stdinFile != "" {
			stdin = pkReadFile(dir, stdinFile)
		}
		h, o := pkHost(dir, stdin, args...), pkOracle(dir, stdin, args...)
		Expect(o.code).To(Equal(h.code), "exit codes; oracle stderr %s", o.stderr)
		Expect(o.stdout).To(Equal(h.stdout), "stdout of openssl %s", strings.Join(args, " "))
		Expect(o.stderr).To(Equal(h.stderr))
	},
		Entry("rsa -pubout", []string{"rsa", "-in", "priv.pem", "-pubout"}, ""),
		Entry("rsa -pubout -outform DER", []string{"rsa", "-in", "priv.pem", "-pubout", "-outform", "DER"}, ""),
		Entry("rsa private PEM (PKCS#8)", []string{"rsa", "-in", "priv.pem"}, ""),
		Entry("rsa private DER", []string{"rsa", "-in", "priv.pem", "-outform", "DER"}, ""),
		Entry("rsa -traditional", []string{"rsa", "-in", "priv.pem", "-traditional"}, ""),
		Entry("rsa -RSAPublicKey_out", []string{"rsa", "-in", "priv.pem", "-RSAPublicKey_out"}, ""),
		Entry("rsa DER public from stdin to PEM", []string{"rsa", "-pubin", "-inform", "DER", "-pubout", "-outform", "PEM"}, "pub.der"),
		Entry("ec P-256 -pubout -outform DER", []string{"ec", "-in", "ec-prime256v1.pem", "-pubout", "-outform", "DER"}, ""),
		Entry("ec P-384 -pubout", []string{"ec", "-in", "ec-secp384r1.pem", "-pubout"}, ""),
		Entry("ec P-521 private SEC1", []string{"ec", "-in", "ec-secp521r1.pem"}, ""),
		Entry("ec P-521 private SEC1 DER", []string{"ec", "-in", "ec-secp521r1.pem", "-outform", "DER"}, ""),
		Entry("ec DER public to PEM", []string{"ec", "-pubin", "-inform", "DER", "-outform", "PEM", "-in", "ecpub.der"}, ""),
		Entry("ecparam P-384", []string{"ecparam", "-name", "P-384"}, ""),
	)
})
