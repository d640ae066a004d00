package differential

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kmsconform/kmsconform/opensslcli"
	"github.com/kmsconform/kmsconform/oracle"
)

// encSeed fixes the random enc cases; set KMSCONFORM_ENC_SEED to explore
// others. Every spec name carries the seed and the case number, so a
// failure reproduces with the same seed.
var encSeed = func() uint64 {
	if s := os.Getenv("KMSCONFORM_ENC_SEED"); s != "" {
		if v, err := strconv.ParseUint(s, 10, 64); err == nil {
			return v
		}
	}
	return 20261123
}()

// encCasesPerDirection is the number of random cases in each direction.
const encCasesPerDirection = 400

// encCase is one random `enc` case: its parameters and who produces and
// who consumes the ciphertext.
type encCase struct {
	ID                  int
	Cipher, MD, KDF     string // KDF: bytestokey, pbkdf2, pbkdf2+iter, iter
	Iter                int
	SaltMode            string // random, S, nosalt, K
	B64                 string // "", a, aA
	NoPad               bool
	Size                int
	PassSrc             string // pass, file, fileCRLF, env, stdin
	Password            string
	SaltHex, KeyHex, IV string
	Producer, Consumer  string // host, lib, cli
}

func (c encCase) String() string {
	return fmt.Sprintf("seed %d case %d: %s→%s %s md=%s kdf=%s iter=%d salt=%s b64=%q nopad=%v size=%d pass=%s",
		encSeed, c.ID, c.Producer, c.Consumer, c.Cipher, c.MD, c.KDF, c.Iter, c.SaltMode, c.B64, c.NoPad, c.Size, c.PassSrc)
}

// deterministic reports whether openssl's output is fixed for these parameters.
func (c encCase) deterministic() bool { return c.SaltMode != "random" }

var encSizes = []int{0, 1, 15, 16, 17, 31, 32, 33, 47, 48, 63, 64, 65, 255, 256, 1023, 1024, 4095, 4096, 8192, 65535, 65536}

