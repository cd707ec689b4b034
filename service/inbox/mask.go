package inbox

import (
	"strings"
	"unicode"
)

// What a sitter reads carries no phone number of anyone. The sitter's read
// models (SitterThread, SitterMessage) have no phone-number fields at all;
// free text that reaches a sitter (names, bodies, previews, notes, failure
// reasons) goes through MaskPhoneNumbers, so a number typed into a message,
// or a client still named after their number, is not shown either.

// MaskPhoneNumbers hides phone numbers in text shown to sitters. A phone
// number here is a run of digits and the punctuation people group them
// with (spaces, "-", ".", "(", ")", "/", a leading "+") holding 7 digits (a
// local number), 10 or more (a national or international one), or 8 or
// more after a "+". Dates ("2026-12-20", "12/20/2026"), times, prices and
// short counts are left alone.
func MaskPhoneNumbers(text string) string {
	if strings.IndexFunc(text, unicode.IsDigit) < 0 {
		return text
	}
	rs := []rune(text)
	var b strings.Builder
	b.Grow(len(text))
	for i := 0; i < len(rs); {
		start := i
		plus := false
		switch {
		case rs[i] == '+' && i+1 < len(rs) && isASCIIDigit(rs[i+1]):
			plus = true
			i++
		case rs[i] == '(' && i+1 < len(rs) && isASCIIDigit(rs[i+1]):
			i++
		case isASCIIDigit(rs[i]):
		default:
			b.WriteRune(rs[i])
			i++
			continue
		}
		// Extend over digits and grouping punctuation; end on a digit or ")".
		digits, end := 0, i
		for j := i; j < len(rs); j++ {
			r := rs[j]
			if isASCIIDigit(r) {
				digits++
				end = j + 1
				continue
			}
			if r == ')' {
				end = j + 1
				continue
			}
			if r == ' ' || r == '-' || r == '.' || r == '(' || r == '/' || r == '\u00a0' {
				continue
			}
			break
		}
		if digits == 7 || digits >= 10 || (plus && digits >= 8) {
			b.WriteString("•••")
		} else {
			b.WriteString(string(rs[start:end]))
		}
		i = end
	}
	return b.String()
}

// sitterClientName is the client's name with any phone number hidden (a
// client who texted first is named after their number until the owner
// names them).
func sitterClientName(name string) string {
	masked := strings.TrimSpace(MaskPhoneNumbers(name))
	if strings.IndexFunc(masked, unicode.IsLetter) < 0 {
		return "New client"
	}
	return masked
}

func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }

func onlyDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if isASCIIDigit(r) {
			return r
		}
		return -1
	}, s)
}

// nationalDigits is the part of an E.164 number a person would type
// without the country code: the last 10 digits of a +1 number, otherwise
// everything after the "+" but the first digits (at least 7 kept).
func nationalDigits(e164 string) string {
	d := onlyDigits(e164)
	switch {
	case strings.HasPrefix(e164, "+1") && len(d) == 11:
		return d[1:]
	case len(d) > 9:
		return d[len(d)-9:]
	default:
		return d
	}
}
