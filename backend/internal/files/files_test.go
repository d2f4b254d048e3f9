package files

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/iotest"
)

func TestSaveOpenRemove(t *testing.T) {
	root := filepath.Join(t.TempDir(), "uploads")
	s := New(root)

	name, n, err := s.Save(strings.NewReader("hello"), ".TXT")
	if err != nil {
		t.Fatal(err)
	}
	if n != 5 {
		t.Errorf("size = %d, want 5", n)
	}
	if !regexp.MustCompile(`^[0-9a-f]{32}\.txt$`).MatchString(name) {
		t.Errorf("stored name %q is not 32 hex digits + lower-case extension", name)
	}
	st, err := os.Stat(filepath.Join(root, name))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm()&^0o640 != 0 {
		t.Errorf("file mode %v is wider than 0640", st.Mode().Perm())
	}
	dst, err := os.Stat(root)
	if err != nil {
		t.Fatal(err)
	}
	if dst.Mode().Perm()&^0o750 != 0 {
		t.Errorf("folder mode %v is wider than 0750", dst.Mode().Perm())
	}

	f, err := s.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(f)
	_ = f.Close()
	if string(got) != "hello" {
		t.Errorf("read back %q", got)
	}

	if err := s.Remove(name); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, name)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("file still there: %v", err)
	}
	if err := s.Remove(name); err != nil {
		t.Errorf("removing a missing file: %v", err)
	}
	if _, err := s.Open(name); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("open missing = %v, want ErrNotExist", err)
	}
}

func TestNamesAreRandomAndExtensionOptional(t *testing.T) {
	s := New(t.TempDir())
	a, _, err := s.Save(strings.NewReader("x"), "")
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := s.Save(strings.NewReader("x"), "")
	if err != nil {
		t.Fatal(err)
	}
	if a == b || strings.Contains(a, ".") {
		t.Errorf("names %q and %q", a, b)
	}
}

func TestSaveRefusesBadExtensionsAndCleansUp(t *testing.T) {
	dir := t.TempDir()
	s := New(dir)
	for _, ext := range []string{"../x", "a/b", "tx t", strings.Repeat("a", 17), "é"} {
		if _, _, err := s.Save(strings.NewReader("x"), ext); !errors.Is(err, ErrInvalidExtension) {
			t.Errorf("ext %q: err = %v", ext, err)
		}
	}
	// A reader that fails midway leaves no file behind.
	if _, _, err := s.Save(iotest.ErrReader(errors.New("boom")), "txt"); err == nil {
		t.Fatal("a failing reader saved a file")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
}

func TestNoPathTraversal(t *testing.T) {
	parent := t.TempDir()
	secret := filepath.Join(parent, "secret.txt")
	if err := os.WriteFile(secret, []byte("s"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := New(filepath.Join(parent, "uploads"))
	for _, name := range []string{"../secret.txt", "..", ".", "", "/etc/passwd", `..\secret.txt`, "a/b.txt", ".hidden", "x\x00.txt"} {
		if _, err := s.Open(name); !errors.Is(err, ErrInvalidName) {
			t.Errorf("Open(%q) = %v, want ErrInvalidName", name, err)
		}
		if err := s.Remove(name); !errors.Is(err, ErrInvalidName) {
			t.Errorf("Remove(%q) = %v, want ErrInvalidName", name, err)
		}
	}
	if _, err := os.Stat(secret); err != nil {
		t.Fatalf("secret removed: %v", err)
	}
	// The original Flicket's stored names still open.
	if !ValidName("kdybep9u.txt") || !ValidName("0123456789abcdef0123456789abcdef.PNG") {
		t.Error("legitimate names refused")
	}
}

func TestSub(t *testing.T) {
	root := t.TempDir()
	av := New(root).Sub("avatars")
	name, _, err := av.Save(strings.NewReader("img"), "png")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "avatars", name)); err != nil {
		t.Fatal(err)
	}
	if err := av.RemoveAll(name, "missing.png"); err != nil {
		t.Fatal(err)
	}
}
