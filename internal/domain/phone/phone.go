// Package phone normalizes, validates, formats and redacts phone numbers.
//
// Everything here is pure: no I/O, no clock, no randomness. Temporal
// workflows and the HTTP API both call it, so the same input always gives
// the same answer.
//
// The package knows the North American Numbering Plan (NANP, country code
// +1) in detail, because that is where the business texts from. Other
// countries are accepted only in international form ("+44 20 7946 0958")
// and checked for length, not for each country's own rules.
package phone

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// ErrInvalid is the error every rejected number wraps. Test for it with
// errors.Is; the message of the wrapping *InvalidError says what is wrong
// in words a user can act on.
var ErrInvalid = errors.New("invalid phone number")

// ErrUnsupportedCountry is returned when a number without a leading "+"
// has to be read in a default country this package does not know. It is a
// configuration problem rather than a typing mistake, so it does not wrap
// ErrInvalid.
var ErrUnsupportedCountry = errors.New("unsupported default country")

// InvalidError explains why a number was rejected. It never repeats the
// number itself, so it is safe to log.
type InvalidError struct {
	// Reason is a short, plain-language explanation, such as
	// "it has 9 digits; a US number has 10".
	Reason string
}

func (e *InvalidError) Error() string { return ErrInvalid.Error() + ": " + e.Reason }

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *InvalidError) Unwrap() error { return ErrInvalid }

func invalid(format string, args ...any) error {
	return &InvalidError{Reason: fmt.Sprintf(format, args...)}
}

const (
	// maxInputRunes bounds how much text Normalize will look at. Real
	// numbers with generous punctuation fit easily.
	maxInputRunes = 40
	// maxE164Digits is the E.164 maximum, country code included.
	maxE164Digits = 15
	// minInternationalDigits is the shortest international number we
	// accept, country code included (the shortest real ones, such as
	// Niue's, have 7).
	minInternationalDigits = 7
	nanpDigits             = 10
)

// Normalize turns a phone number as a person typed it into E.164
// ("+14155550123").
//
// Accepted punctuation is spaces, "-", ".", "(", ")" and "/"; a "+" may only
// come first. A number starting with "+" is read as international. Any other
// number is read in defaultCountry, which today must be "US" or "CA" (both
// NANP, case-insensitive): 10 digits, or 11 starting with the trunk prefix 1,
// with area code and exchange starting 2–9.
//
// Rejected input yields an *InvalidError wrapping ErrInvalid; an unknown
// defaultCountry for a number without "+" yields ErrUnsupportedCountry.
func Normalize(raw, defaultCountry string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", invalid("it is empty")
	}
	if n := len([]rune(s)); n > maxInputRunes {
		return "", invalid("it is too long (%d characters)", n)
	}

	international := false
	digits := make([]byte, 0, maxE164Digits+1)
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits = append(digits, byte(r))
		case r == '+':
			if i != 0 {
				return "", invalid(`"+" may only appear at the start`)
			}
			international = true
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')' || r == '/' || unicode.IsSpace(r):
			// Punctuation people use to group digits.
		case unicode.IsLetter(r):
			return "", invalid("it contains letters; use digits only")
		default:
			return "", invalid("it contains the character %q", r)
		}
	}
	if len(digits) == 0 {
		return "", invalid("it has no digits")
	}

	if international {
		return normalizeInternational(digits)
	}
	switch strings.ToUpper(strings.TrimSpace(defaultCountry)) {
	case "US", "CA":
		return normalizeNANP(digits)
	case "":
		return "", invalid(`it has no country code; start it with "+" and the country code`)
	default:
		return "", fmt.Errorf("%w %q: write the number with \"+\" and its country code", ErrUnsupportedCountry, defaultCountry)
	}
}

func normalizeInternational(digits []byte) (string, error) {
	switch {
	case digits[0] == '0':
		return "", invalid(`the country code after "+" cannot start with 0`)
	case digits[0] == '1':
		// Country code 1 is NANP: hold it to the same rules as a
		// domestic number.
		if len(digits) != nanpDigits+1 {
			return "", invalid("it has %d digits after +1; a +1 number has 10", len(digits)-1)
		}
		return normalizeNANP(digits)
	case len(digits) < minInternationalDigits:
		return "", invalid("it has %d digits; an international number has at least %d", len(digits), minInternationalDigits)
	case len(digits) > maxE164Digits:
		return "", invalid("it has %d digits; the maximum is %d", len(digits), maxE164Digits)
	}
	return "+" + string(digits), nil
}

