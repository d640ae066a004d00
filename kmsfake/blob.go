package kmsfake

import (
	"crypto/rand"
	"encoding/binary"
	"sort"
)

// The symmetric ciphertext blob, version 1:
//
//	0x01 | len(keyId) (1 byte) | keyId | nonce (12) | AES-256-GCM ciphertext+tag (16)
//
// The GCM additional data is the header (version, length, keyId) followed
// by the encryption context in canonical form (pairs sorted by key, each
// string length-prefixed with 4 bytes), so the key id and the context are
// both bound: any flipped bit fails authentication.

const blobVersion = 1

// blobKeyID returns the key id a blob names, or false if it is not a
// well-formed version-1 blob.
func blobKeyID(b []byte) (string, bool) {
	if len(b) < 2 || b[0] != blobVersion {
		return "", false
	}
	n := int(b[1])
	if n == 0 || len(b) < 2+n+12+16 {
		return "", false
	}
	return string(b[2 : 2+n]), true
}

func contextAAD(header []byte, ec map[string]string) []byte {
	aad := append([]byte(nil), header...)
	keys := make([]string, 0, len(ec))
	for k := range ec {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		aad = binary.BigEndian.AppendUint32(aad, uint32(len(k)))
		aad = append(aad, k...)
		aad = binary.BigEndian.AppendUint32(aad, uint32(len(ec[k])))
		aad = append(aad, ec[k]...)
	}
	return aad
}

// sealBlob encrypts plaintext under a symmetric key.
func (k *key) sealBlob(pt []byte, ec map[string]string) ([]byte, error) {
	id := k.rec.KeyID
	header := append([]byte{blobVersion, byte(len(id))}, id...)
	out := make([]byte, len(header)+12, len(header)+12+len(pt)+16)
	copy(out, header)
	if _, err := rand.Read(out[len(header):]); err != nil {
		return nil, err
	}
	nonce := out[len(header):]
	return k.gcm.Seal(out, nonce, pt, contextAAD(header, ec)), nil
}

// openBlob decrypts a blob made by sealBlob with this key.
func (k *key) openBlob(b []byte, ec map[string]string) ([]byte, *apiError) {
	id, ok := blobKeyID(b)
	if !ok || id != k.rec.KeyID || k.gcm == nil {
		return nil, answerErr("InvalidCiphertext")
	}
	h := 2 + len(id)
	pt, err := k.gcm.Open(nil, b[h:h+12], b[h+12:], contextAAD(b[:h], ec))
	if err != nil {
		return nil, answerErr("InvalidCiphertext")
	}
	return pt, nil
}
