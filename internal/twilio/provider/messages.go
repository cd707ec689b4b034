package provider

import (
	"context"
	"regexp"
	"strconv"
	"time"

	"github.com/twilio/twilio-go"
	api "github.com/twilio/twilio-go/rest/api/v2010"
)

var messageSIDPattern = regexp.MustCompile(`^(SM|MM)[0-9a-fA-F]{32}$`)

// SendRequest is one outbound SMS or MMS.
type SendRequest struct {
	From           string   // an SMS-capable number owned by the account, E.164
	To             string   // the recipient, E.164
	Body           string   // up to 1,600 characters
	MediaURLs      []string // public URLs of up to 10 attachments; any makes it an MMS
	StatusCallback string   // where Twilio posts delivery status changes; optional
}

// SentMessage is a message as Twilio last reported it.
type SentMessage struct {
	SID          string
	Status       string // queued, sending, sent, delivered, undelivered, failed, received…
	NumSegments  int
	ErrorCode    int // set when Status is failed or undelivered
	ErrorMessage string
	From, To     string
	Body         string
	Direction    string    // outbound-api, inbound, outbound-reply…
	DateCreated  time.Time // when Twilio accepted it
}

// MessageFilter narrows ListMessages. Every field is optional.
type MessageFilter struct {
	From string // the sender, E.164
	To   string // the recipient, E.164
	// SentSince keeps messages sent on or after its UTC calendar day
	// (Twilio's DateSent> filter is by day): callers compare DateCreated
	// themselves for anything finer.
	SentSince time.Time
	// Limit caps how many messages are returned, newest first: default
	// 50, at most 1,000.
	Limit int
}

// ListMessages lists the account's messages matching f, newest first,
// following Twilio's pages up to f.Limit.
func (c *Client) ListMessages(ctx context.Context, f MessageFilter) ([]SentMessage, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 1000)
	params := &api.ListMessageParams{}
	params.SetLimit(limit)
	params.SetPageSize(min(limit, 100))
	if f.From != "" {
		params.SetFrom(f.From)
	}
	if f.To != "" {
		params.SetTo(f.To)
	}
	if !f.SentSince.IsZero() {
		day := f.SentSince.UTC()
		params.SetDateSentAfter(time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC))
	}
	return call(ctx, c, "list messages", func(rc *twilio.RestClient) ([]SentMessage, error) {
		list, err := rc.Api.ListMessage(params)
		if err != nil {
			return nil, err
		}
		out := make([]SentMessage, 0, len(list))
		for i := range list {
			out = append(out, sentMessage(&list[i]))
		}
		return out, nil
	})
}

// SendMessage asks Twilio to send a message. Success means Twilio accepted
// it (normally with status queued); delivery is reported later through the
// status callback or FetchMessage.
func (c *Client) SendMessage(ctx context.Context, req SendRequest) (SentMessage, error) {
	params := &api.CreateMessageParams{}
	params.SetTo(req.To)
	params.SetFrom(req.From)
	if req.Body != "" {
		params.SetBody(req.Body)
	}
	if len(req.MediaURLs) > 0 {
		params.SetMediaUrl(req.MediaURLs)
	}
	if req.StatusCallback != "" {
		params.SetStatusCallback(req.StatusCallback)
	}
	return call(ctx, c, "send message", func(rc *twilio.RestClient) (SentMessage, error) {
		m, err := rc.Api.CreateMessage(params)
		if err != nil {
			return SentMessage{}, err
		}
		return sentMessage(m), nil
	})
}

// FetchMessage reads a message's current status by SID.
func (c *Client) FetchMessage(ctx context.Context, sid string) (SentMessage, error) {
	if !messageSIDPattern.MatchString(sid) {
		return SentMessage{}, notFound("message SID", sid)
	}
	return call(ctx, c, "fetch message", func(rc *twilio.RestClient) (SentMessage, error) {
		m, err := rc.Api.FetchMessage(sid, &api.FetchMessageParams{})
		if err != nil {
			return SentMessage{}, err
		}
		return sentMessage(m), nil
	})
}

func sentMessage(m *api.ApiV2010Message) SentMessage {
	segments, _ := strconv.Atoi(deref(m.NumSegments))
	created, _ := time.Parse(time.RFC1123Z, deref(m.DateCreated))
	return SentMessage{
		SID:          deref(m.Sid),
		Status:       deref(m.Status),
		NumSegments:  segments,
		ErrorCode:    deref(m.ErrorCode),
		ErrorMessage: deref(m.ErrorMessage),
		From:         deref(m.From),
		To:           deref(m.To),
		Body:         deref(m.Body),
		Direction:    deref(m.Direction),
		DateCreated:  created,
	}
}
