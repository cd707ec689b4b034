package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/twilio/provider"
	"github.com/snoutos/snout/internal/twilio/twiliowebhook"
	"github.com/snoutos/snout/service/receipts"
)

// Twilio's webhook endpoints (service/receipts). Neither has a session:
// each request is authenticated by its X-Twilio-Signature. Each answers
// only after the receipt is committed; if Temporal is unreachable the
// webhook is acknowledged anyway and the receipt sweep dispatches it.
const (
	smsWebhookPath    = "/webhooks/twilio/sms"
	statusWebhookPath = "/webhooks/twilio/status"
)

func (s *Server) twilioWebhookRoutes() []featureRoute {
	return []featureRoute{
		{http.MethodPost, smsWebhookPath, s.reply(http.StatusOK, s.twilioInboundText), op{}},
		{http.MethodPost, statusWebhookPath, s.reply(http.StatusNoContent, s.twilioStatusCallback), op{}},
	}
}

// bindWebhook reads Twilio's form and what its signature covers.
func bindWebhook(c *gin.Context) (receipts.Webhook, error) {
	form, err := twiliowebhook.ReadForm(c.Request.Body)
	if err != nil {
		return receipts.Webhook{}, errs.Invalid("The webhook body is not a form Snout can read.", nil)
	}
	return receipts.Webhook{Route: c.FullPath(), RequestURI: c.Request.URL.RequestURI(), Form: form,
		Signature: c.GetHeader(provider.SignatureHeader), IP: c.ClientIP()}, nil
}

// twiML is a TwiML answer.
type twiML string

// emptyTwiML acknowledges an inbound text without replying to it.
const emptyTwiML twiML = `<?xml version="1.0" encoding="UTF-8"?><Response/>`

func (t twiML) render(c *gin.Context, status int) {
	c.Data(status, "text/xml; charset=utf-8", []byte(t))
}

// twilioInboundText receives a text sent to one of the org's numbers.
func (s *Server) twilioInboundText(c *gin.Context) (any, error) {
	wh, err := bindWebhook(c)
	if err != nil {
		return nil, err
	}
	if err := s.receipts.ReceiveText(c.Request.Context(), wh); err != nil {
		return nil, err
	}
	return emptyTwiML, nil
}

// twilioStatusCallback receives a delivery status for an outbound message.
// A SID Snout never sent is acknowledged too (an error would make Twilio
// retry it for nothing).
func (s *Server) twilioStatusCallback(c *gin.Context) (any, error) {
	wh, err := bindWebhook(c)
	if err != nil {
		return nil, err
	}
	return nil, s.receipts.ReceiveStatus(c.Request.Context(), wh)
}
