package api

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/search"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// searchFixture is a set of tickets written through the API (so through
// the write path that keeps the search index), keyed by name.
type searchFixture struct {
	env *testEnv
	as  reqOpt
	ids map[string]int64
	// posts: the fixture's replies, by the key of their ticket.
	posts map[string]int64
}

func newSearchFixture(t *testing.T, env *testEnv) *searchFixture {
	t.Helper()
	anna := testutil.NewUser(t, env.db, "anna", nil)
	f := &searchFixture{env: env, as: env.as(anna), ids: map[string]int64{}, posts: map[string]int64{}}
	for _, s := range []struct{ key, title, content string }{
		{"cafe", "Le café est fermé", "La machine à café ne marche plus."},
		{"printer", "Printer jam on floor three", "The printer in the hall jams every morning; the printer is old."},
		{"vpn", "VPN drops", "Connection drops every hour."},
		{"motdepasse", "Mot de passe oublié", "Je ne peux pas me connecter à la messagerie."},
		{"password", "Password reset", "I forgot my password, the reset link does not arrive."},
		{"order", "Coffee order", "Order more coffee and a new CAFÉ machine."},
		{"old", "Monitor flickers", "The monitor flickers."},
		{"new", "Monitor flickers", "The monitor flickers."},
		{"closed", "Toner", "Toner is empty. We ordered a new cartridge from the supplier last week but it has not arrived yet; the printer shows a warning light and prints faded pages."},
	} {
		env.clock.Advance(time.Minute)
		f.ids[s.key] = tkCreate(t, env, anna, map[string]any{"title": s.title, "content": s.content})
	}
	f.posts["printer"] = newPost(t, env, f.as, map[string]any{"ticket_id": f.ids["printer"], "content": "Technician says the roller is worn."}).ID
	f.posts["vpn"] = newPost(t, env, f.as, map[string]any{"ticket_id": f.ids["vpn"], "content": "Tried the e-mail client too."}).ID
	env.call(http.MethodPost, "/flicket-api/ticket/"+itoa(f.ids["closed"])+"/close", nil, env.as(env.admin)).expect(t, http.StatusOK)
	return f
}

// search runs a list request with q (and extra parameters) and returns the
// ids in the order given.
func (f *searchFixture) search(t *testing.T, q, extra string) []int64 {
	t.Helper()
	l := tkGetList(t, f.env, f.as, "/flicket-api/tickets/?per_page=100&q="+url.QueryEscape(q)+extra)
	if l.Meta.TotalItems != int64(len(l.Items)) {
		t.Errorf("q=%s%s: total_items %d for %d items", q, extra, l.Meta.TotalItems, len(l.Items))
	}
	return l.ids()
}

func (f *searchFixture) keys(ids []int64) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		name := fmt.Sprint(id)
		for k, v := range f.ids {
			if v == id {
				name = k
			}
		}
		out = append(out, name)
	}
	return out
}