func encPick[T any](r *mrand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func encRandHex(r *mrand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return fmt.Sprintf("%x", b)
}

// encCases builds the random cases for one direction from the seed.
func encCases(toHost bool) []encCase {
	r := mrand.New(mrand.NewPCG(encSeed, map[bool]uint64{true: 1, false: 2}[toHost]))
	ciphers := oracle.EncCiphers()
	out := make([]encCase, 0, encCasesPerDirection)
	for i := 0; i < encCasesPerDirection; i++ {
		c := encCase{
			ID:       i,
			Cipher:   ciphers[i%len(ciphers)],
			MD:       encPick(r, []string{"md5", "sha1", "sha256", "sha512"}),
			KDF:      encPick(r, []string{"bytestokey", "pbkdf2", "pbkdf2+iter", "iter"}),
			SaltMode: encPick(r, []string{"random", "S", "nosalt", "K"}),
			B64:      encPick(r, []string{"", "", "a", "aA"}),
			PassSrc:  encPick(r, []string{"pass", "file", "fileCRLF", "env", "stdin"}),
		}
		if c.KDF == "pbkdf2+iter" || c.KDF == "iter" {
			c.Iter = encPick(r, []int{1, 2, 7, 1000, 20000})
		}
		if r.IntN(3) == 0 {
			c.Size = encPick(r, encSizes)
		} else {
			c.Size = r.IntN(300 << 10)
		}
		if strings.HasSuffix(c.Cipher, "cfb1") {
			c.Size %= 20 << 10 // bitwise CFB is slow on both sides
		}
		if (strings.HasSuffix(c.Cipher, "cbc") || strings.HasSuffix(c.Cipher, "ecb")) && r.IntN(5) == 0 {
			c.NoPad = true
			c.Size -= c.Size % 16
		}
		pw := make([]byte, 1+r.IntN(40))
		const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/=_-. !@#"
		for j := range pw {
			pw[j] = alphabet[r.IntN(len(alphabet))]
		}
		c.Password = string(pw)
		c.SaltHex = encRandHex(r, 8)
		c.KeyHex = encRandHex(r, 32)
		c.IV = encRandHex(r, 16)
		if toHost {
			c.Producer, c.Consumer = encPick(r, []string{"lib", "cli"}), "host"
		} else {
			c.Producer, c.Consumer = "host", encPick(r, []string{"lib", "cli"})
		}
		out = append(out, c)
	}
	return out
}

// keyBytes returns the -K key and -iv cut to the cipher's sizes.
func (c encCase) keyBytes() (key, iv []byte) {
	ci, err := oracle.LookupEncCipher(c.Cipher)
	Expect(err).NotTo(HaveOccurred())
	k := make([]byte, 32)
	v := make([]byte, 16)
	fmt.Sscanf(c.KeyHex, "%x", &k)
	fmt.Sscanf(c.IV, "%x", &v)
	key = k[:ci.KeyLen]
	if ci.IVLen > 0 {
		iv = v
	}
	return key, iv
}

// args returns the enc command line (after "openssl") for this case.
func (c encCase) args(decrypt bool, in, out string) []string {
	a := []string{"enc", "-" + c.Cipher, "-in", in, "-out", out}
	if decrypt {
		a = append(a, "-d")
	}
	if c.SaltMode == "K" {
		key, iv := c.keyBytes()
		a = append(a, "-K", fmt.Sprintf("%x", key))
		if iv != nil {
			a = append(a, "-iv", fmt.Sprintf("%x", iv))
		}
	} else {
		switch c.PassSrc {
		case "pass":
			a = append(a, "-pass", "pass:"+c.Password)
		case "file":
			a = append(a, "-pass", "file:pw.txt")
		case "fileCRLF":
			a = append(a, "-pass", "file:pwcrlf.txt")
		case "env":
			a = append(a, "-pass", "env:KMSCONFORM_ENC_PW")
		case "stdin":
			a = append(a, "-pass", "stdin")
		}
		a = append(a, "-md", c.MD)
		switch c.KDF {
		case "pbkdf2":
			a = append(a, "-pbkdf2")
		case "pbkdf2+iter":
			a = append(a, "-pbkdf2", "-iter", strconv.Itoa(c.Iter))
		case "iter":
			a = append(a, "-iter", strconv.Itoa(c.Iter))
		}
		switch c.SaltMode {
		case "S":
			a = append(a, "-S", c.SaltHex)
		case "nosalt":
			a = append(a, "-nosalt")
		}
	}
	switch c.B64 {
	case "a":
		a = append(a, "-a")
	case "aA":
		a = append(a, "-a", "-A")
	}
	if c.NoPad {
		a = append(a, "-nopad")
	}
	return a
}

// password is what openssl reads from the case's password source.
func (c encCase) password() []byte {
	if c.SaltMode == "K" {
		return nil
	}
	if c.PassSrc == "fileCRLF" {
		return []byte(c.Password + "\r") // -pass file: keeps the \r
	}
	return []byte(c.Password)
}

// params are the library parameters equal to args.
func (c encCase) params() oracle.EncParams {
	p := oracle.EncParams{Cipher: c.Cipher, NoPad: c.NoPad, Base64: c.B64 != "", Base64OneLine: c.B64 == "aA"}
	if c.SaltMode == "K" {
		p.Key, p.IV = c.keyBytes()
		return p
	}
	p.MD = c.MD
	p.PBKDF2 = c.KDF != "bytestokey"
	p.Iter = c.Iter
	switch c.SaltMode {
	case "S":
		fmt.Sscanf(c.SaltHex, "%x", &p.Salt)
	case "nosalt":
		p.NoSalt = true
	}
	return p
}

// encSetup writes the plaintext and the password files of case c into dir.
func encSetup(c encCase, dir string) []byte {
	r := mrand.New(mrand.NewPCG(encSeed, uint64(c.ID)+1000))
	plain := make([]byte, c.Size)
	for i := range plain {
		plain[i] = byte(r.Uint32())
	}
	Expect(os.WriteFile(filepath.Join(dir, "plain.bin"), plain, 0o600)).To(Succeed())
	Expect(os.WriteFile(filepath.Join(dir, "pw.txt"), []byte(c.Password+"\n"), 0o600)).To(Succeed())
	Expect(os.WriteFile(filepath.Join(dir, "pwcrlf.txt"), []byte(c.Password+"\r\n"), 0o600)).To(Succeed())
	return plain
}

// encRun runs one side of a case and returns its output file's bytes.
func encRun(c encCase, who, dir string, decrypt bool, in, out string) []byte {
	args := c.args(decrypt, in, out)
	stdin := []byte(c.Password + "\n")
	env := []string{"KMSCONFORM_ENC_PW=" + c.Password}
	var stderr []byte
	code := 0
	switch who {
	case "host":
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, hostOpenSSL, args...)
		cmd.Dir, cmd.Stdin, cmd.Env = dir, bytes.NewReader(stdin), append(os.Environ(), env...)
		var se bytes.Buffer
		cmd.Stderr = &se
		err := cmd.Run()
		stderr = se.Bytes()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else {
			Expect(err).NotTo(HaveOccurred(), "running openssl %s", strings.Join(args, " "))
		}
	case "cli":
		var se bytes.Buffer
		code = opensslcli.Main(args, opensslcli.Env{Dir: dir, Stdin: bytes.NewReader(stdin), Stdout: GinkgoWriter, Stderr: &se,
			Getenv: func(k string) string {
				if k == "KMSCONFORM_ENC_PW" {
					return c.Password
				}
				return os.Getenv(k)
			}})
		stderr = se.Bytes()
	case "lib":
		src, err := os.Open(filepath.Join(dir, in))
		Expect(err).NotTo(HaveOccurred())
		defer src.Close()
		var dst bytes.Buffer
		if decrypt {
			err = oracle.Decrypt(&dst, src, c.password(), c.params())
		} else {
			err = oracle.Encrypt(&dst, src, c.password(), c.params())
		}
		if err != nil {
			code, stderr = 1, []byte(err.Error())
		}
		Expect(os.WriteFile(filepath.Join(dir, out), dst.Bytes(), 0o600)).To(Succeed())
	}
	Expect(code).To(Equal(0), "%s: %s exit %d\ncommand: openssl %s\nstderr:\n%s", c, who, code, strings.Join(args, " "), stderr)
	b, err := os.ReadFile(filepath.Join(dir, out))
	Expect(err).NotTo(HaveOccurred())
	return b
}

