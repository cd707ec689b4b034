package twiliosim

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"
)

// statusStep is the time between an outbound message's status changes.
const statusStep = 20 * time.Millisecond

// CallbackMode bends how status callbacks reach the app. The zero value
// delivers each callback once, in order, as its status changes.
type CallbackMode struct {
	DelayMS    int  `json:"delay_ms"`     // post each callback this much after its status change
	Duplicate  bool `json:"duplicate"`    // post every callback twice
	OutOfOrder bool `json:"out_of_order"` // hold callbacks until the last status, then post them newest first
	Drop       bool `json:"drop"`         // post none; the app must fetch the status
}

// transition is one status change after queued.
type transition struct {
	Status    string
	ErrorCode int
}

// transitions is the path from queued to outcome: delivered and undelivered
// pass through sent, failed never leaves Twilio.
func transitions(outcome string, code int) []transition {
	switch outcome {
	case statusFailed:
		return []transition{{statusFailed, code}}
	case statusUndelivered:
		return []transition{{statusSent, 0}, {statusUndelivered, code}}
	default:
		return []transition{{statusSent, 0}, {statusDelivered, 0}}
	}
}

// remaining drops the transitions a message has already made.
func remaining(steps []transition, current string) []transition {
	for i, t := range steps {
		if t.Status == current {
			return steps[i+1:]
		}
	}
	return steps
}

type deliveryEvent struct {
	at   time.Duration
	step transition
	post bool // post the callback for step rather than make the change
}

// timeline orders a message's status changes and callback posts.
func timeline(steps []transition, callback string, mode CallbackMode) []deliveryEvent {
	var events []deliveryEvent
	for i, t := range steps {
		events = append(events, deliveryEvent{at: time.Duration(i+1) * statusStep, step: t})
	}
	if callback == "" || mode.Drop {
		return events
	}
	delay := time.Duration(mode.DelayMS) * time.Millisecond
	last := time.Duration(len(steps)) * statusStep
	for i := range steps {
		if mode.OutOfOrder {
			t := steps[len(steps)-1-i]
			events = append(events, deliveryEvent{at: last + delay, step: t, post: true})
			continue
		}
		events = append(events, deliveryEvent{at: time.Duration(i+1)*statusStep + delay, step: steps[i], post: true})
	}
	// Stable: a change comes before the post made at the same moment, and
	// out-of-order posts keep their reversed order.
	slices.SortStableFunc(events, func(a, b deliveryEvent) int { return cmp.Compare(a.at, b.at) })
	return events
}

// startDelivery moves an outbound message through its statuses in the
// background. The caller holds s.mu.
func (s *Server) startDelivery(m *messageRecord, mode CallbackMode) {
	if s.closed {
		return
	}
	steps := remaining(transitions(m.Outcome, m.OutcomeCode), m.Status)
	if len(steps) == 0 {
		return
	}
	events := timeline(steps, m.StatusCallback, mode)
	sid, idem := m.SID, randomHex(16)
	s.wg.Go(func() {
		start := time.Now()
		for _, ev := range events {
			if !s.sleep(time.Until(start.Add(ev.at))) {
				return
			}
			if ev.post {
				s.postStatus(sid, ev.step, mode.Duplicate, idem+"-"+ev.step.Status)
				continue
			}
			s.advance(sid, ev.step)
		}
	})
}

// resumeDeliveries restarts deliveries interrupted by a restart, with
// default callback behaviour. The caller holds s.mu.
func (s *Server) resumeDeliveries() {
	for _, sid := range s.st.order {
		m := s.st.messages[sid]
		if m.Direction != directionInbound && m.Outcome != "" && !terminal(m.Status) {
			s.startDelivery(m, CallbackMode{})
		}
	}
}

func terminal(status string) bool {
	switch status {
	case statusDelivered, statusUndelivered, statusFailed, statusReceived:
		return true
	}
	return false
}

// advance records a status change.
func (s *Server) advance(sid string, t transition) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.st.messages[sid]
	if !ok {
		return // forgotten or reset meanwhile
	}
	now := time.Now().UTC()
	m.Status, m.DateUpdated = t.Status, now
	if t.Status == statusSent {
		m.DateSent = &now
	}
	if t.ErrorCode != 0 {
		m.ErrorCode, m.ErrorMessage = t.ErrorCode, errorText(t.ErrorCode)
	}
	s.markDirty()
}

// postStatus sends the signed status callback for one transition.
func (s *Server) postStatus(sid string, t transition, twice bool, idempotencyToken string) {
	s.mu.Lock()
	m, ok := s.st.messages[sid]
	var acct *accountRecord
	if ok {
		acct = s.st.accounts[m.AccountSID]
	}
	if !ok || acct == nil || m.StatusCallback == "" {
		s.mu.Unlock()
		return
	}
	target, token := m.StatusCallback, acct.AuthToken
	params := statusParams(m.Message, t)
	s.mu.Unlock()

	times := 1
	if twice {
		times = 2
	}
	for range times {
		res := s.callWebhook(s.ctx, http.MethodPost, target, params, token, idempotencyToken)
		log := s.log.With("messageSid", sid, "messageStatus", t.Status, "url", target)
		switch {
		case res.err != nil:
			log.Warn("twiliosim: status callback failed", "error", res.err)
		case res.status >= 300:
			log.Warn("twiliosim: status callback rejected", "httpStatus", res.status)
		default:
			log.Debug("twiliosim: status callback delivered", "httpStatus", res.status)
		}
	}
}

// statusParams are the form fields of a status callback.
func statusParams(m Message, t transition) url.Values {
	p := url.Values{}
	p.Set("MessageSid", m.SID)
	p.Set("SmsSid", m.SID)
	p.Set("MessageStatus", t.Status)
	p.Set("SmsStatus", t.Status)
	p.Set("AccountSid", m.AccountSID)
	p.Set("From", m.From)
	p.Set("To", m.To)
	p.Set("ApiVersion", "2010-04-01")
	if t.Status == statusFailed || t.Status == statusUndelivered {
		p.Set("ErrorCode", strconv.Itoa(t.ErrorCode))
	}
	if t.Status == statusDelivered || t.Status == statusUndelivered {
		p.Set("RawDlrDoneDate", m.DateUpdated.UTC().Format("0601021504"))
	}
	return p
}
