package api

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

func encodeImage(t *testing.T, format string, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.RGBA{R: 200, A: 255})
	var buf bytes.Buffer
	switch format {
	case "png":
		testutil.Must(t, png.Encode(&buf, img))
	case "gif":
		testutil.Must(t, gif.Encode(&buf, img, nil))
	case "jpeg":
		testutil.Must(t, jpeg.Encode(&buf, img, nil))
	}
	return buf.Bytes()
}

// tinyWebP is a 1×1 lossless WebP header (VP8L), enough for DecodeConfig.
func tinyWebP() []byte {
	data := []byte{0x2f, 0, 0, 0, 0} // signature, then width-1 = height-1 = 0
	var b bytes.Buffer
	b.WriteString("RIFF")
	_ = binary.Write(&b, binary.LittleEndian, uint32(4+8+len(data)+1))
	b.WriteString("WEBPVP8L")
	_ = binary.Write(&b, binary.LittleEndian, uint32(len(data)))
	b.Write(data)
	b.WriteByte(0) // padding to an even chunk size
	return b.Bytes()
}

func avatarFiles(t *testing.T, env *testEnv) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(env.srv.cfg.UploadDir, "avatars"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func TestAvatars(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		alice := testutil.NewUser(t, env.db, "alice", nil, testutil.WithName("Alice Adams"))
		bob := testutil.NewUser(t, env.db, "bob", nil)
		asAlice, asBob := env.as(alice), env.as(bob)
		avatarPath := "/flicket-api/user/" + itoa(alice.ID) + "/avatar"
		storedAvatar := func(t *testing.T) *string {
			t.Helper()
			return reloadUser(t, env, alice.ID).Avatar
		}
		put := func(t *testing.T, name string, data []byte) *response {
			t.Helper()
			return env.sendMultipart(t, http.MethodPut, "/flicket-api/me/avatar", asAlice, nil, testFile{"avatar", name, data})
		}

		t.Run("default: initials in a locked-down SVG", func(t *testing.T) {
			r := env.call(http.MethodGet, avatarPath, nil, asBob).expect(t, http.StatusOK)
			body := string(r.Body)
			if r.Header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(body, ">AA</text>") || !strings.HasPrefix(body, "<svg") {
				t.Errorf("default avatar %q: %s", r.Header.Get("Content-Type"), body)
			}
			if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "sandbox") {
				t.Errorf("CSP %q", csp)
			}
			if r.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(r.Header.Get("Cache-Control"), "private") {
				t.Errorf("headers %v", r.Header)
			}
			// The colour follows the id; another user gets another colour.
			other := string(env.call(http.MethodGet, "/flicket-api/user/"+itoa(bob.ID)+"/avatar", nil, asBob).expect(t, http.StatusOK).Body)
			hue := regexp.MustCompile(`hsl\(\d+`)
			if hue.FindString(body) == hue.FindString(other) || !strings.Contains(other, ">UB</text>") {
				t.Errorf("two users look alike: %s / %s", body, other)
			}
			// Revalidation.
			env.call(http.MethodGet, avatarPath, nil, asBob, withHeader("If-None-Match", r.Header.Get("ETag"))).expect(t, http.StatusNotModified)
		})

		t.Run("names cannot inject markup into the SVG", func(t *testing.T) {
			evil := testutil.NewUser(t, env.db, "evil", nil, testutil.WithName(`<script>alert(1)</script> "onload=x`))
			body := string(env.call(http.MethodGet, "/flicket-api/user/"+itoa(evil.ID)+"/avatar", nil, asBob).expect(t, http.StatusOK).Body)
			if strings.Contains(body, "<script") || strings.Contains(body, `"onload`) {
				t.Errorf("markup in the SVG: %s", body)
			}
		})

		t.Run("upload, replace and remove", func(t *testing.T) {
			pngData := encodeImage(t, "png", 16, 16)
			r := put(t, "me.png", pngData).expect(t, http.StatusOK)
			assertJSON(t, r.Body, `{"avatar": "`+testBase+`/user/`+itoa(alice.ID)+`/avatar"}`)
			first := storedAvatar(t)
			if first == nil || !regexp.MustCompile(`^[0-9a-f]{32}\.png$`).MatchString(*first) {
				t.Fatalf("users.avatar = %v", first)
			}
			got := env.call(http.MethodGet, avatarPath, nil, asBob).expect(t, http.StatusOK)
			if !bytes.Equal(got.Body, pngData) || got.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(got.Header.Get("Cache-Control"), "private") {
				t.Errorf("served %d bytes as %q", len(got.Body), got.Header.Get("Content-Type"))
			}

			for _, tc := range []struct {
				name string
				data []byte
				ext  string
			}{
				{"me.gif", encodeImage(t, "gif", 8, 8), "gif"},
				{"photo.jpeg", encodeImage(t, "jpeg", 8, 8), "jpg"},
				{"me.webp", tinyWebP(), "webp"},
			} {
				prev := storedAvatar(t)
				put(t, tc.name, tc.data).expect(t, http.StatusOK)
				now := storedAvatar(t)
				if now == nil || !strings.HasSuffix(*now, "."+tc.ext) || *now == *prev {
					t.Errorf("%s stored as %v", tc.name, now)
				}
				if files := avatarFiles(t, env); len(files) != 1 || files[0] != *now {
					t.Errorf("after %s the avatar folder holds %v", tc.name, files)
				}
			}

			env.call(http.MethodDelete, "/flicket-api/me/avatar", nil, asAlice).expect(t, http.StatusNoContent)
			if storedAvatar(t) != nil || len(avatarFiles(t, env)) != 0 {
				t.Errorf("after delete: %v, files %v", storedAvatar(t), avatarFiles(t, env))
			}
			if ct := env.call(http.MethodGet, avatarPath, nil, asBob).expect(t, http.StatusOK).Header.Get("Content-Type"); ct != "image/svg+xml" {
				t.Errorf("after delete: %q", ct)
			}
			env.call(http.MethodDelete, "/flicket-api/me/avatar", nil, asAlice).expect(t, http.StatusNoContent)
		})

		t.Run("only small images of four formats", func(t *testing.T) {
			put(t, "me.png", encodeImage(t, "png", 4, 4)).expect(t, http.StatusOK)
			kept := storedAvatar(t)
			put(t, "notes.txt", []byte("just text, not an image")).expectField(t, "avatar", "image")
			put(t, "fake.png", []byte("<svg xmlns='http://www.w3.org/2000/svg'/>")).expectField(t, "avatar", "image")
			put(t, "wide.png", encodeImage(t, "png", 4097, 1)).expectField(t, "avatar", "dimensions")
			big := append(encodeImage(t, "png", 1, 1), bytes.Repeat([]byte{0}, 2<<20)...)
			put(t, "big.png", big).expectField(t, "avatar", "too_large")
			env.sendMultipart(t, http.MethodPut, "/flicket-api/me/avatar", asAlice, map[string]string{"avatar": "x"}).expectField(t, "avatar", "required")
			env.call(http.MethodPut, "/flicket-api/me/avatar", `{"avatar": "x"}`, asAlice).expectError(t, http.StatusUnsupportedMediaType, "")
			if now := storedAvatar(t); now == nil || *now != *kept {
				t.Errorf("a refused upload changed the avatar: %v", now)
			}
			if files := avatarFiles(t, env); len(files) != 1 {
				t.Errorf("refused uploads left files: %v", files)
			}
			put(t, "square.png", encodeImage(t, "png", 4096, 4096)).expect(t, http.StatusOK)
		})

		t.Run("a missing or non-image file falls back to the default", func(t *testing.T) {
			testutil.Must(t, env.db.Model(&model.User{}).Where("id = ?", bob.ID).Update("avatar", "0123456789abcdef0123456789abcdef.png").Error)
			r := env.call(http.MethodGet, "/flicket-api/user/"+itoa(bob.ID)+"/avatar", nil, asAlice).expect(t, http.StatusOK)
			if r.Header.Get("Content-Type") != "image/svg+xml" {
				t.Errorf("missing file served as %q", r.Header.Get("Content-Type"))
			}
			dir := filepath.Join(env.srv.cfg.UploadDir, "avatars")
			testutil.Must(t, os.MkdirAll(dir, 0o750))
			testutil.Must(t, os.WriteFile(filepath.Join(dir, "fedcba9876543210fedcba9876543210.png"), []byte("<html><script>alert(1)</script>"), 0o640))
			testutil.Must(t, env.db.Model(&model.User{}).Where("id = ?", bob.ID).Update("avatar", "fedcba9876543210fedcba9876543210.png").Error)
			r = env.call(http.MethodGet, "/flicket-api/user/"+itoa(bob.ID)+"/avatar", nil, asAlice).expect(t, http.StatusOK)
			if r.Header.Get("Content-Type") != "image/svg+xml" || strings.Contains(string(r.Body), "<script") {
				t.Errorf("non-image file served as %q", r.Header.Get("Content-Type"))
			}
			testutil.Must(t, env.db.Model(&model.User{}).Where("id = ?", bob.ID).Update("avatar", "../../etc/passwd").Error)
			env.call(http.MethodGet, "/flicket-api/user/"+itoa(bob.ID)+"/avatar", nil, asAlice).expect(t, http.StatusOK)
		})

		t.Run("unknown user and no token", func(t *testing.T) {
			env.call(http.MethodGet, "/flicket-api/user/99999999/avatar", nil, asAlice).expectError(t, http.StatusNotFound, "not_found")
			env.call(http.MethodGet, avatarPath, nil).expectError(t, http.StatusUnauthorized, "")
			env.sendMultipart(t, http.MethodPut, "/flicket-api/me/avatar", nil, nil, testFile{"avatar", "a.png", encodeImage(t, "png", 1, 1)}).
				expectError(t, http.StatusUnauthorized, "")
		})
	})
}