// TestTicketSearchMeaning is the one table of what q means, run on every
// database. A case's mysql column says where MariaDB/MySQL answers
// differently; none does: words InnoDB FULLTEXT cannot hold (shorter than
// innodb_ft_min_token_size = 3, or its stop-words, which our own empty
// stop-word table removes) are found with LIKE over the indexed words.
func TestTicketSearchMeaning(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		f := newSearchFixture(t, env)
		cases := []struct {
			name, q, extra string
			// want: the matches, by key; ordered when ordered is set,
			// else compared as a set.
			want    []string
			ordered bool
			// mysql, when not nil, is MariaDB/MySQL's answer.
			mysql []string
		}{
			{name: "accent-insensitive", q: "cafe", want: []string{"cafe", "order"}},
			{name: "case and accent in the query", q: "CAFÉ", want: []string{"cafe", "order"}},
			{name: "every word, anywhere in the ticket", q: "café machine", want: []string{"cafe", "order"}},
			{name: "title word and reply word", q: "printer roller", want: []string{"printer"}},
			{name: "a word only in a reply", q: "technician", want: []string{"printer"}},
			{name: "a missing word excludes", q: "printer banana", want: []string{}},
			{name: "whole words, no prefixes", q: "pass", want: []string{}},
			{name: "phrase", q: `"printer jam"`, want: []string{"printer"}},
			{name: "phrase in the wrong order", q: `"jam printer"`, want: []string{}},
			{name: "unclosed quote runs to the end", q: `"mot de passe`, want: []string{"motdepasse"}},
			{name: "exclusion", q: "printer -roller", want: []string{"closed"}},
			{name: "excluded phrase", q: `printer -"printer jam"`, want: []string{"closed"}},
			{name: "exclusion only", q: "-monitor -printer -cafe", want: []string{"vpn", "motdepasse", "password"}},
			{name: "inner punctuation is a phrase", q: "e-mail", want: []string{"vpn"}},
			{name: "joined words are another word", q: "email", want: []string{}},
			{name: "two-letter word (below InnoDB's token size)", q: "de", want: []string{"motdepasse"}},
			{name: "French stop-words of InnoDB", q: "la", want: []string{"cafe", "motdepasse"}},
			{name: "English stop-word of InnoDB", q: "the", want: []string{"printer", "vpn", "password", "old", "new", "closed"}},
			{name: "one letter (à folds to the article a)", q: "à", want: []string{"cafe", "motdepasse", "order", "closed"}},
			{name: "phrase of short words", q: `"mot de passe"`, want: []string{"motdepasse"}},
			{name: "phrase whose pairs are there, not in a row", q: `"the printer jam"`, want: []string{}},
			{name: "phrase of a word twice", q: `"printer printer"`, want: []string{}},
			{name: "phrase and a word", q: `"printer jam" roller`, want: []string{"printer"}},
			{name: "two phrases", q: `"printer jam" "the roller"`, want: []string{"printer"}},
			{name: "three-word phrase", q: `"the roller is"`, want: []string{"printer"}},
			{name: "excluded phrase of three words", q: `printer -"in the hall"`, want: []string{"closed"}},
			{name: "relevance, then newest", q: "printer", want: []string{"printer", "closed"}, ordered: true},
			{name: "equal relevance: newest first", q: "monitor", want: []string{"new", "old"}, ordered: true},
			{name: "with a filter", q: "printer", extra: "&state=open", want: []string{"printer"}},
			{name: "with a sort", q: "monitor", extra: "&sort=ticketid", want: []string{"old", "new"}, ordered: true},
			{name: "with a sort, descending", q: "cafe", extra: "&sort=addedon_desc", want: []string{"order", "cafe"}, ordered: true},
		}
		// Every database answers phrases with its word-pairs index, and
		// without it while `flicket search reindex` builds it: the same
		// answers.
		for _, mode := range []string{"", "without the word-pairs index: "} {
			if mode != "" {
				testutil.Must(t, env.db.Exec("UPDATE search_state SET pairs = FALSE").Error)
			}
			for _, tc := range cases {
				want := tc.want
				if tc.mysql != nil && tdb.Dialect == database.MySQL {
					want = tc.mysql
				}
				got := f.keys(f.search(t, tc.q, tc.extra))
				if !tc.ordered {
					slices.Sort(got)
					want = slices.Sorted(slices.Values(want))
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("%s%s: q=%s%s gives %v, want %v", mode, tc.name, tc.q, tc.extra, got, want)
				}
			}
		}
		testutil.Must(t, env.db.Exec("UPDATE search_state SET pairs = TRUE").Error)

		// A ticket number puts that ticket first, with what mentions the
		// number after it; filters still apply.
		idText := itoa(f.ids["vpn"])
		env.call(http.MethodPatch, "/flicket-api/ticket/"+itoa(f.ids["password"]), map[string]any{"content": "See ticket " + idText + " too."}, f.as).expect(t, http.StatusOK)
		for _, q := range []string{idText, "#" + idText} {
			if got := f.keys(f.search(t, q, "")); fmt.Sprint(got) != fmt.Sprint([]string{"vpn", "password"}) {
				t.Errorf("q=%s: %v, want [vpn password]", q, got)
			}
			if got := f.keys(f.search(t, q, "&sort=ticketid_desc")); len(got) == 0 || got[0] != "vpn" {
				t.Errorf("q=%s sorted: %v, want vpn first", q, got)
			}
		}
		if got := f.keys(f.search(t, idText, "&state=closed")); len(got) != 0 {
			t.Errorf("q=%s&state=closed: %v, want none", idText, got)
		}
	})
}

