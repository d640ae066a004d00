package doctor

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
)

func TestDifference(t *testing.T) {
	for _, c := range []struct {
		got, want, diff string
		structural      bool
	}{
		{"hello\n", "hello", "differs only by a trailing newline (the plaintext ends with \\n", true},
		{"hello", "hello\n", "differs only by a trailing newline (the expected text ends with \\n", true},
		{"hello\r\n", "hello", "differs only by a trailing CRLF", true},
		{"a\r\nb\r\n", "a\nb\n", "differs only in line endings (the plaintext has CRLF", true},
		{"a\nb\n", "a\r\nb\r\n", "differs only in line endings (the plaintext has LF", true},
		{"hello \t\n", "hello", "differs only in trailing whitespace", true},
		{"hello world\n", "hello", "the expected text is a prefix of the plaintext (7 more bytes)", true},
		{"hel", "hello", "the plaintext is a prefix of the expected text (2 bytes short)", true},
		{"HELLO", "hello", "differs only in letter case", true},
		{"hello world", "hello there", "the plaintext differs at byte 6 (the plaintext is 11 bytes, the expected text 11)", false},
	} {
		diff, st := difference([]byte(c.got), []byte(c.want))
		if !strings.Contains(diff, c.diff) || st != c.structural {
			t.Errorf("difference(%q, %q) = %q, %v; want %q, %v", c.got, c.want, diff, st, c.diff, c.structural)
		}
	}
	// random bytes are no near miss; the same bytes sharing a long prefix
	// with the expected text are, for a padded mode only
	if _, ok := nearMiss([]byte{0x93, 0x01, 0xfe, 0x44, 0x10}, []byte("hello"), true); ok {
		t.Error("random bytes taken for a near miss")
	}
	if _, ok := nearMiss([]byte("ledger 2024\x01\x02"), []byte("ledger 2025"), true); !ok {
		t.Error("a long common prefix after a valid padding is a near miss")
	}
	if _, ok := nearMiss([]byte("ledger 2024\x01\x02"), []byte("ledger 2025"), false); ok {
		t.Error("a common prefix is no near miss for a stream mode (CTR, CFB and OFB share the first block)")
	}
}

// The password is right but --expect-text is not byte for byte the
// plaintext: the doctor must say so, never "check the password". Files are
// made by the real openssl.
func TestDiagnoseEncNearMiss(t *testing.T) {
	const text = "Quarterly ledger export\nid,amount\n1,100.00\n"
	cases := []struct {
		name    string
		produce []string
		plain   string
		expect  string
		diff    string
		cipher  string
		md      string
		pbkdf2  bool
		summary string
	}{
		{name: "expect-text without the trailing newline", produce: []string{"-aes-256-cbc", "-pbkdf2"},
			plain: text, expect: strings.TrimSuffix(text, "\n"), diff: "differs only by a trailing newline",
			cipher: "aes-256-cbc", md: "sha256", pbkdf2: true, summary: "near miss: the usual settings and the password are right"},
		{name: "expect-text a prefix, md5 legacy", produce: []string{"-aes-256-cbc", "-md", "md5"},
			plain: text, expect: "Quarterly ledger", diff: "the expected text is a prefix of the plaintext (27 more bytes)",
			cipher: "aes-256-cbc", md: "md5", summary: "consistent with -md md5 without -pbkdf2 (legacy EVP_BytesToKey) on the producer; near miss"},
		{name: "CRLF data, LF expected", produce: []string{"-aes-256-cbc", "-pbkdf2", "-iter", "1000"},
			plain: strings.ReplaceAll(text, "\n", "\r\n"), expect: text, diff: "differs only in line endings",
			cipher: "aes-256-cbc", md: "sha256", pbkdf2: true, summary: "consistent with -iter 1000 on the producer; near miss"},
		{name: "stream mode, no trailing newline expected", produce: []string{"-aes-128-ctr", "-pbkdf2"},
			plain: text, expect: strings.TrimSuffix(text, "\n"), diff: "differs only by a trailing newline",
			cipher: "aes-128-ctr", md: "sha256", pbkdf2: true, summary: "consistent with -aes-128-ctr on the producer; near miss"},
		{name: "another text of the same kind", produce: []string{"-aes-256-cbc", "-pbkdf2"},
			plain: text, expect: "Quarterly ledger export\nid,amount\n1,999.00\n", diff: "differs at byte 36",
			cipher: "aes-256-cbc", md: "sha256", pbkdf2: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, "plain.txt", tc.plain)
			opensslRun(t, dir, append(append([]string{"enc", "-e"}, tc.produce...), "-pass", "pass:s3cret", "-in", "plain.txt", "-out", "data.enc")...)
			req := EncRequest{Data: read(t, dir, "data.enc"), InPath: "data.enc", Pass: PassSource{Spec: "pass:s3cret", Password: []byte("s3cret")}, Expect: []byte(tc.expect)}
			rep, err := DiagnoseEnc(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			code := PrintEnc(&b, req, rep)
			msg := b.String()
			t.Logf("\n%s", msg)
			f := rep.Found
			if f == nil || !f.NearMiss || f.Certain {
				t.Fatalf("no near miss found: %+v", f)
			}
			wantParams(t, f.Params, tc.cipher, tc.md, tc.pbkdf2, map[bool]int{true: f.Params.Iter, false: 0}[tc.pbkdf2], "as given")
			if !strings.Contains(f.Difference, tc.diff) || !strings.Contains(msg, tc.diff) {
				t.Errorf("difference %q; want %q in it and in the output", f.Difference, tc.diff)
			}
			if !strings.Contains(f.Summary, tc.summary) {
				t.Errorf("summary %q; want %q", f.Summary, tc.summary)
			}
			if code != 1 || strings.Contains(msg, "check that the password") {
				t.Errorf("exit %d; a near miss is a fault (1) and the password was right", code)
			}
			out, err := shRun(t, dir, f.Command)
			if err != nil || string(out) != tc.plain {
				t.Errorf("printed command does not decrypt with the real openssl: %s -> %q (%v)", f.Command, out, err)
			}
		})
	}
}

