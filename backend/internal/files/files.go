// Package files keeps attachments and avatars on disk under
// FLICKET_UPLOAD_DIR, outside any public folder. Files get random names; the
// names users chose live only in the database.
package files

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

const (
	dirMode  = 0o750
	fileMode = 0o640
)

// ErrInvalidName is returned for a stored name that could leave the folder
// or was never produced by a Store (path separators, "..", odd characters).
var ErrInvalidName = errors.New("invalid stored file name")

// ErrInvalidExtension is returned by Save for an extension that is not a
// short run of letters and digits.
var ErrInvalidExtension = errors.New("invalid file extension")

// storedName accepts our own names (32 hex digits + extension) and the
// original Flicket's (8 random characters + extension, case kept), so an
// imported database still finds its files. No separator, no leading dot.
var storedName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,99}(\.[A-Za-z0-9]{1,16})?$`)

var extension = regexp.MustCompile(`^[a-z0-9]{1,16}$`)

// Store is one folder of stored files. It is safe for concurrent use.
type Store struct {
	dir string
}

// New returns the store rooted at dir; the folder is created on first save.
func New(dir string) *Store { return &Store{dir: dir} }

// Sub returns the store of a sub-folder (e.g. "avatars").
func (s *Store) Sub(name string) *Store { return &Store{dir: filepath.Join(s.dir, name)} }

// Dir is the folder the store writes to.
func (s *Store) Dir() string { return s.dir }

// ValidName tells whether name could be a stored file's name.
func ValidName(name string) bool { return storedName.MatchString(name) }

// path maps a stored name to its file, refusing anything that is not a plain
// name inside the folder.
func (s *Store) path(name string) (string, error) {
	if !ValidName(name) {
		return "", fmt.Errorf("%w: %q", ErrInvalidName, name)
	}
	return filepath.Join(s.dir, name), nil
}

// Save writes r to a new file named with 16 random bytes in hex and the
// lower-cased extension (ext may be empty, with or without a leading dot),
// and returns the stored name and the number of bytes written. On any error
// nothing is left behind.
func (s *Store) Save(r io.Reader, ext string) (string, int64, error) {
	ext = strings.ToLower(strings.TrimPrefix(ext, "."))
	if ext != "" && !extension.MatchString(ext) {
		return "", 0, fmt.Errorf("%w: %q", ErrInvalidExtension, ext)
	}
	if err := os.MkdirAll(s.dir, dirMode); err != nil {
		return "", 0, fmt.Errorf("create upload folder: %w", err)
	}
	var raw [16]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", 0, fmt.Errorf("random file name: %w", err)
	}
	name := hex.EncodeToString(raw[:])
	if ext != "" {
		name += "." + ext
	}
	p := filepath.Join(s.dir, name)
	// O_EXCL: a name clash (2^-128) fails instead of overwriting.
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fileMode)
	if err != nil {
		return "", 0, fmt.Errorf("create stored file: %w", err)
	}
	n, err := io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(p)
		return "", 0, fmt.Errorf("write stored file: %w", err)
	}
	return name, n, nil
}

// Open opens a stored file for reading. A missing file is fs.ErrNotExist.
func (s *Store) Open(name string) (*os.File, error) {
	p, err := s.path(name)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p) // #nosec G304 -- p is a validated plain name inside the store
	if err != nil {
		return nil, fmt.Errorf("open stored file: %w", err)
	}
	return f, nil
}

// Remove deletes a stored file; a file that is already gone is not an error.
func (s *Store) Remove(name string) error {
	p, err := s.path(name)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove stored file: %w", err)
	}
	return nil
}

// RemoveAll deletes every named file and returns the first failure; it is
// what runs after a transaction that deleted their rows has committed.
func (s *Store) RemoveAll(names ...string) error {
	var first error
	for _, n := range names {
		if err := s.Remove(n); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// ValidExtension tells whether Save accepts ext (after lower-casing and
// without its dot): 1 to 16 letters and digits.
func ValidExtension(ext string) bool {
	return extension.MatchString(strings.ToLower(strings.TrimPrefix(ext, ".")))
}
