package opensslcli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// appPassLen is openssl's APP_PASS_LEN: -pass file:, fd: and stdin read at
// most appPassLen-1 bytes of the first line.
const appPassLen = 1024

// kfileBufLen is the buffer -kfile reads the first line into (127 bytes + NUL).
const kfileBufLen = 128

// errPassword is returned after the password source printed its own message.
var errPassword = errors.New("Error getting password")

// readLine reads the first line of r, at most max bytes including the
// newline, one byte at a time so that nothing after the line is consumed.
func readLine(r io.Reader, max int) ([]byte, error) {
	var line []byte
	var b [1]byte
	for len(line) < max {
		n, err := r.Read(b[:])
		if n == 1 {
			line = append(line, b[0])
			if b[0] == '\n' {
				break
			}
			continue
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return line, err
		}
	}
	return line, nil
}

// cString cuts s at its first NUL byte, as openssl's C strings end there.
func cString(s []byte) []byte {
	if i := bytes.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

// passFromBIO applies app_passwd's rule to the first line of a file, fd or
// stdin: at most 1023 bytes, cut at the first "\n" only (a "\r" before it
// stays in the password: the Windows CRLF pitfall).
func passFromBIO(env *Env, r io.Reader) ([]byte, error) {
	line, err := readLine(r, appPassLen-1)
	if err != nil || len(line) == 0 {
		env.Errorf("Error reading password from BIO\n")
		return nil, errPassword
	}
	line = cString(line)
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	return line, nil
}

// readPassArg resolves a -pass argument (pass:, env:, file:, fd:, stdin)
// exactly as openssl 3.0's app_passwd does, printing openssl's messages.
func readPassArg(env *Env, arg string) ([]byte, error) {
	switch {
	case strings.HasPrefix(arg, "pass:"):
		return []byte(arg[len("pass:"):]), nil
	case strings.HasPrefix(arg, "env:"):
		name := arg[len("env:"):]
		v, ok := env.lookupEnv(name)
		if !ok {
			env.Errorf("No environment variable %s\n", name)
			return nil, errPassword
		}
		return []byte(v), nil
	case strings.HasPrefix(arg, "file:"):
		name := arg[len("file:"):]
		f, err := os.Open(env.Path(name))
		if err != nil {
			env.Errorf("Can't open file %s\n", name)
			return nil, errPassword
		}
		defer f.Close()
		return passFromBIO(env, f)
	case strings.HasPrefix(arg, "fd:"):
		spec := arg[len("fd:"):]
		n := atoi(spec)
		if n < 0 {
			env.Errorf("Can't access file descriptor %s\n", spec)
			return nil, errPassword
		}
		var r io.Reader
		switch f, ok := env.Files[n]; {
		case ok:
			r = f
		case n == 0:
			r = env.Stdin
		case env.Files != nil:
			env.Errorf("Error reading password from BIO\n")
			return nil, errPassword
		default:
			r = os.NewFile(uintptr(n), "fd:"+strconv.Itoa(n))
		}
		return passFromBIO(env, r)
	case arg == "stdin":
		return passFromBIO(env, env.Stdin)
	}
	const prefixLen = 5
	env.Errorf("Invalid password argument, missing ':' within the first %d chars\n", prefixLen)
	return nil, errPassword
}

// readKFile reads a -kfile: the first line (at most 127 bytes), with every
// trailing "\r" and "\n" stripped (unlike -pass file:, which keeps "\r").
func readKFile(env *Env, prog, name string) ([]byte, error) {
	f, err := os.Open(env.Path(name))
	if err != nil {
		env.Errorf("Can't open \"%s\" for reading, %s\n", name, strerror(err))
		return nil, errPassword
	}
	defer f.Close()
	line, err := readLine(f, kfileBufLen-1)
	if err != nil || len(line) == 0 {
		env.Errorf("%s Can't read key from %s\n", prog, name)
		return nil, errPassword
	}
	line = cString(line)
	for len(line) > 0 && (line[len(line)-1] == '\n' || line[len(line)-1] == '\r') {
		line = line[:len(line)-1]
	}
	if len(line) == 0 {
		env.Errorf("%s: zero length password\n", prog)
		return nil, errPassword
	}
	return line, nil
}

// atoi is C's atoi: optional white space and sign, then digits; 0 when
// there are none ("fd:x" is descriptor 0 in openssl).
func atoi(s string) int {
	s = strings.TrimLeft(s, " \t\n\r\v\f")
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	n := 0
	for _, c := range []byte(s) {
		if c < '0' || c > '9' || n > 1<<24 {
			break
		}
		n = n*10 + int(c-'0')
	}
	if neg {
		return -n
	}
	return n
}

// strerror renders a file error as C's strerror does ("No such file or directory").
func strerror(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	s := err.Error()
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// lookupEnv looks up an environment variable, telling unset from empty.
func (e *Env) lookupEnv(key string) (string, bool) {
	if e.Getenv != nil {
		v := e.Getenv(key)
		return v, v != ""
	}
	return os.LookupEnv(key)
}

// fmtHex formats b as openssl -p does: upper-case hex.
func fmtHex(b []byte) string { return fmt.Sprintf("%X", b) }
