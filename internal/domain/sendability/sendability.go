// Package sendability decides whether a text may be sent in a
// conversation: never to a client who opted out (STOP), never from a
// business number that is not in service. Composing a message asks it
// before anything is stored, and the send activity asks it again right
// before the provider is called, so a client who texts STOP meanwhile is
// not texted. Both show the refusal's words from here. Pure: no I/O.
package sendability

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/snoutos/snout/internal/errs"
)

// Recipient is the client a text would go to.
type Recipient struct {
	// Name as the reader of the refusal may see it (a sitter never sees
	// a client named after their phone number; the caller picks).
	Name string
	// OptedOutAt is when the client texted an opt-out keyword, nil while
	// they accept texts.
	OptedOutAt *time.Time
	// OptedOutKeyword is the word they used ("STOP", "UNSUBSCRIBE"…).
	OptedOutKeyword string
}

// BusinessNumber is the number a text would go from.
type BusinessNumber struct {
	// Active reports whether the number is in service.
	Active bool
	// Status names its state for the refusal ("quarantined"…).
	Status string
}

// CodeOptedOut is the refusal code for a client who opted out.
const CodeOptedOut = "client_opted_out"

// Check returns nil when a text may go from the number to the recipient,
// otherwise the refusal:
//   - errs.KindBlocked (CodeOptedOut) when the client opted out: the
//     client's choice, which only their START undoes;
//   - errs.KindConflict when the number is not in service: the business's
//     own setup, fixed by moving the conversation to an active number.
func Check(to Recipient, from BusinessNumber) error {
	if to.OptedOutAt != nil {
		kw := strings.ToUpper(strings.TrimSpace(to.OptedOutKeyword))
		if kw == "" {
			kw = "STOP"
		}
		return errs.Blocked(CodeOptedOut, fmt.Sprintf(
			"%s replied %s on %s, so texts to them are blocked until they text START.",
			capitalized(to.Name), kw, to.OptedOutAt.UTC().Format("Jan 2, 2006")))
	}
	if !from.Active {
		return errs.Conflict("", fmt.Sprintf(
			"This conversation's business number is %s, so it can't send texts. Move the conversation to an active number first.", from.Status))
	}
	return nil
}

// capitalized starts a sentence with name ("this client" → "This
// client"); a client without a name is "This client".
func capitalized(name string) string {
	if strings.TrimSpace(name) == "" {
		return "This client"
	}
	r, size := utf8.DecodeRuneInString(name)
	if r == utf8.RuneError {
		return name
	}
	return string(unicode.ToUpper(r)) + name[size:]
}
