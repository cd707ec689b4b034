// Package twiliowebhook reads the forms Twilio posts to Snout: inbound
// messages (TWILIO.md §3.1) and status callbacks (§3.3). Twilio adds
// parameters without notice, so unknown names are kept (they are part of
// the signature) and only the fields Snout acts on are checked.
package twiliowebhook

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/provider"
)

// MaxFormBytes bounds a webhook body. A text is at most 1,600 characters;
// the rest is a few dozen short parameters, ten media URLs and, with
// Add-ons, a JSON blob.
const MaxFormBytes = 1 << 20

// MaxMedia is Twilio's limit on attachments per MMS.
const MaxMedia = 10

// Kinds of webhook, as stored in webhook_receipts.kind.
const (
	KindSMS    = "sms"
	KindStatus = "status"
)

var (
	messageSIDPattern = regexp.MustCompile(`^(SM|MM)[0-9a-fA-F]{32}$`)
	accountSIDPattern = regexp.MustCompile(`^AC[0-9a-fA-F]{32}$`)
	statusPattern     = regexp.MustCompile(`^[a-z_]{1,32}$`)
)

// ErrInvalid wraps every reason a form is refused.
var ErrInvalid = errors.New("invalid webhook form")

// FieldError names the parameter at fault.
type FieldError struct {
	Field  string
	Reason string
}

func (e *FieldError) Error() string { return fmt.Sprintf("%s: %s %s", ErrInvalid, e.Field, e.Reason) }

func (e *FieldError) Unwrap() error { return ErrInvalid }

func invalid(field, format string, args ...any) error {
	return &FieldError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// ReadForm reads a form-urlencoded body of at most MaxFormBytes. Every
// parameter is kept, known or not.
func ReadForm(r io.Reader) (url.Values, error) {
	body, err := io.ReadAll(io.LimitReader(r, MaxFormBytes+1))
	if err != nil {
		return nil, err
	}
	if len(body) > MaxFormBytes {
		return nil, invalid("body", "is larger than %d bytes", MaxFormBytes)
	}
	v, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, invalid("body", "is not form-urlencoded: %v", err)
	}
	// Twilio sends UTF-8 text. Anything else could not be stored faithfully
	// (PostgreSQL text and jsonb refuse NUL and invalid UTF-8).
	for name, values := range v {
		if !cleanText(name) {
			return nil, invalid("body", "has a parameter name that is not UTF-8 text")
		}
		for _, value := range values {
			if !cleanText(value) {
				return nil, invalid(name, "is not UTF-8 text")
			}
		}
	}
	return v, nil
}

func cleanText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// AccountSID returns the form's AccountSid when it is well formed, else "".
func AccountSID(v url.Values) string {
	sid := v.Get("AccountSid")
	if !accountSIDPattern.MatchString(sid) {
		return ""
	}
	return sid
}

// Media is one MMS attachment.
type Media struct {
	URL         string `json:"url"`
	ContentType string `json:"contentType"`
}

// Inbound is a text (SMS or MMS) from a handset to one of the org's numbers.
type Inbound struct {
	AccountSID          string
	MessageSID          string
	From                string // as Twilio sent it; normally E.164
	To                  string
	Body                string
	MessagingServiceSID string
	Media               []Media
}

// messageSID reads MessageSid, falling back on the legacy copies.
func messageSID(v url.Values) string {
	for _, name := range []string{"MessageSid", "SmsMessageSid", "SmsSid"} {
		if s := v.Get(name); s != "" {
			return s
		}
	}
	return ""
}

