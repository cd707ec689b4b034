// Package notify sends the product's email (password resets, alerts). Every
// message is written to the outbox table first; with SMTP configured it is
// then sent, otherwise (development) it is logged and stays in the outbox for
// the owner to read.
package notify

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"net/smtp"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/store"
)

// SMTP is an optional mail relay.
type SMTP struct {
	Addr, Username, Password, From string
}

// Notifier delivers email.
type Notifier struct {
	store *store.Store
	smtp  SMTP
	log   *slog.Logger
	now   func() time.Time
}

// New builds a notifier; an empty SMTP.Addr keeps mail in the outbox only.
func New(st *store.Store, relay SMTP, log *slog.Logger) *Notifier {
	return &Notifier{store: st, smtp: relay, log: log, now: time.Now}
}

// Email is one message.
type Email struct {
	OrgID   *uuid.UUID
	To      string
	Subject string
	Body    string
}

// Send stores the email and delivers it.
func (n *Notifier) Send(ctx context.Context, e Email) error {
	transport := "outbox"
	if n.smtp.Addr != "" {
		transport = "smtp"
	}
	row := &store.OutboxEmail{ID: store.NewID(), OrgID: e.OrgID, ToEmail: e.To, Subject: e.Subject, Body: e.Body, Transport: transport}
	if err := n.store.QueueEmail(ctx, row); err != nil {
		return err
	}
	if n.smtp.Addr == "" {
		n.log.InfoContext(ctx, "email kept in outbox (no SNOUT_SMTP_ADDR)", "emailId", row.ID, "subject", e.Subject, "body", e.Body)
		return nil
	}
	err := n.sendSMTP(e)
	var sentAt *time.Time
	errText := ""
	if err != nil {
		errText = err.Error()
		n.log.ErrorContext(ctx, "smtp delivery failed", "emailId", row.ID, "err", err)
	} else {
		t := n.now()
		sentAt = &t
	}
	if mErr := n.store.MarkEmailSent(ctx, row.ID, sentAt, errText); mErr != nil {
		return mErr
	}
	return err
}

// smtpTimeout bounds a whole SMTP exchange: a relay that hangs fails the
// send (the email stays in the outbox with its error) instead of holding
// the request.
var smtpTimeout = 20 * time.Second

func (n *Notifier) sendSMTP(e Email) error {
	host, _, err := net.SplitHostPort(n.smtp.Addr)
	if err != nil {
		return err
	}
	from := n.smtp.From
	addr := from
	if i := strings.LastIndex(from, "<"); i >= 0 {
		addr = strings.Trim(from[i:], "<>")
	}
	msg := fmt.Sprintf("From: %s\r\nTo: %s\r\nSubject: %s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n",
		from, e.To, e.Subject, e.Body)
	conn, err := net.DialTimeout("tcp", n.smtp.Addr, smtpTimeout)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(smtpTimeout)); err != nil {
		return err
	}
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return err
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}); err != nil {
			return err
		}
	}
	if n.smtp.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", n.smtp.Username, n.smtp.Password, host)); err != nil {
			return err
		}
	}
	if err := c.Mail(addr); err != nil {
		return err
	}
	if err := c.Rcpt(e.To); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write([]byte(msg)); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}
