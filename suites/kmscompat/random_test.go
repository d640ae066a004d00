package kmscompat

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func init() { addTopic(randomSpecs) }

// randomSpecs: GenerateRandom's bounds and texts.
func randomSpecs(e *env) {
	Describe("GenerateRandom", Label("topic:random", "op:GenerateRandom"), func() {
		It("returns exactly NumberOfBytes bytes from 1 to 1024", func() {
			for _, n := range []int32{1, 12, 44, 91, 1024} {
				out, err := e.c.GenerateRandom(e.ctx(), &kms.GenerateRandomInput{NumberOfBytes: aws.Int32(n)})
				Expect(err).NotTo(HaveOccurred(), "NumberOfBytes=%d", n)
				Expect(out.Plaintext).To(HaveLen(int(n)))
			}
		})

		It("refuses 0 with AWS's exact message", func() {
			_, err := e.c.GenerateRandom(e.ctx(), &kms.GenerateRandomInput{NumberOfBytes: aws.Int32(0)})
			expectError(err, "ValidationException", "1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1")
		})

		It("refuses 1025 with AWS's exact message", func() {
			_, err := e.c.GenerateRandom(e.ctx(), &kms.GenerateRandomInput{NumberOfBytes: aws.Int32(1025)})
			expectError(err, "ValidationException", "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024")
		})

		It("refuses a missing NumberOfBytes with AWS's exact message", func() {
			_, err := e.c.GenerateRandom(e.ctx(), &kms.GenerateRandomInput{})
			expectError(err, "ValidationException", "NumberOfBytes is required.")
		})
	})
}
