package twiliosim

import (
	"cmp"
	"slices"
	"time"
)

// maxMessages bounds how many messages the simulator remembers; the oldest
// are forgotten first.
const maxMessages = 10000

// Message statuses and directions the simulator uses.
const (
	statusQueued      = "queued"
	statusSent        = "sent"
	statusDelivered   = "delivered"
	statusUndelivered = "undelivered"
	statusFailed      = "failed"
	statusReceived    = "received"

	directionInbound     = "inbound"
	directionOutboundAPI = "outbound-api"
	directionReply       = "outbound-reply"
)

// Media is one attachment of an MMS.
type Media struct {
	URL         string `json:"url"`
	ContentType string `json:"content_type,omitempty"`
}

// Message is a message as the simulator saw it, inbound or outbound.
type Message struct {
	SID            string     `json:"sid"`
	AccountSID     string     `json:"account_sid"`
	From           string     `json:"from"`
	To             string     `json:"to"`
	Body           string     `json:"body"`
	Direction      string     `json:"direction"`
	Status         string     `json:"status"`
	NumSegments    int        `json:"num_segments"`
	Media          []Media    `json:"media,omitempty"`
	ErrorCode      int        `json:"error_code,omitempty"`
	ErrorMessage   string     `json:"error_message,omitempty"`
	StatusCallback string     `json:"status_callback,omitempty"`
	DateCreated    time.Time  `json:"date_created"`
	DateUpdated    time.Time  `json:"date_updated"`
	DateSent       *time.Time `json:"date_sent,omitempty"`
}

// messageRecord is a stored message plus the outcome decided when it was
// sent, so an interrupted delivery can resume after a restart.
type messageRecord struct {
	Message
	Outcome     string `json:"outcome,omitempty"`
	OutcomeCode int    `json:"outcome_code,omitempty"`
}

func (m *messageRecord) snapshot() Message {
	out := m.Message
	out.Media = slices.Clone(m.Media)
	if m.DateSent != nil {
		t := *m.DateSent
		out.DateSent = &t
	}
	return out
}

// accountRecord is an account plus its creation time. Records are never
// changed in place; AddAccount replaces them.
type accountRecord struct {
	Account
	DateCreated time.Time `json:"date_created"`
}

type capabilities struct {
	Voice bool `json:"voice"`
	SMS   bool `json:"sms"`
	MMS   bool `json:"mms"`
	Fax   bool `json:"fax"`
}

// numberRecord is an owned phone number (IncomingPhoneNumber).
type numberRecord struct {
	SID                  string       `json:"sid"`
	AccountSID           string       `json:"account_sid"`
	PhoneNumber          string       `json:"phone_number"`
	FriendlyName         string       `json:"friendly_name"`
	Type                 string       `json:"type"`
	Capabilities         capabilities `json:"capabilities"`
	Locality             string       `json:"locality,omitempty"`
	Region               string       `json:"region,omitempty"`
	PostalCode           string       `json:"postal_code,omitempty"`
	ISOCountry           string       `json:"iso_country"`
	SMSURL               string       `json:"sms_url,omitempty"`
	SMSMethod            string       `json:"sms_method,omitempty"`
	SMSFallbackURL       string       `json:"sms_fallback_url,omitempty"`
	SMSFallbackMethod    string       `json:"sms_fallback_method,omitempty"`
	StatusCallback       string       `json:"status_callback,omitempty"`
	StatusCallbackMethod string       `json:"status_callback_method,omitempty"`
	VoiceURL             string       `json:"voice_url,omitempty"`
	VoiceMethod          string       `json:"voice_method,omitempty"`
	VoiceFallbackURL     string       `json:"voice_fallback_url,omitempty"`
	VoiceFallbackMethod  string       `json:"voice_fallback_method,omitempty"`
	DateCreated          time.Time    `json:"date_created"`
	DateUpdated          time.Time    `json:"date_updated"`
}

// optOutKey is one blocked pair: the handset that texted STOP to the
// account's number.
type optOutKey struct {
	AccountSID string `json:"account_sid"`
	Number     string `json:"number"`
	Handset    string `json:"handset"`
}

// store is everything the simulator remembers. Server.mu guards it.
type store struct {
	accounts map[string]*accountRecord
	numbers  map[string]*numberRecord
	messages map[string]*messageRecord
	order    []string // message SIDs, oldest first
	optOuts  map[optOutKey]bool
}

func newStore() store {
	return store{
		accounts: map[string]*accountRecord{},
		numbers:  map[string]*numberRecord{},
		messages: map[string]*messageRecord{},
		optOuts:  map[optOutKey]bool{},
	}
}

func (st *store) addMessage(m *messageRecord) {
	if _, ok := st.messages[m.SID]; !ok {
		st.order = append(st.order, m.SID)
	}
	st.messages[m.SID] = m
	if over := len(st.order) - maxMessages; over > 0 {
		for _, sid := range st.order[:over] {
			delete(st.messages, sid)
		}
		st.order = slices.Clone(st.order[over:])
	}
}

// numberByE164 finds an owned number; accountSID narrows the search when set.
func (st *store) numberByE164(accountSID, e164 string) *numberRecord {
	for _, n := range st.numbers {
		if n.PhoneNumber == e164 && (accountSID == "" || n.AccountSID == accountSID) {
			return n
		}
	}
	return nil
}

// numbersOf returns an account's numbers, oldest first.
func (st *store) numbersOf(accountSID string) []*numberRecord {
	var out []*numberRecord
	for _, n := range st.numbers {
		if n.AccountSID == accountSID {
			out = append(out, n)
		}
	}
	slices.SortFunc(out, func(a, b *numberRecord) int {
		if c := a.DateCreated.Compare(b.DateCreated); c != 0 {
			return c
		}
		return cmp.Compare(a.SID, b.SID)
	})
	return out
}

func (st *store) isOwned(e164 string) bool {
	return st.numberByE164("", e164) != nil
}
