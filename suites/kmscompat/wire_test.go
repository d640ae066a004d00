package kmscompat

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func init() { addTopic(wireSpecs) }

// wireSpecs: awsJson1_1 at the HTTP level, which the SDK hides.
func wireSpecs(e *env) {
	Describe("Wire protocol", Label("topic:wire"), func() {
		It("answers malformed JSON with HTTP 400 SerializationException", func() {
			resp, err := e.t.Raw(e.ctx(), "TrentService.Encrypt", []byte(`{"KeyId": "x", "Plaintext": `))
			Expect(err).NotTo(HaveOccurred())
			Expect(resp.Status).To(Equal(400), "HTTP status (body %s)", resp.Body)
			m, err := resp.JSON()
			Expect(err).NotTo(HaveOccurred())
			Expect(m["__type"]).To(HaveSuffix("SerializationException"))
		})

		It("answers an unknown X-Amz-Target with HTTP 400 UnknownOperationException", func() {
			status, m, _ := e.raw("NoSuchOperation", map[string]any{})
			Expect(status).To(Equal(400), "HTTP status (body %v)", m)
			Expect(m["__type"]).To(HaveSuffix("UnknownOperationException"))
		})

		It("answers success with HTTP 200 and application/x-amz-json-1.1", Label("op:GenerateRandom"), func() {
			status, m, resp := e.raw("GenerateRandom", map[string]any{"NumberOfBytes": 16})
			Expect(status).To(Equal(200))
			Expect(resp.Header.Get("Content-Type")).To(HavePrefix("application/x-amz-json-1.1"))
			Expect(m).To(HaveKey("Plaintext"))
		})

		It("answers client errors with HTTP 400, __type in the body and X-Amzn-ErrorType", Label("op:DescribeKey"), func() {
			status, m, resp := e.raw("DescribeKey", map[string]any{"KeyId": "fake-key-id"})
			Expect(status).To(Equal(400))
			Expect(m["__type"]).To(HaveSuffix("NotFoundException"))
			Expect(m["message"]).To(Equal("Invalid keyId 'fake-key-id'"))
			Expect(resp.Header.Get("X-Amzn-ErrorType")).To(HavePrefix("NotFoundException"))
		})

		It("answers a base64 field that is not base64 with HTTP 400, never 500", Label("op:Encrypt"), func() {
			md := e.sharedKey(types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt)
			status, m, _ := e.raw("Encrypt", map[string]any{"KeyId": aws.ToString(md.KeyId), "Plaintext": "!!! not base64 !!!"})
			Expect(status).To(Equal(400), "body %v", m)
		})

		It("reports HTTP 400 through the SDK for an API error", Label("op:Decrypt"), func() {
			_, err := e.c.Decrypt(e.ctx(), &kms.DecryptInput{CiphertextBlob: []byte("not a ciphertext blob at all")})
			apiError(err, "InvalidCiphertextException")
			Expect(httpStatus(err)).To(Equal(400))
		})
	})
}
