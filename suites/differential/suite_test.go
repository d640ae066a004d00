// Package differential runs random differential cases between the oracle
// (kmsconform's Go reference of openssl) and the host's real openssl binary,
// in both directions, and demands byte-identical output wherever openssl is
// deterministic.
package differential

import (
	"os/exec"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// hostOpenSSL is the path of the real openssl binary the oracle is judged against.
var hostOpenSSL string

func TestDifferential(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "oracle vs host openssl")
}

var _ = BeforeSuite(func() {
	p, err := exec.LookPath("openssl")
	Expect(err).NotTo(HaveOccurred(), "the differential suite needs the host's openssl on PATH (apt-get install openssl)")
	hostOpenSSL = p
})
