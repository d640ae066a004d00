// Package partners holds example partner tools, correct and typically
// broken, in shell, Java, Node and Python; this test runs each through
// `kmsconform partner` logic against the in-process KMS fake and checks
// the verdict and the diagnosis.
package partners_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kmsconform/kmsconform/partner"
)

type example struct {
	name, cmd, alg string
	hybrid         bool
	derive         bool   // --derive instead of --encrypt
	decrypt        bool   // --decrypt instead of --encrypt
	wrap           bool   // --wrap-import (alg is the wrapping algorithm)
	kdf            string // with derive
	pubFormat      string // with derive
	specs          []string
	pass           bool
	diagnosis      string // substring of a diagnosis
	detail         string // substring of a failing case's detail (no diagnosis)
	stack          string // substring of a fingerprint's stack or call ("consistent with")
	needs          string // interpreter that must be installed
}

// builds compiles the Java and Go examples on first use, once per test
// run, into one temporary directory: only the subtests selected with -run
// pay for javac and go build.
type builds struct {
	here, dir string
	mu        sync.Mutex
	done      map[string]string // marker → command
}

// java returns a marker for the command that runs a compiled single-file
// Java example (what `java File.java` does on every run, at a second or
// more each); cp is an extra class path (a jar) or "".
func (b *builds) java(class, cp string) string { return "@java:" + class + ":" + cp + "@" }

// goBin returns a marker for a Go example built from go/DIR.
func (b *builds) goBin(dir string) string { return "@go:" + dir + "@" }

// resolve replaces the marker at the start of cmd, building it if needed.
func (b *builds) resolve(t *testing.T, cmd string) string {
	t.Helper()
	if !strings.HasPrefix(cmd, "@") {
		return cmd
	}
	end := strings.Index(cmd[1:], "@") + 1
	marker, rest := cmd[:end+1], cmd[end+1:]
	b.mu.Lock()
	defer b.mu.Unlock()
	if c, ok := b.done[marker]; ok {
		return c + rest
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	parts := strings.Split(strings.Trim(marker, "@"), ":")
	var c string
	switch parts[0] {
	case "java":
		class, cp := parts[1], parts[2]
		if _, err := exec.LookPath("javac"); err != nil {
			t.Fatalf("javac (Java 17) is needed to run the Java partner examples: %v", err)
		}
		out := filepath.Join(b.dir, "java")
		args := []string{"-d", out, filepath.Join(b.here, "java", class+".java")}
		classpath := out
		if cp != "" {
			if _, err := os.Stat(cp); err != nil {
				t.Fatalf("%s is needed (Debian package libbcprov-java): %v", cp, err)
			}
			args = append([]string{"-cp", cp}, args...)
			classpath += ":" + cp
		}
		if msg, err := exec.CommandContext(ctx, "javac", args...).CombinedOutput(); err != nil {
			t.Fatalf("javac %s.java: %v\n%s", class, err, msg)
		}
		c = "java -cp " + classpath + " " + class
	case "go":
		bin := filepath.Join(b.dir, "go", parts[1])
		if msg, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "./"+filepath.Join("go", parts[1])).CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", parts[1], err, msg)
		}
		c = bin
	}
	b.done[marker] = c
	return c + rest
}

