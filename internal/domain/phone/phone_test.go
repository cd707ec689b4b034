package phone

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalizeAccepts(t *testing.T) {
	tests := []struct {
		raw, country, want string
	}{
		{"+14155550123", "US", "+14155550123"},
		{"(415) 555-0123", "US", "+14155550123"},
		{"415.555.0123", "US", "+14155550123"},
		{"1-415-555-0123", "US", "+14155550123"},
		{"4155550123", "US", "+14155550123"},
		{"14155550123", "US", "+14155550123"},
		{"  415 555 0123\t", "US", "+14155550123"},
		{"+1 (415) 555-0123", "US", "+14155550123"},
		{"415/555-0123", "us", "+14155550123"},
		{"(604) 555-0199", "CA", "+16045550199"},
		{"+44 20 7946 0958", "US", "+442079460958"},
		{"+44 20 7946 0958", "", "+442079460958"},
		{"+44 (0)20-7946-0958", "US", "+4402079460958"}, // the (0) is kept: we do not know UK trunk rules
		{"+6834002", "US", "+6834002"},                  // Niue: 7 digits with the country code
		{"+861012345678901", "US", "+861012345678901"},  // 15 digits, the E.164 maximum
		{"+14155550123", "FR", "+14155550123"},          // "+" numbers ignore the default country
	}
	for _, tt := range tests {
		got, err := Normalize(tt.raw, tt.country)
		if err != nil {
			t.Errorf("Normalize(%q, %q) error: %v", tt.raw, tt.country, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Normalize(%q, %q) = %q, want %q", tt.raw, tt.country, got, tt.want)
		}
		if !IsE164(got) {
			t.Errorf("Normalize(%q) = %q is not E.164", tt.raw, got)
		}
	}
}

func TestNormalizeRejects(t *testing.T) {
	tests := []struct {
		name, raw, country string
		reason             string // substring the user sees
	}{
		{"empty", "", "US", "empty"},
		{"blank", "   ", "US", "empty"},
		{"letters", "1-800-FLOWERS", "US", "letters"},
		{"extension", "415-555-0123 ext 4", "US", "letters"},
		{"no digits", "()--", "US", "no digits"},
		{"too short US", "555-0123", "US", "7 digits"},
		{"nine digits", "415 555 012", "US", "9 digits"},
		{"too long US", "415 555 012345", "US", "too many digits"},
		{"eleven without 1", "24155550123", "US", "does not start with 1"},
		{"area code 0", "(015) 555-0123", "US", "area code cannot start with 0"},
		{"area code 1", "(115) 555-0123", "US", "area code cannot start with 1"},
		{"exchange 1", "(415) 155-0123", "US", "cannot start with 1"},
		{"exchange 0", "+1 415 055 0123", "US", "cannot start with 0"},
		{"plus one short", "+1 415 555 012", "US", "9 digits after +1"},
		{"plus in middle", "415+5550123", "US", `"+" may only appear at the start`},
		{"double plus", "++14155550123", "US", `"+" may only appear at the start`},
		{"country code 0", "+0 20 7946 0958", "US", "cannot start with 0"},
		{"international short", "+44 123", "US", "at least 7"},
		{"international long", "+44 1234 5678 9012 34", "US", "maximum is 15"},
		{"symbol", "415#555#0123", "US", `'#'`},
		{"no country", "415 555 0123", "", `start it with "+"`},
		{"huge input", strings.Repeat("1", 41), "US", "too long"},
		{"fullwidth digits", "４１５５５５０１２３", "US", "character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Normalize(tt.raw, tt.country)
			if err == nil {
				t.Fatalf("Normalize(%q) = %q, want error", tt.raw, got)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v does not wrap ErrInvalid", err)
			}
			var ie *InvalidError
			if !errors.As(err, &ie) {
				t.Errorf("error %v is not an *InvalidError", err)
			}
			if !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("error %q does not mention %q", err, tt.reason)
			}
		})
	}
}

func TestNormalizeErrorDoesNotEchoNumber(t *testing.T) {
	_, err := Normalize("415 555 012", "US")
	if err == nil || strings.Contains(err.Error(), "555") {
		t.Fatalf("error %v should not repeat the digits", err)
	}
}

func TestNormalizeUnsupportedCountry(t *testing.T) {
	_, err := Normalize("020 7946 0958", "GB")
	if !errors.Is(err, ErrUnsupportedCountry) {
		t.Fatalf("got %v, want ErrUnsupportedCountry", err)
	}
	if errors.Is(err, ErrInvalid) {
		t.Errorf("a configuration problem should not look like a typing mistake: %v", err)
	}
}

func TestIsE164(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"+14155550123", true},
		{"+12", true},
		{"+123456789012345", true},
		{"+1234567890123456", false},
		{"+1", false},
		{"+", false},
		{"", false},
		{"14155550123", false},
		{"+04155550123", false},
		{"+1415555012a", false},
		{"+1 4155550123", false},
		{" +14155550123", false},
		{"+1415555０123", false},
	}
	for _, tt := range tests {
		if got := IsE164(tt.s); got != tt.want {
			t.Errorf("IsE164(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

func TestDisplay(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+14155550123", "(415) 555-0123"},
		{"+16045550199", "(604) 555-0199"},
		{"+442079460958", "+442079460958"},
		{"+10155550123", "+10155550123"}, // not a valid NANP number: shown as is
		{"+1415555012", "+1415555012"},
		{"not a number", "not a number"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Display(tt.in); got != tt.want {
			t.Errorf("Display(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+14155550123", "+1•••••••123"},
		{"+442079460958", "+44•••••••958"},
		{"+353861234567", "+353••••••567"},
		{"+79161234567", "+7•••••••567"},
		{"+6834002", "+683••••"}, // too short to show a tail safely
		{"(415) 555-0123", "•••"},
		{"", "•••"},
	}
	for _, tt := range tests {
		if got := Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"+14155550123", "(415) 555-0123", "415.555.0123", "1-415-555-0123",
		"+44 20 7946 0958", "", "abc", "+", "++1", "1-800-FLOWERS", "４１５",
		"+1 (415) 555-0123 ", "415/555/0123", "\u00a0415 555 0123",
	} {
		f.Add(s, "US")
	}
	f.Add("+44 20 7946 0958", "")
	f.Add("020 7946 0958", "GB")
	f.Fuzz(func(t *testing.T, raw, country string) {
		got, err := Normalize(raw, country)
		if err != nil {
			if got != "" {
				t.Fatalf("Normalize(%q) returned %q with error %v", raw, got, err)
			}
			return
		}
		if !IsE164(got) {
			t.Fatalf("Normalize(%q, %q) = %q, not E.164", raw, country, got)
		}
		// Normalizing a normalized number changes nothing.
		again, err := Normalize(got, country)
		if err != nil || again != got {
			t.Fatalf("Normalize(%q) = %q, %v; want it unchanged", got, again, err)
		}
		if r := Redact(got); strings.Contains(r, got[1:]) {
			t.Fatalf("Redact(%q) = %q shows the whole number", got, r)
		}
		_ = Display(got)
	})
}
