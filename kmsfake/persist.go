package kmsfake

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// disk persists keys and aliases under a data directory, one file per
// object: DIR/<account>/<region>/keys/<id>.json and
// DIR/<account>/<region>/aliases/<hex(name)>.json. Every write goes to a
// temporary file that is fsynced, renamed over the target, and followed
// by an fsync of the directory, so a change is durable before the request
// is answered and survives kill -9. Files are 0600, directories 0700.
type disk struct {
	dir      string
	warnings []string // said once at start: permissions tightened
}

// ErrDataDir marks errors of the data directory itself (cannot be
// created, read or made private): an environment problem, not a bad flag.
var ErrDataDir = errors.New("data directory")

// openDisk creates dir 0700, or tightens an existing dir that other users
// can read or enter to 0700 (with a warning); it refuses a dir it cannot
// make private.
func openDisk(dir string) (*disk, error) {
	d := &disk{dir: dir}
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("%w %s: %w", ErrDataDir, dir, err)
		}
		return d, nil
	case err != nil:
		return nil, fmt.Errorf("%w %s: %w", ErrDataDir, dir, err)
	case !fi.IsDir():
		return nil, fmt.Errorf("%w %s is not a directory", ErrDataDir, dir)
	}
	if mode := fi.Mode().Perm(); mode&0o077 != 0 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return nil, fmt.Errorf("%w %s is mode %04o (other users can read the keys) and cannot be made 0700: %w", ErrDataDir, dir, mode, err)
		}
		d.warnings = append(d.warnings, fmt.Sprintf("data directory %s was mode %04o (other users could read the keys); it is now 0700", dir, mode))
	}
	return d, nil
}

func (d *disk) scopeDir(sc scope, kind string) string {
	return filepath.Join(d.dir, sc.account, sc.region, kind)
}

func (d *disk) writeKey(r *keyRecord) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return writeDurable(d.scopeDir(scope{r.Account, r.Region}, "keys"), r.KeyID+".json", b)
}

func (d *disk) writeAlias(a *aliasRecord) error {
	b, err := json.Marshal(a)
	if err != nil {
		return err
	}
	return writeDurable(d.scopeDir(scope{a.Account, a.Region}, "aliases"), hex.EncodeToString([]byte(a.Name))+".json", b)
}

func (d *disk) removeAlias(sc scope, name string) error {
	dir := d.scopeDir(sc, "aliases")
	if err := os.Remove(filepath.Join(dir, hex.EncodeToString([]byte(name))+".json")); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return syncDir(dir)
}

// writeDurable writes name in dir atomically and durably.
func writeDurable(dir, name string, data []byte) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".tmp-"+name+"-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := f.Chmod(0o600); err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		return err
	}
	ok = true
	return syncDir(dir)
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// tighten makes path private (0700 for a directory, 0600 for a file) when
// other users have any access to it.
func tighten(path string, e fs.DirEntry, n *int) error {
	fi, err := e.Info()
	if err != nil || fi.Mode().Perm()&0o077 == 0 || fi.Mode()&fs.ModeSymlink != 0 {
		return err
	}
	want := fs.FileMode(0o600)
	if e.IsDir() {
		want = 0o700
	}
	if err := os.Chmod(path, want); err != nil {
		return fmt.Errorf("%s is readable by other users and cannot be made %04o: %w", path, want, err)
	}
	*n++
	return nil
}

// loadAll reads every key and alias, removing temporary files left by a
// crash.
// Directories other users can open become 0700 and key and alias files
// they can read become 0600, with one warning.
func (d *disk) loadAll(s *store) error {
	tightened := 0
	defer func() {
		if tightened > 0 {
			d.warnings = append(d.warnings, fmt.Sprintf("%d files or directories under %s were readable by other users; they are now 0600/0700", tightened, d.dir))
		}
	}()
	return filepath.WalkDir(d.dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := tighten(path, e, &tightened); err != nil {
			return err
		}
		if e.IsDir() {
			return nil
		}
		base := e.Name()
		if strings.HasPrefix(base, ".tmp-") {
			return os.Remove(path)
		}
		if !strings.HasSuffix(base, ".json") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		switch filepath.Base(filepath.Dir(path)) {
		case "keys":
			var r keyRecord
			if err := json.Unmarshal(b, &r); err != nil {
				return fmt.Errorf("%s: %w (remove the file or restore it from a backup)", path, err)
			}
			k, err := newKey(r)
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			s.load(k)
		case "aliases":
			var a aliasRecord
			if err := json.Unmarshal(b, &a); err != nil {
				return fmt.Errorf("%s: %w (remove the file or restore it from a backup)", path, err)
			}
			s.loadAlias(&a)
		}
		return nil
	})
}