// TestTicketSearchIndexFollowsWrites checks that every change to a ticket's
// text is searchable at once: create, edit, reply, edit reply, delete reply,
// delete ticket.
func TestTicketSearchIndexFollowsWrites(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		f := newSearchFixture(t, env)
		expect := func(q string, want ...string) {
			t.Helper()
			got := f.keys(f.search(t, q, "&sort=ticketid"))
			if want == nil {
				want = []string{}
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("q=%s: %v, want %v", q, got, want)
			}
		}
		// Each write leaves the ticket's entry as a rebuild from its title,
		// body and replies makes it (the write path builds it from what it
		// holds and reads only the replies).
		rebuilt := func(id int64) {
			t.Helper()
			q := map[database.Dialect]string{
				// FTS5 keeps no text (contentless): its words in order.
				database.SQLite:   "SELECT COALESCE(group_concat(term, ' '), '') FROM (SELECT term FROM test_fts_words WHERE doc = ? ORDER BY \"offset\")",
				database.Postgres: "SELECT doc::text FROM ticket_search WHERE ticket_id = ?",
				database.MySQL:    "SELECT doc FROM ticket_search WHERE ticket_id = ?",
			}[tdb.Dialect]
			var written, again []string
			testutil.Must(t, env.db.Raw(q, id).Scan(&written).Error)
			testutil.Must(t, env.db.Transaction(func(tx *gorm.DB) error { return search.Refresh(context.Background(), tx, id) }))
			testutil.Must(t, env.db.Raw(q, id).Scan(&again).Error)
			if len(written) != 1 || fmt.Sprint(written) != fmt.Sprint(again) {
				t.Errorf("ticket %d: index entry %q, a rebuild writes %q", id, written, again)
			}
		}
		if tdb.Dialect == database.SQLite {
			testutil.Must(t, env.db.Exec("CREATE VIRTUAL TABLE test_fts_words USING fts5vocab(ticket_fts, instance)").Error)
		}
		for _, id := range f.ids {
			rebuilt(id)
		}
		id := itoa(f.ids["vpn"])
		env.call(http.MethodPatch, "/flicket-api/ticket/"+id, map[string]any{"title": "Tunnel falls over"}, f.as).expect(t, http.StatusOK)
		rebuilt(f.ids["vpn"])
		expect("vpn")
		expect("tunnel", "vpn")
		env.call(http.MethodPatch, "/flicket-api/ticket/"+id, map[string]any{"content": "Since the firmware update."}, f.as).expect(t, http.StatusOK)
		rebuilt(f.ids["vpn"])
		expect("hour")
		expect("firmware", "vpn")

		p := newPost(t, env, f.as, map[string]any{"ticket_id": f.ids["vpn"], "content": "Rebooted the gateway."})
		rebuilt(f.ids["vpn"])
		expect("gateway", "vpn")
		env.call(http.MethodPatch, "/flicket-api/post/"+itoa(p.ID), map[string]any{"content": "Rebooted the router."}, f.as).expect(t, http.StatusOK)
		rebuilt(f.ids["vpn"])
		expect("gateway")
		expect("router", "vpn")
		env.call(http.MethodDelete, "/flicket-api/post/"+itoa(p.ID), nil, f.as).expect(t, http.StatusNoContent)
		rebuilt(f.ids["vpn"])
		expect("router")
		expect("firmware", "vpn")

		env.call(http.MethodDelete, "/flicket-api/ticket/"+id, nil, env.as(env.admin)).expect(t, http.StatusNoContent)
		expect("firmware")
		expect("-cafe -monitor -printer", "motdepasse", "password")
	})
}

