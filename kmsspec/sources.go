package kmsspec

import (
	"fmt"

	"github.com/kmsconform/kmsconform/kmsfake"
)

// Where AWS's behaviour is recorded. kms-aws-recorded.md is
// ../shared/docs/kms-aws-recorded.md (real AWS answers recorded in
// LocalStack's AWS-validated snapshot tests); [S] rows are exact.
const (
	rec      = kmsfake.SourceRecorded
	srcMeta  = rec + "§13 DescribeKey / CreateKey KeyMetadata field sets"
	api      = kmsfake.SourceAPI
	devguide = "AWS KMS Developer Guide, "
	seeds    = "shared/seeds runbooks (run verbatim against AWS)"
)

// Want fails the spec unless err is the AWS answer kmsfake.Answers names
// by id, formatted with args: its code always, and its exact message when
// the text is AWS's own (recorded or reported); for answers whose text
// nobody recorded, only the code is checked.
func (t *T) Want(err error, id string, args ...any) {
	a, ok := kmsfake.LookupAnswer(id)
	if !ok {
		t.Fatalf("kmsspec: kmsfake.Answers has no entry %q (a bug in the spec table)", id)
	}
	if !exactText(a) {
		t.APIError(err, a.Code)
		return
	}
	want := ""
	if !a.NoMessage {
		want = a.Format(args...)
	}
	t.Error(err, a.Code, want)
}

// exactText reports whether an answer's message is AWS's own wording.
func exactText(a kmsfake.Answer) bool {
	return a.Evidence == kmsfake.EvidenceRecorded || a.Evidence == kmsfake.EvidenceReported
}

// answerSource is the Source of an answer, for specs built around one.
func answerSource(id string) string {
	a, ok := kmsfake.LookupAnswer(id)
	if !ok {
		panic(fmt.Sprintf("kmsspec: kmsfake.Answers has no entry %q", id))
	}
	return a.Source
}

func ops(names ...string) []string { return names }
