package kmsfake

import (
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// The pool tests keep only RSA_2048 keys ready: 4096-bit keys take seconds
// on a loaded machine.
var pool2048 = []int{2048}

// waitFilled waits until the pool of s is first full.
func waitFilled(t *testing.T, s *Server) {
	t.Helper()
	select {
	case <-s.KeyPoolFilled():
	case <-time.After(60 * time.Second):
		t.Fatalf("the key pool did not fill within 60 s: %v", s.pool.counts())
	}
}

// waitCount waits until the pool holds n RSA_2048 keys.
func waitCount(t *testing.T, p *keyPool, n int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for p.counts()[2048] != n {
		if time.Now().After(deadline) {
			t.Fatalf("pool holds %d RSA_2048 keys after 60 s, want %d", p.counts()[2048], n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func modulusOf(t *testing.T, env *testEnv, id *string) string {
	t.Helper()
	out, err := env.kms.GetPublicKey(ctx(t), &kms.GetPublicKeyInput{KeyId: id})
	if err != nil {
		t.Fatalf("GetPublicKey: %v", err)
	}
	pub, err := x509.ParsePKIXPublicKey(out.PublicKey)
	if err != nil {
		t.Fatalf("parsing the public key: %v", err)
	}
	return pub.(*rsa.PublicKey).N.String()
}

// TestKeyPoolKeysAreNeverShared: CreateKey and GenerateDataKeyPair take
// keys from a full pool, from the key being made and made on the spot, and
// no two of them share a modulus; the pool refills after the takes.
func TestKeyPoolKeysAreNeverShared(t *testing.T) {
	env := newEnv(t, Options{KeyPool: 2, poolSizes: pool2048})
	waitFilled(t, env.srv)
	if got := env.srv.pool.counts()[2048]; got != 2 {
		t.Fatalf("a filled pool of 2 holds %d RSA_2048 keys", got)
	}
	seen := map[string]string{}
	note := func(what, n string) {
		if prev, dup := seen[n]; dup {
			t.Fatalf("%s has the modulus of %s: a pooled key was handed out twice", what, prev)
		}
		seen[n] = what
	}
	// Five keys from a pool of two: two pooled, the rest claimed from the
	// background goroutine or generated on the spot.
	for i := range 5 {
		out, err := env.kms.CreateKey(ctx(t), &kms.CreateKeyInput{KeySpec: types.KeySpecRsa2048, KeyUsage: types.KeyUsageTypeEncryptDecrypt})
		if err != nil {
			t.Fatalf("CreateKey %d: %v", i, err)
		}
		note(fmt.Sprint("CreateKey ", i), modulusOf(t, env, out.KeyMetadata.KeyId))
	}
	sym, err := env.kms.CreateKey(ctx(t), &kms.CreateKeyInput{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		out, err := env.kms.GenerateDataKeyPair(ctx(t), &kms.GenerateDataKeyPairInput{KeyId: sym.KeyMetadata.KeyId, KeyPairSpec: types.DataKeyPairSpecRsa2048})
		if err != nil {
			t.Fatalf("GenerateDataKeyPair: %v", err)
		}
		pub, err := x509.ParsePKIXPublicKey(out.PublicKey)
		if err != nil {
			t.Fatal(err)
		}
		note(fmt.Sprint("GenerateDataKeyPair ", i), pub.(*rsa.PublicKey).N.String())
	}
	waitCount(t, env.srv.pool, 2)
}

// TestKeyPoolWrappingKey: GetParametersForImport takes its wrapping key
// from the pool once and keeps it for the server's life.
func TestKeyPoolWrappingKey(t *testing.T) {
	env := newEnv(t, Options{KeyPool: 1, poolSizes: pool2048})
	waitFilled(t, env.srv)
	var pubs [][]byte
	for range 2 {
		md, err := env.kms.CreateKey(ctx(t), &kms.CreateKeyInput{Origin: types.OriginTypeExternal})
		if err != nil {
			t.Fatal(err)
		}
		p, err := env.kms.GetParametersForImport(ctx(t), &kms.GetParametersForImportInput{KeyId: md.KeyMetadata.KeyId,
			WrappingAlgorithm: types.AlgorithmSpecRsaesOaepSha256, WrappingKeySpec: types.WrappingKeySpecRsa2048})
		if err != nil {
			t.Fatalf("GetParametersForImport: %v", err)
		}
		pubs = append(pubs, p.PublicKey)
	}
	if string(pubs[0]) != string(pubs[1]) {
		t.Errorf("the RSA_2048 wrapping key changed between two GetParametersForImport calls")
	}
	env.srv.pool.mu.Lock()
	taken := env.srv.pool.asked[2048]
	env.srv.pool.mu.Unlock()
	if taken != 1 {
		t.Errorf("the wrapping key was taken from the pool %d times, want once", taken)
	}
}

// TestKeyPoolStopsOnClose: Close stops the background goroutine (after the
// key it is making, which cannot be interrupted) and leaks nothing.
func TestKeyPoolStopsOnClose(t *testing.T) {
	before := runtime.NumGoroutine()
	for _, n := range []int{1, MaxKeyPool} { // a full pool, one still filling
		s, err := New(Options{KeyPool: n, poolSizes: pool2048})
		if err != nil {
			t.Fatal(err)
		}
		if n == 1 {
			waitFilled(t, s)
		}
		p := s.pool
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		select {
		case <-p.done:
		case <-time.After(60 * time.Second):
			t.Fatalf("pool of %d: the key pool goroutine still runs 60 s after Close", n)
		}
		if c := p.counts()[2048]; c != 0 {
			t.Errorf("pool of %d: %d keys kept after Close", n, c)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines after Close, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestKeyPoolOff: KeyPool 0 starts no goroutine; a bad size is refused.
func TestKeyPoolOff(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.pool != nil || s.KeyPoolFilled() != nil {
		t.Fatalf("the zero Options started a key pool")
	}
	for _, n := range []int{-1, MaxKeyPool + 1} {
		if _, err := New(Options{KeyPool: n}); err == nil {
			t.Errorf("KeyPool %d accepted", n)
		}
	}
}

// TestKeyPoolWaitsForIdle: the pool starts no key while a request is in
// flight, nor in the first quietAfter after the start, then fills.
func TestKeyPoolWaitsForIdle(t *testing.T) {
	p := newKeyPool(1, pool2048)
	defer p.close()
	p.requestStarted()
	time.Sleep(2 * quietAfter)
	p.mu.Lock()
	gen, made := p.gen, p.made
	p.mu.Unlock()
	if gen != 0 || made != 0 {
		t.Fatalf("the pool generated (now %d bits, %d made) while a request was in flight", gen, made)
	}
	p.requestEnded()
	select {
	case <-p.full:
	case <-time.After(60 * time.Second):
		t.Fatal("the pool did not fill within 60 s once the server was idle")
	}
}