// TestTicketSearchNotReady: while the index is being filled, search says so
// (503 search.not_ready) instead of answering from a partial index; the
// list without q is unaffected; a reindex makes search answer again.
func TestTicketSearchNotReady(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		f := newSearchFixture(t, env)
		ctx := context.Background()
		testutil.Must(t, search.SetReady(ctx, env.db, false))
		// Entries lost while not ready (as after a bulk write).
		testutil.Must(t, env.db.Exec(map[database.Dialect]string{
			database.SQLite: "DELETE FROM ticket_fts", database.MySQL: "DELETE FROM ticket_search", database.Postgres: "DELETE FROM ticket_search",
		}[tdb.Dialect]).Error)
		r := env.call(http.MethodGet, "/flicket-api/tickets/?q=printer", nil, f.as)
		r.expectError(t, http.StatusServiceUnavailable, "search.not_ready")
		if r.Header.Get("Retry-After") == "" {
			t.Error("503 without Retry-After")
		}
		tkGetList(t, env, f.as, "/flicket-api/tickets/?state=open")

		var seen []int64
		testutil.Must(t, search.Reindex(ctx, env.db, func(done, total int64) { seen = append(seen, done, total) }))
		if len(seen) < 2 || seen[len(seen)-2] != seen[len(seen)-1] || seen[len(seen)-1] != int64(len(f.ids)) {
			t.Errorf("progress %v, want to end at %d of %d", seen, len(f.ids), len(f.ids))
		}
		if got := f.keys(f.search(t, "printer", "&sort=ticketid")); fmt.Sprint(got) != "[printer closed]" {
			t.Errorf("after reindex: %v", got)
		}
	})
}

// TestTicketSearchBadInput: a q with nothing to search for is a 400 naming q.
func TestTicketSearchBadInput(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		as := env.as(env.admin)
		for _, q := range []string{"!!!", `""`, "-", "- -", "_"} {
			b := env.call(http.MethodGet, "/flicket-api/tickets/?q="+url.QueryEscape(q), nil, as).expectError(t, http.StatusBadRequest, "request.invalid_parameter")
			if len(b.Errors) != 1 || b.Errors[0].Field != "q" || b.Errors[0].Code != "no_words" {
				t.Errorf("q=%s: %+v", q, b)
			}
		}
	})
}

// searchHit is a search result's item: its id and why it matched.
type searchHit struct {
	ID                int64    `json:"id"`
	Snippet           *string  `json:"snippet"`
	SnippetHighlights [][2]int `json:"snippet_highlights"`
	MatchedPostID     *int64   `json:"matched_post_id"`
}

// highlights cuts the highlighted parts out of the snippet by UTF-16
// offsets, as the web app does with String.slice.
func (h searchHit) highlights(t *testing.T) []string {
	t.Helper()
	if h.Snippet == nil {
		t.Fatalf("ticket %d: no snippet", h.ID)
	}
	units := utf16.Encode([]rune(*h.Snippet))
	out := []string{}
	for _, r := range h.SnippetHighlights {
		if r[0] < 0 || r[0] >= r[1] || r[1] > len(units) {
			t.Fatalf("ticket %d: highlight %v out of %q", h.ID, r, *h.Snippet)
		}
		out = append(out, string(utf16.Decode(units[r[0]:r[1]])))
	}
	return out
}

