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
	return status(code, gin.H{"requestId": out.RequestID, "workflowId": out.WorkflowID, "rows": out.Rows, "imported": ok, "failed": len(out.Rows) - ok}), nil
}
