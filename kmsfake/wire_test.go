package kmsfake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// rawCall posts body to the handler with an X-Amz-Target and returns the
// status, the X-Amzn-ErrorType header and the decoded JSON body.
func rawCall(t testing.TB, h http.Handler, target, body string) (int, string, map[string]any) {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	r.Header.Set("Content-Type", jsonType)
	if target != "" {
		r.Header.Set("X-Amz-Target", target)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	b, _ := io.ReadAll(w.Body)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: response is not JSON: %q", target, b)
	}
	if ct := w.Header().Get("Content-Type"); ct != jsonType {
		t.Fatalf("Content-Type %q", ct)
	}
	return w.Code, w.Header().Get("X-Amzn-ErrorType"), m
}

func TestWireErrors(t *testing.T) {
	srv, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		target, body, code string
		message            bool
	}{
		{"TrentService.Nope", "{}", codeUnknownOperation, false},
		{"", "{}", codeUnknownOperation, false},
		{"KMS.Encrypt", "{}", codeUnknownOperation, false},
		{"TrentService.Encrypt", "{", codeSerialization, true},
		{"TrentService.Encrypt", `{"KeyId": 5}`, codeSerialization, true},
		{"TrentService.Encrypt", `{"KeyId":"alias/x","Plaintext":"***"}`, codeSerialization, true},
		{"TrentService.Encrypt", `{"KeyId":"alias/x"} trailing`, codeSerialization, true},
		{"TrentService.Encrypt", `[]`, codeSerialization, true},
		{"TrentService.Decrypt", `{"CiphertextBlob":"AAAA"}`, codeInvalidCiphertext, false},
		{"TrentService.Decrypt", `{}`, codeValidation, true},
		{"TrentService.DescribeKey", `{}`, codeValidation, true},
		{"TrentService.DescribeKey", ``, codeValidation, true},
		{"TrentService.GenerateRandom", `{"NumberOfBytes":0}`, codeValidation, true},
		{"TrentService.GenerateRandom", `{"NumberOfBytes":1.5}`, codeSerialization, true},
	}
	for _, c := range cases {
		status, hdr, m := rawCall(t, srv, c.target, c.body)
		if status != 400 || hdr != c.code || m["__type"] != c.code {
			t.Errorf("%s %s: status %d header %q body %v, want 400 %s", c.target, c.body, status, hdr, m, c.code)
		}
		if _, has := m["message"]; has != c.message {
			t.Errorf("%s %s: message field present=%v, want %v (%v)", c.target, c.body, has, c.message, m)
		}
	}
	status, _, m := rawCall(t, srv, "TrentService.GenerateRandom", `{"NumberOfBytes":8}`)
	if status != 200 || m["Plaintext"] == nil {
		t.Fatalf("GenerateRandom: %d %v", status, m)
	}
	srv.Close()
	status, hdr, _ := rawCall(t, srv, "TrentService.GenerateRandom", `{"NumberOfBytes":8}`)
	if status != 500 || hdr != codeInternal {
		t.Fatalf("after Close: %d %s, want 500 KMSInternalException", status, hdr)
	}
}