// TestTicketSearchSnippets: each search result says why it matched — a
// plain-text snippet, the matched words' UTF-16 offsets in it (accents,
// case, phrases, non-ASCII text before the match), and the reply that
// matched — and _meta.total_capped says whether the count stopped at the
// limit (lowered here). Without q the list has none of these fields.
func TestTicketSearchSnippets(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		f := newSearchFixture(t, env)
		anna := f.as
		unicodeID := tkCreate(t, env, env.admin, map[string]any{
			"title":   "Émoji ticket",
			"content": "😀 Ünïcödé 日本語 — the **Naïve** _résumé_ of [the spec](https://example.com/spec) is `wrong`.",
		})
		longID := tkCreate(t, env, env.admin, map[string]any{
			"title":   "Long report",
			"content": strings.Repeat("Lorem ipsum dolor sit amet. ", 30) + "The zebra crossing is out. " + strings.Repeat("Consectetur adipiscing elit. ", 30),
		})
		names := map[string]int64{"unicode": unicodeID, "long": longID}
		for k, v := range f.ids {
			names[k] = v
		}

		type want struct {
			text string   // the snippet, when checked whole
			hl   []string // the highlighted words, in order
			post string   // the key of the reply that matched ("": none)
		}
		cases := []struct {
			name, q string
			hits    map[string]want
		}{
			{"accent-insensitive highlight", "cafe", map[string]want{
				"cafe":  {text: "La machine à café ne marche plus.", hl: []string{"café"}},
				"order": {text: "Order more coffee and a new CAFÉ machine.", hl: []string{"CAFÉ"}},
			}},
			{"accent in the query", "naive resume", map[string]want{
				"unicode": {text: "😀 Ünïcödé 日本語 — the Naïve résumé of the spec is wrong.", hl: []string{"Naïve", "résumé"}},
			}},
			{"non-ASCII before the match, markdown stripped", "spec", map[string]want{
				"unicode": {text: "😀 Ünïcödé 日本語 — the Naïve résumé of the spec is wrong.", hl: []string{"spec"}},
			}},
			{"a reply matched", "roller", map[string]want{
				"printer": {text: "Technician says the roller is worn.", hl: []string{"roller"}, post: "printer"},
			}},
			{"the reply holding more words wins", "technician worn printer", map[string]want{
				"printer": {text: "Technician says the roller is worn.", hl: []string{"Technician", "worn"}, post: "printer"},
			}},
			{"the body before a reply", "printer", map[string]want{
				"printer": {text: "The printer in the hall jams every morning; the printer is old.", hl: []string{"printer", "printer"}},
				"closed":  {hl: []string{"printer"}},
			}},
			{"a phrase is one highlight, here in the title", `"printer jam"`, map[string]want{
				"printer": {text: "Printer jam on floor three", hl: []string{"Printer jam"}},
			}},
			{"inner punctuation in a reply", "e-mail", map[string]want{
				"vpn": {text: "Tried the e-mail client too.", hl: []string{"e-mail"}, post: "vpn"},
			}},
			{"a long text is cut around the match", "zebra", map[string]want{
				"long": {hl: []string{"zebra"}},
			}},
			{"exclusions only: the start of the body", "-printer -cafe -monitor -spec -lorem -toner", map[string]want{
				"vpn":        {text: "Connection drops every hour.", hl: []string{}},
				"motdepasse": {text: "Je ne peux pas me connecter à la messagerie.", hl: []string{}},
				"password":   {text: "I forgot my password, the reset link does not arrive.", hl: []string{}},
			}},
		}
		for _, tc := range cases {
			var l struct {
				Meta  map[string]any `json:"_meta"`
				Items []searchHit    `json:"items"`
			}
			env.call(http.MethodGet, "/flicket-api/tickets/?per_page=100&q="+url.QueryEscape(tc.q), nil, anna).expect(t, http.StatusOK).decode(t, &l)
			if l.Meta["total_capped"] != false {
				t.Errorf("%s: total_capped %v, want false", tc.name, l.Meta["total_capped"])
			}
			if len(l.Items) != len(tc.hits) {
				t.Errorf("%s: %d results, want %d", tc.name, len(l.Items), len(tc.hits))
			}
			for _, h := range l.Items {
				key := ""
				for k, id := range names {
					if id == h.ID {
						key = k
					}
				}
				w, ok := tc.hits[key]
				if !ok {
					t.Errorf("%s: unexpected result %s (%d)", tc.name, key, h.ID)
					continue
				}
				if got := h.highlights(t); fmt.Sprint(got) != fmt.Sprint(w.hl) {
					t.Errorf("%s: %s highlights %q in %q, want %q", tc.name, key, got, *h.Snippet, w.hl)
				}
				if w.text != "" && *h.Snippet != w.text {
					t.Errorf("%s: %s snippet %q, want %q", tc.name, key, *h.Snippet, w.text)
				}
				if n := utf8.RuneCountInString(strings.Trim(*h.Snippet, "…")); n > search.SnippetLength || n == 0 {
					t.Errorf("%s: %s snippet of %d characters", tc.name, key, n)
				}
				if strings.ContainsAny(*h.Snippet, "*`[]") {
					t.Errorf("%s: %s snippet %q keeps markdown", tc.name, key, *h.Snippet)
				}
				var wantPost *int64
				if w.post != "" {
					id := f.posts[w.post]
					wantPost = &id
				}
				if fmt.Sprint(idOrNil(h.MatchedPostID)) != fmt.Sprint(idOrNil(wantPost)) {
					t.Errorf("%s: %s matched_post_id %v, want %v", tc.name, key, idOrNil(h.MatchedPostID), idOrNil(wantPost))
				}
			}
		}

		// The long body: cut on both sides, the match after the start.
		var l struct{ Items []searchHit }
		env.call(http.MethodGet, "/flicket-api/tickets/?q=zebra", nil, anna).expect(t, http.StatusOK).decode(t, &l)
		if len(l.Items) != 1 || !strings.HasPrefix(*l.Items[0].Snippet, "…") || !strings.HasSuffix(*l.Items[0].Snippet, "…") ||
			l.Items[0].SnippetHighlights[0][0] < 40 {
			t.Errorf("zebra: %+v", l.Items)
		}

		// The list without q has none of the search fields.
		raw := env.call(http.MethodGet, "/flicket-api/tickets/?per_page=2", nil, anna).expect(t, http.StatusOK).object(t)
		if _, ok := raw["_meta"].(map[string]any)["total_capped"]; ok {
			t.Error("total_capped on the list without q")
		}
		for _, it := range raw["items"].([]any) {
			for _, k := range []string{"snippet", "snippet_highlights", "matched_post_id"} {
				if _, ok := it.(map[string]any)[k]; ok {
					t.Errorf("%s on the list without q", k)
				}
			}
		}
		// A result's matched_post_id is there, null, when the ticket matched.
		raw = env.call(http.MethodGet, "/flicket-api/tickets/?q=cafe", nil, anna).expect(t, http.StatusOK).object(t)
		for _, it := range raw["items"].([]any) {
			if v, ok := it.(map[string]any)["matched_post_id"]; !ok || v != nil {
				t.Errorf("matched_post_id %v (present %v), want null", v, ok)
			}
		}

		// The count stops at the limit: "the" is in 8 tickets.
		env.srv.searchCountLimit = 3
		for _, c := range []struct {
			q, extra string
			total    int64
			capped   bool
			items    int
		}{
			{"the", "&per_page=100", 3, true, 8},
			{"the", "&per_page=2", 3, true, 2},
			{"cafe", "", 2, false, 2},
			{"the monitor", "", 2, false, 2},
			{"printer", "&state=open", 1, false, 1},
		} {
			var l struct {
				Meta struct {
					TotalItems  int64 `json:"total_items"`
					TotalPages  int64 `json:"total_pages"`
					TotalCapped *bool `json:"total_capped"`
				} `json:"_meta"`
				Items []searchHit `json:"items"`
			}
			env.call(http.MethodGet, "/flicket-api/tickets/?q="+url.QueryEscape(c.q)+c.extra, nil, anna).expect(t, http.StatusOK).decode(t, &l)
			if l.Meta.TotalItems != c.total || l.Meta.TotalCapped == nil || *l.Meta.TotalCapped != c.capped || len(l.Items) != c.items {
				t.Errorf("q=%s%s with a limit of 3: total %d capped %v, %d items; want %d %v %d",
					c.q, c.extra, l.Meta.TotalItems, l.Meta.TotalCapped, len(l.Items), c.total, c.capped, c.items)
			}
		}
	})
}

