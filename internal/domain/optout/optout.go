// Package optout recognizes the carrier keywords (STOP, START, HELP and
// their synonyms) in an inbound message, the way Twilio does on long codes
// (TWILIO.md §5).
//
// Twilio blocks a sender only for the number (or Messaging Service) that
// received the keyword, so the app keeps its own suppression list across all
// of its numbers; Classify is how it decides what an inbound message means
// for that list. It is pure and deterministic.
package optout

import (
	"strconv"
	"strings"
	"unicode"
)

// Keyword is the class of carrier keyword a message is.
type Keyword int

const (
	// None: an ordinary message.
	None Keyword = iota
	// OptOut: the sender asks to receive no more messages.
	OptOut
	// OptIn: the sender asks to receive messages again.
	OptIn
	// Help: the sender asks who is texting and how to stop.
	Help
)

// String returns "none", "opt_out", "opt_in" or "help".
func (k Keyword) String() string {
	switch k {
	case None:
		return "none"
	case OptOut:
		return "opt_out"
	case OptIn:
		return "opt_in"
	case Help:
		return "help"
	}
	return "Keyword(" + strconv.Itoa(int(k)) + ")"
}

// keywords maps each upper-case keyword to its class. Only looked up.
var keywords = map[string]Keyword{
	"STOP": OptOut, "STOPALL": OptOut, "UNSUBSCRIBE": OptOut, "CANCEL": OptOut,
	"END": OptOut, "QUIT": OptOut, "REVOKE": OptOut, "OPTOUT": OptOut,
	"START": OptIn, "UNSTOP": OptIn, "YES": OptIn,
	"HELP": Help, "INFO": Help,
}

// Classify reports which keyword body is, if any.
//
// Only a message that is the keyword and nothing else counts, in any
// letter case, ignoring surrounding whitespace and trailing punctuation:
// "stop", " Stop. ", "STOP!!" are OptOut; "STOP PLEASE", "please stop" and
// "S T O P" are None. Letters are compared as ASCII only, so look-alike
// characters from other scripts never trigger a keyword.
func Classify(body string) Keyword {
	word := strings.TrimLeftFunc(body, unicode.IsSpace)
	word = strings.TrimRightFunc(word, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r)
	})
	// The longest keyword is UNSUBSCRIBE; anything longer is not one.
	if len(word) == 0 || len(word) > len("UNSUBSCRIBE") {
		return None
	}
	upper := make([]byte, len(word))
	for i := 0; i < len(word); i++ {
		c := word[i]
		switch {
		case c >= 'a' && c <= 'z':
			upper[i] = c - 'a' + 'A'
		case c >= 'A' && c <= 'Z':
			upper[i] = c
		default:
			return None
		}
	}
	return keywords[string(upper)]
}
