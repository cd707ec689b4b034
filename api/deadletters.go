package api

import (
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/snoutos/snout/service/messaging"
)

// DeadLetterView is a message that could not be delivered, waiting for the
// owner to retry or discard it.
type DeadLetterView struct {
	MessageID      uuid.UUID `json:"messageId"`
	ThreadID       uuid.UUID `json:"threadId"`
	ClientID       uuid.UUID `json:"clientId"`
	ClientName     string    `json:"clientName"`
	SenderType     string    `json:"senderType"`
	Body           string    `json:"body"`
	Status         string    `json:"status"`
	ErrorCode      *int      `json:"errorCode,omitempty"`
	Reason         string    `json:"reason"`
	Attempts       int       `json:"attempts"`
	CreatedAt      time.Time `json:"createdAt"`
	DeadLetteredAt time.Time `json:"deadLetteredAt"`
}

// DeadLetterPage is a page of dead letters.
type DeadLetterPage struct {
	DeadLetters []DeadLetterView `json:"deadLetters"`
	NextCursor  string           `json:"nextCursor"`
}

// DeadLetterActionView answers a retry or a discard, which the delivery
// workflow carries out.
type DeadLetterActionView struct {
	MessageID uuid.UUID `json:"messageId"`
	Status    string    `json:"status"`
}

var _ = schemaEnum[DeadLetterActionView]("status", "retrying", "discarding")

func (s *Server) listDeadLetters(c *gin.Context) (any, error) {
	if c.Query("format") == "csv" {
		rows, truncated, err := s.messaging.ExportDeadLetters(c.Request.Context(), actor(c))
		if err != nil {
			return nil, err
		}
		return deadLetterCSV(rows, truncated, s.viewerOf(c)), nil
	}
	after, limit, err := listPage(c)
	if err != nil {
		return nil, err
	}
	page, err := s.messaging.DeadLetters(c.Request.Context(), actor(c), after, limit)
	if err != nil {
		return nil, err
	}
	out := make([]DeadLetterView, 0, len(page.Items))
	for _, d := range page.Items {
		out = append(out, DeadLetterView{
			MessageID: d.MessageID, ThreadID: d.ThreadID, ClientID: d.ClientID, ClientName: d.ClientName, SenderType: d.SenderType,
			Body: d.Body, Status: d.Status, ErrorCode: d.ErrorCode, Reason: d.Reason, Attempts: d.Attempts,
			CreatedAt: d.CreatedAt, DeadLetteredAt: d.DeadLetteredAt,
		})
	}
	return DeadLetterPage{DeadLetters: out, NextCursor: nextCursor(page.Next)}, nil
}

// retryDeadLetter answers 202: the delivery workflow sends it again.
func (s *Server) retryDeadLetter(c *gin.Context) (any, error) {
	id, err := pathID(c, "id", "This message")
	if err != nil {
		return nil, err
	}
	m, err := s.messaging.RetryDeadLetter(c.Request.Context(), actor(c), id)
	if err != nil {
		return nil, err
	}
	return DeadLetterActionView{MessageID: m.ID, Status: "retrying"}, nil
}

// discardDeadLetter answers 202: the delivery workflow discards it.
func (s *Server) discardDeadLetter(c *gin.Context) (any, error) {
	reason, err := bindReason(c)
	if err != nil {
		return nil, err
	}
	id, err := pathID(c, "id", "This message")
	if err != nil {
		return nil, err
	}
	m, err := s.messaging.DiscardDeadLetter(c.Request.Context(), actor(c), id, reason)
	if err != nil {
		return nil, err
	}
	return DeadLetterActionView{MessageID: m.ID, Status: "discarding"}, nil
}

// deadLetterCSV is the dead-letter list as a download, failures in plain
// words unless the reader has diagnostics on. A cut list says so in a
// header the page reads (X-Export-Truncated).
func deadLetterCSV(rows []messaging.DeadLetter, truncated bool, vw viewer) csvFile {
	out := [][]string{{"message_id", "thread_id", "client", "sender", "body", "status", "reason", "error_code", "attempts", "created_at", "dead_lettered_at"}}
	for _, d := range rows {
		code, reason := plainFailure(d.ErrorCode, d.Reason, vw.diagnostics)
		codeText := ""
		if code != nil {
			codeText = strconv.Itoa(*code)
		}
		out = append(out, []string{d.MessageID.String(), d.ThreadID.String(), csvSafe(d.ClientName), d.SenderType, csvSafe(d.Body), d.Status,
			csvSafe(reason), codeText, strconv.Itoa(d.Attempts), d.CreatedAt.UTC().Format(time.RFC3339), d.DeadLetteredAt.UTC().Format(time.RFC3339)})
	}
	return csvFile{name: "delivery-failures.csv", rows: out, truncated: truncated}
}
