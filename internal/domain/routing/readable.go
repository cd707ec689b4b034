package routing

import (
	"regexp"
	"strings"
	"time"
)

// A stored trace's sentences name windows and overrides by ID and times in
// UTC (RFC 3339): exact, but not for people. Readable rewrites a sentence
// for the dashboard: no IDs (sitters are already named in stored traces),
// times in the org's zone; the IDs it took out are returned for
// diagnostics.

const uuidPattern = `[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`

var (
	anyID        = regexp.MustCompile(uuidPattern)
	namedByID    = regexp.MustCompile(`\b(window|override|overrides) ` + uuidPattern + `\b ?`)
	bracketedID  = regexp.MustCompile(` ?\(` + uuidPattern + `\)`)
	sitterByID   = regexp.MustCompile(`\b([Ss])itter ` + uuidPattern + `\b`)
	rfc3339Stamp = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})\b`)
)

// LocalTime is how the dashboard writes a moment: "Tue Dec 1, 10:00 AM PST".
func LocalTime(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("Mon Jan 2, 3:04 PM MST")
}

// Readable is a trace sentence for people, and the IDs it named.
func Readable(sentence string, loc *time.Location) (string, []string) {
	var ids []string
	seen := map[string]bool{}
	for _, id := range anyID.FindAllString(sentence, -1) {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	s := bracketedID.ReplaceAllString(sentence, "")
	s = namedByID.ReplaceAllString(s, "$1 ")
	s = sitterByID.ReplaceAllString(s, "${1}itter (unnamed)")
	s = anyID.ReplaceAllString(s, "(hidden)")
	s = rfc3339Stamp.ReplaceAllStringFunc(s, func(stamp string) string {
		t, err := time.Parse(time.RFC3339Nano, stamp)
		if err != nil {
			return stamp
		}
		return LocalTime(t, loc)
	})
	s = strings.ReplaceAll(s, " ,", ",")
	s = strings.ReplaceAll(s, "  ", " ")
	return strings.TrimSpace(s), ids
}
