// Package doctorcli holds the end-to-end tests of `kmsconform doctor`: the
// built binary run on files made by the real openssl, checking the exit
// codes of the CLI contract (0 no fault, 1 a diagnosed fault, 2 usage, 3 a
// KMS that does not answer) and the messages. It has no code of its own.
package doctorcli