// encHexDiff describes where a and b first differ, with hex context.
func encHexDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-16)
	return fmt.Sprintf("lengths %d vs %d, first difference at byte %d\n  want[%d:]: %x\n  got [%d:]: %x",
		len(a), len(b), i, lo, a[lo:min(len(a), i+32)], lo, b[lo:min(len(b), i+32)])
}

// encRoundTrip runs case c: the producer encrypts, the consumer decrypts,
// and where openssl is deterministic the other side's ciphertext must be
// byte-identical.
func encRoundTrip(c encCase) {
	dir := GinkgoT().TempDir()
	plain := encSetup(c, dir)
	ct := encRun(c, c.Producer, dir, false, "plain.bin", "ct.bin")
	dec := encRun(c, c.Consumer, dir, true, "ct.bin", "dec.bin")
	Expect(bytes.Equal(dec, plain)).To(BeTrue(), "%s: decrypted text differs\ncommand: openssl %s\n%s",
		c, strings.Join(c.args(true, "ct.bin", "dec.bin"), " "), encHexDiff(plain, dec))
	if c.deterministic() {
		ct2 := encRun(c, c.Consumer, dir, false, "plain.bin", "ct2.bin")
		Expect(bytes.Equal(ct, ct2)).To(BeTrue(), "%s: ciphertexts differ (%s vs %s)\ncommand: openssl %s\n%s",
			c, c.Producer, c.Consumer, strings.Join(c.args(false, "plain.bin", "ct.bin"), " "), encHexDiff(ct, ct2))
	}
}

var _ = Describe("openssl enc, oracle vs host openssl", Label("enc"), func() {
	for _, toHost := range []bool{true, false} {
		dir := "host encrypts, oracle decrypts"
		if toHost {
			dir = "oracle encrypts, host decrypts"
		}
		var entries []TableEntry
		for _, c := range encCases(toHost) {
			entries = append(entries, Entry(c.String(), Label("enc:"+c.Cipher), c))
		}
		DescribeTable(dir+" (byte-identical where deterministic)", encRoundTrip, entries)
	}

	It("fails a wrong password as openssl does (bad decrypt or, 1 in ~256, garbage with exit 0)", func() {
		dir := GinkgoT().TempDir()
		Expect(os.WriteFile(filepath.Join(dir, "p.txt"), []byte("attack at dawn\n"), 0o600)).To(Succeed())
		for i := 0; i < 8; i++ {
			salt := fmt.Sprintf("%016x", uint64(encSeed)+uint64(i))
			args := []string{"enc", "-aes-256-cbc", "-pbkdf2", "-S", salt, "-k", "right", "-in", "p.txt", "-out", "c.bin"}
			Expect(opensslcli.Main(args, opensslcli.Env{Dir: dir, Stderr: GinkgoWriter})).To(Equal(0))
			dec := []string{"enc", "-d", "-aes-256-cbc", "-pbkdf2", "-S", salt, "-k", "wrong", "-in", "c.bin", "-out", "d.bin"}
			hostCode := 0
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			cmd := exec.CommandContext(ctx, hostOpenSSL, dec...)
			cmd.Dir = dir
			hostOut, err := cmd.CombinedOutput()
			cancel()
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				hostCode = ee.ExitCode()
			}
			var se bytes.Buffer
			code := opensslcli.Main(dec, opensslcli.Env{Dir: dir, Stderr: &se})
			Expect(code).To(Equal(hostCode), "salt %s: host said %q, oracle %q", salt, hostOut, se.String())
			if hostCode != 0 {
				Expect(se.String()).To(ContainSubstring("bad decrypt"))
			}
		}
	})
})
