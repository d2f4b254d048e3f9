package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

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
}

func newSearchFixture(t *testing.T, env *testEnv) *searchFixture {
	t.Helper()
	anna := testutil.NewUser(t, env.db, "anna", nil)
	f := &searchFixture{env: env, as: env.as(anna), ids: map[string]int64{}}
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
	reply(t, env, f.as, map[string]any{"ticket_id": f.ids["printer"], "content": "Technician says the roller is worn."})
	reply(t, env, f.as, map[string]any{"ticket_id": f.ids["vpn"], "content": "Tried the e-mail client too."})
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
			{name: "relevance, then newest", q: "printer", want: []string{"printer", "closed"}, ordered: true},
			{name: "equal relevance: newest first", q: "monitor", want: []string{"new", "old"}, ordered: true},
			{name: "with a filter", q: "printer", extra: "&state=open", want: []string{"printer"}},
			{name: "with a sort", q: "monitor", extra: "&sort=ticketid", want: []string{"old", "new"}, ordered: true},
			{name: "with a sort, descending", q: "cafe", extra: "&sort=addedon_desc", want: []string{"order", "cafe"}, ordered: true},
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
				t.Errorf("%s: q=%s%s gives %v, want %v", tc.name, tc.q, tc.extra, got, want)
			}
		}

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
		id := itoa(f.ids["vpn"])
		env.call(http.MethodPatch, "/flicket-api/ticket/"+id, map[string]any{"title": "Tunnel falls over"}, f.as).expect(t, http.StatusOK)
		expect("vpn")
		expect("tunnel", "vpn")
		env.call(http.MethodPatch, "/flicket-api/ticket/"+id, map[string]any{"content": "Since the firmware update."}, f.as).expect(t, http.StatusOK)
		expect("hour")
		expect("firmware", "vpn")

		p := reply(t, env, f.as, map[string]any{"ticket_id": f.ids["vpn"], "content": "Rebooted the gateway."})
		expect("gateway", "vpn")
		env.call(http.MethodPatch, "/flicket-api/post/"+itoa(p.ID), map[string]any{"content": "Rebooted the router."}, f.as).expect(t, http.StatusOK)
		expect("gateway")
		expect("router", "vpn")
		env.call(http.MethodDelete, "/flicket-api/post/"+itoa(p.ID), nil, f.as).expect(t, http.StatusNoContent)
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
