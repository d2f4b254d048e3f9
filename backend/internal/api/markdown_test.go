package api

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/flicket/flicket/backend/internal/testutil"
)

// dangerous matches what must never reach a browser from user markdown.
// An event handler counts only inside a tag: escaped text may say "onerror=".
var dangerous = regexp.MustCompile(`(?i)<script|<iframe|<object|<embed|<svg|<style|<[a-z][^>]*\son[a-z]+\s*=|(href|src|action|formaction|xlink:href)\s*=\s*["']?\s*(javascript|vbscript|data:text)`)

func TestRenderMarkdown(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		as := env.as(env.admin)
		render := func(t *testing.T, src string) string {
			t.Helper()
			var out MarkdownResponse
			env.call(http.MethodPost, "/flicket-api/markdown", map[string]any{"content": src}, as).expect(t, http.StatusOK).decode(t, &out)
			return out.HTML
		}

		t.Run("markdown is rendered", func(t *testing.T) {
			got := render(t, "# Title\n\n**bold** and [a link](https://example.com)\n\n- one\n- two")
			for _, want := range []string{"<h1>Title</h1>", "<strong>bold</strong>", `href="https://example.com"`, `rel="nofollow noreferrer`, "<li>one</li>"} {
				if !strings.Contains(got, want) {
					t.Errorf("%q lacks %q", got, want)
				}
			}
			if render(t, "") != "" {
				t.Errorf("empty source gives HTML")
			}
		})

		t.Run("scripts, event handlers and javascript: links never survive", func(t *testing.T) {
			vectors := []string{
				"<script>alert(1)</script>",
				"hello <script>alert(1)</script> world",
				"<img src=x onerror=alert(1)>",
				`<a href="javascript:alert(1)">x</a>`,
				"[click](javascript:alert(1))",
				"[click](JaVaScRiPt:alert(1))",
				"[click](  javascript:alert(1))",
				"[click](&#106;avascript:alert(1))",
				"[click](java\tscript:alert(1))",
				"![img](javascript:alert(1))",
				"![img](x \"a\" onerror=alert(1))",
				"<javascript:alert(1)>",
				"[ref]\n\n[ref]: javascript:alert(1)",
				"[x](vbscript:msgbox(1))",
				"[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
				"<svg onload=alert(1)>",
				"<iframe src=\"https://evil.example\"></iframe>",
				"<div style=\"background:url(javascript:alert(1))\">x</div>",
				"```html\n<script>alert(1)</script>\n```",
				"<details open ontoggle=alert(1)>",
				"<a href=\"https://ok.example\" onclick=\"alert(1)\">x</a>",
			}
			for _, v := range vectors {
				got := render(t, v)
				if dangerous.MatchString(got) {
					t.Errorf("%q rendered to %q", v, got)
				}
				// The same renderer gives content_html.
				if got != env.srv.markdown.MustRender(v) {
					t.Errorf("preview and content_html differ for %q", v)
				}
			}
			// A code block shows the script as text, escaped.
			if got := render(t, "```html\n<script>alert(1)</script>\n```"); !strings.Contains(got, "&lt;script&gt;") {
				t.Errorf("code block = %q", got)
			}
		})

		t.Run("limits", func(t *testing.T) {
			render(t, strings.Repeat("a", 20000))
			env.call(http.MethodPost, "/flicket-api/markdown", map[string]any{"content": strings.Repeat("a", 20001)}, as).expectField(t, "content", "max")
			env.call(http.MethodPost, "/flicket-api/markdown", map[string]any{"content": 5}, as).expectField(t, "content", "type")
			env.call(http.MethodPost, "/flicket-api/markdown", map[string]any{"content": "x"}).expectError(t, http.StatusUnauthorized, "")
		})
	})
}

// TestStoredContentHTML checks the rendering is stored with every write of a
// body, is what reads return, and that rows written before it was stored
// are rendered on read.
func TestStoredContentHTML(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		as := env.as(env.admin)
		stored := func(table string, id int64) string {
			var row struct{ ContentHTML *string }
			testutil.Must(t, env.db.Raw("SELECT content_html FROM "+table+" WHERE id = ?", id).Scan(&row).Error)
			if row.ContentHTML == nil {
				return "<nil>"
			}
			return *row.ContentHTML
		}
		var tk, post struct {
			ID          int64
			ContentHTML string `json:"content_html"`
		}
		env.call(http.MethodPost, "/flicket-api/tickets", map[string]any{
			"title": "Stored HTML", "content": "**bold** <script>x</script>", "category_id": 1, "ticket_priority_id": 1,
		}, as).expect(t, http.StatusCreated).decode(t, &tk)
		if got := stored("tickets", tk.ID); got != tk.ContentHTML || !strings.Contains(got, "<strong>bold</strong>") || strings.Contains(got, "<script") {
			t.Fatalf("stored %q, answered %q", got, tk.ContentHTML)
		}
		env.call(http.MethodPatch, "/flicket-api/ticket/"+itoa(tk.ID), map[string]any{"content": "_edited_ body"}, as).expect(t, http.StatusOK)
		if got := stored("tickets", tk.ID); !strings.Contains(got, "<em>edited</em>") {
			t.Errorf("after an edit the stored HTML is %q", got)
		}
		env.call(http.MethodPost, "/flicket-api/posts", map[string]any{"ticket_id": tk.ID, "content": "# A reply"}, as).
			expect(t, http.StatusCreated).decode(t, &post)
		if got := stored("posts", post.ID); got != post.ContentHTML || !strings.Contains(got, "<h1") {
			t.Errorf("reply: stored %q, answered %q", got, post.ContentHTML)
		}
		env.call(http.MethodPatch, "/flicket-api/post/"+itoa(post.ID), map[string]any{"content": "~~struck~~ reply"}, as).expect(t, http.StatusOK)
		if got := stored("posts", post.ID); !strings.Contains(got, "<del>struck</del>") {
			t.Errorf("reply after an edit: stored %q", got)
		}

		// Rows from before (or imported) have no rendering: it is made on read.
		testutil.Must(t, env.db.Exec("UPDATE tickets SET content_html = NULL WHERE id = ?", tk.ID).Error)
		testutil.Must(t, env.db.Exec("UPDATE posts SET content_html = NULL WHERE id = ?", post.ID).Error)
		env.call(http.MethodGet, "/flicket-api/ticket/"+itoa(tk.ID), nil, as).expect(t, http.StatusOK).decode(t, &tk)
		if !strings.Contains(tk.ContentHTML, "<em>edited</em>") {
			t.Errorf("ticket without a stored rendering answered %q", tk.ContentHTML)
		}
		env.call(http.MethodGet, "/flicket-api/post/"+itoa(post.ID), nil, as).expect(t, http.StatusOK).decode(t, &post)
		if !strings.Contains(post.ContentHTML, "<del>struck</del>") {
			t.Errorf("reply without a stored rendering answered %q", post.ContentHTML)
		}
	})
}
