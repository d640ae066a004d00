package kmsspec

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/kmsconform/kmsconform/kmsfake"
)

func init() {
	for _, n := range []int32{1, 12, 44, 91, 1024} {
		add(&Spec{
			ID: fmt.Sprintf("GenerateRandom/%d", n), Topic: "random", Ops: ops("GenerateRandom"),
			Title:  fmt.Sprintf("returns exactly %d bytes for NumberOfBytes %d", n, n),
			AWS:    "Plaintext has exactly NumberOfBytes bytes",
			Source: kmsfake.SourceRandom + " [S] (test_generate_random)",
			Check: func(t *T) {
				out, err := t.C.GenerateRandom(t.Ctx, &kms.GenerateRandomInput{NumberOfBytes: aws.Int32(n)})
				t.OK(err, "GenerateRandom NumberOfBytes=%d", n)
				t.Equal(len(out.Plaintext), int(n), "length of Plaintext")
			},
		})
	}
	add(&Spec{
		ID: "GenerateRandom/0-refused", Topic: "random", Ops: ops("GenerateRandom"),
		Title:  "refuses 0 with AWS's exact message",
		AWS:    "ValidationException `1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1`",
		Source: answerSource("Validation.MinValue") + " [S]",
		Check: func(t *T) {
			_, err := t.C.GenerateRandom(t.Ctx, &kms.GenerateRandomInput{NumberOfBytes: aws.Int32(0)})
			t.Want(err, "Validation.MinValue", 0, "numberOfBytes", 1)
		},
	}, &Spec{
		ID: "GenerateRandom/1025-refused", Topic: "random", Ops: ops("GenerateRandom"),
		Title:  "refuses 1025 with AWS's exact message",
		AWS:    "ValidationException `1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024`",
		Source: answerSource("Validation.MaxValue") + " [S]",
		Check: func(t *T) {
			_, err := t.C.GenerateRandom(t.Ctx, &kms.GenerateRandomInput{NumberOfBytes: aws.Int32(1025)})
			t.Want(err, "Validation.MaxValue", 1025, "numberOfBytes", 1024)
		},
	}, &Spec{
		ID: "GenerateRandom/missing-refused", Topic: "random", Ops: ops("GenerateRandom"),
		Title:  "refuses a missing NumberOfBytes with AWS's exact message",
		AWS:    "ValidationException `NumberOfBytes is required.`",
		Source: answerSource("Validation.NumberOfBytesRequired") + " [S]",
		Check: func(t *T) {
			_, err := t.C.GenerateRandom(t.Ctx, &kms.GenerateRandomInput{})
			t.Want(err, "Validation.NumberOfBytesRequired")
		},
	}, &Spec{
		ID: "GenerateRandom/not-repeated", Topic: "random", Ops: ops("GenerateRandom"),
		Title:  "never returns the same 32 random bytes twice",
		AWS:    "GenerateRandom returns cryptographically secure random bytes",
		Source: api + "GenerateRandom",
		Check: func(t *T) {
			seen := map[string]bool{}
			for range 8 {
				out, err := t.C.GenerateRandom(t.Ctx, &kms.GenerateRandomInput{NumberOfBytes: aws.Int32(32)})
				t.OK(err, "GenerateRandom")
				t.True(!seen[string(out.Plaintext)], "GenerateRandom repeated itself: %s", show(out.Plaintext))
				seen[string(out.Plaintext)] = true
			}
		},
	})
}
