package kmsfake

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// TestConcurrentClients runs 32 clients that create, use, disable, enable,
// alias and schedule the deletion of keys at the same time, also on one
// shared key; run it with -race (make test-kmsfake-race). No key may be
// lost and every answer must be right.
func TestConcurrentClients(t *testing.T) {
	const clients, perClient = 32, 4
	e := newEnv(t, Options{})
	e.hs.Client().Transport.(*http.Transport).MaxIdleConnsPerHost = clients
	shared := createKey(t, e, "", "")
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	created := make(chan string, clients*perClient)
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			cl := newClient(e.hs.URL, "us-east-1", "test", "test")
			fail := func(format string, args ...any) {
				errs <- fmt.Errorf("client %d: "+format, append([]any{c}, args...)...)
			}
			for i := 0; i < perClient; i++ {
				out, err := cl.CreateKey(ctx(t), &kms.CreateKeyInput{Description: aws.String(fmt.Sprintf("c%d-%d", c, i))})
				if err != nil {
					fail("CreateKey: %v", err)
					return
				}
				id := *out.KeyMetadata.KeyId
				created <- id
				pt := []byte(fmt.Sprintf("client %d key %d", c, i))
				for _, kid := range []string{id, *shared.KeyId} {
					enc, err := cl.Encrypt(ctx(t), &kms.EncryptInput{KeyId: aws.String(kid), Plaintext: pt})
					if err != nil {
						fail("Encrypt: %v", err)
						return
					}
					dec, err := cl.Decrypt(ctx(t), &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
					if err != nil || string(dec.Plaintext) != string(pt) {
						fail("Decrypt: %v", err)
						return
					}
				}
				alias := fmt.Sprintf("alias/c%d-%d", c, i)
				if _, err := cl.CreateAlias(ctx(t), &kms.CreateAliasInput{AliasName: aws.String(alias), TargetKeyId: aws.String(id)}); err != nil {
					fail("CreateAlias: %v", err)
					return
				}
				if _, err := cl.TagResource(ctx(t), &kms.TagResourceInput{KeyId: shared.KeyId, Tags: []types.Tag{{TagKey: aws.String(fmt.Sprintf("c%d", c%40)), TagValue: aws.String(alias)}}}); err != nil {
					fail("TagResource: %v", err)
					return
				}
				if _, err := cl.DisableKey(ctx(t), &kms.DisableKeyInput{KeyId: aws.String(id)}); err != nil {
					fail("DisableKey: %v", err)
					return
				}
				if _, err := cl.Encrypt(ctx(t), &kms.EncryptInput{KeyId: aws.String(alias), Plaintext: pt}); errCodeOf(err) != codeDisabled {
					fail("Encrypt on a disabled key: %v", err)
					return
				}
				if _, err := cl.EnableKey(ctx(t), &kms.EnableKeyInput{KeyId: aws.String(id)}); err != nil {
					fail("EnableKey: %v", err)
					return
				}
				if i%2 == 1 {
					if _, err := cl.ScheduleKeyDeletion(ctx(t), &kms.ScheduleKeyDeletionInput{KeyId: aws.String(id), PendingWindowInDays: aws.Int32(7)}); err != nil {
						fail("ScheduleKeyDeletion: %v", err)
						return
					}
				}
				if _, err := cl.ListKeys(ctx(t), &kms.ListKeysInput{Limit: aws.Int32(10)}); err != nil {
					fail("ListKeys: %v", err)
					return
				}
			}
		}(c)
	}
	wg.Wait()
	close(errs)
	close(created)
	for err := range errs {
		t.Error(err)
	}
	want := map[string]bool{*shared.KeyId: true}
	for id := range created {
		want[id] = true
	}
	got := map[string]bool{}
	var marker *string
	for {
		out, err := e.kms.ListKeys(ctx(t), &kms.ListKeysInput{Limit: aws.Int32(50), Marker: marker})
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range out.Keys {
			got[*k.KeyId] = true
		}
		if !out.Truncated {
			break
		}
		marker = out.NextMarker
	}
	if len(got) != clients*perClient+1 || len(want) != len(got) {
		t.Fatalf("ListKeys has %d keys, want %d", len(got), clients*perClient+1)
	}
	for id := range want {
		if !got[id] {
			t.Fatalf("key %s lost", id)
		}
	}
	la, err := e.kms.ListAliases(ctx(t), &kms.ListAliasesInput{Limit: aws.Int32(1000)})
	if err != nil || len(la.Aliases) != clients*perClient {
		t.Fatalf("ListAliases: %d aliases, %v", len(la.Aliases), err)
	}
}

func errCodeOf(err error) string {
	if err == nil {
		return ""
	}
	return errCodeNoFail(err)
}