// normalizeNANP accepts 10 digits, or 11 starting with the trunk prefix 1.
func normalizeNANP(digits []byte) (string, error) {
	if len(digits) == nanpDigits+1 {
		if digits[0] != '1' {
			return "", invalid("it has 11 digits but does not start with 1; international numbers must start with \"+\"")
		}
		digits = digits[1:]
	}
	switch {
	case len(digits) < nanpDigits:
		return "", invalid("it has %d digits; a US number has 10 (area code and number)", len(digits))
	case len(digits) > nanpDigits:
		return "", invalid("it has too many digits for a US number; international numbers must start with \"+\"")
	case digits[0] < '2':
		return "", invalid("the area code cannot start with %c", digits[0])
	case digits[3] < '2':
		return "", invalid("the 7-digit number after the area code cannot start with %c", digits[3])
	}
	return "+1" + string(digits), nil
}

// IsE164 reports whether s is in E.164 form: "+", a first digit 1–9 and at
// most 15 digits in all (the regular expression ^\+[1-9]\d{1,14}$).
func IsE164(s string) bool {
	if len(s) < 3 || len(s) > 1+maxE164Digits || s[0] != '+' || s[1] < '1' || s[1] > '9' {
		return false
	}
	for i := 2; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isNANP reports whether e164 is +1 followed by a valid 10-digit NANP number.
func isNANP(e164 string) bool {
	if !IsE164(e164) || len(e164) != 2+nanpDigits || e164[1] != '1' {
		return false
	}
	return e164[2] >= '2' && e164[5] >= '2'
}

// Display formats an E.164 number for people: "(415) 555-0123" for NANP
// numbers, and the E.164 string unchanged for everything else (including
// input that is not E.164 at all).
func Display(e164 string) string {
	if !isNANP(e164) {
		return e164
	}
	d := e164[2:]
	return "(" + d[0:3] + ") " + d[3:6] + "-" + d[6:]
}

// redactDot is what hidden digits are replaced with.
const redactDot = "•"

// Redact hides a number for logs, keeping the country code and the last
// three digits: "+14155550123" becomes "+1•••••••123". Numbers so short that
// fewer than four digits would stay hidden show no tail at all. Input that is
// not E.164 is replaced entirely by "•••" so that nothing typed by a user
// leaks.
func Redact(e164 string) string {
	if !IsE164(e164) {
		return strings.Repeat(redactDot, 3)
	}
	digits := e164[1:]
	cc := countryCodeLen(digits)
	const keep, minHidden = 3, 4
	if len(digits)-cc < keep+minHidden {
		// Too short to show a tail without giving most of it away.
		return "+" + digits[:cc] + strings.Repeat(redactDot, len(digits)-cc)
	}
	hidden := len(digits) - cc - keep
	return "+" + digits[:cc] + strings.Repeat(redactDot, hidden) + digits[len(digits)-keep:]
}

// countryCodeLen returns how many leading digits of an E.164 number (without
// "+") are the country calling code. ITU-T E.164 codes are prefix-free, so
// the first two digits decide the length: zones 1 and 7 use one digit, and
// the listed two-digit prefixes are complete codes; everything else is a
// three-digit code.
func countryCodeLen(digits string) int {
	if len(digits) == 0 {
		return 0
	}
	if digits[0] == '1' || digits[0] == '7' {
		return 1
	}
	if len(digits) < 2 {
		return len(digits)
	}
	if twoDigitCountryCodes[digits[:2]] {
		return 2
	}
	return min(3, len(digits))
}

// twoDigitCountryCodes lists the complete two-digit calling codes. Only
// looked up, never ranged over.
var twoDigitCountryCodes = map[string]bool{
	"20": true, "27": true,
	"30": true, "31": true, "32": true, "33": true, "34": true, "36": true, "39": true,
	"40": true, "41": true, "43": true, "44": true, "45": true, "46": true, "47": true, "48": true, "49": true,
	"51": true, "52": true, "53": true, "54": true, "55": true, "56": true, "57": true, "58": true,
	"60": true, "61": true, "62": true, "63": true, "64": true, "65": true, "66": true,
	"81": true, "82": true, "84": true, "86": true,
	"90": true, "91": true, "92": true, "93": true, "94": true, "95": true, "98": true,
}
