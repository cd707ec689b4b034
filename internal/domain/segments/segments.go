// Package segments works out how an SMS body will be encoded and how many
// segments (billable parts) it costs, following Twilio's rules (TWILIO.md §6).
//
// It is pure and deterministic so that workflows, the API's live preview and
// cost estimates all agree.
package segments

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Encoding is how the carrier network carries the text.
type Encoding string

const (
	// GSM7 packs each character of the GSM 03.38 alphabet into 7 bits.
	GSM7 Encoding = "GSM-7"
	// UCS2 is used as soon as one character is outside GSM 03.38; it
	// counts UTF-16 code units.
	UCS2 Encoding = "UCS-2"
)

// Segment capacities, in GSM-7 septets or UTF-16 code units. A concatenated
// message loses room in every part to the 6-byte user data header.
const (
	gsmSingle = 160
	gsmPart   = 153
	ucsSingle = 70
	ucsPart   = 67
)

// MaxBodyCharacters is Twilio's limit on the length of a message body
// (longer bodies fail with error 21617).
const MaxBodyCharacters = 1600

// Info describes how a body will travel.
type Info struct {
	// Encoding is GSM-7 when every character is in the GSM basic set or
	// extension table, otherwise UCS-2 for the whole message.
	Encoding Encoding
	// Segments is how many SMS parts the body is sent (and billed) as; 0
	// for an empty body.
	Segments int
	// Units is the encoded length: GSM-7 septets (extension-table
	// characters count 2) or UTF-16 code units (characters outside the
	// Basic Multilingual Plane, like most emoji, count 2).
	Units int
	// Characters is the number of Unicode code points, which is what the
	// 1,600-character limit is checked against.
	Characters int
}

// Analyze reports the encoding, length and segment count of body.
//
// Segments are counted by packing characters into parts in order, never
// splitting a GSM escape pair (ESC + extension character) or a UTF-16
// surrogate pair across two parts; a part that cannot take the whole pair
// is closed one unit short. Because of that the count can exceed Twilio's
// published formula ceil(units / 153) (or / 67): for example 152 basic
// characters followed by "€" and 152 more are 306 units, ceil gives 2, but
// the "€" cannot start at position 153 of the first part, so packing needs
// 3. Handsets and carriers do not split pairs, so packing is the honest
// count; for bodies without pairs the two agree exactly.
func Analyze(body string) Info {
	info := Info{Encoding: GSM7, Characters: utf8.RuneCountInString(body)}
	if !isGSM(body) {
		info.Encoding = UCS2
	}

	single, part := gsmSingle, gsmPart
	width := gsmWidth
	if info.Encoding == UCS2 {
		single, part = ucsSingle, ucsPart
		width = utf16Width
	}

	for _, r := range body {
		info.Units += width(r)
	}
	switch {
	case info.Units == 0:
		info.Segments = 0
	case info.Units <= single:
		info.Segments = 1
	default:
		info.Segments = pack(body, part, width)
	}
	return info
}

// pack counts the parts needed when each part holds at most capacity units
// and no character is split between parts.
func pack(body string, capacity int, width func(rune) int) int {
	parts, used := 1, 0
	for _, r := range body {
		w := width(r)
		if used+w > capacity {
			parts++
			used = 0
		}
		used += w
	}
	return parts
}

func gsmWidth(r rune) int {
	if gsmExtension(r) {
		return 2
	}
	return 1
}

func utf16Width(r rune) int {
	if n := utf16.RuneLen(r); n > 0 {
		return n
	}
	// Invalid UTF-8 decodes to U+FFFD, one unit; this is not reached for
	// runes from a range loop but keeps the function total.
	return 1
}

func isGSM(body string) bool {
	for _, r := range body {
		if !gsmBasic(r) && !gsmExtension(r) {
			return false
		}
	}
	return true
}

// gsmBasic reports whether r is in the GSM 03.38 basic character set. ESC
// (0x1B) is deliberately absent: it is an encoding detail, not something a
// person types. Position 0x09 is taken as "Ç", as in most tables; "ç" forces
// UCS-2, which can only over-estimate the cost, never under-estimate it.
func gsmBasic(r rune) bool {
	switch {
	case r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		return true
	case r >= ' ' && r <= '/', r >= ':' && r <= '?':
		// ASCII space through '/' and ':' through '?' are all in the
		// basic set.
		return true
	}
	switch r {
	case '@', '£', '$', '¥', 'è', 'é', 'ù', 'ì', 'ò', 'Ç', '\n', 'Ø', 'ø', '\r', 'Å', 'å',
		'Δ', '_', 'Φ', 'Γ', 'Λ', 'Ω', 'Π', 'Ψ', 'Σ', 'Θ', 'Ξ', 'Æ', 'æ', 'ß', 'É',
		'¤', '¡', 'Ä', 'Ö', 'Ñ', 'Ü', '§', '¿', 'ä', 'ö', 'ñ', 'ü', 'à':
		return true
	}
	return false
}

// gsmExtension reports whether r is in the GSM 03.38 extension table, sent
// as ESC followed by the character (two septets).
func gsmExtension(r rune) bool {
	switch r {
	case '^', '{', '}', '\\', '[', ']', '~', '|', '€', '\f':
		return true
	}
	return false
}

// ErrEmpty is returned by Validate for a body with nothing to send.
var ErrEmpty = errors.New("message is empty")

// ErrTooLong is wrapped by the *TooLongError Validate returns.
var ErrTooLong = errors.New("message is too long")

// TooLongError says how long a rejected body is and what the limit is.
type TooLongError struct {
	Characters int
	Limit      int
}

func (e *TooLongError) Error() string {
	return fmt.Sprintf("message is too long: it has %s characters and the limit is %s",
		thousands(e.Characters), thousands(e.Limit))
}

// Unwrap makes errors.Is(err, ErrTooLong) true.
func (e *TooLongError) Unwrap() error { return ErrTooLong }

// Validate checks that body can be sent as one message: it must contain
// something other than whitespace and have at most MaxBodyCharacters
// characters (Unicode code points; Twilio does not document whether it
// counts UTF-16 units instead, see TWILIO.md §6).
func Validate(body string) error {
	if strings.TrimFunc(body, unicode.IsSpace) == "" {
		return ErrEmpty
	}
	if n := utf8.RuneCountInString(body); n > MaxBodyCharacters {
		return &TooLongError{Characters: n, Limit: MaxBodyCharacters}
	}
	return nil
}

// thousands formats n with comma separators, as the UI shows counts.
func thousands(n int) string {
	if n < 0 {
		return "-" + thousands(-n)
	}
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
