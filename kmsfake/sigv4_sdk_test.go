package kmsfake

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/kms"
)

const (
	testAK     = "AKIDEXAMPLE"
	testSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
)

func verifyEnv(t testing.TB) *testEnv {
	t.Helper()
	creds := writeFile(t, t.TempDir(), "credentials", []byte("[default]\naws_access_key_id = "+testAK+"\naws_secret_access_key = "+testSecret+"\n"))
	return newEnv(t, Options{SigV4: "verify", CredentialsFile: creds})
}

// sdkSigned builds a POST to base with the given headers and body, signed
// by aws-sdk-go-v2's own signer for service, region and time at.
func sdkSigned(t testing.TB, base, target, body string, hdr map[string]string, service, region string, at time.Time) *http.Request {
	t.Helper()
	r, err := http.NewRequest(http.MethodPost, base+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", jsonType)
	if target != "" {
		r.Header.Set("X-Amz-Target", target)
	}
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	sum := sha256.Sum256([]byte(body))
	if err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: testAK, SecretAccessKey: testSecret},
		r, hex.EncodeToString(sum[:]), service, region, at); err != nil {
		t.Fatal(err)
	}
	return r
}

// asReceived is r as a server reads it off the wire: written by net/http's
// client encoder, parsed by its server parser.
func asReceived(t testing.TB, r *http.Request, body []byte) (*http.Request, []byte) {
	t.Helper()
	var buf bytes.Buffer
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	if err := r.Write(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := http.ReadRequest(bufio.NewReader(&buf))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, buf.String())
	}
	b, _ := io.ReadAll(got.Body)
	return got, b
}

func (s *Server) authOf(r *http.Request, body []byte) *apiError {
	return s.authenticate(&call{s: s, sc: scope{s.opts.Account, s.opts.Region}}, r, body)
}

var regionsForTest = []string{"us-east-1", "eu-west-3", "ap-southeast-2", "us-gov-west-1", "il-central-1"}

// TestSigV4EqualsSDKSigner signs many random requests with the SDK's
// signer: the fake accepts every one, and refuses every single change to a
// signed part (a body bit, a signed header, the target, the date, the
// scope, the signature, the path, the query, the host, the signed-headers
// list). Headers added after signing do not matter, as in SigV4.
func TestSigV4EqualsSDKSigner(t *testing.T) {
	e := verifyEnv(t)
	rng := rand.New(rand.NewPCG(1, 2))
	var ops []string
	for op := range operations {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	extraNames := []string{"X-Amz-User-Agent", "Amz-Sdk-Invocation-Id", "Amz-Sdk-Request", "X-Custom-Thing", "X-Amz-Security-Token", "Accept"}
	const n = 300
	refused := map[string]int{}
	for i := 0; i < n; i++ {
		body := make([]byte, rng.IntN(300))
		for j := range body {
			body[j] = byte(rng.IntN(256))
		}
		if rng.IntN(2) == 0 {
			body, _ = json.Marshal(map[string]any{"KeyId": fmt.Sprintf("k-%d", rng.Int()), "Plaintext": body})
		}
		hdr := map[string]string{}
		for _, h := range extraNames {
			if rng.IntN(2) == 0 {
				hdr[h] = fmt.Sprintf("v%d  spaced\tvalue %d", rng.IntN(1000), i)
			}
		}
		target := targetPrefix + ops[rng.IntN(len(ops))]
		region := regionsForTest[rng.IntN(len(regionsForTest))]
		at := time.Now().Add(time.Duration(rng.Int64N(int64(28*time.Minute))) - 14*time.Minute).Truncate(time.Second)
		signed := sdkSigned(t, e.hs.URL, target, string(body), hdr, "kms", region, at)
		r, b := asReceived(t, signed, body)
		if ae := e.srv.authOf(r, b); ae != nil {
			t.Fatalf("request %d signed by the SDK refused: %v\n%v", i, ae, r.Header)
		}
		// An unsigned header added afterwards is allowed.
		r2, b2 := asReceived(t, signed.Clone(context.Background()), body)
		r2.Header.Set("User-Agent", "something else")
		r2.Header.Set("X-Added-Later", "1")
		if ae := e.srv.authOf(r2, b2); ae != nil {
			t.Fatalf("request %d with an unsigned header added refused: %v", i, ae)
		}
		for _, m := range sigMutations(rng, body) {
			mr, mb := asReceived(t, signed.Clone(context.Background()), body)
			mb = m.apply(mr, mb)
			if ae := e.srv.authOf(mr, mb); ae == nil {
				t.Fatalf("request %d: mutation %q accepted\n%v", i, m.name, mr.Header)
			} else if a, ok := MatchAnswer(ae.Code, ae.Message); !ok || a.ID != ae.ID {
				t.Fatalf("refusal %v is not its Answers entry %s", ae, ae.ID)
			} else {
				refused[m.name+" -> "+ae.ID]++
			}
		}
	}
	t.Logf("%d SDK-signed requests accepted; refusals: %v", n, refused)
}

type sigMutation struct {
	name  string
	apply func(r *http.Request, body []byte) []byte
}

// changeChar replaces one character of s by a different letter or digit.
func changeChar(rng *rand.Rand, s string) string {
	if s == "" {
		return "x"
	}
	i := rng.IntN(len(s))
	const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	for {
		c := alnum[rng.IntN(len(alnum))]
		if c != s[i] {
			return s[:i] + string(c) + s[i+1:]
		}
	}
}

func setAuth(r *http.Request, f func(a *sigv4Auth)) {
	a, _ := parseAuthorization(r.Header.Get("Authorization"))
	f(a)
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+a.credential+", SignedHeaders="+a.signedHeaders+", Signature="+a.signature)
}

