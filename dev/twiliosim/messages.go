package twiliosim

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

const maxBodyChars = 1600

type messageJSON struct {
	AccountSid          string            `json:"account_sid"`
	APIVersion          string            `json:"api_version"`
	Body                string            `json:"body"`
	DateCreated         string            `json:"date_created"`
	DateSent            *string           `json:"date_sent"`
	DateUpdated         string            `json:"date_updated"`
	Direction           string            `json:"direction"`
	ErrorCode           *int              `json:"error_code"`
	ErrorMessage        *string           `json:"error_message"`
	From                string            `json:"from"`
	MessagingServiceSid *string           `json:"messaging_service_sid"`
	NumMedia            string            `json:"num_media"`
	NumSegments         string            `json:"num_segments"`
	Price               *string           `json:"price"`
	PriceUnit           string            `json:"price_unit"`
	Sid                 string            `json:"sid"`
	Status              string            `json:"status"`
	SubresourceUris     map[string]string `json:"subresource_uris"`
	To                  string            `json:"to"`
	URI                 string            `json:"uri"`
}

type messageListJSON struct {
	listPage
	Messages []messageJSON `json:"messages"`
}

func messagePath(accountSID, sid string) string {
	return accountPath(accountSID) + "/Messages/" + sid
}

func renderMessage(m Message) messageJSON {
	out := messageJSON{
		AccountSid:  m.AccountSID,
		APIVersion:  "2010-04-01",
		Body:        m.Body,
		DateCreated: twilioTime(m.DateCreated),
		DateSent:    twilioTimePtr(m.DateSent),
		DateUpdated: twilioTime(m.DateUpdated),
		Direction:   m.Direction,
		From:        m.From,
		NumMedia:    strconv.Itoa(len(m.Media)),
		NumSegments: strconv.Itoa(m.NumSegments),
		PriceUnit:   "USD",
		Sid:         m.SID,
		Status:      m.Status,
		SubresourceUris: map[string]string{
			"media": messagePath(m.AccountSID, m.SID) + "/Media.json",
		},
		To:  m.To,
		URI: messagePath(m.AccountSID, m.SID) + ".json",
	}
	if m.ErrorCode != 0 {
		code, msg := m.ErrorCode, m.ErrorMessage
		out.ErrorCode, out.ErrorMessage = &code, &msg
	}
	return out
}

// createMessage sends a message: validate like Twilio, apply injected
// faults and opt-outs, store it queued, and schedule its delivery.
func (s *Server) createMessage(w http.ResponseWriter, r *http.Request, acct Account) {
	form, e := readForm(w, r)
	if e != nil {
		writeAPIError(w, e)
		return
	}
	to, from, body := form.Get("To"), form.Get("From"), form.Get("Body")
	mediaURLs := form["MediaUrl"]
	callback := form.Get("StatusCallback")
	if e := validateSend(to, from, body, mediaURLs, callback, form.Get("ContentSid")); e != nil {
		writeAPIError(w, e)
		return
	}

	m, e := s.queueMessage(acct, to, from, body, mediaURLs, callback)
	if e != nil {
		writeAPIError(w, e)
		return
	}
	s.log.Info("twiliosim: message queued", "messageSid", m.SID, "accountSid", acct.Sid, "from", from, "to", to)
	s.mu.Lock()
	_, lose := s.takeFault(to, FaultLoseResponse)
	s.mu.Unlock()
	if lose {
		s.log.Info("twiliosim: losing the response to an accepted message (fault)", "messageSid", m.SID, "to", to)
		loseResponse(w, r)
		return
	}
	writeJSON(w, http.StatusCreated, renderMessage(m))
}

// loseResponse ends a request without an answer: the connection is closed
// at once when it can be taken over, and otherwise the answer is held
// until the client gives up.
func loseResponse(w http.ResponseWriter, r *http.Request) {
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		_ = conn.Close()
		return
	}
	select {
	case <-r.Context().Done():
	case <-time.After(maxDelay):
	}
}

// queueMessage applies the account-level checks (sender owned, injected
// create faults, opt-outs), decides the outcome and stores the message.
func (s *Server) queueMessage(acct Account, to, from, body string, mediaURLs []string, callback string) (Message, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := s.st.numberByE164(acct.Sid, from); n == nil || !n.Capabilities.SMS {
		return Message{}, invalid(21606, "The From phone number %s is not a valid, SMS-capable inbound phone number or short code for your account.", from)
	}
	if f, ok := s.takeFault(to, FaultOnCreate); ok {
		return Message{}, newAPIError(statusForCode(f.ErrorCode), f.ErrorCode, "%s", errorText(f.ErrorCode))
	}
	if s.st.optOuts[optOutKey{AccountSID: acct.Sid, Number: from, Handset: to}] {
		return Message{}, invalid(21610, "Attempt to send to unsubscribed recipient")
	}
	outcome, code := statusDelivered, 0
	if acct.Status == "suspended" {
		outcome, code = statusFailed, 30002
	} else if f, ok := s.takeFault(to, FaultOnCallback); ok {
		outcome, code = f.finalStatus(), f.ErrorCode
	}

	now := time.Now().UTC()
	prefix, segments := "SM", segmentCount(body)
	media := make([]Media, 0, len(mediaURLs))
	for _, u := range mediaURLs {
		media = append(media, Media{URL: u})
	}
	if len(media) > 0 {
		prefix, segments = "MM", 1
	}
	rec := &messageRecord{
		Message: Message{
			SID:            newSID(prefix),
			AccountSID:     acct.Sid,
			From:           from,
			To:             to,
			Body:           body,
			Direction:      directionOutboundAPI,
			Status:         statusQueued,
			NumSegments:    segments,
			Media:          media,
			StatusCallback: callback,
			DateCreated:    now,
			DateUpdated:    now,
		},
		Outcome:     outcome,
		OutcomeCode: code,
	}
	s.st.addMessage(rec)
	s.startDelivery(rec, s.callbacks)
	s.markDirty()
	return rec.snapshot(), nil
}

