package inbox

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMaskPhoneNumbers(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"call me at 650-555-0101 tonight", "call me at ••• tonight"},
		{"(650) 555-0101", "•••"},
		{"+1 (650) 555 0101.", "•••."},
		{"6505550101 or 650.555.0101", "••• or •••"},
		{"my cell: +44 20 7946 0958", "my cell: •••"},
		{"local 555-0101 ok", "local ••• ok"},
		{"two numbers 6505550101 6505550102", "two numbers •••"},
		{"Gate code 4471, see you 12/20/2026 at 5:30pm", "Gate code 4471, see you 12/20/2026 at 5:30pm"},
		{"Dec 20-27 for two dogs, $40/day", "Dec 20-27 for two dogs, $40/day"},
		{"booking 2026-12-20", "booking 2026-12-20"},
		{"(5 dogs) and 2 cats", "(5 dogs) and 2 cats"},
		{"no digits at all", "no digits at all"},
		{"", ""},
	} {
		if got := MaskPhoneNumbers(tc.in); got != tc.want {
			t.Errorf("MaskPhoneNumbers(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzMaskPhoneNumbers: whatever surrounds it, a NANP number written in any
// of the usual ways does not survive masking, and masking never panics or
// breaks UTF-8.
func FuzzMaskPhoneNumbers(f *testing.F) {
	for _, s := range []string{"", "hi ", "call ", "x", "5", "12/20 ", "+", "(", "é🙂"} {
		f.Add(s, s, uint8(0))
	}
	formats := []func(string) string{
		func(d string) string { return d },
		func(d string) string { return "+1" + d },
		func(d string) string { return "(" + d[:3] + ") " + d[3:6] + "-" + d[6:] },
		func(d string) string { return d[:3] + "." + d[3:6] + "." + d[6:] },
		func(d string) string { return "+1 " + d[:3] + " " + d[3:6] + " " + d[6:] },
		func(d string) string { return d[:3] + "-" + d[3:6] + "-" + d[6:] },
	}
	f.Fuzz(func(t *testing.T, before, after string, format uint8) {
		const national = "6505550147"
		in := before + " " + formats[int(format)%len(formats)](national) + " " + after
		out := MaskPhoneNumbers(in)
		if utf8.ValidString(in) && !utf8.ValidString(out) {
			t.Fatalf("masking broke UTF-8: %q", out)
		}
		if strings.Contains(onlyDigits(out), national) {
			t.Fatalf("MaskPhoneNumbers(%q) = %q still holds %s", in, out, national)
		}
		if again := MaskPhoneNumbers(out); again != out {
			t.Fatalf("masking is not stable: %q then %q", out, again)
		}
	})
}
