package flows

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/kmsconform/kmsconform/internal/buildinfo"
)

// keepWork copies the work directory dir of cell id to
// reportDir/work/SAFE-ID (directories 0700, files 0600: they hold keys and
// plaintexts) and returns its path relative to reportDir.
func keepWork(dir, reportDir, id string) (string, error) {
	rel := filepath.Join("work", SafeName(id))
	dst := filepath.Join(reportDir, rel)
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return "", err
	}
	_ = os.RemoveAll(dst) // a previous run's copy of the same cell
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		r, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, r)
		switch {
		case d.IsDir():
			return os.MkdirAll(to, 0o700)
		case d.Type().IsRegular():
			return copyFile(path, to)
		}
		return nil // sockets, links: not data a person replays
	})
	if err != nil {
		return "", err
	}
	return filepath.ToSlash(rel), nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// SafeName turns a cell ID ("4/md5-default/oracle@1.0.2>host") into a file
// name: every byte outside [A-Za-z0-9._-] becomes '_'.
func SafeName(id string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' {
			return r
		}
		return '_'
	}, id)
}

// toolVersion names the running kmsconform for Report.Tool.
func toolVersion() string {
	return buildinfo.Get().String()
}
