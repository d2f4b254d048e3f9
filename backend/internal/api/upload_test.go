package api

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// testFile is one file part of a multipart request.
type testFile struct {
	field, name string
	data        []byte
}

// multipartBody encodes fields and files.
func multipartBody(t *testing.T, fields map[string]string, files ...testFile) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		testutil.Must(t, w.WriteField(k, v))
	}
	for _, f := range files {
		fw, err := w.CreateFormFile(f.field, f.name)
		testutil.Must(t, err)
		_, err = fw.Write(f.data)
		testutil.Must(t, err)
	}
	testutil.Must(t, w.Close())
	return buf.Bytes(), w.FormDataContentType()
}

// sendMultipart sends a multipart request.
func (e *testEnv) sendMultipart(t *testing.T, method, path string, as reqOpt, fields map[string]string, files ...testFile) *response {
	t.Helper()
	body, ct := multipartBody(t, fields, files...)
	opts := []reqOpt{withHeader("Content-Type", ct)}
	if as != nil {
		opts = append(opts, as)
	}
	return e.call(method, path, body, opts...)
}

// upload posts files to /uploads.
func (e *testEnv) upload(t *testing.T, as reqOpt, fields map[string]string, files ...testFile) *response {
	t.Helper()
	return e.sendMultipart(t, http.MethodPost, "/flicket-api/uploads", as, fields, files...)
}

// storedFiles lists the attachment files on disk.
func storedFiles(t *testing.T, env *testEnv) []string {
	t.Helper()
	entries, err := os.ReadDir(env.srv.cfg.UploadDir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() {
			out = append(out, e.Name())
		}
	}
	return out
}

var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")