func validateSend(to, from, body string, mediaURLs []string, callback, contentSID string) *apiError {
	switch {
	case to == "":
		return invalid(21604, "A 'To' phone number is required.")
	case from == "":
		return invalid(21603, "A 'From' phone number is required.")
	case body == "" && len(mediaURLs) == 0 && contentSID == "":
		return invalid(21602, "Message body is required.")
	case utf8.RuneCountInString(body) > maxBodyChars:
		return invalid(21617, "The concatenated message body exceeds the %d character limit.", maxBodyChars)
	case !validE164(strings.TrimPrefix(to, "whatsapp:")):
		return invalid(21211, "The 'To' number %s is not a valid phone number.", to)
	case to == from:
		return invalid(21266, "'To' and 'From' number cannot be the same: %s", to)
	case callback != "" && !validWebhookURL(callback):
		return invalid(21609, "The StatusCallback URL %s is not a valid URL.", callback)
	}
	return nil
}

// validWebhookURL accepts absolute http and https URLs.
func validWebhookURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func (s *Server) fetchMessage(w http.ResponseWriter, r *http.Request, acct Account) {
	sid, ok := strings.CutSuffix(r.PathValue("file"), ".json")
	if !ok {
		writeAPIError(w, notFound(r))
		return
	}
	s.mu.Lock()
	m, found := s.st.messages[sid]
	var snap Message
	if found {
		snap = m.snapshot()
	}
	s.mu.Unlock()
	if !found || snap.AccountSID != acct.Sid {
		writeAPIError(w, notFound(r))
		return
	}
	writeJSON(w, http.StatusOK, renderMessage(snap))
}

// listMessages lists the account's messages, newest first, filtered by To,
// From and the DateSent family.
func (s *Server) listMessages(w http.ResponseWriter, r *http.Request, acct Account) {
	q := r.URL.Query()
	filter, e := parseDateFilter(q)
	if e != nil {
		writeAPIError(w, e)
		return
	}
	to, from := q.Get("To"), q.Get("From")
	var matched []Message
	s.mu.Lock()
	for _, sid := range slices.Backward(s.st.order) {
		m := s.st.messages[sid]
		if m.AccountSID != acct.Sid || (to != "" && m.To != to) || (from != "" && m.From != from) {
			continue
		}
		if !filter.matches(m.Message) {
			continue
		}
		matched = append(matched, m.snapshot())
	}
	s.mu.Unlock()
	page, lo, hi, e := paginate(r, len(matched))
	if e != nil {
		writeAPIError(w, e)
		return
	}
	out := messageListJSON{listPage: page, Messages: make([]messageJSON, 0, hi-lo)}
	for _, m := range matched[lo:hi] {
		out.Messages = append(out.Messages, renderMessage(m))
	}
	writeJSON(w, http.StatusOK, out)
}

// dateFilter holds DateSent (on), DateSent< (on or before) and DateSent>
// (on or after), each a calendar day in UTC.
type dateFilter struct {
	on, onOrBefore, onOrAfter string
}

func parseDateFilter(q url.Values) (dateFilter, *apiError) {
	var f dateFilter
	for _, p := range []struct {
		name string
		dst  *string
	}{{"DateSent", &f.on}, {"DateSent<", &f.onOrBefore}, {"DateSent>", &f.onOrAfter}} {
		v := q.Get(p.name)
		if v == "" {
			continue
		}
		day, err := parseDay(v)
		if err != nil {
			return f, badRequest("%s must be a date (YYYY-MM-DD)", p.name)
		}
		*p.dst = day
	}
	return f, nil
}

// parseDay accepts YYYY-MM-DD and the RFC 3339 timestamps twilio-go sends,
// returning the UTC calendar day.
func parseDay(v string) (string, error) {
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t.Format(time.DateOnly), nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return "", err
	}
	return t.UTC().Format(time.DateOnly), nil
}

func (f dateFilter) matches(m Message) bool {
	when := m.DateCreated
	if m.DateSent != nil {
		when = *m.DateSent
	}
	day := when.UTC().Format(time.DateOnly)
	return (f.on == "" || day == f.on) &&
		(f.onOrBefore == "" || day <= f.onOrBefore) &&
		(f.onOrAfter == "" || day >= f.onOrAfter)
}
