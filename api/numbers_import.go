package api

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/snoutos/snout/contract"
)

// Bulk import reads a CSV of numbers the provider account already owns:
//
//	e164,class,sitter_email|sitter_id,friendly_name
//
// A header line is optional; with one, columns are found by name (so the
// inventory's own export can be edited and imported back: its e164, class,
// sitter_id and friendly_name columns are read). Every row is validated on
// its own: bad rows are reported with their line and reason, good rows are
// imported through ProvisionNumbersWorkflow.

const (
	maxImportRows  = 1000
	maxImportBytes = 1 << 20
)

// importRow is one data line of the import CSV, as typed.
type importRow struct {
	Line         int
	E164         string
	Class        string
	Sitter       string // email or sitter ID
	FriendlyName string
	// Err is set when the line itself could not be read.
	Err string
}

// errTooManyRows means the file has more rows than one import takes.
var errTooManyRows = fmt.Errorf("the file has more than %d rows; split it", maxImportRows)

// parseNumberImportCSV reads the import file. It never fails on one bad
// line: that line comes back with Err set. It fails only when the file is
// too long.
func parseNumberImportCSV(r io.Reader) ([]importRow, error) {
	cr := csv.NewReader(io.LimitReader(r, maxImportBytes))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	// Lenient about quotes: a stray quote makes that cell invalid (the
	// row is reported), not the whole file.
	cr.LazyQuotes = true
	cols := map[string]int{"e164": 0, "class": 1, "sitter": 2, "friendly_name": 3}
	var out []importRow
	first := true
	lastErrLine := -1
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) || pe.StartLine == lastErrLine {
				return out, nil // nothing more can be read
			}
			lastErrLine = pe.StartLine
			out = append(out, importRow{Line: pe.StartLine, Err: "This line is not valid CSV: " + pe.Err.Error() + "."})
			if len(out) > maxImportRows {
				return nil, errTooManyRows
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		if first {
			first = false
			rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
			if header, ok := importHeader(rec); ok {
				cols = header
				continue
			}
		}
		if allEmpty(rec) {
			continue
		}
		cell := func(name string) string {
			i, ok := cols[name]
			if !ok || i >= len(rec) {
				return ""
			}
			return rec[i]
		}
		out = append(out, importRow{Line: line, E164: strings.TrimLeft(cell("e164"), "'"), Class: cell("class"),
			Sitter: cell("sitter"), FriendlyName: cell("friendly_name")})
		if len(out) > maxImportRows {
			return nil, errTooManyRows
		}
	}
	return out, nil
}

// importHeader recognises a header line and maps its columns.
func importHeader(rec []string) (map[string]int, bool) {
	cols := map[string]int{}
	for i, name := range rec {
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "e164", "phone", "phone_number", "number":
			cols["e164"] = i
		case "class":
			cols["class"] = i
		case "sitter_email", "sitter_id", "sitter":
			if _, taken := cols["sitter"]; !taken {
				cols["sitter"] = i
			}
		case "friendly_name", "name":
			cols["friendly_name"] = i
		}
	}
	_, hasNumber := cols["e164"]
	return cols, hasNumber
}

func allEmpty(rec []string) bool {
	for _, v := range rec {
		if v != "" {
			return false
		}
	}
	return true
}

// ImportRowResult is one line's outcome.
type ImportRowResult struct {
	Line          int        `json:"line"`
	E164          string     `json:"e164"`
	Class         string     `json:"class,omitempty"`
	OK            bool       `json:"ok"`
	Error         string     `json:"error,omitempty"`
	Field         string     `json:"field,omitempty"`
	NumberID      *uuid.UUID `json:"numberId,omitempty"`
	WebhookStatus string     `json:"webhookStatus,omitempty"`
}

