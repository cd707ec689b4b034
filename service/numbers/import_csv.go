package numbers

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/google/uuid"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/service"
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

// ImportRow is one line's outcome (the API answers with it as is). Field
// names the CSV column at fault.
type ImportRow struct {
	Line          int        `json:"line"`
	E164          string     `json:"e164"`
	Class         string     `json:"class,omitempty"`
	OK            bool       `json:"ok"`
	Error         string     `json:"error,omitempty"`
	Field         string     `json:"field,omitempty"`
	NumberID      *uuid.UUID `json:"numberId,omitempty"`
	WebhookStatus string     `json:"webhookStatus,omitempty"`
}

// Imported is the outcome of a CSV import. Pending is true when the
// workflow was still running when the request stopped waiting.
type Imported struct {
	RequestID  string
	WorkflowID string
	Rows       []ImportRow
	Pending    bool
}

// ImportCSV imports the numbers listed in file (at most 1 MB and 1,000
// rows). Bad rows are reported without stopping the good ones.
func (s *Service) ImportCSV(ctx context.Context, a service.Actor, requestID string, file io.Reader) (Imported, error) {
	data, err := io.ReadAll(io.LimitReader(file, maxImportBytes+1))
	if err != nil {
		return Imported{}, errs.InvalidField("file", "The file could not be read.")
	}
	if len(data) > maxImportBytes {
		return Imported{}, errs.InvalidField("file", "The file is larger than 1 MB; split it.")
	}
	lines, err := parseNumberImportCSV(bytes.NewReader(data))
	if err != nil {
		return Imported{}, errs.InvalidField("file", err.Error())
	}
	if len(lines) == 0 {
		return Imported{}, errs.InvalidField("file", "The file has no numbers. Use the columns e164,class,sitter_email,friendly_name.")
	}
	if requestID, err = checkRequestID(requestID); err != nil {
		return Imported{}, err
	}

	rows := make([]ImportRow, len(lines))
	var reqs []NumberRequest
	var reqRow []int // index in rows of each request
	for i, l := range lines {
		rows[i] = ImportRow{Line: l.Line, E164: l.E164}
		if l.Err != "" {
			rows[i].Error = l.Err
			continue
		}
		req := NumberRequest{E164: l.E164, Class: l.Class, FriendlyName: l.FriendlyName}
		if l.Sitter != "" {
			if id, err := uuid.Parse(l.Sitter); err == nil {
				req.SitterID = &id
			} else {
				req.SitterEmail = l.Sitter
			}
		}
		reqs = append(reqs, req)
		reqRow = append(reqRow, i)
	}
	checks, err := s.checkItems(ctx, a, contract.ProvisionImport, reqs)
	if err != nil {
		return Imported{}, err
	}
	var items []contract.ProvisionItem
	var itemRow []int
	for k, chk := range checks {
		row := &rows[reqRow[k]]
		row.Class = chk.item.Class
		if chk.item.E164 != "" {
			row.E164 = chk.item.E164
		}
		if chk.reason != "" {
			row.Field, row.Error = importColumn(chk.field), chk.reason
			continue
		}
		items = append(items, chk.item)
		itemRow = append(itemRow, reqRow[k])
	}
	s.record(ctx, a, "numbers.import.csv", uuid.Nil, map[string]any{"requestId": requestID, "rows": len(rows), "valid": len(items)})
	out := Imported{RequestID: requestID, WorkflowID: contract.ProvisionWorkflowID(a.OrgID, requestID), Rows: rows}
	if len(items) == 0 {
		return out, nil
	}
	res, err := s.runProvision(ctx, a, requestID, items)
	if err != nil {
		return Imported{}, err
	}
	if res == nil {
		out.Pending = true
		for _, ri := range itemRow {
			rows[ri].Error = "Still importing; check the inventory in a minute."
		}
		return out, nil
	}
	for k, ri := range itemRow {
		if k >= len(res.Items) {
			rows[ri].Error = "The import did not report on this number."
			continue
		}
		it := res.Items[k]
		rows[ri].OK, rows[ri].NumberID, rows[ri].WebhookStatus = it.OK, it.NumberID, it.WebhookStatus
		if !it.OK || it.Error != "" {
			rows[ri].Error = it.Error
		}
	}
	return out, nil
}

// importColumn names the CSV column a validation error is about.
func importColumn(field string) string {
	switch field {
	case "friendlyName":
		return "friendly_name"
	case "sitter":
		return "sitter_email"
	}
	return field
}

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