func TestPartnerExamples(t *testing.T) {
	here, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	sh := func(s string) string { return filepath.Join(here, "shell", s) }
	b := &builds{here: here, dir: t.TempDir(), done: map[string]string{}}
	const io3 = " {pubkey_pem} {in} {out}"
	const hy = " {pubkey_pem} {data_in} {data_out} {key_out}"
	all := partner.KeySpecs
	one := []string{"RSA_2048"}
	// Interpreted tools start slowly: the smallest and the largest key.
	ends := []string{"RSA_2048", "RSA_4096"}
	const der3 = " {pubkey_der} {in} {out}"
	const priv3 = " {privkey_pem} {in} {out}"
	const wrap3 = " {wrapping_pubkey_der} {material_in} {out}"
	const ecdhPEM = " {kms_pubkey_pem} {pubkey_out} {secret_out}"
	const ecdhDER = " {kms_pubkey_der} {pubkey_out} {secret_out}"
	eccAll := partner.ECCKeySpecs
	p256 := []string{"ECC_NIST_P256"}
	p521 := []string{"ECC_NIST_P521"}
	examples := []example{
		{name: "shell oaep-sha256", cmd: sh("oaep-sha256.sh") + io3, alg: "RSAES_OAEP_SHA_256", specs: all, pass: true},
		{name: "shell oaep md without padding mode", cmd: sh("oaep-md-without-padding-mode.sh") + io3, alg: "RSAES_OAEP_SHA_256", specs: one,
			diagnosis: "PKCS#1 v1.5", stack: "openssl pkeyutl -encrypt without"},
		{name: "shell truncating tool", cmd: sh("oaep-truncates.sh") + io3, alg: "RSAES_OAEP_SHA_256", specs: one,
			detail: "the tool accepted 191 bytes and silently encrypted 190 bytes of them"},
		{name: "shell hybrid", cmd: sh("hybrid.sh") + hy, alg: "RSAES_OAEP_SHA_256", hybrid: true, specs: all, pass: true},
		{name: "shell hybrid CRLF key file", cmd: sh("hybrid-crlf-key-file.sh") + hy, alg: "RSAES_OAEP_SHA_256", hybrid: true, specs: one,
			diagnosis: "carriage return"},
		{name: "shell hybrid without -pbkdf2", cmd: sh("hybrid-no-pbkdf2.sh") + hy, alg: "RSAES_OAEP_SHA_256", hybrid: true, specs: one,
			diagnosis: "legacy key derivation (EVP_BytesToKey, no -pbkdf2)"},
		{name: "java explicit OAEPParameterSpec", cmd: b.java("OaepExplicit", "") + io3, alg: "RSAES_OAEP_SHA_256", specs: ends, pass: true, needs: "java"},
		{name: "java OAEPWithSHA-256AndMGF1Padding defaults", cmd: b.java("OaepDefaults", "") + io3, alg: "RSAES_OAEP_SHA_256", specs: one,
			diagnosis: "MGF1 with SHA-1", stack: "SunJCE", needs: "java"},
		{name: "java BouncyCastle OAEPWithSHA-256AndMGF1Padding", cmd: b.java("OaepBouncyCastle", "/usr/share/java/bcprov.jar") + io3, alg: "RSAES_OAEP_SHA_256", specs: one, pass: true, needs: "java"},
		{name: "node oaepHash sha256", cmd: "node " + filepath.Join(here, "node", "oaep-sha256.js") + io3, alg: "RSAES_OAEP_SHA_256", specs: ends, pass: true, needs: "node"},
		{name: "node default oaepHash", cmd: "node " + filepath.Join(here, "node", "oaep-default-hash.js") + io3, alg: "RSAES_OAEP_SHA_256", specs: one,
			diagnosis: "OAEP with sha1", stack: "without oaepHash", needs: "node"},
		{name: "webcrypto RSA-OAEP SHA-256", cmd: "node " + filepath.Join(here, "node", "webcrypto-oaep.js") + der3, alg: "RSAES_OAEP_SHA_256", specs: one, pass: true, needs: "node"},
		{name: "webcrypto RSA-OAEP SHA-1 where SHA-256 was promised", cmd: "node " + filepath.Join(here, "node", "webcrypto-oaep.js") + der3 + " SHA-1", alg: "RSAES_OAEP_SHA_256", specs: one,
			diagnosis: "OAEP with sha1", stack: "WebCrypto", needs: "node"},
		{name: "go crypto/rsa OAEP SHA-256", cmd: b.goBin("oaep-sha256") + der3, alg: "RSAES_OAEP_SHA_256", specs: all, pass: true},
		{name: "node default oaepHash is fine for SHA_1", cmd: "node " + filepath.Join(here, "node", "oaep-default-hash.js") + io3, alg: "RSAES_OAEP_SHA_1", specs: one, pass: true, needs: "node"},
		{name: "python OAEP SHA-256", cmd: "python3 " + filepath.Join(here, "python", "oaep_sha256.py") + io3, alg: "RSAES_OAEP_SHA_256", specs: ends, pass: true, needs: "python3"},
		{name: "python mismatched hashes", cmd: "python3 " + filepath.Join(here, "python", "oaep_mismatched.py") + io3, alg: "RSAES_OAEP_SHA_256", specs: one,
			diagnosis: "label hash sha1 and MGF1 hash sha256", stack: "padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA1()", needs: "python3"},

		// ECDH (--derive): the tool gets the KMS public key, writes its own and Z.
		{name: "shell openssl ECDH", derive: true, cmd: sh("ecdh.sh") + ecdhPEM, specs: eccAll, pass: true},
		{name: "shell openssl ECDH that hashes Z", derive: true, cmd: sh("ecdh-sha256.sh") + ecdhPEM, specs: p256,
			diagnosis: "SHA-256(Z)", stack: "DeriveKeyMaterial"},
		{name: "shell openssl ECDH, PEM public key accepted", derive: true, cmd: sh("ecdh-pem.sh") + ecdhPEM, specs: p256, pass: true},
		{name: "shell openssl ECDH, PEM where DER was agreed", derive: true, pubFormat: "der", cmd: sh("ecdh-pem.sh") + ecdhPEM, specs: p256,
			diagnosis: "writes its public key as PEM", stack: "Python cryptography"},
		{name: "python ECDH raw Z", derive: true, cmd: "python3 " + filepath.Join(here, "python", "ecdh_raw.py") + ecdhPEM, specs: p256, pass: true, needs: "python3"},
		{name: "python ECDH with HKDF where raw was agreed", derive: true, cmd: "python3 " + filepath.Join(here, "python", "ecdh_hkdf.py") + ecdhPEM, specs: p256,
			diagnosis: "HKDF-SHA256(Z) with empty salt and info", stack: "HKDF(...).derive(shared)", needs: "python3"},
		{name: "python ECDH with HKDF as agreed", derive: true, kdf: "hkdf-sha256::", cmd: "python3 " + filepath.Join(here, "python", "ecdh_hkdf.py") + ecdhPEM, specs: p256, pass: true, needs: "python3"},
		{name: "python ECDH raw where HKDF was agreed", derive: true, kdf: "hkdf-sha256::", cmd: "python3 " + filepath.Join(here, "python", "ecdh_raw.py") + ecdhPEM, specs: p256,
			diagnosis: "applies no KDF", stack: "Node crypto", needs: "python3"},
		{name: "node crypto ECDH", derive: true, cmd: "node " + filepath.Join(here, "node", "ecdh-raw.js") + ecdhPEM, specs: eccAll, pass: true, needs: "node"},
		{name: "node createECDH getPublicKey (bare point)", derive: true, cmd: "node " + filepath.Join(here, "node", "ecdh-getpublickey.js") + ecdhPEM, specs: p256,
			diagnosis: "bare EC point", stack: "ecdh.getPublicKey()", needs: "node"},
		{name: "webcrypto ECDH", derive: true, cmd: "node " + filepath.Join(here, "node", "webcrypto-ecdh.js") + ecdhDER, specs: eccAll, pass: true, needs: "node"},
		{name: "webcrypto ECDH deriveBits 256 on P-384", derive: true, cmd: "node " + filepath.Join(here, "node", "webcrypto-ecdh-256bits.js") + ecdhDER, specs: []string{"ECC_NIST_P384"},
			diagnosis: "only the first bytes of Z", stack: "WebCrypto", needs: "node"},
		{name: "go crypto/ecdh", derive: true, cmd: b.goBin("ecdh-raw") + ecdhDER, specs: eccAll, pass: true},
		{name: "go big.Int drops leading zeros", derive: true, cmd: b.goBin("ecdh-bigint") + ecdhDER, specs: p521,
			diagnosis: "drops Z's leading zero bytes", stack: "new(big.Int).SetBytes(z).Bytes()"},
		{name: "java SunEC ECDH", derive: true, cmd: b.java("EcdhRaw", "") + ecdhDER, specs: eccAll, pass: true, needs: "java"},
		{name: "java BigInteger round trip", derive: true, cmd: b.java("EcdhBigInteger", "") + ecdhDER, specs: p521,
			diagnosis: "drops Z's leading zero bytes", stack: "BigInteger", needs: "java"},

		// Data key pair consumers (--decrypt): openssl encrypts with the pair's public key.
		{name: "shell openssl decrypt OAEP SHA-256", decrypt: true, cmd: sh("decrypt-oaep-sha256.sh") + priv3, alg: "RSAES_OAEP_SHA_256", specs: all, pass: true},
		{name: "shell rsautl -oaep decrypt", decrypt: true, cmd: sh("decrypt-rsautl-oaep.sh") + priv3, alg: "RSAES_OAEP_SHA_256", specs: one,
			diagnosis: "decrypts RSAES_OAEP_SHA_1", stack: "rsautl"},
		{name: "python decrypt OAEP SHA-256", decrypt: true, cmd: "python3 " + filepath.Join(here, "python", "decrypt_oaep_sha256.py") + priv3, alg: "RSAES_OAEP_SHA_256", specs: one, pass: true, needs: "python3"},
		{name: "node privateDecrypt default oaepHash", decrypt: true, cmd: "node " + filepath.Join(here, "node", "decrypt-default-hash.js") + priv3, alg: "RSAES_OAEP_SHA_256", specs: one,
			diagnosis: "decrypts RSAES_OAEP_SHA_1", stack: "without oaepHash", needs: "node"},
		{name: "java SunJCE decrypt defaults", decrypt: true, cmd: b.java("DecryptDefaults", "") + " {privkey_der} {in} {out}", alg: "RSAES_OAEP_SHA_256", specs: one,
			diagnosis: "label hash sha256 and MGF1 sha1", stack: "SunJCE", needs: "java"},
		{name: "go PKCS#1-only key parser", decrypt: true, cmd: b.goBin("decrypt-pkcs1") + priv3, alg: "RSAES_OAEP_SHA_256", specs: one,
			diagnosis: "PKCS#8", stack: "x509.ParsePKCS1PrivateKey"},

		// Key material wrapping for ImportKeyMaterial (--wrap-import).
		{name: "shell wrap OAEP SHA-256", wrap: true, cmd: sh("wrap-oaep-sha256.sh") + wrap3, alg: "RSAES_OAEP_SHA_256", specs: all, pass: true},
		{name: "shell wrap KWP", wrap: true, cmd: sh("wrap-kwp.sh") + wrap3, alg: "RSA_AES_KEY_WRAP_SHA_256", specs: one, pass: true},
		{name: "shell wrap KW where KWP is needed", wrap: true, cmd: sh("wrap-kw.sh") + wrap3, alg: "RSA_AES_KEY_WRAP_SHA_256", specs: one,
			diagnosis: "without padding (KW, RFC 3394)", stack: "aes_key_wrap"},
		{name: "shell wraps its own material", wrap: true, cmd: sh("wrap-own-material.sh") + wrap3, alg: "RSAES_OAEP_SHA_256", specs: one,
			diagnosis: "wraps other bytes than the key material"},
		{name: "python wrap KWP", wrap: true, cmd: "python3 " + filepath.Join(here, "python", "wrap_kwp.py") + wrap3, alg: "RSA_AES_KEY_WRAP_SHA_256", specs: one, pass: true, needs: "python3"},
		{name: "node wrap with default oaepHash", wrap: true, cmd: "node " + filepath.Join(here, "node", "wrap-oaep-default.js") + " {wrapping_pubkey_pem} {material_in} {out}", alg: "RSAES_OAEP_SHA_256", specs: one,
			diagnosis: "OAEP with sha1", stack: "without oaepHash", needs: "node"},
	}
	for _, ex := range examples {
		t.Run(ex.name, func(t *testing.T) {
			t.Parallel() // most of the time is the tools' start-up
			if ex.needs != "" {
				if _, err := exec.LookPath(ex.needs); err != nil {
					t.Fatalf("%s is needed to run this partner example: %v", ex.needs, err)
				}
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			ex.cmd = b.resolve(t, ex.cmd)
			o := partner.Options{Encrypt: ex.cmd, Algorithm: ex.alg, Hybrid: ex.hybrid, KeySpecs: ex.specs, Timeout: 90 * time.Second}
			if ex.derive {
				o = partner.Options{Derive: ex.cmd, KDF: ex.kdf, PubkeyFormat: ex.pubFormat, KeySpecs: ex.specs, Timeout: 90 * time.Second}
			}
			if ex.wrap {
				o = partner.Options{WrapImport: ex.cmd, WrappingAlgorithm: ex.alg, KeySpecs: ex.specs, Timeout: 90 * time.Second}
			}
			if ex.decrypt {
				o = partner.Options{Decrypt: ex.cmd, Algorithm: ex.alg, KeySpecs: ex.specs, Timeout: 90 * time.Second}
			}
			res, err := partner.Run(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			code := partner.Print(&out, res)
			if res.Pass != ex.pass || (code == 0) != ex.pass {
				t.Fatalf("verdict pass=%v exit=%d, want pass=%v\n%s", res.Pass, code, ex.pass, out.String())
			}
			if ex.pass {
				if len(res.Diagnoses) != 0 {
					t.Errorf("a passing tool got diagnoses %q", res.Diagnoses)
				}
				return
			}
			if ex.detail != "" {
				for _, c := range res.Cases {
					if !c.Pass && strings.Contains(c.Detail, ex.detail) {
						return
					}
				}
				t.Fatalf("no failing case says %q\n%s", ex.detail, out.String())
			}
			if !anyContains(res.Diagnoses, ex.diagnosis) {
				t.Fatalf("diagnoses %q, want one to mention %q\n%s", res.Diagnoses, ex.diagnosis, out.String())
			}
			if ex.stack != "" && !fingerprinted(res, ex.stack) {
				t.Errorf("no fingerprint names %q\n%s", ex.stack, out.String())
			}
			dir := t.TempDir()
			if err := partner.WriteReport(dir, res); err != nil {
				t.Fatal(err)
			}
			md, err := os.ReadFile(filepath.Join(dir, "partner.md"))
			if err != nil || !bytes.Contains(md, []byte("# Partner tool check: FAIL")) || !bytes.Contains(md, []byte(ex.diagnosis)) {
				t.Errorf("partner.md lacks the verdict or the diagnosis (%v):\n%s", err, md)
			}
		})
	}
}

func anyContains(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// fingerprinted reports whether a candidate stack of res names sub, and
// that every candidate carries a fix.
func fingerprinted(res *partner.Result, sub string) bool {
	found := false
	for _, fp := range res.Fingerprints {
		for _, s := range fp.Stacks {
			if s.Fix == "" || s.Language == "" {
				return false
			}
			found = found || strings.Contains(s.Stack+" "+s.Call, sub)
		}
	}
	return found
}
