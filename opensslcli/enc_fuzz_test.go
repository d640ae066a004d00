package opensslcli

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzEncArgs runs `enc` and `rand` with arbitrary command lines and input:
// exit code 0 or 1, never a panic or a hang. Arguments are separated by
// NUL; file names stay inside a temporary directory.
func FuzzEncArgs(f *testing.F) {
	f.Add("enc\x00-aes-256-cbc\x00-k\x00x", []byte("data"))
	f.Add("enc\x00-d\x00-aes-128-ctr\x00-K\x0000\x00-iv\x0001\x00-a", []byte("QUJD\n"))
	f.Add("enc\x00-d\x00-aes-256-cbc\x00-pbkdf2\x00-pass\x00stdin", []byte("pw\nSalted__12345678abc"))
	f.Add("enc\x00-aes-192-ecb\x00-nopad\x00-S\x00zz\x00-k\x00x\x00-p", []byte("0123456789abcdef0"))
	f.Add("enc\x00-kfile\x00pw\x00-aes-128-cfb1\x00-md\x00md5\x00-P", []byte{})
	f.Add("enc\x00-iter\x00-5\x00-cipher\x00aes-256-ofb\x00-k", []byte{})
	f.Add("rand\x00-hex\x0017", []byte{})
	f.Add("--compat\x001.0.2\x00enc\x00-pbkdf2", []byte{})
	f.Fuzz(func(t *testing.T, cmdline string, stdin []byte) {
		args := strings.Split(cmdline, "\x00")
		for _, a := range args {
			if strings.Contains(a, "/") || strings.Contains(a, "..") || strings.HasPrefix(a, "fd:") {
				t.Skip("paths and descriptors outside the sandbox")
			}
		}
		cmd := args
		for len(cmd) > 0 && strings.HasPrefix(cmd[0], "--compat") {
			cmd = cmd[1:]
			if len(cmd) > 0 && !strings.HasPrefix(cmd[0], "-") {
				cmd = cmd[1:]
			}
		}
		if len(cmd) == 0 || (cmd[0] != "enc" && cmd[0] != "rand") {
			t.Skip("only enc and rand are fuzzed here")
		}
		for _, a := range cmd[1:] {
			if len(strings.TrimLeft(a, "+-0")) > 5 && strings.Trim(a, "+-0123456789") == "" {
				t.Skip("huge counts (rand bytes, -iter) only make the run slow")
			}
		}
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "pw"), []byte("secret\r\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		code := Main(args, Env{
			Dir: dir, Stdin: bytes.NewReader(stdin), Stdout: io.Discard, Stderr: io.Discard,
			Getenv: func(string) string { return "" }, Files: map[int]*os.File{},
		})
		if code != 0 && code != 1 {
			t.Fatalf("exit code %d for %q", code, args)
		}
	})
}
