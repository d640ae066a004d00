package preflight

import (
	"errors"
	"os"
	"path/filepath"
)

// ReportDir checks that dir can hold a report: it is created if missing
// (mode 0755, like the report files' readers expect), and a probe file is
// created, written and removed in it.
func ReportDir(dir string) error {
	fail := func(msg string, err error) error {
		return &Error{Check: "report", Msg: msg, Err: err,
			Hint: "choose a --report directory you can write to (it is created if missing), e.g. --report ./kmsconform-report"}
	}
	if dir == "" {
		return fail("no report directory given", nil)
	}
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return fail("report directory "+dir+" is a file, not a directory", nil)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fail("cannot create the report directory "+dir, err)
	}
	f, err := os.CreateTemp(dir, ".kmsconform-probe-")
	if err != nil {
		return fail("the report directory "+dir+" is not writable", err)
	}
	name := f.Name()
	_, werr := f.Write([]byte("kmsconform pre-flight probe\n"))
	cerr := f.Close()
	rerr := os.Remove(name)
	if err := errors.Join(werr, cerr); err != nil {
		return fail("cannot write in the report directory "+dir, err)
	}
	if rerr != nil {
		return fail("cannot remove a file in the report directory "+filepath.Clean(dir), rerr)
	}
	return nil
}
