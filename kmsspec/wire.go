package kmsspec

import (
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kmsconform/kmsconform/kmsfake"
)

func wireSpec(id, title, awsText, source string, o []string, check func(*T)) *Spec {
	return &Spec{ID: id, Topic: "wire", Title: title, AWS: awsText, Source: source, Ops: o, Check: check}
}

func init() {
	add(wireSpec("wire/malformed-JSON", "answers malformed JSON with HTTP 400 SerializationException",
		"HTTP 400 with __type SerializationException", answerSource("Serialization.JSON")+"; "+kmsfake.SourceWire+" (every error is HTTP 400)", nil, func(t *T) {
			resp := t.Raw("Encrypt", []byte(`{"KeyId": "x", "Plaintext": `))
			t.Equal(resp.Status, 400, "HTTP status (body %s)", resp.Body)
			m, err := resp.JSON()
			t.OK(err, "error body")
			typ, _ := m["__type"].(string)
			t.True(strings.HasSuffix(typ, "SerializationException"), "__type %q", typ)
		}),
		wireSpec("wire/unknown-operation", "answers an unknown X-Amz-Target with HTTP 400 UnknownOperationException",
			"HTTP 400 with __type UnknownOperationException", answerSource("UnknownOperation"), nil, func(t *T) {
				status, m, _ := t.RawJSON("NoSuchOperation", map[string]any{})
				t.Equal(status, 400, "HTTP status (body %v)", m)
				typ, _ := m["__type"].(string)
				t.True(strings.HasSuffix(typ, "UnknownOperationException"), "__type %q", typ)
			}),
		wireSpec("wire/success-content-type", "answers success with HTTP 200 and application/x-amz-json-1.1",
			"success is HTTP 200 with an awsJson1_1 body", kmsfake.SourceWire+" (every success is 200); "+api+"Common parameters (awsJson1_1)", ops("GenerateRandom"), func(t *T) {
				status, m, resp := t.RawJSON("GenerateRandom", map[string]any{"NumberOfBytes": 16})
				t.Equal(status, 200, "HTTP status")
				t.True(strings.HasPrefix(resp.Header.Get("Content-Type"), "application/x-amz-json-1.1"), "Content-Type %q", resp.Header.Get("Content-Type"))
				_, has := m["Plaintext"]
				t.True(has, "no Plaintext in %v", m)
			}),
		wireSpec("wire/error-shape", "answers client errors with HTTP 400, __type and message in the body and X-Amzn-ErrorType",
			"HTTP 400; __type is the code; the body's message is the text", kmsfake.SourceWire+" [S]; "+answerSource("NotFound.InvalidKeyID"), ops("DescribeKey"), func(t *T) {
				status, m, resp := t.RawJSON("DescribeKey", map[string]any{"KeyId": "fake-key-id"})
				t.Equal(status, 400, "HTTP status")
				typ, _ := m["__type"].(string)
				t.True(strings.HasSuffix(typ, "NotFoundException"), "__type %q", typ)
				nf, _ := kmsfake.LookupAnswer("NotFound.InvalidKeyID")
				t.Equal(m["message"], any(nf.Format("fake-key-id")), "message")
				t.True(strings.HasPrefix(resp.Header.Get("X-Amzn-ErrorType"), "NotFoundException"), "X-Amzn-ErrorType %q", resp.Header.Get("X-Amzn-ErrorType"))
			}),
		wireSpec("wire/bad-base64", "answers a base64 field that is not base64 with HTTP 400, never 500",
			"every recorded error is HTTP 400; no 5xx", kmsfake.SourceWire, ops("Encrypt"), func(t *T) {
				md := t.Shared(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
				status, m, _ := t.RawJSON("Encrypt", map[string]any{"KeyId": aws.ToString(md.KeyId), "Plaintext": "!!! not base64 !!!"})
				t.Equal(status, 400, "HTTP status (body %v)", m)
			}),
		wireSpec("wire/sdk-sees-400", "reports HTTP 400 through the SDK for an API error",
			"InvalidCiphertextException is HTTP 400", kmsfake.SourceWire, ops("Decrypt"), func(t *T) {
				_, err := t.C.Decrypt(t.Ctx, &kms.DecryptInput{CiphertextBlob: []byte("not a ciphertext blob at all")})
				t.APIError(err, "InvalidCiphertextException")
				var re interface{ HTTPStatusCode() int }
				t.True(errors.As(err, &re) && re.HTTPStatusCode() == 400, "HTTP status of the error is not 400: %v", err)
			}),
	)
}