// idOrNil prints an optional id.
func idOrNil(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestTicketSearchBoundedRanking: with more matches than are ranked (the
// limit lowered to 2 here), the newest matches come first by relevance,
// then every older match, newest first; pages neither repeat nor skip a
// match, filters still apply, and the count is exact below its limit.
func TestTicketSearchBoundedRanking(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		f := newSearchFixture(t, env)
		env.srv.searchRankLimit = 2
		pages := func(q, extra string, perPage int) ([]string, int64) {
			var all []string
			var total int64
			for page := 1; page <= 10; page++ {
				l := tkGetList(t, env, f.as, fmt.Sprintf("/flicket-api/tickets/?per_page=%d&page=%d&q=%s%s", perPage, page, url.QueryEscape(q), extra))
				total = l.Meta.TotalItems
				if len(l.Items) == 0 {
					break
				}
				all = append(all, f.keys(l.ids())...)
			}
			return all, total
		}
		// "the" is in printer, vpn, password, old, new and closed (oldest
		// first). The two newest, closed and new, are ranked (in an order
		// each database's relevance decides); the rest follow newest first.
		for _, perPage := range []int{1, 2, 3, 100} {
			got, total := pages("the", "", perPage)
			if total != 6 || len(got) != 6 {
				t.Fatalf("per_page=%d: %v (total %d), want 6 matches", perPage, got, total)
			}
			head := slices.Sorted(slices.Values(got[:2]))
			if fmt.Sprint(head) != "[closed new]" || fmt.Sprint(got[2:]) != "[old password vpn printer]" {
				t.Errorf("per_page=%d: %v, want {closed new} then [old password vpn printer]", perPage, got)
			}
		}
		// A filter applies to the ranked and to the older matches.
		got, total := pages("the", "&state=open", 2)
		if total != 5 || fmt.Sprint(got[1:]) != "[old password vpn printer]" || got[0] != "new" {
			t.Errorf("state=open: %v (total %d)", got, total)
		}
		// Exclusions too.
		got, total = pages("the -monitor", "", 2)
		if total != 4 || fmt.Sprint(got) != "[closed password vpn printer]" {
			t.Errorf("the -monitor: %v (total %d)", got, total)
		}
	})
}

