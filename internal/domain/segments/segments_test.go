package segments

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestAnalyze(t *testing.T) {
	r := strings.Repeat
	tests := []struct {
		name       string
		body       string
		enc        Encoding
		units, seg int
	}{
		{"empty", "", GSM7, 0, 0},
		{"hello", "Walked Max, all good!", GSM7, 21, 1},
		{"GSM 160", r("a", 160), GSM7, 160, 1},
		{"GSM 161", r("a", 161), GSM7, 161, 2},
		{"GSM 306", r("a", 306), GSM7, 306, 2},
		{"GSM 307", r("a", 307), GSM7, 307, 3},
		{"GSM 1600", r("a", 1600), GSM7, 1600, 11},
		{"GSM specials", "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà", GSM7, 65, 1},
		{"extension counts 2", "{}", GSM7, 4, 1},
		{"euro counts 2", "€45", GSM7, 4, 1},
		{"extension table", "^{}\\[]~|€\f", GSM7, 20, 1},
		{"159 plus euro is 161 units", r("a", 159) + "€", GSM7, 161, 2},
		{"158 plus euro fits", r("a", 158) + "€", GSM7, 160, 1},
		{"UCS-2 70", "’" + r("a", 69), UCS2, 70, 1},
		{"UCS-2 71", "’" + r("a", 70), UCS2, 71, 2},
		{"UCS-2 134", "’" + r("a", 133), UCS2, 134, 2},
		{"UCS-2 135", "’" + r("a", 134), UCS2, 135, 3},
		{"curly quote switches whole message", "Max’s walk is done", UCS2, 18, 1},
		{"curly double quotes", "“ok”", UCS2, 4, 1},
		{"backtick", "`", UCS2, 1, 1},
		{"em dash", "done — home", UCS2, 11, 1},
		{"lower c cedilla", "ç", UCS2, 1, 1},
		{"emoji counts 2", "🐶", UCS2, 2, 1},
		{"emoji in text", "Max is happy 🐶", UCS2, 15, 1},
		{"35 emoji fill one part", r("🐶", 35), UCS2, 70, 1},
		{"36 emoji", r("🐶", 36), UCS2, 72, 2},
		{"BMP symbol counts 1", "✓", UCS2, 1, 1},
		{"tab is not GSM", "a\tb", UCS2, 3, 1},
		{"invalid UTF-8", "a\xffb", UCS2, 3, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Analyze(tt.body)
			want := Info{Encoding: tt.enc, Units: tt.units, Segments: tt.seg, Characters: utf8.RuneCountInString(tt.body)}
			if got != want {
				t.Errorf("Analyze = %+v, want %+v", got, want)
			}
		})
	}
}

// Pairs are never split between parts, so packing can need one part more
// than ceil(units/per-part).
func TestAnalyzeDoesNotSplitPairs(t *testing.T) {
	r := strings.Repeat
	tests := []struct {
		name       string
		body       string
		units, seg int
	}{
		// Part 1: 152 'a' (the "€" would need septets 153 and 154).
		// Part 2: "€" + 151 'a' = 153. Part 3: 1 'a'.
		{"escape pair at boundary", r("a", 152) + "€" + r("a", 152), 306, 3},
		// Same length, pair not at the boundary: ceil(306/153) = 2.
		{"escape pair inside part", "€" + r("a", 304), 306, 2},
		// UCS-2: 66 units, then an emoji (2 units) cannot start at unit 67.
		{"surrogate pair at boundary", "’" + r("a", 65) + "🐶" + r("a", 66), 134, 3},
		{"surrogate pair inside part", "🐶" + r("a", 132), 134, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Analyze(tt.body)
			if got.Units != tt.units || got.Segments != tt.seg {
				t.Errorf("Analyze: units %d segments %d, want units %d segments %d", got.Units, got.Segments, tt.units, tt.seg)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	if err := Validate(""); !errors.Is(err, ErrEmpty) {
		t.Errorf("Validate(\"\") = %v, want ErrEmpty", err)
	}
	if err := Validate(" \n\t"); !errors.Is(err, ErrEmpty) {
		t.Errorf("Validate(whitespace) = %v, want ErrEmpty", err)
	}
	for _, ok := range []string{"ok", strings.Repeat("a", MaxBodyCharacters), strings.Repeat("🐶", MaxBodyCharacters)} {
		if err := Validate(ok); err != nil {
			t.Errorf("Validate(%d characters) = %v, want nil", utf8.RuneCountInString(ok), err)
		}
	}

	err := Validate(strings.Repeat("a", 1723))
	var tl *TooLongError
	if !errors.As(err, &tl) || !errors.Is(err, ErrTooLong) {
		t.Fatalf("Validate(1723) = %v, want *TooLongError", err)
	}
	if tl.Characters != 1723 || tl.Limit != MaxBodyCharacters {
		t.Errorf("TooLongError = %+v", tl)
	}
	if msg := err.Error(); !strings.Contains(msg, "1,600") || !strings.Contains(msg, "1,723") {
		t.Errorf("message %q should state the limit and the current length", msg)
	}
	if err := Validate(strings.Repeat("a", MaxBodyCharacters+1)); err == nil {
		t.Error("Validate(1601) = nil, want error")
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 1600: "1,600", 1234567: "1,234,567", -1600: "-1,600"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{"", "hello", "€", "Max’s walk", "🐶🐱", strings.Repeat("a", 161), strings.Repeat("a", 152) + "€", "\xff\xfe", "ç"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		info := Analyze(body)
		if info.Characters != utf8.RuneCountInString(body) {
			t.Fatalf("Characters = %d, want %d", info.Characters, utf8.RuneCountInString(body))
		}
		single, part := gsmSingle, gsmPart
		switch info.Encoding {
		case GSM7:
		case UCS2:
			single, part = ucsSingle, ucsPart
		default:
			t.Fatalf("unknown encoding %q", info.Encoding)
		}
		if info.Units < info.Characters || info.Units > 2*info.Characters {
			t.Fatalf("Units = %d for %d characters", info.Units, info.Characters)
		}
		switch {
		case info.Units == 0:
			if info.Segments != 0 {
				t.Fatalf("empty body has %d segments", info.Segments)
			}
		case info.Units <= single:
			if info.Segments != 1 {
				t.Fatalf("%d units need 1 segment, got %d", info.Units, info.Segments)
			}
		default:
			// Packing never beats the formula and loses at most one
			// unit per part.
			lower := (info.Units + part - 1) / part
			upper := (info.Units + part - 2) / (part - 1)
			if info.Segments < lower || info.Segments > upper {
				t.Fatalf("%d units gave %d segments, want %d..%d", info.Units, info.Segments, lower, upper)
			}
		}
		if again := Analyze(body); again != info {
			t.Fatalf("Analyze is not deterministic: %+v then %+v", info, again)
		}
	})
}
