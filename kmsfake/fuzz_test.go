package kmsfake

import (
	"crypto/ecdh"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
)

// fuzzServer is one server with a key of each kind, shared by fuzz runs.
var fuzzServer = sync.OnceValues(func() (*Server, map[string]string) {
	srv, err := New(Options{})
	if err != nil {
		panic(err)
	}
	ids := map[string]string{}
	for name, body := range map[string]string{
		"sym":  `{}`,
		"rsa":  `{"KeySpec":"RSA_2048","KeyUsage":"ENCRYPT_DECRYPT"}`,
		"ecdh": `{"KeySpec":"ECC_NIST_P256","KeyUsage":"KEY_AGREEMENT"}`,
		"sign": `{"KeySpec":"ECC_NIST_P256","KeyUsage":"SIGN_VERIFY"}`,
		"k1":   `{"KeySpec":"ECC_SECG_P256K1","KeyUsage":"SIGN_VERIFY"}`,
		"ext":  `{"Origin":"EXTERNAL"}`,
	} {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		r.Header.Set("X-Amz-Target", "TrentService.CreateKey")
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		i := strings.Index(w.Body.String(), `"KeyId":"`)
		ids[name] = w.Body.String()[i+9 : i+45]
	}
	return srv, ids
})

func opNames() []string {
	var names []string
	for n := range operations {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// FuzzRequest sends arbitrary bodies to every operation: the server must
// never panic and never answer 500.
func FuzzRequest(f *testing.F) {
	_, ids := fuzzServer()
	p256, _ := ecdh.P256().GenerateKey(rand.Reader)
	der, _ := x509.MarshalPKIXPublicKey(p256.PublicKey())
	pub := base64.StdEncoding.EncodeToString(der)
	seeds := []string{
		`{}`, `{`, `null`, `[]`, `""`, `{"KeyId":null}`, `{"KeyId":"` + ids["sym"] + `","Plaintext":"aGVsbG8="}`,
		`{"KeyId":"` + ids["rsa"] + `","Plaintext":"aGVsbG8=","EncryptionAlgorithm":"RSAES_OAEP_SHA_256"}`,
		`{"KeyId":"` + ids["rsa"] + `","CiphertextBlob":"` + strings.Repeat("A", 344) + `","EncryptionAlgorithm":"RSAES_OAEP_SHA_1"}`,
		`{"CiphertextBlob":"ASQxMTExMTExMS0xMTExLTExMTEtMTExMS0xMTExMTExMTExMTE="}`,
		`{"KeyId":"` + ids["ecdh"] + `","KeyAgreementAlgorithm":"ECDH","PublicKey":"` + pub + `"}`,
		`{"KeyId":"` + ids["ecdh"] + `","KeyAgreementAlgorithm":"ECDH","PublicKey":"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE"}`,
		`{"KeyId":"` + ids["sign"] + `","Message":"aGk=","SigningAlgorithm":"ECDSA_SHA_256","Signature":"MAYCAQECAQE="}`,
		`{"KeyId":"` + ids["k1"] + `","Message":"aGk=","SigningAlgorithm":"ECDSA_SHA_256","Signature":"MAYCAQECAQE="}`,
		`{"KeyId":"` + ids["sym"] + `","KeyPairSpec":"ECC_SECG_P256K1"}`,
		`{"KeyId":"` + ids["sym"] + `","NumberOfBytes":-1}`,
		`{"NumberOfBytes":99999999999999999999}`, `{"Limit":0,"Marker":"kmsconform-page-99"}`,
		`{"KeyId":"` + ids["ext"] + `","ImportToken":"AAAA","EncryptedKeyMaterial":"AAAA","ExpirationModel":"KEY_MATERIAL_DOES_NOT_EXPIRE"}`,
		`{"KeyId":"arn:aws:kms:us-east-1:000000000000:alias/x"}`, `{"KeyId":"arn:::::"}`, `{"AliasName":"alias/\u0000"}`,
		`{"KeyId":"` + ids["sym"] + `","Tags":[{"TagKey":"","TagValue":""}]}`,
		`{"KeySpec":"RSA_2048","KeyUsage":"SIGN_VERIFY","Tags":[{}]}`,
	}
	names := opNames()
	for i, s := range seeds {
		f.Add(uint8(i), s)
	}
	for i := range names {
		f.Add(uint8(i), `{}`)
	}
	f.Fuzz(func(t *testing.T, op uint8, body string) {
		srv, _ := fuzzServer()
		name := names[int(op)%len(names)]
		if name == "CreateKey" || name == "GetParametersForImport" {
			// Key generation is slow and grows the store; shapes only.
			if !strings.Contains(body, "HMAC") && !strings.Contains(body, "EXTERNAL") && strings.Contains(body, "RSA") {
				return
			}
		}
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		r.Header.Set("X-Amz-Target", "TrentService."+name)
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		if w.Code >= 500 {
			t.Fatalf("%s %q: HTTP %d %s", name, body, w.Code, w.Body.String())
		}
		if w.Code != 200 && w.Header().Get("X-Amzn-ErrorType") == "" {
			t.Fatalf("%s: error without X-Amzn-ErrorType", name)
		}
	})
}

// FuzzDerivePublicKey feeds arbitrary DER to DeriveSharedSecret and to the
// secp256k1 parser: ValidationException or success, never a panic.
func FuzzDerivePublicKey(f *testing.F) {
	_, ids := fuzzServer()
	for _, c := range []ecdh.Curve{ecdh.P256(), ecdh.P384(), ecdh.X25519()} {
		k, _ := c.GenerateKey(rand.Reader)
		der, _ := x509.MarshalPKIXPublicKey(k.PublicKey())
		f.Add(der)
		f.Add(der[:len(der)-3])
	}
	k1, _ := k1Generate()
	der, _ := k1.spki()
	f.Add(der)
	p8, _ := k1.pkcs8()
	f.Add(p8)
	f.Add([]byte("InvalidPublicKey"))
	f.Fuzz(func(t *testing.T, der []byte) {
		srv, _ := fuzzServer()
		body := fmt.Sprintf(`{"KeyId":%q,"KeyAgreementAlgorithm":"ECDH","PublicKey":%q}`, ids["ecdh"], base64.StdEncoding.EncodeToString(der))
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		r.Header.Set("X-Amz-Target", "TrentService.DeriveSharedSecret")
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		if w.Code != 200 && w.Header().Get("X-Amzn-ErrorType") != codeValidation {
			t.Fatalf("HTTP %d %s", w.Code, w.Body.String())
		}
		_, _ = parseK256PKCS8(der)
		_ = isK256PKCS8(der)
		_, _ = parsePrivateKey(specK256, der)
		_, _ = parsePrivateKey(specP256, der)
	})
}