// TestTicketSearchRanksByOccurrences: with documents of one length, a word
// found more often in a ticket ranks it higher, ties newest first, on every
// database; on MariaDB/MySQL this goes through the walk of the newest
// documents (search.DenseCandidates: the word is in every ticket here),
// whose score must order as InnoDB's relevance does.
func TestTicketSearchRanksByOccurrences(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		anna := testutil.NewUser(t, env.db, "anna", nil)
		ids := map[int64]string{}
		for _, s := range []struct{ key, content string }{
			{"one", "alpha bravo delta echo"},
			{"three", "alpha alpha alpha bravo"},
			{"two", "alpha bravo alpha delta"},
			{"threeb", "alpha alpha alpha delta"},
			{"none", "bravo delta echo golf"},
		} {
			env.clock.Advance(time.Minute)
			ids[tkCreate(t, env, anna, map[string]any{"title": "Ranking test", "content": s.content})] = s.key
		}
		for _, rankLimit := range []int{1000, 2} {
			env.srv.searchRankLimit = rankLimit
			l := tkGetList(t, env, env.as(anna), "/flicket-api/tickets/?q=alpha")
			var got []string
			for _, id := range l.ids() {
				got = append(got, ids[id])
			}
			want := "[threeb three two one]"
			if rankLimit == 2 {
				want = "[threeb two three one]" // the newest two ranked, then the older ones
			}
			if fmt.Sprint(got) != want || l.Meta.TotalItems != 4 {
				t.Errorf("rank limit %d: %v (total %d), want %s", rankLimit, got, l.Meta.TotalItems, want)
			}
		}
	})
}

