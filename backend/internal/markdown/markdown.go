// Package markdown renders ticket and reply bodies: goldmark with raw HTML
// switched off, then a bluemonday allow-list, so no script, event handler or
// javascript: URL survives. The live preview and every content_html use it.
package markdown

import (
	"bytes"
	"fmt"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
)

// Renderer turns markdown into safe HTML. It is safe for concurrent use.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

// New builds a renderer with GitHub-flavoured extensions (tables,
// strikethrough, autolinks, task lists).
func New() *Renderer {
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM),
		// No html.WithUnsafe(): raw HTML in the source is dropped by goldmark,
		// and the sanitiser below is a second line of defence.
		goldmark.WithRendererOptions(html.WithHardWraps()),
	)
	p := bluemonday.UGCPolicy()
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	p.AllowAttrs("class").Matching(bluemonday.SpaceSeparatedTokens).OnElements("code", "pre")
	p.AllowAttrs("type", "checked", "disabled").OnElements("input")
	return &Renderer{md: md, policy: p}
}

// Render converts markdown to sanitised HTML.
func (r *Renderer) Render(src string) (string, error) {
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		return "", fmt.Errorf("render markdown: %w", err)
	}
	return r.policy.Sanitize(buf.String()), nil
}

// MustRender renders, returning an escaped copy of the source if goldmark
// ever fails (it does not on any input, but a page must still show).
func (r *Renderer) MustRender(src string) string {
	out, err := r.Render(src)
	if err != nil {
		return "<p>" + bluemonday.StrictPolicy().Sanitize(src) + "</p>"
	}
	return out
}
