package api

import (
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/snoutos/snout/service/numbers"
)

// ImportRowResult is one line's outcome.
type ImportRowResult = numbers.ImportRow

// ImportView is a CSV import's outcome, line by line.
type ImportView struct {
	RequestID  string            `json:"requestId"`
	WorkflowID string            `json:"workflowId"`
	Rows       []ImportRowResult `json:"rows"`
	Imported   int               `json:"imported"`
	Failed     int               `json:"failed"`
}

// bulkImportNumbers takes the CSV (e164,class,sitter_email|sitter_id,
// friendly_name) as the request body (text/csv), or as the "file" field of
// a multipart form; every row answers for itself.
func (s *Server) bulkImportNumbers(c *gin.Context) (any, error) {
	var body io.Reader = c.Request.Body
	if strings.HasPrefix(c.ContentType(), "multipart/") {
		fh, err := c.FormFile("file")
		if err != nil {
			return nil, invalidField("file", "Attach the CSV file as \"file\".")
		}
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		defer f.Close()
		body = f
	}
	if body == nil {
		return nil, invalidField("file", "Send the CSV file.")
	}
	out, err := s.numbers.ImportCSV(c.Request.Context(), actor(c), c.Query("requestId"), body)
	if err != nil {
		return nil, err
	}
	ok := 0
	for _, r := range out.Rows {
		if r.OK {
			ok++
		}
	}
	code := http.StatusOK
	if out.Pending {
		code = http.StatusAccepted
	}
	rows := out.Rows
	if rows == nil {
		rows = []ImportRowResult{}
	}
	return status(code, ImportView{RequestID: out.RequestID, WorkflowID: out.WorkflowID, Rows: rows, Imported: ok, Failed: len(rows) - ok}), nil
}