// bulkImportNumbers takes the CSV as the request body (text/csv), or as
// the "file" field of a multipart form.
func (s *Server) bulkImportNumbers(c *gin.Context) {
	ctx := c.Request.Context()
	p := principal(c)
	var body io.Reader = c.Request.Body
	if strings.HasPrefix(c.ContentType(), "multipart/") {
		fh, err := c.FormFile("file")
		if err != nil {
			respondError(c, s.log, invalidField("file", "Attach the CSV file as \"file\"."))
			return
		}
		f, err := fh.Open()
		if err != nil {
			respondError(c, s.log, err)
			return
		}
		defer f.Close()
		body = f
	}
	if body == nil {
		respondError(c, s.log, invalidField("file", "Send the CSV file."))
		return
	}
	data, err := io.ReadAll(io.LimitReader(body, maxImportBytes+1))
	if err != nil {
		respondError(c, s.log, invalidField("file", "The file could not be read."))
		return
	}
	if len(data) > maxImportBytes {
		respondError(c, s.log, invalidField("file", "The file is larger than 1 MB; split it."))
		return
	}
	rows, err := parseNumberImportCSV(bytes.NewReader(data))
	if err != nil {
		respondError(c, s.log, invalidField("file", err.Error()))
		return
	}
	if len(rows) == 0 {
		respondError(c, s.log, invalidField("file", "The file has no numbers. Use the columns e164,class,sitter_email,friendly_name."))
		return
	}
	requestID := c.Query("requestId")
	if requestID == "" {
		requestID = uuid.NewString()
	} else if !requestIDPatternNumbers.MatchString(requestID) {
		respondError(c, s.log, invalidField("requestId", "Use up to 64 letters, digits, - or _."))
		return
	}

	results := make([]ImportRowResult, len(rows))
	var reqs []provisionItemRequest
	var reqRow []int // index in rows of each request
	for i, r := range rows {
		results[i] = ImportRowResult{Line: r.Line, E164: r.E164}
		if r.Err != "" {
			results[i].Error = r.Err
			continue
		}
		item := provisionItemRequest{E164: r.E164, Class: r.Class, FriendlyName: r.FriendlyName}
		if r.Sitter != "" {
			if id, err := uuid.Parse(r.Sitter); err == nil {
				item.SitterID = &id
			} else {
				item.SitterEmail = r.Sitter
			}
		}
		reqs = append(reqs, item)
		reqRow = append(reqRow, i)
	}
	checks, err := s.checkProvisionItems(ctx, s.store.Org(p.OrgID), contract.ProvisionImport, reqs)
	if err != nil {
		respondError(c, s.log, err)
		return
	}
	var items []contract.ProvisionItem
	var itemRow []int
	for k, chk := range checks {
		res := &results[reqRow[k]]
		res.Class = chk.item.Class
		if chk.item.E164 != "" {
			res.E164 = chk.item.E164
		}
		if chk.err != "" {
			res.Field, res.Error = importField(chk.field), chk.err
			continue
		}
		items = append(items, chk.item)
		itemRow = append(itemRow, reqRow[k])
	}
	s.auditNumber(ctx, p, "numbers.import.csv", uuid.Nil, map[string]any{"requestId": requestID, "rows": len(rows), "valid": len(items)})
	status := http.StatusOK
	if len(items) > 0 {
		res, err := s.runProvision(ctx, p, requestID, items)
		if err != nil {
			respondError(c, s.log, err)
			return
		}
		switch {
		case res == nil:
			status = http.StatusAccepted
			for _, ri := range itemRow {
				results[ri].Error = "Still importing; check the inventory in a minute."
			}
		default:
			for k, ri := range itemRow {
				if k >= len(res.Items) {
					results[ri].Error = "The import did not report on this number."
					continue
				}
				it := res.Items[k]
				results[ri].OK, results[ri].NumberID, results[ri].WebhookStatus = it.OK, it.NumberID, it.WebhookStatus
				if !it.OK || it.Error != "" {
					results[ri].Error = it.Error
				}
			}
		}
	}
	ok := 0
	for _, r := range results {
		if r.OK {
			ok++
		}
	}
	c.JSON(status, gin.H{"requestId": requestID, "workflowId": contract.ProvisionWorkflowID(p.OrgID, requestID),
		"rows": results, "imported": ok, "failed": len(results) - ok})
}

// importField names the CSV column a validation error is about.
func importField(field string) string {
	switch field {
	case "friendlyName":
		return "friendly_name"
	case "sitter":
		return "sitter_email"
	}
	return field
}