func sigMutations(rng *rand.Rand, body []byte) []sigMutation {
	ms := []sigMutation{
		{"target", func(r *http.Request, b []byte) []byte {
			swap := map[bool]string{true: "DescribeKey", false: "ScheduleKeyDeletion"}
			r.Header.Set("X-Amz-Target", targetPrefix+swap[r.Header.Get("X-Amz-Target") == targetPrefix+"ScheduleKeyDeletion"])
			return b
		}},
		{"date+1s", func(r *http.Request, b []byte) []byte {
			d, _ := time.Parse(amzDateLayout, r.Header.Get("X-Amz-Date"))
			r.Header.Set("X-Amz-Date", d.Add(time.Second).Format(amzDateLayout))
			return b
		}},
		{"signature", func(r *http.Request, b []byte) []byte {
			setAuth(r, func(a *sigv4Auth) {
				i := rng.IntN(len(a.signature))
				c := "0123456789abcdef"[rng.IntN(16)]
				for c == a.signature[i] {
					c = "0123456789abcdef"[rng.IntN(16)]
				}
				a.signature = a.signature[:i] + string(c) + a.signature[i+1:]
			})
			return b
		}},
		{"region", func(r *http.Request, b []byte) []byte {
			setAuth(r, func(a *sigv4Auth) {
				f := strings.Split(a.credential, "/")
				f[2] = map[bool]string{true: "us-west-2", false: "us-east-1"}[f[2] == "us-east-1"]
				a.credential = strings.Join(f, "/")
			})
			return b
		}},
		{"access key", func(r *http.Request, b []byte) []byte {
			setAuth(r, func(a *sigv4Auth) { a.credential = "AKIDOTHER" + strings.TrimPrefix(a.credential, testAK) })
			return b
		}},
		{"path", func(r *http.Request, b []byte) []byte { r.URL.Path = "/x"; r.URL.RawPath = ""; return b }},
		{"query", func(r *http.Request, b []byte) []byte { r.URL.RawQuery = "a=b"; return b }},
		{"host", func(r *http.Request, b []byte) []byte {
			r.Host = "127.0.0.2" + strings.TrimPrefix(r.Host, "127.0.0.1")
			return b
		}},
		{"method", func(r *http.Request, b []byte) []byte { r.Method = http.MethodPut; return b }},
		{"drop signed header", func(r *http.Request, b []byte) []byte {
			setAuth(r, func(a *sigv4Auth) {
				a.signedHeaders = strings.Replace(a.signedHeaders, "content-type;", "", 1)
			})
			return b
		}},
		{"add signed header", func(r *http.Request, b []byte) []byte {
			r.Header.Set("X-Zzz", "1")
			setAuth(r, func(a *sigv4Auth) { a.signedHeaders += ";x-zzz" })
			return b
		}},
		{"signed header value", func(r *http.Request, b []byte) []byte {
			r.Header.Set("Content-Type", changeChar(rng, r.Header.Get("Content-Type")))
			return b
		}},
	}
	if len(body) > 0 {
		ms = append(ms, sigMutation{"body bit", func(r *http.Request, b []byte) []byte {
			c := bytes.Clone(b)
			i := rng.IntN(len(c) * 8)
			c[i/8] ^= 1 << (i % 8)
			return c
		}}, sigMutation{"body truncated", func(r *http.Request, b []byte) []byte { return b[:len(b)-1] }})
	}
	ms = append(ms, sigMutation{"body appended", func(r *http.Request, b []byte) []byte { return append(bytes.Clone(b), ' ') }})
	return ms
}

