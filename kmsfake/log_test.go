package kmsfake

import (
	"bytes"
	"encoding/base64"
	"log/slog"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestRequestLog checks one log line per request with the operation, key
// id, status, error code and latency, and no key material or plaintext.
func TestRequestLog(t *testing.T) {
	var buf syncBuffer
	e := newEnv(t, Options{Logger: slog.New(slog.NewTextHandler(&buf, nil))})
	md := createKey(t, e, "", "")
	secret := []byte("TOP-SECRET-PLAINTEXT-0123456789")
	enc, err := e.kms.Encrypt(ctx(t), &kms.EncryptInput{KeyId: md.KeyId, Plaintext: secret})
	if err != nil {
		t.Fatal(err)
	}
	dk, err := e.kms.GenerateDataKey(ctx(t), &kms.GenerateDataKeyInput{KeyId: md.KeyId, NumberOfBytes: aws.Int32(32)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.kms.Decrypt(ctx(t), &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob}); err != nil {
		t.Fatal(err)
	}
	_, err = e.kms.DescribeKey(ctx(t), &kms.DescribeKeyInput{KeyId: aws.String("alias/nope")})
	wantCode(t, err, codeNotFound)
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 5 {
		t.Fatalf("%d log lines for 5 requests:\n%s", len(lines), buf.String())
	}
	for _, want := range []string{"op=CreateKey", "op=Encrypt key=" + *md.KeyId, "status=200", "op=Decrypt key=" + *md.KeyId, "code=NotFoundException", "latency="} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, buf.String())
		}
	}
	for _, leak := range [][]byte{secret, dk.Plaintext} {
		for _, form := range []string{string(leak), base64.StdEncoding.EncodeToString(leak), base64.StdEncoding.EncodeToString(leak)[:20]} {
			if strings.Contains(buf.String(), form) {
				t.Fatalf("log contains secret material %q", form)
			}
		}
	}
}

// TestServeSIGTERM checks that `kms serve` stops cleanly with exit code 0.
func TestServeSIGTERM(t *testing.T) {
	p := startServe(t, realBinary(t))
	cl := newClient(p.url, "us-east-1", "test", "test")
	if _, err := cl.GenerateRandom(ctx(t), &kms.GenerateRandomInput{NumberOfBytes: aws.Int32(4)}); err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("kms serve after SIGTERM: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("kms serve did not stop within 10s of SIGTERM")
	}
}
