// Package partner validates a third party's encryption tool the way an
// onboarding checklist would: it creates KMS keys, hands the tool each
// public key, runs it over inputs up to the OAEP limit and one byte past
// it, decrypts what it wrote through KMS (and, for hybrid tools, the data
// with the password KMS returns) and gives a verdict per case with the
// producer's mistake, found by the doctor package.
package partner
