package clients

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
)

// CSV import and export of the client book, with the columns pet-sitting
// tools export: name, phone, email, pets ("Rex; Mia"). Each row is
// checked like the create form and stored on its own, so one bad row
// does not stop the others; the result says what happened to every row.

// MaxImportRows is the most rows one import takes.
const MaxImportRows = 5000

// Row outcomes.
const (
	RowCreated = "created"
	RowFailed  = "failed"
)

// RowResult is what happened to one row of an import.
type RowResult struct {
	// Line is the row's line in the file (the header is line 1).
	Line     int
	Name     string
	Status   string
	ClientID string
	// Error says why the row was not imported; Fields which column.
	Error  string
	Fields map[string]string
}

// ImportResult is the outcome of an import.
type ImportResult struct {
	Created, Failed int
	Rows            []RowResult
}

// columns maps the header names an import accepts to its fields.
var columns = map[string]string{
	"name": "name", "full name": "name", "client": "name", "client name": "name",
	"phone": "phone", "phone number": "phone", "mobile": "phone", "cell": "phone",
	"email": "email", "email address": "email",
	"pets": "pets", "pet": "pets", "pet names": "pets", "pet name": "pets",
}

// parseHeader finds the columns; name and phone are required.
func parseHeader(header []string) (map[string]int, error) {
	at := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if f, ok := columns[h]; ok {
			if _, dup := at[f]; !dup {
				at[f] = i
			}
		}
	}
	var missing []string
	for _, f := range []string{"name", "phone"} {
		if _, ok := at[f]; !ok {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		return nil, errs.InvalidField("file", "The first line must name the columns; "+strings.Join(missing, " and ")+" is missing (expected name, phone, email, pets).")
	}
	return at, nil
}

// SplitPets reads a pets cell: names separated by ";" (or ","), each
// optionally followed by notes in parentheses: "Rex (beagle); Mia".
func SplitPets(cell string) []PetDraft {
	sep := ";"
	if !strings.Contains(cell, ";") {
		sep = ","
	}
	var out []PetDraft
	for _, part := range strings.Split(cell, sep) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		p := PetDraft{Name: part}
		if i := strings.Index(part, "("); i > 0 && strings.HasSuffix(part, ")") {
			p = PetDraft{Name: strings.TrimSpace(part[:i]), Notes: strings.TrimSpace(part[i+1 : len(part)-1])}
		}
		out = append(out, p)
	}
	return out
}

// Import reads a CSV file of clients and creates one client per row.
func (s *Service) Import(ctx context.Context, a service.Actor, file io.Reader) (ImportResult, error) {
	r := csv.NewReader(file)
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return ImportResult{}, errs.InvalidField("file", "The file is empty.")
	}
	if err != nil {
		return ImportResult{}, errs.InvalidField("file", "This is not a CSV file we can read: "+err.Error())
	}
	at, err := parseHeader(header)
	if err != nil {
		return ImportResult{}, err
	}
	res := ImportResult{Rows: []RowResult{}}
	cell := func(rec []string, f string) string {
		i, ok := at[f]
		if !ok || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if line-1 > MaxImportRows {
			return ImportResult{}, errs.InvalidField("file", "Import at most "+strconv.Itoa(MaxImportRows)+" clients at a time.")
		}
		if err != nil {
			res.Rows = append(res.Rows, RowResult{Line: line, Status: RowFailed, Error: "This line can't be read: " + err.Error()})
			res.Failed++
			continue
		}
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue // blank line
		}
		row := RowResult{Line: line, Name: cell(rec, "name")}
		d := Draft{Name: cell(rec, "name"), Email: cell(rec, "email"), Pets: SplitPets(cell(rec, "pets"))}
		if p := cell(rec, "phone"); p != "" {
			d.Phones = []PhoneDraft{{Number: p, Primary: true}}
		}
		id, err := s.importRow(ctx, a, d)
		if err != nil {
			row.Status, row.Error, row.Fields = RowFailed, errorText(err), csvFields(err)
			res.Failed++
		} else {
			row.Status, row.ClientID = RowCreated, id
			res.Created++
		}
		res.Rows = append(res.Rows, row)
	}
	s.Auditor.Record(ctx, a, service.Event{Action: "client.imported", EntityType: "client", Detail: map[string]any{"created": res.Created, "failed": res.Failed}})
	return res, nil
}

func (s *Service) importRow(ctx context.Context, a service.Actor, d Draft) (string, error) {
	r, err := s.record(d)
	if err != nil {
		return "", err
	}
	r.Client.ConsentSource, r.Client.ConsentAt = store.ConsentImport, s.Now()
	if err := s.save(ctx, a, &r); err != nil {
		return "", err
	}
	return r.Client.ID.String(), nil
}

// csvFields names the columns of a refusal's fields ("phones[0].number"
// is the phone column).
func csvFields(err error) map[string]string {
	e, ok := errs.As(err)
	if !ok || len(e.Fields) == 0 {
		return nil
	}
	out := map[string]string{}
	for k, v := range e.Fields {
		switch {
		case strings.HasPrefix(k, "phones"):
			k = "phone"
		case strings.HasPrefix(k, "pets"):
			k = "pets"
		}
		out[k] = v
	}
	return out
}

// errorText is a refusal as one line for the row's result.
func errorText(err error) string {
	e, ok := errs.As(err)
	if !ok || len(e.Fields) == 0 {
		return err.Error()
	}
	parts := make([]string, 0, len(e.Fields))
	for _, v := range csvFields(err) {
		parts = append(parts, v)
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

// Export writes the client book (archived clients included) as CSV:
// name, phone (the primary), other phones, email, pets, tags, address,
// opted out, archived.
func (s *Service) Export(ctx context.Context, a service.Actor) ([]byte, error) {
	org := s.Store.Org(a.OrgID)
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"name", "phone", "other phones", "email", "pets", "tags", "address", "opted out", "archived"})
	var after *store.ClientCursor
	for {
		rows, err := org.ClientBook(ctx, store.ClientBookFilter{After: after}, 500)
		if err != nil {
			return nil, err
		}
		if len(rows) == 0 {
			break
		}
		full, err := s.withDetails(ctx, org, rows)
		if err != nil {
			return nil, err
		}
		for _, r := range full {
			var others, pets []string
			for _, p := range r.Phones {
				if !p.IsPrimary {
					others = append(others, p.E164)
				}
			}
			for _, p := range r.Pets {
				pets = append(pets, p.Name)
			}
			_ = w.Write([]string{safeCell(r.Client.Name), r.Client.PhoneE164, strings.Join(others, "; "), safeCell(r.Client.Email),
				safeCell(strings.Join(pets, "; ")), safeCell(strings.Join(r.Client.Tags, "; ")), safeCell(r.Client.Address),
				yesNo(r.Client.OptedOutAt != nil), yesNo(r.Client.ArchivedAt != nil)})
		}
		last := rows[len(rows)-1]
		after = &store.ClientCursor{Name: last.Name, ID: last.ID}
	}
	w.Flush()
	s.Auditor.Record(ctx, a, service.Event{Action: "client.exported", EntityType: "client"})
	return buf.Bytes(), w.Error()
}

// safeCell keeps a spreadsheet from reading a cell as a formula.
func safeCell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