// sendRaw sends r over real HTTP and returns status, error code and message.
func sendRaw(t testing.TB, r *http.Request) (int, string, string) {
	t.Helper()
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	b, _ := io.ReadAll(resp.Body)
	json.Unmarshal(b, &m)
	return resp.StatusCode, m.Type, m.Message
}

// TestSigV4Refusals sends, over real HTTP, validly signed requests that
// AWS refuses: outside the 15-minute window, scoped to another service,
// day or region, with a bad terminator, or without host, x-amz-date or
// x-amz-target among the signed headers. Each gets AWS's code and text.
func TestSigV4Refusals(t *testing.T) {
	e := verifyEnv(t)
	now := time.Now().UTC()
	list := func(mod func(*http.Request), service, region string, at time.Time) *http.Request {
		r := sdkSigned(t, e.hs.URL, targetPrefix+"ListKeys", "{}", nil, service, region, at)
		if mod != nil {
			mod(r)
		}
		return r
	}
	ts := `[0-9]{8}T[0-9]{6}Z`
	type refusal struct {
		name    string
		req     *http.Request
		code    string
		id      string
		message string // a regexp
	}
	cases := []refusal{
		{"400 days old", list(nil, "kms", "us-east-1", now.Add(-400*24*time.Hour)), codeSigMismatch, "Sig.Expired",
			`^Signature expired: ` + ts + ` is now earlier than ` + ts + ` \(` + ts + ` - 15 min\.\)$`},
		{"16 minutes old", list(nil, "kms", "us-east-1", now.Add(-16*time.Minute)), codeSigMismatch, "Sig.Expired", `^Signature expired: `},
		{"1 day ahead", list(nil, "kms", "us-east-1", now.Add(24*time.Hour)), codeSigMismatch, "Sig.NotYetCurrent",
			`^Signature not yet current: ` + ts + ` is still later than ` + ts + ` \(` + ts + ` \+ 15 min\.\)$`},
		{"scoped to s3", list(nil, "s3", "us-east-1", now), codeSigMismatch, "Sig.Service", `^Credential should be scoped to correct service: 'kms'\. $`},
		{"no region", list(nil, "kms", "", now), codeSigMismatch, "Sig.Region", `^Credential should be scoped to a valid region, not ''\. $`},
		{"bogus region", list(nil, "kms", "moon", now), codeSigMismatch, "Sig.Region", `^Credential should be scoped to a valid region, not 'moon'\. $`},
		{"scope of another day", list(func(r *http.Request) {
			setAuth(r, func(a *sigv4Auth) {
				f := strings.Split(a.credential, "/")
				f[1] = now.Add(-48 * time.Hour).Format("20060102")
				a.credential = strings.Join(f, "/")
			})
		}, "kms", "us-east-1", now), codeSigMismatch, "Sig.ScopeDate", `^Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP\. $`},
		{"bad terminator", list(func(r *http.Request) {
			setAuth(r, func(a *sigv4Auth) { a.credential = strings.Replace(a.credential, "aws4_request", "aws5_request", 1) })
		}, "kms", "us-east-1", now), codeSigMismatch, "Sig.Terminator", `'aws4_request', not 'aws5_request'`},
		{"four scope parts", list(func(r *http.Request) {
			setAuth(r, func(a *sigv4Auth) { a.credential = strings.Replace(a.credential, "/kms/", "/", 1) })
		}, "kms", "us-east-1", now), codeIncomplete, "Sig.CredentialParts", `^Credential must have exactly 5 slash-delimited elements`},
		{"host not signed", list(func(r *http.Request) {
			setAuth(r, func(a *sigv4Auth) { a.signedHeaders = strings.Replace(a.signedHeaders, "host;", "", 1) })
		}, "kms", "us-east-1", now), codeIncomplete, "Sig.HostNotSigned", `^'Host' or ':authority' must be a 'SignedHeader'`},
		{"x-amz-date not signed", list(func(r *http.Request) {
			setAuth(r, func(a *sigv4Auth) { a.signedHeaders = strings.Replace(a.signedHeaders, ";x-amz-date", "", 1) })
		}, "kms", "us-east-1", now), codeIncomplete, "Sig.DateNotSigned", `^'X-Amz-Date' must be a 'SignedHeader'`},
		{"no x-amz-date", list(func(r *http.Request) { r.Header.Del("X-Amz-Date") }, "kms", "us-east-1", now), codeIncomplete, "Sig.NoDate",
			`^Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header\. Authorization=AWS4-HMAC-SHA256 .*Signature=\.\.\.$`},
		{"unknown key", list(func(r *http.Request) {
			setAuth(r, func(a *sigv4Auth) { a.credential = "AKIDNOBODY" + strings.TrimPrefix(a.credential, testAK) })
		}, "kms", "us-east-1", now), codeUnrecognized, "Sig.UnknownKey", `^The security token included in the request is invalid\.$`},
		{"unsigned payload claimed", list(func(r *http.Request) { r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD") }, "kms", "us-east-1", now),
			"", "", ""},
	}
	// x-amz-target not signed: sign without the header, then add it.
	unsignedTarget := sdkSigned(t, e.hs.URL, "", "{}", nil, "kms", "us-east-1", now)
	unsignedTarget.Header.Set("X-Amz-Target", targetPrefix+"ListKeys")
	cases = append(cases, refusal{"x-amz-target not signed", unsignedTarget, codeIncomplete, "Sig.TargetNotSigned", `^'X-Amz-Target' must be a 'SignedHeader'`})
	for _, c := range cases {
		status, code, msg := sendRaw(t, c.req)
		if c.code == "" { // accepted: an unsigned extra header does not matter
			if status != 200 {
				t.Errorf("%s: %d %s %s, want 200", c.name, status, code, msg)
			}
			continue
		}
		if status != 400 || code != c.code || !regexp.MustCompile(c.message).MatchString(msg) {
			t.Errorf("%s: %d %s %q, want 400 %s matching %s", c.name, status, code, msg, c.code, c.message)
		}
		if a, ok := MatchAnswer(code, msg); !ok || a.ID != c.id {
			t.Errorf("%s: answer %q not entry %s", c.name, a.ID, c.id)
		}
	}
	// The window's numbers are the server's clock: Z - 15 min = Y.
	_, _, msg := sendRaw(t, list(nil, "kms", "us-east-1", now.Add(-time.Hour)))
	f := regexp.MustCompile(`^Signature expired: (\S+) is now earlier than (\S+) \((\S+) - 15 min\.\)$`).FindStringSubmatch(msg)
	if f == nil {
		t.Fatalf("expired message %q", msg)
	}
	x, _ := time.Parse(amzDateLayout, f[1])
	y, _ := time.Parse(amzDateLayout, f[2])
	z, _ := time.Parse(amzDateLayout, f[3])
	if !x.Equal(now.Add(-time.Hour).Truncate(time.Second)) || z.Sub(y) != SigV4Window || z.Sub(now) > 10*time.Second || now.Sub(z) > 2*time.Second {
		t.Fatalf("expired message %q: request %v, server %v, limit %v, test clock %v", msg, x, z, y, now)
	}
}

// TestSigV4TargetSwapReplay: a DescribeKey request signed by the SDK,
// replayed with X-Amz-Target changed to ScheduleKeyDeletion, is refused and
// the key stays Enabled; so is the same swap on a request that did not sign
// x-amz-target at all.
func TestSigV4TargetSwapReplay(t *testing.T) {
	e := verifyEnv(t)
	client := newClient(e.hs.URL, "us-east-1", testAK, testSecret)
	md, err := client.CreateKey(ctx(t), &kms.CreateKeyInput{})
	if err != nil {
		t.Fatal(err)
	}
	body := `{"KeyId":"` + *md.KeyMetadata.KeyId + `"}`
	at := time.Now()
	describe := sdkSigned(t, e.hs.URL, targetPrefix+"DescribeKey", body, nil, "kms", "us-east-1", at)
	replay := describe.Clone(context.Background())
	if status, code, msg := sendRaw(t, describe); status != 200 {
		t.Fatalf("signed DescribeKey: %d %s %s", status, code, msg)
	}
	replay.Body = io.NopCloser(strings.NewReader(body))
	replay.Header.Set("X-Amz-Target", targetPrefix+"ScheduleKeyDeletion")
	if status, code, _ := sendRaw(t, replay); status != 400 || code != codeSigMismatch {
		t.Fatalf("DescribeKey signature replayed as ScheduleKeyDeletion: %d %s", status, code)
	}
	noTarget := sdkSigned(t, e.hs.URL, "", body, nil, "kms", "us-east-1", at)
	noTarget.Header.Set("X-Amz-Target", targetPrefix+"ScheduleKeyDeletion")
	if status, code, _ := sendRaw(t, noTarget); status != 400 || code != codeIncomplete {
		t.Fatalf("ScheduleKeyDeletion with x-amz-target unsigned: %d %s", status, code)
	}
	got, err := client.DescribeKey(ctx(t), &kms.DescribeKeyInput{KeyId: md.KeyMetadata.KeyId})
	if err != nil || got.KeyMetadata.KeyState != "Enabled" || got.KeyMetadata.DeletionDate != nil {
		t.Fatalf("after the replays the key is %v (%v)", got.KeyMetadata.KeyState, err)
	}
}

// FuzzSigV4Header: any Authorization and X-Amz-Date header is refused with
// an Answers entry (never a panic) unless it is the SDK's own signature.
func FuzzSigV4Header(f *testing.F) {
	e := verifyEnv(f)
	good := sdkSigned(f, e.hs.URL, targetPrefix+"ListKeys", "{}", nil, "kms", "us-east-1", time.Now())
	f.Add(good.Header.Get("Authorization"), good.Header.Get("X-Amz-Date"))
	f.Add("AWS4-HMAC-SHA256 Credential=a/b/c/d/e/f, SignedHeaders=;;, Signature=", "20000101T000000Z")
	f.Add("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/2/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=00", "2")
	f.Add("AWS4-HMAC-SHA256 ,,,===", "")
	f.Fuzz(func(t *testing.T, auth, date string) {
		r, b := asReceived(t, good.Clone(context.Background()), []byte("{}"))
		r.Header.Set("Authorization", auth)
		r.Header.Set("X-Amz-Date", date)
		ae := e.srv.authOf(r, b)
		if ae == nil {
			if auth != good.Header.Get("Authorization") || date != good.Header.Get("X-Amz-Date") {
				t.Fatalf("accepted %q %q", auth, date)
			}
			return
		}
		if a, ok := MatchAnswer(ae.Code, ae.Message); !ok || a.ID != ae.ID {
			t.Fatalf("refusal %v without its entry", ae)
		}
	})
}
