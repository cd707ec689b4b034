package twiliosim

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Errors DeliverInbound reports; the control API maps them to 400, 404 and
// 409.
var (
	ErrInvalidRequest = errors.New("twiliosim: invalid request")
	ErrUnknownNumber  = errors.New("twiliosim: no account owns that number")
	ErrNoSMSURL       = errors.New("twiliosim: the number has no SMS URL")
)

const (
	maxInboundRepeat = 20
	maxInboundMedia  = 10
)

// InboundRequest is a text from a handset (From) to an owned number (To).
// MessageSID forces the SID, so a test can replay the same message; Repeat
// delivers the same webhook that many times (default once).
type InboundRequest struct {
	AccountSID string  `json:"account_sid,omitempty"`
	From       string  `json:"from"`
	To         string  `json:"to"`
	Body       string  `json:"body"`
	Media      []Media `json:"media,omitempty"`
	MessageSID string  `json:"message_sid,omitempty"`
	Repeat     int     `json:"repeat,omitempty"`
}

// InboundResult reports what the app answered on the last delivery.
// WebhookError is set when the app could not be reached at all. Keyword is
// STOP, START or HELP when the body was one. ReplySIDs are the messages
// created from <Message> verbs in the app's TwiML answer.
type InboundResult struct {
	MessageSID    string   `json:"message_sid"`
	WebhookStatus int      `json:"webhook_status"`
	WebhookBody   string   `json:"webhook_body"`
	WebhookError  string   `json:"webhook_error,omitempty"`
	Deliveries    int      `json:"deliveries"`
	Keyword       string   `json:"keyword,omitempty"`
	ReplySIDs     []string `json:"reply_sids,omitempty"`
}

func (in *InboundRequest) validate() error {
	switch {
	case !validE164(in.From):
		return fmt.Errorf("%w: \"from\" %q must be an E.164 number", ErrInvalidRequest, in.From)
	case !validE164(in.To):
		return fmt.Errorf("%w: \"to\" %q must be an E.164 number", ErrInvalidRequest, in.To)
	case in.Body == "" && len(in.Media) == 0:
		return fmt.Errorf("%w: a body or media is required", ErrInvalidRequest)
	case utf8.RuneCountInString(in.Body) > maxBodyChars:
		return fmt.Errorf("%w: body exceeds %d characters", ErrInvalidRequest, maxBodyChars)
	case len(in.Media) > maxInboundMedia:
		return fmt.Errorf("%w: at most %d media", ErrInvalidRequest, maxInboundMedia)
	case in.MessageSID != "" && !messageSIDPattern.MatchString(in.MessageSID):
		return fmt.Errorf("%w: \"message_sid\" must be SM or MM and 32 lower-case hex digits", ErrInvalidRequest)
	case in.Repeat < 0 || in.Repeat > maxInboundRepeat:
		return fmt.Errorf("%w: \"repeat\" must be between 0 and %d", ErrInvalidRequest, maxInboundRepeat)
	}
	for i, m := range in.Media {
		if !validWebhookURL(m.URL) {
			return fmt.Errorf("%w: media %d needs an absolute http(s) url", ErrInvalidRequest, i)
		}
	}
	return nil
}

// DeliverInbound simulates a text arriving at an owned number: it records
// the message, applies STOP/START keywords (even when no webhook is set),
// then calls the number's SMS URL with a signed request carrying every
// field Twilio sends. A number without an SMS URL yields ErrNoSMSURL after
// the message is recorded.
func (s *Server) DeliverInbound(ctx context.Context, in InboundRequest) (InboundResult, error) {
	if err := in.validate(); err != nil {
		return InboundResult{}, err
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return InboundResult{}, ErrClosed
	}
	num := s.st.numberByE164(in.AccountSID, in.To)
	if num == nil {
		s.mu.Unlock()
		return InboundResult{}, fmt.Errorf("%w: %s", ErrUnknownNumber, in.To)
	}
	acct := s.st.accounts[num.AccountSID]
	if acct == nil {
		s.mu.Unlock()
		return InboundResult{}, fmt.Errorf("%w: %s", ErrUnknownNumber, in.To)
	}
	msg := s.recordInbound(num.AccountSID, in)
	res := InboundResult{
		MessageSID: msg.SID,
		Keyword:    s.applyKeyword(num.AccountSID, num.PhoneNumber, in.From, in.Body),
	}
	params := inboundParams(msg, *num)
	target, method, token := num.SMSURL, num.SMSMethod, acct.AuthToken
	number := *num
	s.markDirty()
	s.mu.Unlock()

	// Close aborts a webhook in flight, as it does status callbacks.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(s.ctx, cancel)()

	log := s.log.With("messageSid", msg.SID, "from", in.From, "to", in.To)
	if target == "" {
		log.Info("twiliosim: inbound message has nowhere to go")
		return res, fmt.Errorf("%w: %s", ErrNoSMSURL, in.To)
	}
	idem := randomHex(16)
	for range max(in.Repeat, 1) {
		r := s.callWebhook(ctx, method, target, params, token, idem)
		res.Deliveries++
		res.WebhookStatus, res.WebhookBody = r.status, r.body
		if r.err != nil {
			res.WebhookError = r.err.Error()
			log.Warn("twiliosim: inbound webhook failed", "url", target, "error", r.err)
			return res, nil
		}
		log.Info("twiliosim: inbound webhook delivered", "url", target, "httpStatus", r.status)
	}
	if res.WebhookStatus >= 200 && res.WebhookStatus < 300 {
		res.ReplySIDs = s.sendReplies(number, in.From, res.WebhookBody)
	}
	return res, nil
}

