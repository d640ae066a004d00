package flows

import (
	"context"
	"sync"
)

// sharedKeys are the KMS keys the flows share (SharedKey calls), as
// spec/usage/tag. Prewarm creates them at the start of a run, concurrently,
// so that no cell waits on an RSA key generation it could have overlapped.
var sharedKeys = [][3]string{
	{"RSA_4096", "ENCRYPT_DECRYPT", ""},
	{"RSA_3072", "ENCRYPT_DECRYPT", ""},
	{"RSA_2048", "ENCRYPT_DECRYPT", ""},
	{"RSA_2048", "ENCRYPT_DECRYPT", "other"},
	{"ECC_NIST_P256", "KEY_AGREEMENT", ""},
	{"ECC_NIST_P384", "KEY_AGREEMENT", ""},
	{"ECC_NIST_P521", "KEY_AGREEMENT", ""},
	{"SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", ""},
}

// Prewarm starts creating the shared keys in the background; SharedKey
// then waits only for the one it needs. Errors surface in the cells.
func (k *KMS) Prewarm(ctx context.Context) {
	var wg sync.WaitGroup
	for _, s := range sharedKeys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = k.Shared("key/"+s[0]+"/"+s[1]+"/"+s[2], func() (any, error) {
				return k.CreateKey(context.WithoutCancel(ctx), s[0], s[1], "")
			})
		}()
	}
	// The data key pairs of flow 5 (RSA ones are key generations too).
	go func() {
		v, err := k.Shared("key/SYMMETRIC_DEFAULT/ENCRYPT_DECRYPT/", func() (any, error) {
			return k.CreateKey(context.WithoutCancel(ctx), "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "")
		})
		if err != nil {
			return
		}
		for _, spec := range dataKeyPairSpecs {
			go func() { _, _ = k.dataKeyPair(ctx, v.(string), spec) }()
		}
	}()
	go wg.Wait()
}

// dataKeyPairSpecs are the pairs flow 5 asks for.
var dataKeyPairSpecs = []string{"RSA_4096", "RSA_3072", "RSA_2048", "ECC_NIST_P256"}
