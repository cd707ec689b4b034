package routing

import (
	"strings"
	"testing"
	"time"
)

func TestReadableSentences(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	const win = "0193a0c4-1111-7000-8000-000000000001"
	const ovr = "0193a0c4-2222-7000-8000-000000000002"
	for _, tc := range []struct {
		in, want string
		ids      []string
	}{
		{"Sitter number of sitter Sam Patel, whose window " + win + " with this client is active until 2026-12-01T18:00:00Z.",
			"Sitter number of sitter Sam Patel, whose window with this client is active until Tue Dec 1, 10:00 AM PST.", []string{win}},
		{"No active routing override for this thread. The most recent one (" + ovr + ") ended at 2026-07-04T16:30:00Z.",
			"No active routing override for this thread. The most recent one ended at Sat Jul 4, 9:30 AM PDT.", []string{ovr}},
		{"Routing override " + ovr + " sends this thread to sitter Riley until 2026-12-02T08:00:00Z.",
			"Routing override sends this thread to sitter Riley until Wed Dec 2, 12:00 AM PST.", []string{ovr}},
		{"Sitter number of sitter " + win + ", but the sitter has no assignment window with this client.",
			"Sitter number of sitter (unnamed), but the sitter has no assignment window with this client.", []string{win}},
		{"No override or sitter window applies, so the message goes to the owner inbox.",
			"No override or sitter window applies, so the message goes to the owner inbox.", nil},
	} {
		got, ids := Readable(tc.in, la)
		if got != tc.want {
			t.Errorf("Readable(%q)\n = %q\nwant %q", tc.in, got, tc.want)
		}
		if strings.Join(ids, ",") != strings.Join(tc.ids, ",") {
			t.Errorf("IDs of %q = %v, want %v", tc.in, ids, tc.ids)
		}
		if anyID.MatchString(got) || strings.Contains(got, "T18:00") || strings.Contains(got, "Z.") {
			t.Errorf("Readable(%q) = %q still has an ID or a UTC stamp", tc.in, got)
		}
	}
}
