package mail

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// Every language fills every string, with the same placeholders as English.
func TestCatalogsAreComplete(t *testing.T) {
	en := reflect.ValueOf(*catalogs["en"])
	for _, locale := range Locales() {
		c := catalogs[locale]
		if c == nil {
			t.Fatalf("no catalog for %s", locale)
		}
		v := reflect.ValueOf(*c)
		for i := 0; i < v.NumField(); i++ {
			if v.Field(i).Kind() != reflect.String {
				continue
			}
			name := v.Type().Field(i).Name
			s, ref := v.Field(i).String(), en.Field(i).String()
			if strings.TrimSpace(s) == "" {
				t.Errorf("%s: %s is empty", locale, name)
			}
			if strings.Count(s, "%s") != strings.Count(ref, "%s") || strings.Count(s, "%d") != strings.Count(ref, "%d") {
				t.Errorf("%s: %s has other placeholders than English: %q vs %q", locale, name, s, ref)
			}
		}
	}
}

func TestNormalizeLocale(t *testing.T) {
	for in, want := range map[string]string{"fr": "fr", "FR": "fr", "fr_FR": "fr", "fr-CA": "fr", "en": "en", "": "en", "de": "en", " fr ": "fr"} {
		if got := NormalizeLocale(in); got != want {
			t.Errorf("NormalizeLocale(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBackoff(t *testing.T) {
	for n, want := range map[int]time.Duration{0: time.Minute, 1: time.Minute, 2: 2 * time.Minute, 3: 4 * time.Minute, 7: 60 * time.Minute, 50: 60 * time.Minute} {
		if got := backoff(time.Minute, time.Hour, n); got != want {
			t.Errorf("backoff(%d) = %s, want %s", n, got, want)
		}
	}
}

func TestSubjectsStayOnOneLine(t *testing.T) {
	if got := oneLine("Ticket\r\nBcc: x@example.com  title"); got != "Ticket Bcc: x@example.com title" {
		t.Fatalf("oneLine = %q", got)
	}
	if got := []rune(oneLine(strings.Repeat("é", 600))); len(got) != 500 {
		t.Fatalf("long subject kept %d runes", len(got))
	}
}
