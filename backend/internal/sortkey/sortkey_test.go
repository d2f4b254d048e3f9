package sortkey_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/flicket/flicket/backend/internal/sortkey"
)

func sortByKey(names []string, key func(string) []byte) []string {
	out := slices.Clone(names)
	slices.SortStableFunc(out, func(a, b string) int { return bytes.Compare(key(a), key(b)) })
	return out
}

func TestKeyOrdersNamesAsPeopleExpect(t *testing.T) {
	k := sortkey.New()
	got := sortByKey([]string{"zoe", "Émile", "bob", "Alice", "éclair", "Zack", "alain", "Ångström", "eve", "10 apples", "2 pears"}, k.Key)
	want := []string{"10 apples", "2 pears", "alain", "Alice", "Ångström", "bob", "éclair", "Émile", "eve", "Zack", "zoe"}
	if !slices.Equal(got, want) {
		t.Errorf("order\n got %q\nwant %q", got, want)
	}
}

func TestKeyIgnoresCaseAndAccents(t *testing.T) {
	k := sortkey.New()
	if !bytes.Equal(k.Key("École"), k.Key("ecole")) {
		t.Error("École and ecole have different keys")
	}
	if bytes.Equal(k.Key("ecole"), k.Key("ecoles")) {
		t.Error("ecole and ecoles have the same key")
	}
	if len(k.Key("")) != 0 || len(k.Optional(nil)) != 0 {
		t.Error("empty and missing names must have empty keys")
	}
	if bytes.Compare(k.Optional(nil), k.Key("a")) >= 0 {
		t.Error("a missing name must sort first")
	}
}

func TestPairSortsByFirstPartThenSecond(t *testing.T) {
	k := sortkey.New()
	type dc struct{ d, c string }
	in := []dc{{"IT", "Printers"}, {"HR", "Payroll"}, {"IT support", "Access"}, {"it", "Email"}, {"HR", "Benefits"}}
	slices.SortStableFunc(in, func(a, b dc) int { return bytes.Compare(k.Pair(a.d, a.c), k.Pair(b.d, b.c)) })
	want := []dc{{"HR", "Benefits"}, {"HR", "Payroll"}, {"it", "Email"}, {"IT", "Printers"}, {"IT support", "Access"}}
	if !slices.Equal(in, want) {
		t.Errorf("got %v, want %v", in, want)
	}
}

func TestKeyIsCapped(t *testing.T) {
	long := strings.Repeat("漢字", 200)
	if n := len(sortkey.Key(long)); n != sortkey.MaxLen {
		t.Errorf("key of a long name has %d bytes, want %d", n, sortkey.MaxLen)
	}
	if n := len(sortkey.Pair(long, long)); n != sortkey.MaxLen {
		t.Errorf("pair key has %d bytes, want %d", n, sortkey.MaxLen)
	}
}

func BenchmarkKey(b *testing.B) {
	k := sortkey.New()
	b.ReportAllocs()
	for b.Loop() {
		k.Key("Printer on the third floor jams every morning")
	}
}