// ParseInbound checks and extracts an inbound message webhook.
func ParseInbound(v url.Values) (Inbound, error) {
	in := Inbound{
		AccountSID:          v.Get("AccountSid"),
		MessageSID:          messageSID(v),
		From:                strings.TrimSpace(v.Get("From")),
		To:                  strings.TrimSpace(v.Get("To")),
		Body:                v.Get("Body"),
		MessagingServiceSID: v.Get("MessagingServiceSid"),
	}
	switch {
	case !accountSIDPattern.MatchString(in.AccountSID):
		return Inbound{}, invalid("AccountSid", "is not an account SID (AC followed by 32 hex digits)")
	case !messageSIDPattern.MatchString(in.MessageSID):
		return Inbound{}, invalid("MessageSid", "is not a message SID (SM or MM followed by 32 hex digits)")
	case in.From == "":
		return Inbound{}, invalid("From", "is missing")
	case in.To == "":
		return Inbound{}, invalid("To", "is missing")
	}
	n := 0
	if raw := strings.TrimSpace(v.Get("NumMedia")); raw != "" {
		var err error
		n, err = strconv.Atoi(raw)
		if err != nil || n < 0 || n > MaxMedia {
			return Inbound{}, invalid("NumMedia", "must be a whole number from 0 to %d", MaxMedia)
		}
	}
	for i := range n {
		u := strings.TrimSpace(v.Get("MediaUrl" + strconv.Itoa(i)))
		if u == "" {
			return Inbound{}, invalid("MediaUrl"+strconv.Itoa(i), "is missing although NumMedia is %d", n)
		}
		in.Media = append(in.Media, Media{URL: u, ContentType: strings.TrimSpace(v.Get("MediaContentType" + strconv.Itoa(i)))})
	}
	return in, nil
}

// Status is a delivery status callback for an outbound message.
type Status struct {
	AccountSID string
	MessageSID string
	Status     string // queued, sending, sent, delivered, undelivered, failed, read…
	From       string
	To         string
	ErrorCode  int // set with failed and undelivered
}

// ParseStatus checks and extracts a status callback.
func ParseStatus(v url.Values) (Status, error) {
	st := Status{
		AccountSID: v.Get("AccountSid"),
		MessageSID: messageSID(v),
		Status:     strings.ToLower(strings.TrimSpace(v.Get("MessageStatus"))),
		From:       strings.TrimSpace(v.Get("From")),
		To:         strings.TrimSpace(v.Get("To")),
	}
	if st.Status == "" {
		st.Status = strings.ToLower(strings.TrimSpace(v.Get("SmsStatus")))
	}
	switch {
	case !accountSIDPattern.MatchString(st.AccountSID):
		return Status{}, invalid("AccountSid", "is not an account SID (AC followed by 32 hex digits)")
	case !messageSIDPattern.MatchString(st.MessageSID):
		return Status{}, invalid("MessageSid", "is not a message SID (SM or MM followed by 32 hex digits)")
	case !statusPattern.MatchString(st.Status):
		return Status{}, invalid("MessageStatus", "is missing or not a status word")
	}
	if raw := strings.TrimSpace(v.Get("ErrorCode")); raw != "" {
		code, err := strconv.Atoi(raw)
		if err != nil || code < 0 || code > 99999 {
			return Status{}, invalid("ErrorCode", "must be a Twilio error code")
		}
		st.ErrorCode = code
	}
	return st, nil
}

// DedupeKey is the receipt's uniqueness key within its kind: the MessageSid
// for texts, MessageSid/MessageStatus for status callbacks (one receipt per
// transition, however often Twilio repeats it).
func (in Inbound) DedupeKey() string { return in.MessageSID }

// DedupeKey: see Inbound.DedupeKey.
func (st Status) DedupeKey() string { return st.MessageSID + "/" + st.Status }

// Payload encodes the whole form for webhook_receipts.payload, keeping
// repeated names and unknown parameters.
func Payload(v url.Values) (json.RawMessage, error) {
	if v == nil {
		v = url.Values{}
	}
	return json.Marshal(map[string][]string(v))
}

// FromPayload decodes what Payload stored.
func FromPayload(raw []byte) (url.Values, error) {
	var m map[string][]string
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("%w: stored payload: %v", ErrInvalid, err)
	}
	return url.Values(m), nil
}

// StatusUpdate turns a status callback into the store's forward-only
// update, with the error code explained in plain language.
func StatusUpdate(st Status, at time.Time) store.ProviderStatusUpdate {
	u := store.ProviderStatusUpdate{ProviderSID: st.MessageSID, Status: st.Status, ErrorCode: st.ErrorCode, At: at}
	if st.ErrorCode != 0 {
		u.ErrorMessage = provider.Explain(st.ErrorCode)
	}
	return u
}
