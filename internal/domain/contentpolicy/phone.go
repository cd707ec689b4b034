package contentpolicy

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// minPhoneDigits is the shortest digit run treated as a phone number: a
// 7-digit local number. Door and lockbox codes (4–6 digits), times, prices
// and counts stay below it.
const minPhoneDigits = 7

// maxSeparatorRunes is how much punctuation and space may sit between two
// digits of one run: enough for "(415) 555 - 0123", not for prose.
const maxSeparatorRunes = 3

// A token is one digit, one number word, one separator rune, or anything
// else (which ends a run).
type tokenKind int

const (
	tokDigit tokenKind = iota
	tokWord
	tokSep
	tokComma // separates number words only: "four one five, five five five"
	tokBreak
)

type token struct {
	kind       tokenKind
	start, end int  // byte span in the body
	digits     int  // digits the token stands for (0 for separators)
	hint       byte // the ASCII digit an excerpt may show; 0 if none
	tens, ones bool // "twenty"…"ninety" / "one"…"nine", for "twenty one"
}

// findPhoneNumbers reports runs of at least minPhoneDigits digits, where a
// run is digits and spelled-out number words ("four one five", "4one5")
// joined only by spaces, dashes, dots, parentheses or underscores, at most
// maxSeparatorRunes at a time; commas join number words only. Colons,
// slashes, commas between digits and currency signs end a run, which keeps
// times ("3:30"), dates ("12/25"), lists ("7, 12, 5") and prices
// ("$1,250.00") apart. Runs that are clearly something else (see
// notAPhoneNumber) are let through.
//
// Known gaps: look-alike letters ("4I5", "O" inside a word) and exotic
// separators ("415/555/0123", "415,555,0123") are not read as digits; the
// aim is to stop the common ways of sharing a number without blocking
// ordinary texts about times, money and door codes.
func findPhoneNumbers(body string) []match {
	toks := tokenize(body)
	var out []match
	for i := 0; i < len(toks); {
		if toks[i].kind != tokDigit && toks[i].kind != tokWord {
			i++
			continue
		}
		// Extend the run while separators between number tokens stay
		// short.
		run := []token{toks[i]}
		j := i + 1
		for j < len(toks) {
			k, gap, comma := j, 0, false
			for k < len(toks) && (toks[k].kind == tokSep || toks[k].kind == tokComma) {
				comma = comma || toks[k].kind == tokComma
				gap++
				k++
			}
			if k == len(toks) || gap > maxSeparatorRunes || (toks[k].kind != tokDigit && toks[k].kind != tokWord) {
				break
			}
			if comma && (run[len(run)-1].kind != tokWord || toks[k].kind != tokWord) {
				break
			}
			run = append(run, toks[k])
			j = k + 1
		}
		i = j

		if countDigits(run) < minPhoneDigits || notAPhoneNumber(body, run) {
			continue
		}
		start, end := run[0].start, run[len(run)-1].end
		if start > 0 && (body[start-1] == '+' || body[start-1] == '(') {
			start--
		}
		out = append(out, match{kind: PhoneNumber, start: start, end: end, excerpt: phoneExcerpt(body, start, end, run)})
	}
	return out
}

// countDigits adds up the digits in a run; a unit word right after a tens
// word ("twenty one") is part of the same two-digit number.
func countDigits(run []token) int {
	n := 0
	for i, t := range run {
		if t.ones && i > 0 && run[i-1].tens {
			continue
		}
		n += t.digits
	}
	return n
}

func tokenize(body string) []token {
	var toks []token
	for i := 0; i < len(body); {
		r, size := utf8.DecodeRuneInString(body[i:])
		switch {
		case unicode.IsDigit(r):
			toks = append(toks, token{kind: tokDigit, start: i, end: i + size, digits: 1, hint: digitHint(r)})
			i += size
		case unicode.IsLetter(r):
			j := i
			for j < len(body) {
				r2, s2 := utf8.DecodeRuneInString(body[j:])
				if !unicode.IsLetter(r2) {
					break
				}
				j += s2
			}
			if words, ok := numberWords(body[i:j]); ok {
				for _, w := range words {
					w.start += i
					w.end += i
					toks = append(toks, w)
				}
			} else {
				toks = append(toks, token{kind: tokBreak, start: i, end: j})
			}
			i = j
		case isRunSeparator(r):
			toks = append(toks, token{kind: tokSep, start: i, end: i + size})
			i += size
		case r == ',':
			toks = append(toks, token{kind: tokComma, start: i, end: i + size})
			i += size
		default:
			toks = append(toks, token{kind: tokBreak, start: i, end: i + size})
			i += size
		}
	}
	return toks
}

