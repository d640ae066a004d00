package kmsfake

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/smithy-go"
)

// testEnv is a Server behind a real loopback HTTP server and a real
// aws-sdk-go-v2 KMS client.
type testEnv struct {
	srv *Server
	hs  *httptest.Server
	kms *kms.Client
}

func newEnv(t testing.TB, o Options) *testEnv {
	t.Helper()
	srv, err := New(o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	return &testEnv{srv: srv, hs: hs, kms: newClient(hs.URL, "us-east-1", "test", "test")}
}

// newClient is an SDK client for a local endpoint with static credentials
// and no retries (a retried request would hide a wrong status).
func newClient(url, region, ak, sk string) *kms.Client {
	return kms.New(kms.Options{
		Region:       region,
		BaseEndpoint: aws.String(url),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: ak, SecretAccessKey: sk}, nil
		}),
		Retryer:    aws.NopRetryer{},
		HTTPClient: &http.Client{Timeout: 30 * time.Second},
	})
}

func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return c
}

// errCode returns the API error code of err ("" if err is nil).
func errCode(t testing.TB, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("not an API error: %v", err)
	}
	return ae.ErrorCode()
}

func errCodeNoFail(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return err.Error()
}

func errMessage(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorMessage()
	}
	return ""
}

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := errCode(t, err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

// runOpenSSL runs the host openssl with a timeout in dir.
func runOpenSSL(t testing.TB, dir string, args ...string) []byte {
	t.Helper()
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(c, "openssl", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("openssl %v: %v\n%s", args, err, out)
	}
	return out
}

func writeFile(t testing.TB, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// sentErrors collects every error answer the package's servers sent (see
// errorSent), so that TestMain can check each against the Answers table.
var sentErrors struct {
	sync.Mutex
	seen map[[2]string]int // (code, message or "\x00none") -> count
}

func init() {
	record := func(ae *apiError) {
		msg := ae.Message
		if ae.NoMessage {
			msg = "\x00none"
		}
		sentErrors.Lock()
		defer sentErrors.Unlock()
		if sentErrors.seen == nil {
			sentErrors.seen = map[[2]string]int{}
		}
		sentErrors.seen[[2]string{ae.Code, msg}]++
	}
	errorSent.Store(&record)
}

// checkSentErrors returns a line per sent error that has no entry in
// Answers (or whose message presence disagrees with the entry), and the
// number of distinct entries the tests exercised.
func checkSentErrors() (bad []string, used map[string]bool) {
	sentErrors.Lock()
	defer sentErrors.Unlock()
	used = map[string]bool{}
	for k, n := range sentErrors.seen {
		code, msg := k[0], k[1]
		noMsg := msg == "\x00none"
		if noMsg {
			msg = ""
		}
		a, ok := MatchAnswer(code, msg)
		if !ok || a.NoMessage != noMsg {
			bad = append(bad, fmt.Sprintf("%s %q (sent %d times) has no entry in Answers", code, msg, n))
			continue
		}
		used[a.ID] = true
	}
	for _, id := range UnlistedAnswers() {
		bad = append(bad, "answer id "+id+" used by the fake but not in Answers")
	}
	return bad, used
}