func TestCreateUploads(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		alice := testutil.NewUser(t, env.db, "alice", nil)
		bob := testutil.NewUser(t, env.db, "bob", nil)
		asAlice, asBob := env.as(alice), env.as(bob)
		tk := seedPostTicket(t, env, alice)
		p := newPost(t, env, asBob, map[string]any{"ticket_id": tk.ID, "content": "Bob's reply."})

		t.Run("files on a ticket: 201, rows, files on disk, sniffed types, base names", func(t *testing.T) {
			r := env.upload(t, asAlice, map[string]string{"ticket_id": itoa(tk.ID)},
				testFile{"file", `C:\Users\alice\Report Final.TXT`, []byte("hello, world\n")},
				testFile{"file", "../../etc/screenshot.png", pngBytes},
			).expect(t, http.StatusCreated)
			var ups []Upload
			r.decode(t, &ups)
			if len(ups) != 2 {
				t.Fatalf("uploads = %s", r.Body)
			}
			u := ups[0]
			if u.OriginalFilename != "Report Final.TXT" || ups[1].OriginalFilename != "screenshot.png" {
				t.Errorf("original names %q, %q", u.OriginalFilename, ups[1].OriginalFilename)
			}
			if !regexp.MustCompile(`^[0-9a-f]{32}\.txt$`).MatchString(u.Filename) {
				t.Errorf("stored name %q", u.Filename)
			}
			if u.ContentType != "text/plain; charset=utf-8" || ups[1].ContentType != "image/png" {
				t.Errorf("types %q, %q", u.ContentType, ups[1].ContentType)
			}
			if u.Size != 13 || u.TopicID == nil || *u.TopicID != tk.ID || u.PostID != nil {
				t.Errorf("upload = %+v", u)
			}
			dl := fmt.Sprintf("%s/upload/%d/download", testBase, u.ID)
			if u.Download != dl || u.Image != dl || u.Links.Self != fmt.Sprintf("%s/upload/%d", testBase, u.ID) ||
				u.Links.Post != nil || u.Links.Ticket == nil || *u.Links.Ticket != fmt.Sprintf("%s/ticket/%d", testBase, tk.ID) ||
				u.Links.Uploads != testBase+"/uploads/" {
				t.Errorf("links = %+v", u)
			}
			data, err := os.ReadFile(filepath.Join(env.srv.cfg.UploadDir, u.Filename))
			testutil.Must(t, err)
			if string(data) != "hello, world\n" {
				t.Errorf("stored %q", data)
			}
			var row model.Upload
			testutil.Must(t, env.db.First(&row, u.ID).Error)
			if row.UserID == nil || *row.UserID != alice.ID || row.Filename != u.Filename {
				t.Errorf("row = %+v", row)
			}
		})

		t.Run("files on a reply show in the reply", func(t *testing.T) {
			var ups []Upload
			env.upload(t, asBob, map[string]string{"post_id": itoa(p.ID)}, testFile{"file", "trace.log", []byte("trace")}).
				expect(t, http.StatusCreated).decode(t, &ups)
			if ups[0].PostID == nil || *ups[0].PostID != p.ID || ups[0].TopicID != nil ||
				ups[0].Links.Post == nil || *ups[0].Links.Post != fmt.Sprintf("%s/post/%d", testBase, p.ID) {
				t.Errorf("upload = %+v", ups[0])
			}
			var got postOut
			env.call(http.MethodGet, "/flicket-api/post/"+itoa(p.ID), nil, asAlice).expect(t, http.StatusOK).decode(t, &got)
			if len(got.Uploads) != 1 || got.Uploads[0].ID != ups[0].ID || got.Uploads[0].OriginalFilename != "trace.log" {
				t.Errorf("reply uploads = %+v", got.Uploads)
			}
			var list Envelope[postOut]
			env.call(http.MethodGet, "/flicket-api/posts/"+itoa(tk.ID)+"/", nil, asAlice).expect(t, http.StatusOK).decode(t, &list)
			if len(list.Items[0].Uploads) != 1 {
				t.Errorf("listed reply uploads = %+v", list.Items[0].Uploads)
			}
		})

		t.Run("only who may edit the ticket or reply", func(t *testing.T) {
			before := storedFiles(t, env)
			env.upload(t, asBob, map[string]string{"ticket_id": itoa(tk.ID)}, testFile{"file", "a.txt", []byte("x")}).
				expectError(t, http.StatusForbidden, "forbidden")
			env.upload(t, asAlice, map[string]string{"post_id": itoa(p.ID)}, testFile{"file", "a.txt", []byte("x")}).
				expectError(t, http.StatusForbidden, "forbidden")
			// An administrator may attach to anything open.
			env.upload(t, env.as(env.admin), map[string]string{"post_id": itoa(p.ID)}, testFile{"file", "admin.txt", []byte("x")}).
				expect(t, http.StatusCreated)
			closed := seedPostTicket(t, env, alice, closedTicket)
			env.upload(t, asAlice, map[string]string{"ticket_id": itoa(closed.ID)}, testFile{"file", "a.txt", []byte("x")}).
				expectError(t, http.StatusConflict, "ticket.closed")
			if got := storedFiles(t, env); len(got) != len(before)+1 {
				t.Errorf("files on disk %d → %d", len(before), len(got))
			}
		})

		t.Run("all or nothing, fields named", func(t *testing.T) {
			var rows int64
			testutil.Must(t, env.db.Model(&model.Upload{}).Count(&rows).Error)
			before := storedFiles(t, env)
			target := map[string]string{"ticket_id": itoa(tk.ID)}
			good := testFile{"file", "good.pdf", []byte("%PDF-1.4")}

			body := env.upload(t, asAlice, target, good, testFile{"file", "evil.exe", []byte("MZ")}).expectField(t, "file[1]", "extension")
			if !strings.Contains(body.Message, "txt, log, pdf") {
				t.Errorf("message does not list the allowed types: %q", body.Message)
			}
			env.upload(t, asAlice, target, testFile{"file", "README", []byte("x")}, good).expectField(t, "file[0]", "extension")
			env.upload(t, asAlice, target, testFile{"file", "page.html", []byte("<script>")}).expectField(t, "file[0]", "extension")
			env.upload(t, asAlice, target).expectField(t, "file", "required")
			env.upload(t, asAlice, map[string]string{}, good).expectField(t, "ticket_id", "required")
			env.upload(t, asAlice, map[string]string{"ticket_id": itoa(tk.ID), "post_id": itoa(p.ID)}, good).expectField(t, "post_id", "exclusive")
			env.upload(t, asAlice, map[string]string{"ticket_id": "99999999"}, good).expectField(t, "ticket_id", "not_found")
			env.upload(t, asAlice, map[string]string{"post_id": "99999999"}, good).expectField(t, "post_id", "not_found")
			env.upload(t, asAlice, map[string]string{"ticket_id": "one"}, good).expectField(t, "ticket_id", "type")
			env.call(http.MethodPost, "/flicket-api/uploads", `{"ticket_id": 1}`, asAlice).expectError(t, http.StatusUnsupportedMediaType, "request.unsupported_media_type")

			var after int64
			testutil.Must(t, env.db.Model(&model.Upload{}).Count(&after).Error)
			if after != rows || len(storedFiles(t, env)) != len(before) {
				t.Errorf("refused uploads left rows %d → %d, files %d → %d", rows, after, len(before), len(storedFiles(t, env)))
			}
		})

		t.Run("allowed extensions come from the config", func(t *testing.T) {
			testutil.Must(t, env.db.Model(&model.Settings{}).Where("id = ?", model.SettingsID).
				Update("allowed_extensions", "txt, EXE").Error)
			defer func() {
				testutil.Must(t, env.db.Model(&model.Settings{}).Where("id = ?", model.SettingsID).
					Update("allowed_extensions", model.DefaultAllowedExtensions).Error)
			}()
			env.upload(t, asAlice, map[string]string{"ticket_id": itoa(tk.ID)}, testFile{"file", "tool.Exe", []byte("MZ")}).expect(t, http.StatusCreated)
			env.upload(t, asAlice, map[string]string{"ticket_id": itoa(tk.ID)}, testFile{"file", "doc.pdf", []byte("x")}).expectField(t, "file[0]", "extension")
		})

		t.Run("the size limit is a 413 and stores nothing", func(t *testing.T) {
			before := storedFiles(t, env)
			srv := env.newServer()
			srv.cfg.MaxUploadMB = 1
			big := bytes.Repeat([]byte("x"), 1<<20+10)
			body, ct := multipartBody(t, map[string]string{"ticket_id": itoa(tk.ID)}, testFile{"file", "big.txt", big})
			token := env.tokenFor(alice)
			env.do(srv, http.MethodPost, "/flicket-api/uploads", body, withToken(token), withHeader("Content-Type", ct)).
				expectError(t, http.StatusRequestEntityTooLarge, "request.too_large")
			// Without a Content-Length (chunked), the limit still holds.
			req := httptest.NewRequest(http.MethodPost, "/flicket-api/uploads", io.MultiReader(bytes.NewReader(body)))
			req.ContentLength = -1
			req.Header.Set("Content-Type", ct)
			req.Header.Set("Authorization", "Bearer "+token)
			rec := httptest.NewRecorder()
			srv.Handler().ServeHTTP(rec, req)
			(&response{Code: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}).expectError(t, http.StatusRequestEntityTooLarge, "request.too_large")
			if len(storedFiles(t, env)) != len(before) {
				t.Errorf("an oversized upload left files")
			}
		})

		t.Run("a database failure after the files were written leaves no file", func(t *testing.T) {
			before := storedFiles(t, env)
			cb := env.db.Callback().Create()
			testutil.Must(t, cb.Before("gorm:create").Register("test:fail_uploads", func(tx *gorm.DB) {
				if tx.Statement.Table == "uploads" {
					_ = tx.AddError(errors.New("disk full"))
				}
			}))
			env.upload(t, asAlice, map[string]string{"ticket_id": itoa(tk.ID)},
				testFile{"file", "one.txt", []byte("1")}, testFile{"file", "two.txt", []byte("2")}).
				expectError(t, http.StatusInternalServerError, "internal")
			testutil.Must(t, cb.Remove("test:fail_uploads"))
			if got := storedFiles(t, env); len(got) != len(before) {
				t.Errorf("files on disk %d → %d", len(before), len(got))
			}
		})

		t.Run("bidirectional controls are removed from names", func(t *testing.T) {
			var ups []Upload
			env.upload(t, asAlice, map[string]string{"ticket_id": itoa(tk.ID)},
				testFile{"file", "report\u202Egnp.txt", []byte("x")},
				testFile{"file", "\u2066a\u2069\u202Db\u200E\u200F\u061C\u202A\u202B\u202Cc\u2067\u2068.log", []byte("y")}).
				expect(t, http.StatusCreated).decode(t, &ups)
			if ups[0].OriginalFilename != "reportgnp.txt" || ups[1].OriginalFilename != "abc.log" {
				t.Errorf("names %q, %q", ups[0].OriginalFilename, ups[1].OriginalFilename)
			}
			r := env.call(http.MethodGet, "/flicket-api/upload/"+itoa(ups[0].ID)+"/download", nil, asAlice).expect(t, http.StatusOK)
			if cd := r.Header.Get("Content-Disposition"); strings.Contains(cd, "\u202E") || strings.Contains(cd, "%E2%80%AE") || !strings.Contains(cd, "reportgnp.txt") {
				t.Errorf("Content-Disposition %q", cd)
			}
			// The extension checked is the one the name really has.
			env.upload(t, asAlice, map[string]string{"ticket_id": itoa(tk.ID)}, testFile{"file", "photo\u202Egnp.exe", []byte("z")}).
				expectField(t, "file[0]", "extension")
		})

		t.Run("long names are shortened, the extension kept", func(t *testing.T) {
			name := strings.Repeat("é", 300) + ".txt"
			var ups []Upload
			env.upload(t, asAlice, map[string]string{"ticket_id": itoa(tk.ID)}, testFile{"file", name, []byte("x")}).
				expect(t, http.StatusCreated).decode(t, &ups)
			if got := []rune(ups[0].OriginalFilename); len(got) != 255 || !strings.HasSuffix(ups[0].OriginalFilename, "é.txt") {
				t.Errorf("name of %d characters: %q", len(got), ups[0].OriginalFilename)
			}
		})
	})
}

