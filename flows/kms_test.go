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
	if k.Server != kmsfake.ServerHeader || strings.Contains(k.Label, "server") {
		t.Errorf("Server = %q, Label = %q; want the server %q apart from the label", k.Server, k.Label, kmsfake.ServerHeader)
	}
}
