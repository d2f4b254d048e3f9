package flicketimport

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"

	"github.com/flicket/flicket/backend/internal/files"
)

// fileCopier copies the original's files into FLICKET_UPLOAD_DIR before the
// database commit, and removes what it wrote when the import fails.
type fileCopier struct {
	dir     string
	dry     bool
	created []string
	count   int
	bytes   int64
}

func newFileCopier(dir string, dry bool) *fileCopier { return &fileCopier{dir: dir, dry: dry} }

// copiedFile is what the target needs to know about a copied file.
type copiedFile struct {
	Size        int64
	ContentType string
}

// errMissing says the source file is not there (imported as missing).
var errMissing = errors.New("file missing")

// copy copies src to sub/name under the upload folder, checks size and
// SHA-256 of the copy, and tells its content type. A file already there
// with the same content is accepted; with other content it is an error.
func (c *fileCopier) copy(src, sub, name string) (copiedFile, error) {
	if !files.ValidName(name) {
		return copiedFile{}, fmt.Errorf("stored file name %q is not a plain file name", name)
	}
	in, err := os.Open(src)
	if errors.Is(err, fs.ErrNotExist) {
		return copiedFile{}, errMissing
	}
	if err != nil {
		return copiedFile{}, fmt.Errorf("open %s: %w", src, err)
	}
	defer func() { _ = in.Close() }()
	head := make([]byte, 512)
	n, _ := io.ReadFull(in, head)
	info := copiedFile{ContentType: contentType(head[:n])}
	if _, err := in.Seek(0, io.SeekStart); err != nil {
		return info, fmt.Errorf("read %s: %w", src, err)
	}
	srcSum := sha256.New()
	size, err := io.Copy(srcSum, in)
	if err != nil {
		return info, fmt.Errorf("read %s: %w", src, err)
	}
	info.Size = size
	c.count++
	c.bytes += size
	if c.dry {
		return info, nil
	}
	dir := filepath.Join(c.dir, sub)
	dst := filepath.Join(dir, name)
	if existing, err := fileSum(dst); err == nil {
		if !bytes.Equal(existing, srcSum.Sum(nil)) {
			return info, fmt.Errorf("%s already exists with other content: move it away, then import again", dst)
		}
		return info, nil
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return info, fmt.Errorf("create %s: %w", dir, err)
	}
	if _, err := in.Seek(0, io.SeekStart); err != nil {
		return info, fmt.Errorf("read %s: %w", src, err)
	}
	tmp, err := os.CreateTemp(dir, ".import-*")
	if err != nil {
		return info, fmt.Errorf("create a file in %s: %w", dir, err)
	}
	written, err := io.Copy(tmp, in)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return info, fmt.Errorf("copy %s: %w", src, err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		_ = os.Remove(tmp.Name())
		return info, fmt.Errorf("copy %s: %w", src, err)
	}
	c.created = append(c.created, dst)
	got, err := fileSum(dst)
	if err != nil || written != size || !bytes.Equal(got, srcSum.Sum(nil)) {
		return info, fmt.Errorf("copy of %s differs from the original (size or SHA-256): disk full?", src)
	}
	return info, nil
}

// undo removes every file this import wrote.
func (c *fileCopier) undo() {
	for _, p := range c.created {
		_ = os.Remove(p)
	}
	c.created = nil
}

func fileSum(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

// contentType is the type of a file sniffed from its first bytes, as the
// API does for new uploads; a missing file has none to sniff.
func contentType(head []byte) string {
	if head == nil {
		return "application/octet-stream"
	}
	return http.DetectContentType(head)
}

// checkAvatars copies each user's avatar; a missing one is dropped (the
// user gets the default picture) and reported. rows are the users' rows,
// the avatar in column 6.
func (im *importer) checkAvatars(rows [][]any) error {
	for _, r := range rows {
		avatar, _ := r[6].(*string)
		if avatar == nil {
			continue
		}
		if im.avatarDir == "" {
			im.rep.warn(WarnMissingFile, "avatar %s of user %d: no --files given, the user gets the default picture", *avatar, r[0])
			r[6] = (*string)(nil)
			continue
		}
		_, err := im.files.copy(filepath.Join(im.avatarDir, *avatar), "avatars", *avatar)
		if errors.Is(err, errMissing) {
			im.rep.warn(WarnMissingFile, "avatar %s of user %d is not in %s: the user gets the default picture", *avatar, r[0], im.avatarDir)
			r[6] = (*string)(nil)
			continue
		}
		if err != nil {
			return fmt.Errorf("avatar of user %d: %w", r[0], err)
		}
	}
	return nil
}