func TestUploadsReadDownloadDelete(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		alice := testutil.NewUser(t, env.db, "alice", nil)
		bob := testutil.NewUser(t, env.db, "bob", nil)
		asAlice, asBob := env.as(alice), env.as(bob)
		tk := seedPostTicket(t, env, alice)
		p := newPost(t, env, asBob, map[string]any{"ticket_id": tk.ID, "content": "Bob's reply."})
		testutil.Must(t, env.db.Model(&model.Settings{}).Where("id = ?", model.SettingsID).
			Update("allowed_extensions", model.DefaultAllowedExtensions+", html, svg").Error)

		var ups []Upload
		env.upload(t, asAlice, map[string]string{"ticket_id": itoa(tk.ID)},
			testFile{"file", "notes.txt", []byte("line one\n")},
			testFile{"file", "shot.png", pngBytes},
			testFile{"file", "page.html", []byte("<html><script>alert(1)</script></html>")},
			testFile{"file", "logo.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`)},
			testFile{"file", `naïve "quoted" 100%.txt`, []byte("x")},
		).expect(t, http.StatusCreated).decode(t, &ups)
		var onReply []Upload
		env.upload(t, asBob, map[string]string{"post_id": itoa(p.ID)}, testFile{"file", "reply.log", []byte("r")}).
			expect(t, http.StatusCreated).decode(t, &onReply)

		t.Run("one upload in the original's shape plus additions", func(t *testing.T) {
			u := onReply[0]
			r := env.call(http.MethodGet, "/flicket-api/upload/"+itoa(u.ID), nil, asAlice).expect(t, http.StatusOK)
			dl := fmt.Sprintf("%s/upload/%d/download", testBase, u.ID)
			assertJSON(t, r.Body, fmt.Sprintf(`{
			 "content_type": "text/plain; charset=utf-8", "date_added": %q, "download": %q,
			 "filename": %q, "id": %d, "image": %q,
			 "links": {"post": "%s/post/%d", "self": "%s/upload/%d", "ticket": null, "uploads": "%s/uploads/"},
			 "original_filename": "reply.log", "post_id": %d, "size": 1, "topic_id": null}`,
				env.clock.Now().Format(http.TimeFormat), dl, u.Filename, u.ID, dl, testBase, p.ID, testBase, u.ID, testBase, p.ID))
			env.call(http.MethodGet, "/flicket-api/upload/99999999", nil, asAlice).expectError(t, http.StatusNotFound, "not_found")
		})

		t.Run("list: path-paged, by id, filters kept in links", func(t *testing.T) {
			var e Envelope[Upload]
			env.call(http.MethodGet, "/flicket-api/uploads/2/?per_page=4", nil, asBob).expect(t, http.StatusOK).decode(t, &e)
			if e.Meta != (Meta{Page: 2, PerPage: 4, TotalItems: 6, TotalPages: 2}) || len(e.Items) != 2 ||
				e.Items[0].ID != ups[4].ID || e.Items[1].ID != onReply[0].ID {
				t.Errorf("page 2 = %+v %+v", e.Meta, e.Items)
			}
			if e.Links.Self != testBase+"/uploads/2/?per_page=4" || e.Links.Next != nil ||
				e.Links.Prev == nil || *e.Links.Prev != testBase+"/uploads/1/?per_page=4" {
				t.Errorf("links = %+v", e.Links)
			}
			env.call(http.MethodGet, "/flicket-api/uploads/?post_id="+itoa(p.ID), nil, asBob).expect(t, http.StatusOK).decode(t, &e)
			if e.Meta.TotalItems != 1 || e.Links.Self != testBase+"/uploads/1/?per_page=50&post_id="+itoa(p.ID) {
				t.Errorf("post filter = %+v %s", e.Meta, e.Links.Self)
			}
			env.call(http.MethodGet, "/flicket-api/uploads/?ticket_id="+itoa(tk.ID), nil, asBob).expect(t, http.StatusOK).decode(t, &e)
			if e.Meta.TotalItems != 5 {
				t.Errorf("ticket filter = %+v", e.Meta)
			}
			env.call(http.MethodGet, "/flicket-api/uploads/?ticket_id=x", nil, asBob).expectError(t, http.StatusBadRequest, "request.invalid_parameter")
		})

		download := func(t *testing.T, u Upload, query string) *response {
			t.Helper()
			return env.call(http.MethodGet, "/flicket-api/upload/"+itoa(u.ID)+"/download"+query, nil, asBob).expect(t, http.StatusOK)
		}

		t.Run("download: any user, as an attachment under the original name", func(t *testing.T) {
			r := download(t, ups[0], "")
			if string(r.Body) != "line one\n" {
				t.Errorf("body %q", r.Body)
			}
			if cd := r.Header.Get("Content-Disposition"); cd != `attachment; filename="notes.txt"; filename*=UTF-8''notes.txt` {
				t.Errorf("Content-Disposition %q", cd)
			}
			if r.Header.Get("Content-Type") != "text/plain; charset=utf-8" || r.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("headers %v", r.Header)
			}
			r = download(t, ups[4], "")
			want := `attachment; filename="na_ve _quoted_ 100_.txt"; filename*=UTF-8''na%C3%AFve%20%22quoted%22%20100%25.txt`
			if cd := r.Header.Get("Content-Disposition"); cd != want {
				t.Errorf("Content-Disposition %q, want %q", cd, want)
			}
		})

		t.Run("inline only for images", func(t *testing.T) {
			r := download(t, ups[1], "?inline=1")
			if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "inline;") || r.Header.Get("Content-Type") != "image/png" {
				t.Errorf("png inline: %q %q", cd, r.Header.Get("Content-Type"))
			}
			if !bytes.Equal(r.Body, pngBytes) {
				t.Errorf("png body differs")
			}
			for _, u := range []Upload{ups[0], ups[2], ups[3]} {
				r := download(t, u, "?inline=1")
				if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") {
					t.Errorf("%s served %q", u.OriginalFilename, cd)
				}
			}
		})

		t.Run("HTML and SVG are never served as documents", func(t *testing.T) {
			for _, u := range []Upload{ups[2], ups[3]} {
				r := download(t, u, "?inline=1")
				ct := r.Header.Get("Content-Type")
				if strings.Contains(ct, "html") || strings.Contains(ct, "svg") || strings.Contains(ct, "xml") {
					t.Errorf("%s served as %q", u.OriginalFilename, ct)
				}
				if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "sandbox") {
					t.Errorf("%s CSP %q", u.OriginalFilename, csp)
				}
			}
		})

		t.Run("download needs a token; missing rows and files are 404", func(t *testing.T) {
			env.call(http.MethodGet, "/flicket-api/upload/"+itoa(ups[0].ID)+"/download", nil).expectError(t, http.StatusUnauthorized, "")
			env.call(http.MethodGet, "/flicket-api/upload/99999999/download", nil, asBob).expectError(t, http.StatusNotFound, "not_found")
			testutil.Must(t, os.Remove(filepath.Join(env.srv.cfg.UploadDir, ups[4].Filename)))
			env.call(http.MethodGet, "/flicket-api/upload/"+itoa(ups[4].ID)+"/download", nil, asBob).expectError(t, http.StatusNotFound, "not_found")
		})

		t.Run("delete: whoever may edit; row and file go", func(t *testing.T) {
			u := ups[0]
			env.call(http.MethodDelete, "/flicket-api/upload/"+itoa(u.ID), nil, asBob).expectError(t, http.StatusForbidden, "forbidden")
			env.call(http.MethodDelete, "/flicket-api/upload/"+itoa(onReply[0].ID), nil, asAlice).expectError(t, http.StatusForbidden, "forbidden")
			env.clock.Advance(3600e9)
			env.call(http.MethodDelete, "/flicket-api/upload/"+itoa(u.ID), nil, asAlice).expect(t, http.StatusNoContent)
			if _, err := os.Stat(filepath.Join(env.srv.cfg.UploadDir, u.Filename)); !os.IsNotExist(err) {
				t.Errorf("file still there: %v", err)
			}
			env.call(http.MethodGet, "/flicket-api/upload/"+itoa(u.ID), nil, asAlice).expectError(t, http.StatusNotFound, "not_found")
			if lu := reloadTicket(t, env, tk.ID).LastUpdated; !sameInstant(lu, env.clock.Now()) {
				t.Errorf("last_updated = %v", lu)
			}
			env.call(http.MethodDelete, "/flicket-api/upload/"+itoa(onReply[0].ID), nil, asBob).expect(t, http.StatusNoContent)
			// A file already gone from disk is not an error.
			env.call(http.MethodDelete, "/flicket-api/upload/"+itoa(ups[4].ID), nil, env.as(env.admin)).expect(t, http.StatusNoContent)
			env.call(http.MethodDelete, "/flicket-api/upload/"+itoa(u.ID), nil, asAlice).expectError(t, http.StatusNotFound, "not_found")
		})
	})
}
