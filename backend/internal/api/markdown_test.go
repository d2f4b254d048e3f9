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
