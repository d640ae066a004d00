package opensslcli

import (
	"io"
	"os"
)

// openIn opens -in (or stdin) as openssl does, printing its message on failure.
func openIn(env *Env, name string) (io.Reader, func(), bool) {
	if name == "" || name == "-" {
		return env.Stdin, func() {}, true
	}
	f, err := os.Open(env.Path(name))
	if err != nil {
		env.Errorf("Can't open \"%s\" for reading, %s\n", name, strerror(err))
		return nil, nil, false
	}
	return f, func() { f.Close() }, true
}

// openOut creates -out (or uses stdout) as openssl does.
func openOut(env *Env, name string) (io.Writer, func() error, bool) {
	return openOutPerm(env, name, 0o666)
}

// openOutPerm is openOut with the permission bits of a new file (0600 for
// secrets such as `rand -out key.bin`).
func openOutPerm(env *Env, name string, perm os.FileMode) (io.Writer, func() error, bool) {
	if name == "" || name == "-" {
		return env.Stdout, func() error { return nil }, true
	}
	f, err := os.OpenFile(env.Path(name), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		env.Errorf("Can't open \"%s\" for writing, %s\n", name, strerror(err))
		return nil, nil, false
	}
	return f, f.Close, true
}
