package numbers

import (
	"strings"
	"testing"
)

func TestParseNumberImportCSV(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want []importRow
	}{
		{
			name: "no header, positional columns",
			in:   "+14155550160,pool,,Spare\n(415) 555-0161, sitter ,riley@demo.test,\"Riley, second line\"\n",
			want: []importRow{
				{Line: 1, E164: "+14155550160", Class: "pool", FriendlyName: "Spare"},
				{Line: 2, E164: "(415) 555-0161", Class: "sitter", Sitter: "riley@demo.test", FriendlyName: "Riley, second line"},
			},
		},
		{
			name: "header in any order, BOM, blank lines, short rows",
			in:   "\ufefffriendly_name,class,e164,sitter_id\n\nDesk 2,pool,+14155550162\n,,,\nx,sitter,+14155550163,6f1d7c62-4a0e-4c55-9a55-8f2c1b0d5e11\n",
			want: []importRow{
				{Line: 3, E164: "+14155550162", Class: "pool", FriendlyName: "Desk 2"},
				{Line: 5, E164: "+14155550163", Class: "sitter", Sitter: "6f1d7c62-4a0e-4c55-9a55-8f2c1b0d5e11", FriendlyName: "x"},
			},
		},
		{
			name: "the inventory's own export, with a spreadsheet-safe quote mark",
			in:   "id,e164,friendly_name,class,status,assigned_to,sitter_id,sitter_name\nabc,'+14155550164,'=Pool,pool,active,pool,,\n",
			want: []importRow{{Line: 2, E164: "+14155550164", Class: "pool", FriendlyName: "'=Pool"}},
		},
		{
			name: "a stray quote spoils its cell only",
			in:   "+1415555\"0165,pool,,\n+14155550166,pool,,ok\n",
			want: []importRow{
				{Line: 1, E164: "+1415555\"0165", Class: "pool"},
				{Line: 2, E164: "+14155550166", Class: "pool", FriendlyName: "ok"},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseNumberImportCSV(strings.NewReader(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %d rows %+v, want %d", len(got), got, len(tc.want))
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("row %d = %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestParseNumberImportCSVLimits(t *testing.T) {
	var b strings.Builder
	for i := 0; i <= maxImportRows; i++ {
		b.WriteString("+14155550160,pool,,\n")
	}
	if _, err := parseNumberImportCSV(strings.NewReader(b.String())); err == nil {
		t.Errorf("%d rows accepted, want the %d-row limit", maxImportRows+1, maxImportRows)
	}
}

// FuzzParseNumberImportCSV: whatever is uploaded, the parser answers
// without panicking, keeps within its limits, and every row it returns has
// a line number in the file.
func FuzzParseNumberImportCSV(f *testing.F) {
	for _, seed := range []string{
		"e164,class,sitter_email,friendly_name\n+14155550160,pool,,Spare\n",
		"+14155550160,sitter,sam@demo.test,\"a \"\"quoted\"\" name\"\n",
		"\"unterminated,pool\n+14155550161,pool,,\n",
		"\ufeffe164\n\n\n+1",
		",,,,,,,,\n\"\"\n'=cmd|' /C calc'!A0,pool,,\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		rows, err := parseNumberImportCSV(strings.NewReader(in))
		if err != nil {
			if err != errTooManyRows {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if len(rows) > maxImportRows {
			t.Fatalf("%d rows returned, over the limit", len(rows))
		}
		lines := strings.Count(in, "\n") + 1
		for _, r := range rows {
			if r.Line < 1 || r.Line > lines {
				t.Fatalf("row %+v has line %d of %d", r, r.Line, lines)
			}
			if r.Err == "" && strings.HasPrefix(r.E164, "'") {
				t.Fatalf("row %+v kept the spreadsheet quote on its number", r)
			}
		}
	})
}
