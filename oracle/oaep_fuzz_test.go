package oracle

import (
	"crypto"
	"testing"
)

// FuzzOAEPDecode: any k-byte block decodes or gives exactly openssl's
// "oaep decoding error", never a panic; a success carries a message that
// fits the block.
func FuzzOAEPDecode(f *testing.F) {
	f.Add(make([]byte, 256), uint8(0), uint8(0), []byte(nil))
	f.Add(append([]byte{0}, make([]byte, 127)...), uint8(1), uint8(0), []byte("label"))
	f.Add([]byte{0, 1, 2}, uint8(2), uint8(3), []byte{})
	hashes := []crypto.Hash{crypto.SHA1, crypto.SHA256, crypto.SHA224, crypto.SHA384, crypto.SHA512}
	f.Fuzz(func(t *testing.T, em []byte, lh, mh uint8, label []byte) {
		l, m := hashes[int(lh)%len(hashes)], hashes[int(mh)%len(hashes)]
		msg, err := oaepDecode(em, l, m, label)
		if err != nil {
			if err != errOAEPDecoding {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if len(msg) > len(em)-2*l.Size()-2 {
			t.Fatalf("message of %d bytes from a %d-byte block", len(msg), len(em))
		}
	})
}

// TestOAEPDecodeRoundTrip checks the decoder against the encoder's block layout.
func TestOAEPDecodeRoundTrip(t *testing.T) {
	priv, _ := testRSAKey(t)
	p := OAEPParams{LabelHash: crypto.SHA384, MGF1Hash: crypto.SHA1, Label: []byte("ctx")}
	ct, err := EncryptOAEP(nil, &priv.PublicKey, []byte("hello"), p)
	if err != nil {
		t.Fatal(err)
	}
	em, err := DecryptRaw(priv, ct)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := oaepDecode(em, crypto.SHA384, crypto.SHA1, []byte("ctx"))
	if err != nil || string(msg) != "hello" {
		t.Fatalf("got %q, %v", msg, err)
	}
	em[0] = 1
	if _, err := oaepDecode(em, crypto.SHA384, crypto.SHA1, []byte("ctx")); err != errOAEPDecoding {
		t.Fatalf("non-zero first byte accepted: %v", err)
	}
}
