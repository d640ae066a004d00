package flows

import (
	"context"
	"strings"
	"testing"

	"github.com/kmsconform/kmsconform/kmsfake"
)

// TestOpenKMSNamesTheServer: the report header names the KMS it ran
// against, from the Server header of its answers.
func TestOpenKMSNamesTheServer(t *testing.T) {
	k, err := OpenKMS(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	if !strings.HasPrefix(kmsfake.ServerHeader, "kmsconform-kmsfake/") {
		t.Fatalf("ServerHeader = %q", kmsfake.ServerHeader)
	}
	if want := "; server: " + kmsfake.ServerHeader; !strings.HasSuffix(k.Label, want) {
		t.Errorf("Label = %q, want it to end with %q", k.Label, want)
	}
}