// recordInbound stores the inbound message, reusing a forced SID's record.
// The caller holds s.mu.
func (s *Server) recordInbound(accountSID string, in InboundRequest) Message {
	sid := in.MessageSID
	if sid == "" {
		prefix := "SM"
		if len(in.Media) > 0 {
			prefix = "MM"
		}
		sid = newSID(prefix)
	}
	if m, ok := s.st.messages[sid]; ok {
		return m.snapshot()
	}
	now := time.Now().UTC()
	segments := segmentCount(in.Body)
	m := &messageRecord{Message: Message{
		SID:         sid,
		AccountSID:  accountSID,
		From:        in.From,
		To:          in.To,
		Body:        in.Body,
		Direction:   directionInbound,
		Status:      statusReceived,
		NumSegments: segments,
		Media:       append([]Media(nil), in.Media...),
		DateCreated: now,
		DateUpdated: now,
		DateSent:    &now,
	}}
	s.st.addMessage(m)
	return m.snapshot()
}

// inboundParams are the form fields of an inbound message webhook.
func inboundParams(m Message, to numberRecord) url.Values {
	p := url.Values{}
	p.Set("MessageSid", m.SID)
	p.Set("SmsSid", m.SID)
	p.Set("SmsMessageSid", m.SID)
	p.Set("AccountSid", m.AccountSID)
	p.Set("From", m.From)
	p.Set("To", m.To)
	p.Set("Body", m.Body)
	p.Set("NumMedia", strconv.Itoa(len(m.Media)))
	p.Set("NumSegments", strconv.Itoa(m.NumSegments))
	p.Set("SmsStatus", statusReceived)
	p.Set("ApiVersion", "2010-04-01")
	for i, media := range m.Media {
		p.Set(fmt.Sprintf("MediaUrl%d", i), media.URL)
		p.Set(fmt.Sprintf("MediaContentType%d", i), media.ContentType)
	}
	city, state, zip, country := locate(m.From)
	p.Set("FromCity", strings.ToUpper(city))
	p.Set("FromState", state)
	p.Set("FromZip", zip)
	p.Set("FromCountry", country)
	p.Set("ToCity", strings.ToUpper(to.Locality))
	p.Set("ToState", to.Region)
	p.Set("ToZip", to.PostalCode)
	p.Set("ToCountry", to.ISOCountry)
	p.Set("ReferralNumMedia", "0")
	return p
}

// twiml is the part of a TwiML answer the simulator acts on.
type twiml struct {
	XMLName  xml.Name `xml:"Response"`
	Messages []struct {
		Text  string   `xml:",chardata"`
		Body  string   `xml:"Body"`
		Media []string `xml:"Media"`
	} `xml:"Message"`
}

// sendReplies turns <Message> verbs of the app's answer into outbound-reply
// messages from the number to the handset; replies to an opted-out handset
// are dropped, as Twilio does.
func (s *Server) sendReplies(num numberRecord, handset, answer string) []string {
	if !strings.HasPrefix(strings.TrimSpace(answer), "<") {
		return nil
	}
	var doc twiml
	if err := xml.Unmarshal([]byte(answer), &doc); err != nil {
		s.log.Warn("twiliosim: app answered with TwiML that does not parse", "error", err)
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.optOuts[optOutKey{AccountSID: num.AccountSID, Number: num.PhoneNumber, Handset: handset}] {
		return nil
	}
	var sids []string
	for _, m := range doc.Messages {
		body := strings.TrimSpace(m.Body)
		if body == "" {
			body = strings.TrimSpace(m.Text)
		}
		if body == "" && len(m.Media) == 0 {
			continue
		}
		now := time.Now().UTC()
		prefix, segments := "SM", segmentCount(body)
		media := make([]Media, 0, len(m.Media))
		for _, u := range m.Media {
			media = append(media, Media{URL: strings.TrimSpace(u)})
		}
		if len(media) > 0 {
			prefix, segments = "MM", 1
		}
		rec := &messageRecord{
			Message: Message{
				SID:         newSID(prefix),
				AccountSID:  num.AccountSID,
				From:        num.PhoneNumber,
				To:          handset,
				Body:        body,
				Direction:   directionReply,
				Status:      statusQueued,
				NumSegments: segments,
				Media:       media,
				DateCreated: now,
				DateUpdated: now,
			},
			Outcome: statusDelivered,
		}
		s.st.addMessage(rec)
		s.startDelivery(rec, CallbackMode{})
		sids = append(sids, rec.SID)
	}
	s.markDirty()
	return sids
}

// inboundStatus maps DeliverInbound's errors to control API statuses.
func inboundStatus(err error) int {
	switch {
	case errors.Is(err, ErrInvalidRequest):
		return http.StatusBadRequest
	case errors.Is(err, ErrUnknownNumber):
		return http.StatusNotFound
	case errors.Is(err, ErrNoSMSURL):
		return http.StatusConflict
	case errors.Is(err, ErrClosed):
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}
