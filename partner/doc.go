// Package partner validates a third party's tool the way an onboarding
// checklist would, in one of four modes:
//
//   - encrypt (and hybrid): the tool RSA-encrypts with a KMS public key;
//     KMS must decrypt what it wrote, up to the OAEP limit, and it must
//     refuse one byte past it (hybrid: the data under `openssl enc` with
//     the password KMS unwraps);
//   - derive: the tool does ECDH with a KMS KEY_AGREEMENT key; its secret
//     must equal what DeriveSharedSecret gives with the tool's public key
//     (raw Z or a named KDF of it);
//   - decrypt: the tool decrypts, with the private half of a KMS data key
//     pair, what openssl encrypted with the public half;
//   - wrap-import: the tool wraps key material for ImportKeyMaterial.
//
// The tool runs as the user would run it (sh -c in the caller's directory,
// the caller's environment, stdin at /dev/null, a timeout, its process
// group killed). The KMS must answer first (internal/preflight, exit 3),
// and the tool must complete one in-limit run before any case can pass: a
// tool that cannot start or writes nothing fails up front. Failures are
// diagnosed (doctor, probe keys whose private half is known) and the
// behaviour is matched against the defaults of common stacks, reported as
// "consistent with" each stack together with the fix in its language.
package partner
