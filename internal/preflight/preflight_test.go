package preflight

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/kmsconform/kmsconform/internal/cli"
	"github.com/kmsconform/kmsconform/internal/kmstarget"
)

func client(endpoint string) *kms.Client {
	return kms.New(kms.Options{Region: "us-east-1", BaseEndpoint: aws.String(endpoint),
		Credentials: credentials.NewStaticCredentialsProvider("preflight", "preflight", "")})
}

func wantError(t *testing.T, err error, parts ...string) {
	t.Helper()
	var pe *Error
	if !errors.As(err, &pe) || pe.Hint == "" {
		t.Fatalf("error %v (%T), want a *preflight.Error with a hint", err, err)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not say %q", err, p)
		}
	}
}

// TestKMSClosedPort: nothing listens; the error names the endpoint, at once.
func TestKMSClosedPort(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ep := "http://" + l.Addr().String()
	l.Close()
	start := time.Now()
	_, err = KMS(context.Background(), client(ep), ep)
	wantError(t, err, "no KMS answers at "+ep, "connection refused")
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s", d)
	}
}

// TestKMSNotAKMS: a web server answers; the error says what answered.
func TestKMSNotAKMS(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Server", "nginx/1.25")
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte("<html><body>Not Found</body></html>"))
	}))
	defer srv.Close()
	_, err := KMS(context.Background(), client(srv.URL), srv.URL)
	wantError(t, err, srv.URL+" answered, but not as AWS KMS", "HTTP 404", "nginx/1.25", "text/html")
}

// TestKMSRefusesCredentials: a KMS-shaped refusal of the signature.
func TestKMSRefusesCredentials(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"__type":"UnrecognizedClientException","message":"The security token included in the request is invalid."}`))
	}))
	defer srv.Close()
	_, err := KMS(context.Background(), client(srv.URL), srv.URL)
	wantError(t, err, "refused the credentials", "UnrecognizedClientException")
}

// TestKMSFake: the real fake answers and names itself.
func TestKMSFake(t *testing.T) {
	ctx := context.Background()
	tg, err := kmstarget.Start(ctx, kmstarget.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	info, err := KMS(ctx, tg.Client, tg.Endpoint)
	if err != nil || !strings.HasPrefix(info.Server, "kmsconform-kmsfake/") || info.Warning != "" {
		t.Fatalf("info %+v, err %v", info, err)
	}
}

func TestReportDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "report")
	if err := ReportDir(dir); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("the probe left %v", left)
	}
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o600)
	wantError(t, ReportDir(file), "is a file")
	wantError(t, ReportDir(filepath.Join(file, "sub")), "cannot create the report directory")
}

func TestEnginesNeedNothingForLocalEngines(t *testing.T) {
	if err := Engines(context.Background(), []string{"host", "oracle", "openssl-9.9"}); err != nil {
		t.Fatal(err)
	}
}

// TestKMSNoCredentials: something listens, but there are no credentials to
// sign with; the error says so instead of a generic SDK chain.
func TestKMSNoCredentials(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("a request was sent without credentials")
	}))
	defer srv.Close()
	c := kms.New(kms.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{}, errors.New("no EC2 IMDS role found")
		})})
	_, err := KMS(context.Background(), c, srv.URL)
	wantError(t, err, "no AWS credentials to sign requests to "+srv.URL)
}

func TestCLIIsExit3(t *testing.T) {
	err := CLI(ReportDir(""))
	if cli.Code(err) != cli.ExitSetup {
		t.Fatalf("code %d for %v", cli.Code(err), err)
	}
	other := errors.New("x")
	if CLI(other) != other {
		t.Error("a non-preflight error was changed")
	}
}