func isRunSeparator(r rune) bool {
	switch r {
	case '-', '.', '(', ')', '_', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212':
		return true
	}
	return unicode.IsSpace(r)
}

// digitHint is the ASCII digit shown for r in an excerpt, or 0 when r is a
// digit from another script that is simply hidden.
func digitHint(r rune) byte {
	switch {
	case r >= '0' && r <= '9':
		return byte(r)
	case r >= '０' && r <= '９':
		return byte(r-'０') + '0'
	}
	return 0
}

type numberWord struct {
	word       string
	digits     int
	tens, ones bool
}

// vocabulary lists number words that may be glued together ("fourfive") or
// to digits ("4one5"). "o" and "oh" for zero are handled separately: they
// count only as a whole word, so "oo" in "zoo" or "Oh" in prose never add up.
var vocabulary = []numberWord{
	{"zero", 1, false, false},
	{"one", 1, false, true}, {"two", 1, false, true}, {"three", 1, false, true},
	{"four", 1, false, true}, {"five", 1, false, true}, {"six", 1, false, true},
	{"seven", 1, false, true}, {"eight", 1, false, true}, {"nine", 1, false, true},
	{"ten", 2, false, false}, {"eleven", 2, false, false}, {"twelve", 2, false, false},
	{"thirteen", 2, false, false}, {"fourteen", 2, false, false}, {"fifteen", 2, false, false},
	{"sixteen", 2, false, false}, {"seventeen", 2, false, false}, {"eighteen", 2, false, false},
	{"nineteen", 2, false, false},
	{"twenty", 2, true, false}, {"thirty", 2, true, false}, {"forty", 2, true, false},
	{"fourty", 2, true, false}, {"fifty", 2, true, false}, {"sixty", 2, true, false},
	{"seventy", 2, true, false}, {"eighty", 2, true, false}, {"ninety", 2, true, false},
}

// maxWordRun bounds the letter runs we try to split into number words.
const maxWordRun = 64

// numberWords splits a run of letters into number words, or reports false
// if the whole run is not made of them ("someone" is not "some"+"one").
func numberWords(letters string) ([]token, bool) {
	if len(letters) > maxWordRun {
		return nil, false
	}
	lower := make([]byte, len(letters))
	for i := 0; i < len(letters); i++ {
		c := letters[i]
		switch {
		case c >= 'a' && c <= 'z':
			lower[i] = c
		case c >= 'A' && c <= 'Z':
			lower[i] = c - 'A' + 'a'
		default:
			return nil, false // non-ASCII letters are never number words
		}
	}
	s := string(lower)
	if s == "o" || s == "oh" {
		return []token{{kind: tokWord, start: 0, end: len(s), digits: 1}}, true
	}

	// via[i] is the vocabulary index of a word ending at i on some full
	// split of s[:i], or -1 if s[:i] cannot be split. Earlier vocabulary
	// entries win, which keeps the split deterministic.
	via := make([]int, len(s)+1)
	for i := range via {
		via[i] = -1
	}
	reach := make([]bool, len(s)+1)
	reach[0] = true
	for i := 0; i < len(s); i++ {
		if !reach[i] {
			continue
		}
		for v, w := range vocabulary {
			j := i + len(w.word)
			if j <= len(s) && !reach[j] && s[i:j] == w.word {
				reach[j], via[j] = true, v
			}
		}
	}
	if !reach[len(s)] {
		return nil, false
	}
	var rev []token
	for j := len(s); j > 0; {
		w := vocabulary[via[j]]
		i := j - len(w.word)
		rev = append(rev, token{kind: tokWord, start: i, end: j, digits: w.digits, tens: w.tens, ones: w.ones})
		j = i
	}
	out := make([]token, len(rev))
	for i, t := range rev {
		out[len(rev)-1-i] = t
	}
	return out, true
}

// notAPhoneNumber recognizes digit runs that look like a phone number by
// count but are something a sitter legitimately writes:
//
//   - inside a web address ("https://…/dp/123456789"),
//   - a date: 2025-12-24, 12-24-2025, 24.12.2025, 12 24 2025,
//   - a year range: 2024-2025,
//   - a ZIP+4 code: 94110-1234,
//   - times or amounts written with a dot: "7.30 12.30 5.30", "9.30-10.45",
//     "12.50 15.00",
//   - lists of hour ranges: "7-8 12-1 5-6".
//
// Runs with number words are never excused: nobody spells out a date.
func notAPhoneNumber(body string, run []token) bool {
	if inWebAddress(body, run[0].start) {
		return true
	}
	var groups, seps []string
	cur := ""
	for i, t := range run {
		if t.kind != tokDigit || t.hint == 0 {
			return false
		}
		if i > 0 && run[i-1].end != t.start {
			groups = append(groups, cur)
			seps = append(seps, normalizeSeparator(body[run[i-1].end:t.start]))
			cur = ""
		}
		cur += string(t.hint)
	}
	groups = append(groups, cur)
	return isDate(groups, seps) || isYearRange(groups, seps) || isZIP4(groups, seps) ||
		isDottedTimes(groups, seps) || isHourRanges(groups, seps)
}

