package kmsfake

import (
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// TestRestartAfterKill runs the real binary with --data, kills it with
// SIGKILL in the middle of a burst of CreateKey, restarts it on the same
// directory and checks that every acknowledged key (and alias) is there
// and works, ciphertexts made before the kill included.
func TestRestartAfterKill(t *testing.T) {
	bin := realBinary(t)
	data := t.TempDir()
	p := startServe(t, bin, "--data", data)
	cl := newClient(p.url, "us-east-1", "test", "test")

	type acked struct {
		id, spec string
		blob     []byte
	}
	var mu sync.Mutex
	var keys []acked
	aliases := map[string]string{}
	var stop atomic.Bool
	var wg sync.WaitGroup
	for w := 0; w < 6; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				spec := types.KeySpecSymmetricDefault
				usage := types.KeyUsageTypeEncryptDecrypt
				if i%3 == 2 {
					spec, usage = types.KeySpecEccNistP256, types.KeyUsageTypeSignVerify
				}
				out, err := cl.CreateKey(ctx(t), &kms.CreateKeyInput{KeySpec: spec, KeyUsage: usage})
				if err != nil {
					return // the kill
				}
				a := acked{id: *out.KeyMetadata.KeyId, spec: string(spec)}
				mu.Lock()
				keys = append(keys, a)
				mu.Unlock()
				if spec == types.KeySpecSymmetricDefault {
					enc, err := cl.Encrypt(ctx(t), &kms.EncryptInput{KeyId: aws.String(a.id), Plaintext: []byte(a.id)})
					if err != nil {
						return
					}
					mu.Lock()
					for j := range keys {
						if keys[j].id == a.id {
							keys[j].blob = enc.CiphertextBlob
						}
					}
					mu.Unlock()
				}
				name := "alias/w" + a.id
				if _, err := cl.CreateAlias(ctx(t), &kms.CreateAliasInput{AliasName: aws.String(name), TargetKeyId: aws.String(a.id)}); err == nil {
					mu.Lock()
					aliases[name] = a.id
					mu.Unlock()
				}
			}
		}(w)
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := len(keys)
		mu.Unlock()
		if n >= 40 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	p.kill() // SIGKILL mid-burst
	stop.Store(true)
	wg.Wait()
	if len(keys) < 10 {
		t.Fatalf("only %d keys acknowledged before the kill", len(keys))
	}

	err := filepath.Walk(data, func(path string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() && fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", path, fi.Mode().Perm())
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	p2 := startServe(t, bin, "--data", data)
	cl2 := newClient(p2.url, "us-east-1", "test", "test")
	for _, k := range keys {
		d, err := cl2.DescribeKey(ctx(t), &kms.DescribeKeyInput{KeyId: aws.String(k.id)})
		if err != nil || string(d.KeyMetadata.KeySpec) != k.spec {
			t.Fatalf("acknowledged key %s after restart: %v", k.id, err)
		}
		if k.spec == string(types.KeySpecSymmetricDefault) {
			if k.blob != nil {
				dec, err := cl2.Decrypt(ctx(t), &kms.DecryptInput{CiphertextBlob: k.blob})
				if err != nil || string(dec.Plaintext) != k.id {
					t.Fatalf("ciphertext of %s made before the kill: %v", k.id, err)
				}
			}
			if _, err := cl2.Encrypt(ctx(t), &kms.EncryptInput{KeyId: aws.String(k.id), Plaintext: []byte("x")}); err != nil {
				t.Fatalf("Encrypt with %s after restart: %v", k.id, err)
			}
		} else if _, err := cl2.Sign(ctx(t), &kms.SignInput{KeyId: aws.String(k.id), Message: []byte("x"), SigningAlgorithm: "ECDSA_SHA_256"}); err != nil {
			t.Fatalf("Sign with %s after restart: %v", k.id, err)
		}
	}
	for name, id := range aliases {
		d, err := cl2.DescribeKey(ctx(t), &kms.DescribeKeyInput{KeyId: aws.String(name)})
		if err != nil || *d.KeyMetadata.KeyId != id {
			t.Fatalf("acknowledged alias %s after restart: %v", name, err)
		}
	}
	t.Logf("%d keys and %d aliases acknowledged before SIGKILL, all present after restart", len(keys), len(aliases))
}
