package markdown

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// FuzzRender renders any text and reads the HTML back as a browser would:
// no element that runs or embeds anything, no event handler or style
// attribute, no URL with a scheme other than http, https or mailto, and
// links that open a new tab do not hand it the page.
func FuzzRender(f *testing.F) {
	for _, s := range []string{
		"# Title\n\n*a* **b** `c` ~~d~~\n\n- [x] done\n- [ ] todo\n\n| a | b |\n|---|---|\n| 1 | 2 |",
		"[x](https://example.com) <https://example.com> www.example.com ![i](/img.png \"t\")",
		`<script>alert(1)</script><img src=x onerror=alert(1)>`,
		`[a](javascript:alert(1)) [b](JAVASCRIPT&#58;alert(1)) [c](java	script:alert(1)) [d](data:text/html,x)`,
		"```html\n<script>x</script>\n```\n\n    <iframe>",
		`<a href="vbscript:x" onclick="y" style="z">q</a>`,
		"[x](<javascript:alert(1)>) [y]: javascript:alert(1)\n\n[y]",
		"&lt;script&gt; &#x3C;svg onload=1&#x3E; \\<b\\>",
		"> quote\n>> nested\n\n1. one\n2. two\n\n---\n\nline  \nbreak",
	} {
		f.Add(s)
	}
	r := New()
	f.Fuzz(func(t *testing.T, src string) {
		out, err := r.Render(src)
		if err != nil {
			t.Fatalf("Render(%q): %v", src, err)
		}
		if utf8.ValidString(src) && !utf8.ValidString(out) {
			t.Fatalf("valid text rendered to invalid UTF-8: %q → %q", src, out)
		}
		checkSafeHTML(t, src, out)
	})
}

var forbiddenElements = map[string]bool{
	"script": true, "style": true, "iframe": true, "frame": true, "frameset": true, "object": true,
	"embed": true, "svg": true, "math": true, "form": true, "link": true, "meta": true, "base": true,
	"textarea": true, "button": true, "select": true, "template": true, "audio": true, "video": true,
}

var urlAttributes = map[string]bool{"href": true, "src": true, "cite": true, "action": true, "formaction": true, "poster": true, "srcset": true, "background": true}

func checkSafeHTML(t *testing.T, src, out string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if !errors.Is(z.Err(), io.EOF) {
				t.Fatalf("output does not tokenize: %v", z.Err())
			}
			return
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		fail := func(why string) { t.Fatalf("%q rendered to %q: %s", src, out, why) }
		if forbiddenElements[tok.Data] {
			fail("element <" + tok.Data + ">")
		}
		attrs := map[string]string{}
		for _, a := range tok.Attr {
			key := strings.ToLower(a.Key)
			attrs[key] = a.Val
			if strings.HasPrefix(key, "on") || key == "style" || key == "srcdoc" {
				fail("attribute " + key)
			}
			if urlAttributes[key] && !safeURL(a.Val) {
				fail(key + "=" + a.Val)
			}
		}
		if tok.Data == "input" && attrs["type"] != "checkbox" {
			fail("an input that is not a task-list checkbox")
		}
		if attrs["target"] != "" {
			rel := " " + attrs["rel"] + " "
			if !strings.Contains(rel, " noopener ") && !strings.Contains(rel, " noreferrer ") {
				fail("a new-tab link without noopener")
			}
		}
	}
}

// safeURL says whether a URL, as a browser reads it (control characters and
// surrounding spaces dropped), has no scheme or http(s)/mailto.
func safeURL(raw string) bool {
	var b bytes.Buffer
	for _, r := range strings.TrimSpace(raw) {
		if r > 0x20 && r != 0x7f {
			b.WriteRune(r)
		}
	}
	u := strings.ToLower(b.String())
	colon := strings.IndexByte(u, ':')
	if colon < 0 || strings.ContainsAny(u[:colon], "/?#") {
		return true // relative
	}
	switch u[:colon] {
	case "http", "https", "mailto":
		return true
	}
	return false
}