// normalizeSeparator reduces the text between two digit groups to "-" or
// "." (or "" for whitespace only); anything else comes back trimmed.
func normalizeSeparator(s string) string {
	s = strings.TrimFunc(s, unicode.IsSpace)
	if s != "" && strings.Trim(s, "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212") == "" {
		return "-"
	}
	return s
}

// inWebAddress reports whether the word containing byte offset at is a web
// address and at lies after the first "/" of its path.
func inWebAddress(body string, at int) bool {
	start := 0
	if i := strings.LastIndexFunc(body[:at], unicode.IsSpace); i >= 0 {
		_, size := utf8.DecodeRuneInString(body[i:])
		start = i + size
	}
	word := strings.ToLower(body[start:at])
	host := strings.Index(word, "://")
	switch {
	case host >= 0:
		host += len("://")
	case strings.HasPrefix(word, "www."):
		host = 0
	default:
		return false
	}
	return strings.Contains(word[host:], "/")
}

func num(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

func isYear(s string) bool  { return len(s) == 4 && num(s) >= 1900 && num(s) <= 2099 }
func isMonth(s string) bool { return len(s) <= 2 && num(s) >= 1 && num(s) <= 12 }
func isDay(s string) bool   { return len(s) <= 2 && num(s) >= 1 && num(s) <= 31 }

func isDate(g, sep []string) bool {
	if len(g) != 3 || sep[0] != sep[1] || (sep[0] != "-" && sep[0] != "." && sep[0] != "") {
		return false
	}
	if isYear(g[0]) && isMonth(g[1]) && isDay(g[2]) {
		return true
	}
	return isYear(g[2]) && (isMonth(g[0]) && isDay(g[1]) || isDay(g[0]) && isMonth(g[1]))
}

func isYearRange(g, sep []string) bool {
	return len(g) == 2 && sep[0] == "-" && isYear(g[0]) && isYear(g[1])
}

func isZIP4(g, sep []string) bool {
	return len(g) == 2 && sep[0] == "-" && len(g[0]) == 5 && len(g[1]) == 4
}

// isDottedTimes: pairs "H.MM" separated by spaces or dashes.
func isDottedTimes(g, sep []string) bool {
	if len(g)%2 != 0 {
		return false
	}
	for i := 0; i < len(g); i += 2 {
		if len(g[i]) > 2 || num(g[i]) > 24 || len(g[i+1]) != 2 || num(g[i+1]) > 59 || sep[i] != "." {
			return false
		}
		if i+2 < len(g) && sep[i+1] != "" && sep[i+1] != "-" {
			return false
		}
	}
	return true
}

// isHourRanges: pairs "H-H" separated by spaces, such as a visit schedule.
func isHourRanges(g, sep []string) bool {
	if len(g)%2 != 0 || len(g) < 4 {
		return false
	}
	for i, s := range g {
		if len(s) > 2 || num(s) > 24 {
			return false
		}
		if i < len(sep) {
			within := i%2 == 0
			if within && sep[i] != "-" || !within && sep[i] != "" {
				return false
			}
		}
	}
	return true
}

// phoneExcerpt redacts body[start:end]: digits become "•" except the last
// two ASCII digits of the run, each number word becomes one "•", and
// separators stay, with whitespace collapsed.
func phoneExcerpt(body string, start, end int, run []token) string {
	show := map[int]bool{} // token start offsets whose digit is shown; looked up only
	for i, shown := len(run)-1, 0; i >= 0 && shown < 2; i-- {
		if run[i].kind != tokDigit || run[i].hint == 0 {
			break
		}
		show[run[i].start] = true
		shown++
	}
	var b strings.Builder
	ti := 0
	for i := start; i < end; {
		for ti < len(run) && run[ti].end <= i {
			ti++
		}
		if ti < len(run) && run[ti].start == i {
			t := run[ti]
			switch {
			case t.kind == tokDigit && show[t.start]:
				b.WriteByte(t.hint)
			default:
				b.WriteString("•")
			}
			i = t.end
			continue
		}
		r, size := utf8.DecodeRuneInString(body[i:])
		if unicode.IsSpace(r) {
			r = ' '
		}
		b.WriteRune(r)
		i += size
	}
	return truncate(strings.Join(strings.Fields(b.String()), " "))
}
