package store

import (
	"regexp"
	"strings"
	"testing"
)

func TestParseInboxSearch(t *testing.T) {
	for _, tc := range []struct {
		in                    string
		like, tsquery, digits string
		trigram               bool
	}{
		{"Avery", "%Avery%", "'avery':*", "", true},
		{"  walk first ", "%walk first%", "'walk':* & 'first':*", "", true},
		{"Otto's", "%Otto's%", "'otto':* & 's':*", "", true},
		{"pâté", "%pâté%", "'pâté':*", "", true},
		{"50%_off\\", `%50\%\_off\\%`, "'50':* & 'off':*", "", true},
		{"(650) 555-0101", "%(650) 555-0101%", "'650':* & '555':* & '0101':*", "%16505550101%", true},
		{"+1 650 555 0101", "%+1 650 555 0101%", "'1':* & '650':* & '555':* & '0101':*", "%16505550101%", true},
		{"555-0101", "%555-0101%", "'555':* & '0101':*", "%5550101%", true},
		{"0102", "%0102%", "'0102':*", "%0102%", true},
		{"12", "%12%", "'12':*", "", false},
		{"5pm", "%5pm%", "'5pm':*", "", true},
		{"🙂", "%🙂%", "", "", false},
		{"a", "%a%", "'a':*", "", false},
	} {
		got := parseInboxSearch(tc.in)
		if got.like != tc.like || got.tsquery != tc.tsquery || got.digits != tc.digits || got.trigram != tc.trigram {
			t.Errorf("parseInboxSearch(%q) = %+v, want like %q tsquery %q digits %q trigram %v", tc.in, got, tc.like, tc.tsquery, tc.digits, tc.trigram)
		}
	}
}

var tsqueryShape = regexp.MustCompile(`^('[\p{L}\p{N}]+':\*( & '[\p{L}\p{N}]+':\*)*)?$`)

// FuzzParseInboxSearch: anything typed in the search box becomes a
// full-text query PostgreSQL accepts (quoted words of letters and digits
// only) and a LIKE pattern whose wildcards are escaped.
func FuzzParseInboxSearch(f *testing.F) {
	for _, s := range []string{"Avery", "'; DROP TABLE threads; --", "a & b | !c", "x:*", `\%_`, "(650) 555-0101", "🙂 dog"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := parseInboxSearch(s)
		if !tsqueryShape.MatchString(got.tsquery) {
			t.Fatalf("tsquery %q from %q", got.tsquery, s)
		}
		if strings.Count(got.tsquery, "&") >= maxSearchWords {
			t.Fatalf("tsquery %q has more than %d words", got.tsquery, maxSearchWords)
		}
		inner := strings.TrimSuffix(strings.TrimPrefix(got.like, "%"), "%")
		for i := 0; i < len(inner); i++ {
			switch inner[i] {
			case '\\':
				i++ // an escape and what it escapes
			case '%', '_':
				t.Fatalf("unescaped wildcard in %q from %q", got.like, s)
			}
		}
		if got.digits != "" && !regexp.MustCompile(`^%[0-9]{3,}%$`).MatchString(got.digits) {
			t.Fatalf("digits %q from %q", got.digits, s)
		}
	})
}
