package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
)

func TestCode(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
	}{
		{nil, 0},
		{errors.New("x"), 1},
		{Usage("bad flag", ""), 2},
		{Setup(errors.New("no docker"), ""), 3},
		{fmt.Errorf("run: %w", context.Canceled), 130},
		{fmt.Errorf("wrapped: %w", Setup(errors.New("kms"), "h")), 3},
	} {
		if got := Code(tc.err); got != tc.want {
			t.Errorf("Code(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
}

func TestPrint(t *testing.T) {
	var b bytes.Buffer
	code := Print(&b, Setup(errors.New("KMS at http://127.0.0.1:1 does not answer"), "start it"))
	want := "kmsconform: error: KMS at http://127.0.0.1:1 does not answer\nkmsconform: hint: start it\n"
	if code != 3 || b.String() != want {
		t.Fatalf("Print = %d %q, want 3 %q", code, b.String(), want)
	}
}

func TestSuggest(t *testing.T) {
	cands := []string{"run", "runbook", "partner", "doctor", "kms", "openssl"}
	for got, want := range map[string]string{"partnr": "partner", "docter": "doctor", "rn": "run", "zzzzzz": "", "opnessl": "openssl"} {
		if s := Suggest(got, cands); s != want {
			t.Errorf("Suggest(%q) = %q, want %q", got, s, want)
		}
	}
}
