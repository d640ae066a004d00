package doctor

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
)

// PassSource is a password as `openssl enc -pass SPEC` would read it.
type PassSource struct {
	// Spec is the openssl -pass argument: pass:TEXT, env:VAR or file:PATH.
	Spec string
	// Password is what openssl reads from Spec: the text, the variable, or
	// the first line of the file without its "\n" (a "\r" stays).
	Password []byte
	// FileCRLF is true when Spec is a file whose first line ends in "\r\n".
	FileCRLF bool
}

// ReadPassSpec resolves an openssl -pass argument (pass:, env:, file:) to
// the bytes openssl would use. stdin and fd: are refused: the doctor tries
// the password many times and prints commands that must work again.
func ReadPassSpec(spec string) (PassSource, error) {
	kind, val, ok := strings.Cut(spec, ":")
	if spec == "stdin" {
		kind, ok = "stdin", true
	}
	if !ok {
		return PassSource{}, fmt.Errorf("password spec %q has no source: use pass:TEXT, env:VAR or file:PATH", spec)
	}
	switch kind {
	case "pass":
		return PassSource{Spec: spec, Password: []byte(val)}, nil
	case "env":
		v, set := os.LookupEnv(val)
		if !set {
			return PassSource{}, fmt.Errorf("password spec %q: environment variable %s is not set", spec, val)
		}
		return PassSource{Spec: spec, Password: []byte(v)}, nil
	case "file":
		data, err := os.ReadFile(val)
		if err != nil {
			return PassSource{}, fmt.Errorf("password spec %q: %w", spec, err)
		}
		line, _, found := bytes.Cut(data, []byte("\n"))
		return PassSource{Spec: spec, Password: line, FileCRLF: found && bytes.HasSuffix(line, []byte("\r"))}, nil
	case "stdin", "fd":
		return PassSource{}, errors.New("password from stdin or fd: cannot be retried: put it in a file and use file:PATH (or --key-file PATH)")
	}
	return PassSource{}, fmt.Errorf("password spec %q: unknown source %q: use pass:TEXT, env:VAR or file:PATH", spec, kind)
}

// pwVariant is one guess at the password the producer really used.
type pwVariant struct {
	// name is a short tag ("as given", "trailing CR removed", ...).
	name string
	// password is the bytes tried.
	password []byte
	// change says, in words, how the producer's password differs from
	// what the consumer reads (empty for "as given").
	change string
	// fix says what the producer should change (empty for "as given").
	fix string
}

// passwordVariants lists the password as given and the ways a producer's
// differs in practice: a Windows CRLF key file (a "\r" too many or too
// few), trailing whitespace, the newline kept by tools that read the
// whole file.
func passwordVariants(src PassSource) []pwVariant {
	p := src.Password
	out := []pwVariant{{name: "as given", password: p}}
	seen := map[string]bool{string(p): true}
	add := func(v pwVariant) {
		if seen[string(v.password)] {
			return
		}
		seen[string(v.password)] = true
		out = append(out, v)
	}
	trimmed := bytes.TrimRight(p, " \t\r\n")
	if bytes.HasSuffix(p, []byte("\r")) && bytes.Equal(trimmed, p[:len(p)-1]) {
		add(pwVariant{name: "without the trailing CR", password: trimmed,
			change: "the producer's password has no trailing carriage return but yours has one: your key file has Windows (CRLF) line endings and `-pass file:` strips only the \\n",
			fix:    "convert the consumer's key file to Unix line endings (`dos2unix`) so that both sides read the same bytes"})
	} else {
		add(pwVariant{name: "without trailing whitespace", password: trimmed,
			change: "the producer's password lacks the trailing whitespace yours has",
			fix:    "remove the trailing whitespace from the consumer's password (key file) so that both sides read the same bytes"})
	}
	add(pwVariant{name: "with a trailing CR", password: append(append([]byte{}, p...), '\r'),
		change: "the producer's password ends with a carriage return: its key file has Windows (CRLF) line endings and `-pass file:` strips only the \\n",
		fix:    "the producer should convert its key file to Unix line endings (`dos2unix key-file`) before encrypting, and resend the data"})
	add(pwVariant{name: "with a trailing LF", password: append(append([]byte{}, p...), '\n'),
		change: "the producer's password ends with a newline: its tool used the whole key file, newline included, where `-pass file:` stops before the \\n",
		fix:    "the producer's tool should use the password without its trailing newline (the first line only, as `-pass file:` reads it)"})
	add(pwVariant{name: "with a trailing CRLF", password: append(append([]byte{}, p...), '\r', '\n'),
		change: "the producer's password ends with CR LF: its tool used the whole Windows key file, line ending included",
		fix:    "the producer's tool should use the password without its line ending (convert the file with `dos2unix`, read the first line only)"})
	return out
}