// A wrong password with --expect: nothing decrypts cleanly, the hint says
// what was tried, counted, and to check the password; exit 1. (The search
// is cut to three iteration counts to keep the test cheap.)
func TestDiagnoseEncWrongPasswordCounts(t *testing.T) {
	saved := iterCounts
	iterCounts = []int{1, 1000, 10000}
	t.Cleanup(func() { iterCounts = saved })
	dir := t.TempDir()
	write(t, dir, "plain.txt", "some text\n")
	opensslRun(t, dir, "enc", "-aes-256-cbc", "-pbkdf2", "-iter", "1000", "-pass", "pass:producer", "-in", "plain.txt", "-out", "data.enc")
	req := EncRequest{Data: read(t, dir, "data.enc"), InPath: "data.enc", Pass: PassSource{Spec: "pass:other", Password: []byte("other")}, Expect: []byte("some text")}
	rep, err := DiagnoseEnc(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if code := PrintEnc(&b, req, rep); code != 1 || rep.Found != nil {
		t.Fatalf("exit %d, found %+v", code, rep.Found)
	}
	variants := len(passwordVariants(req.Pass))
	wantDeriv := variants * len(digests) * (1 + len(iterCounts)) // one reading: binary with header
	if rep.Derivations != wantDeriv || rep.Candidates != wantDeriv*len(encCiphers) {
		t.Errorf("counted %d derivations, %d candidates; want %d, %d", rep.Derivations, rep.Candidates, wantDeriv, wantDeriv*len(encCiphers))
	}
	msg := b.String()
	for _, w := range []string{"tried " + strconv.Itoa(wantDeriv) + " key derivations", strconv.Itoa(variants) + " password variant(s) (as given, ", "-pbkdf2 -iter 1, 1000, 10000)", "4 digests (-md sha256, md5, sha1, sha512)", "check that the password is the producer's"} {
		if !strings.Contains(msg, w) {
			t.Errorf("output lacks %q:\n%s", w, msg)
		}
	}
}

// A file made with the usual settings and the right password, as expected:
// no fault, exit 0.
func TestDiagnoseEncNoFault(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "plain.txt", "fine\n")
	opensslRun(t, dir, "enc", "-aes-256-cbc", "-pbkdf2", "-pass", "pass:pw", "-in", "plain.txt", "-out", "data.enc")
	req := EncRequest{Data: read(t, dir, "data.enc"), InPath: "data.enc", Pass: PassSource{Spec: "pass:pw", Password: []byte("pw")}, Expect: []byte("fine\n")}
	rep, err := DiagnoseEnc(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if code := PrintEnc(&b, req, rep); code != 0 || rep.Found == nil || rep.Found.Fault || !strings.HasPrefix(rep.Found.Summary, "no fault") {
		t.Fatalf("exit %d, finding %+v\n%s", code, rep.Found, b.String())
	}
	if strings.Contains(b.String(), "error:") {
		t.Errorf("no fault printed as an error:\n%s", b.String())
	}
}

// Short or empty expectations do not turn random stream output into near
// misses.
func TestNearMissNeedsEvidence(t *testing.T) {
	if _, ok := nearMiss([]byte("ab\n"), []byte("ab"), false); ok {
		t.Error("a 2-byte stream-mode relation taken for a near miss")
	}
	if _, ok := nearMiss([]byte("ab\n"), []byte("ab"), true); !ok {
		t.Error("a padded-mode trailing newline on 2 bytes is a near miss")
	}
	if _, ok := nearMiss([]byte{0x93, 0x01, 0xfe}, []byte{}, false); ok {
		t.Error("an empty expectation made random bytes a near miss")
	}
}