// TestTicketSearchPairsFollowWrites: the word-pairs table of MariaDB/MySQL
// (migration 0075) and SQLite (0076) holds each ticket's adjacent words,
// kept by every write (create, reply, edit, delete) in its transaction,
// and a phrase is answered from it: a ticket whose pairs are gone is not
// found by the phrase, though its words still are. PostgreSQL has no such
// table (its pairs are an index over an expression).
func TestTicketSearchPairsFollowWrites(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		if tdb.Dialect == database.Postgres {
			t.Skip("MariaDB/MySQL and SQLite only")
		}
		env := newTestEnv(t, tdb)
		f := newSearchFixture(t, env)
		// holds tells whether the ticket's entry in the pairs table holds
		// the pair (SQLite's table keeps no text to read back).
		holds := func(key, pair string) bool {
			var n int64
			q := "SELECT COUNT(*) FROM ticket_fts_pairs WHERE ticket_fts_pairs MATCH ? AND rowid = ?"
			if tdb.Dialect == database.MySQL {
				q = "SELECT COUNT(*) FROM ticket_search_pairs WHERE CONCAT(' ', pairs, ' ') LIKE CONCAT('% ', ?, ' %') AND ticket_id = ?"
			}
			testutil.Must(t, env.db.Raw(q, pair, f.ids[key]).Row().Scan(&n))
			return n == 1
		}
		for _, p := range []string{"printer_jam", "jam_on", "on_floor", "roller_is", "is_worn"} {
			if !holds("printer", p) {
				t.Errorf("printer's pairs lack %s", p)
			}
		}
		newPost(t, env, f.as, map[string]any{"ticket_id": f.ids["vpn"], "content": "Rebooted the gateway twice."})
		if !holds("vpn", "the_gateway") || !holds("vpn", "gateway_twice") || !holds("vpn", "connection_drops") {
			t.Error("vpn's pairs after a reply lack the reply's or the body's")
		}
		env.call(http.MethodPatch, "/flicket-api/ticket/"+itoa(f.ids["old"]), map[string]any{"content": "The screen goes dark."}, f.as).expect(t, http.StatusOK)
		if !holds("old", "goes_dark") || !holds("old", "monitor_flickers") || holds("old", "the_monitor") {
			t.Error("old's pairs after an edit are not its new text's")
		}
		if got := f.keys(f.search(t, `"gateway twice"`, "")); fmt.Sprint(got) != "[vpn]" {
			t.Errorf(`"gateway twice": %v`, got)
		}
		// The phrase comes from the pairs table: without vpn's entry, the
		// phrase misses it, its words do not.
		remove := "DELETE FROM ticket_fts_pairs WHERE rowid = ?"
		if tdb.Dialect == database.MySQL {
			remove = "DELETE FROM ticket_search_pairs WHERE ticket_id = ?"
		}
		testutil.Must(t, env.db.Exec(remove, f.ids["vpn"]).Error)
		if got := f.keys(f.search(t, `"gateway twice"`, "")); len(got) != 0 {
			t.Errorf(`"gateway twice" without vpn's pairs: %v`, got)
		}
		if got := f.keys(f.search(t, "gateway twice", "")); fmt.Sprint(got) != "[vpn]" {
			t.Errorf("gateway twice: %v", got)
		}
		env.call(http.MethodDelete, "/flicket-api/ticket/"+itoa(f.ids["printer"]), nil, env.as(env.admin)).expect(t, http.StatusNoContent)
		if holds("printer", "printer_jam") {
			t.Error("a deleted ticket keeps its pairs")
		}
	})
}

// TestTicketSearchesWaitTheirTurn: with FLICKET_DB_SEARCHES=1 and its one
// place taken, searches (the list's q and the CSV export's) wait in the
// queue and answer once the place is given back; a list without q and a
// ticket do not wait behind them; a search whose client hangs up while
// queued leaves the queue.
func TestTicketSearchesWaitTheirTurn(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		f := newSearchFixture(t, env)
		srv := env.newServerWith(map[string]string{"FLICKET_DB_SEARCHES": "1"})
		gate := srv.searches
		testutil.Must(t, gate.Enter(context.Background()))
		queued := func(n int) {
			t.Helper()
			for deadline := time.Now().Add(10 * time.Second); gate.Queued() != n; time.Sleep(time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("%d searches queued, want %d", gate.Queued(), n)
				}
			}
		}

		// A client that hangs up while queued.
		ctx, cancel := context.WithCancel(context.Background())
		gone := make(chan int)
		go func() {
			req := httptest.NewRequestWithContext(ctx, http.MethodGet, "/flicket-api/tickets/?q=printer", nil)
			f.as(req)
			rec := httptest.NewRecorder()
			srv.Handler().ServeHTTP(rec, req)
			gone <- rec.Code
		}()
		queued(1)
		cancel()
		if code := <-gone; code != statusClientClosed {
			t.Errorf("search given up while queued: %d, want %d", code, statusClientClosed)
		}
		queued(0)

		paths := []string{"/flicket-api/tickets/?q=printer", "/flicket-api/tickets/export.csv?q=printer"}
		answers := make(chan *response, len(paths))
		for _, p := range paths {
			go func() { answers <- env.do(srv, http.MethodGet, p, nil, f.as) }()
		}
		queued(len(paths))
		env.do(srv, http.MethodGet, "/flicket-api/tickets/", nil, f.as).expect(t, http.StatusOK)
		env.do(srv, http.MethodGet, "/flicket-api/ticket/"+itoa(f.ids["printer"]), nil, f.as).expect(t, http.StatusOK)
		select {
		case r := <-answers:
			t.Fatalf("a search answered (%d) before its turn", r.Code)
		default:
		}
		gate.Leave()
		for range paths {
			r := (<-answers).expect(t, http.StatusOK)
			if !strings.Contains(string(r.Body), "Printer jam on floor three") {
				t.Errorf("search answered without the printer ticket: %s", r.Body)
			}
		}
		queued(0)
	})
}
