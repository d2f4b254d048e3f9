package markdown

import (
	"strings"
	"testing"
)

func TestRenderIsSafe(t *testing.T) {
	r := New()
	attacks := []string{
		`<script>alert(1)</script>`,
		`<img src=x onerror=alert(1)>`,
		`[click](javascript:alert(1))`,
		`[click](JaVaScRiPt:alert(1))`,
		`[click](  javascript:alert(1))`,
		`<a href="javascript:alert(1)">x</a>`,
		`![x](javascript:alert(1))`,
		`<svg onload=alert(1)>`,
		`<iframe src="https://evil.example"></iframe>`,
		"```\n</code><script>alert(1)</script>\n```",
		`<div style="background:url(javascript:alert(1))">x</div>`,
		`[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
		`<form action="https://evil.example"><input name=a></form>`,
	}
	for _, a := range attacks {
		out, err := r.Render(a)
		if err != nil {
			t.Fatal(err)
		}
		low := strings.ToLower(out)
		for _, bad := range []string{"<script", "onerror", "onload", "javascript:", "<iframe", "<svg", "style=", "data:text", "<form"} {
			if strings.Contains(low, bad) {
				t.Errorf("%q rendered to %q, which contains %q", a, out, bad)
			}
		}
	}
}

func TestRenderMarkdown(t *testing.T) {
	r := New()
	cases := map[string]string{
		"# Title":                         "<h1",
		"**bold**":                        "<strong>bold</strong>",
		"| a | b |\n|---|---|\n| 1 | 2 |": "<table>",
		"~~gone~~":                        "<del>gone</del>",
		"https://example.com":             `href="https://example.com"`,
		"line one\nline two":              "<br",
		"- [x] done":                      `type="checkbox"`,
		"```go\nx := 1\n```":              `class="language-go"`,
	}
	for src, want := range cases {
		out, err := r.Render(src)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, want) {
			t.Errorf("%q rendered to %q, want it to contain %q", src, out, want)
		}
	}
	out := r.MustRender("[link](https://example.com)")
	if !strings.Contains(out, `rel="nofollow noreferrer noopener"`) && !strings.Contains(out, "noreferrer") {
		t.Errorf("external link lacks rel: %s", out)
	}
}
