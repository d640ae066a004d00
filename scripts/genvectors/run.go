package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// tool runs the real openssl binary in a private working directory.
type tool struct {
	bin string
	dir string
}

// result is one finished openssl process.
type result struct {
	stdout, stderr []byte
	code           int
}

// run executes openssl with args and stdin, with a timeout, in t.dir.
func (t *tool) run(stdin []byte, args ...string) (result, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, t.bin, args...)
	cmd.Dir = t.dir
	cmd.Stdin = bytes.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	r := result{stdout: out.Bytes(), stderr: errb.Bytes()}
	if ee, ok := err.(*exec.ExitError); ok && ctx.Err() == nil {
		r.code = ee.ExitCode()
		return r, nil
	}
	if err != nil {
		return r, fmt.Errorf("openssl %s: %w", strings.Join(args, " "), err)
	}
	return r, nil
}

// must runs openssl and fails unless it exits 0; it returns stdout.
func (t *tool) must(stdin []byte, args ...string) []byte {
	r, err := t.run(stdin, args...)
	if err != nil {
		fatalf("%v", err)
	}
	if r.code != 0 {
		fatalf("openssl %s: exit %d: %s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r.stdout
}

// write puts data in a file of the working directory (mode 0600) and
// returns its name.
func (t *tool) write(name string, data []byte) string {
	if err := os.WriteFile(filepath.Join(t.dir, name), data, 0o600); err != nil {
		fatalf("%v", err)
	}
	return name
}

// read returns a file of the working directory.
func (t *tool) read(name string) []byte {
	b, err := os.ReadFile(filepath.Join(t.dir, name))
	if err != nil {
		fatalf("%v", err)
	}
	return b
}

// det returns n deterministic pseudo-random bytes named by label, so that
// messages, passwords and KDF inputs are the same on every run.
func det(label string, n int) []byte {
	out := make([]byte, 0, n+32)
	var ctr [4]byte
	for i := uint32(0); len(out) < n; i++ {
		binary.BigEndian.PutUint32(ctr[:], i)
		s := sha256.Sum256(append([]byte("kmsconform vectors/"+label+"/"), ctr[:]...))
		out = append(out, s[:]...)
	}
	return out[:n]
}

// detText returns n deterministic printable characters (for passwords).
func detText(label string, n int) []byte {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
	b := det(label, n)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return b
}
