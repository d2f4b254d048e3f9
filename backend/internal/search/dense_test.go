package search_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/flicket/flicket/backend/internal/search"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// TestDenseCandidatesSamplesTheWholeIndex: on MariaDB/MySQL a word in half
// the documents is found by walking the newest ones even when the newest
// 300 lack it (a probe of the newest documents alone guessed "rare" and
// sent it to FULLTEXT, which reads every match); the walk gives the newest
// matches with their number of occurrences. A word in one document is left
// to FULLTEXT. The other databases never walk.
func TestDenseCandidatesSamplesTheWholeIndex(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		ctx := context.Background()
		db := tdb.DB
		if tdb.Dialect == "mysql" {
			var rows []string
			var args []any
			for id := 1; id <= 600; id++ {
				doc := " bravo filler "
				switch {
				case id == 5:
					doc = " alpha zulu filler "
				case id <= 300 && id%2 == 0:
					doc = " alpha alpha filler "
				case id <= 300:
					doc = " alpha filler "
				}
				rows = append(rows, "(?, ?)")
				args = append(args, id, doc)
			}
			q := "INSERT INTO ticket_search (ticket_id, doc) VALUES " + strings.Join(rows, ", ")
			testutil.Must(t, db.Exec(q, args...).Error)
		}
		sql, args, ok, err := search.DenseCandidates(ctx, db, search.Parse("alpha"), 10)
		testutil.Must(t, err)
		if tdb.Dialect != "mysql" {
			if ok {
				t.Fatalf("%s walks: %s", tdb.Dialect, sql)
			}
			return
		}
		if !ok {
			t.Fatal("a word in half the documents is not walked")
		}
		var got []struct {
			ID    int64
			Score float64
		}
		testutil.Must(t, db.Raw("SELECT id, score FROM "+sql+" c ORDER BY id DESC", args...).Scan(&got).Error)
		want := ""
		for id := 300; id > 290; id-- {
			want += fmt.Sprintf("%d:%d ", id, 1+(id+1)%2)
		}
		gotS := ""
		for _, r := range got {
			gotS += fmt.Sprintf("%d:%g ", r.ID, r.Score)
		}
		if gotS != want {
			t.Errorf("walk: %s, want %s", gotS, want)
		}
		if _, _, ok, err := search.DenseCandidates(ctx, db, search.Parse("zulu"), 10); err != nil || ok {
			t.Errorf("a word in one document: walk %v, %v", ok, err)
		}
	})
}
