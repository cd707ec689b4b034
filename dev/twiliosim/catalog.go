package twiliosim

import (
	"fmt"
	"regexp"
	"strings"
)

// The simulator's numbers are fictional: every one is NPA-555-01xx, the
// range reserved for fiction, so none can reach a real phone. Each area
// code offers 100 numbers; lines ending in 9 are voice-only so that the
// SmsEnabled filter has something to remove.

const (
	numberTypeLocal    = "local"
	numberTypeTollFree = "tollfree"

	// exhaustedAreaCode mimics Twilio's test area code with no numbers.
	exhaustedAreaCode = "533"
	linesPerAreaCode  = 100
)

// area describes a NANP area code the simulator knows by place.
type area struct {
	Code, Country, City, Region, Postal, Lat, Long string
}

var areas = []area{
	{"206", "US", "Seattle", "WA", "98101", "47.606200", "-122.332100"},
	{"212", "US", "New York", "NY", "10001", "40.750600", "-73.997200"},
	{"303", "US", "Denver", "CO", "80202", "39.752300", "-104.999300"},
	{"305", "US", "Miami", "FL", "33130", "25.767600", "-80.205000"},
	{"312", "US", "Chicago", "IL", "60601", "41.886300", "-87.618800"},
	{"404", "US", "Atlanta", "GA", "30303", "33.752600", "-84.391800"},
	{"415", "US", "San Francisco", "CA", "94103", "37.772600", "-122.409900"},
	{"503", "US", "Portland", "OR", "97204", "45.518600", "-122.678400"},
	{"512", "US", "Austin", "TX", "78701", "30.271100", "-97.743700"},
	{"617", "US", "Boston", "MA", "02108", "42.357200", "-71.063200"},
	{"650", "US", "San Mateo", "CA", "94401", "37.568900", "-122.323600"},
	{"702", "US", "Las Vegas", "NV", "89101", "36.172600", "-115.143100"},
	{"416", "CA", "Toronto", "ON", "M5H 2N2", "43.653200", "-79.383200"},
	{"514", "CA", "Montreal", "QC", "H2Y 1C6", "45.501700", "-73.567300"},
	{"604", "CA", "Vancouver", "BC", "V6B 1A1", "49.282700", "-123.120700"},
}

var tollFreeCodes = []string{"800", "833", "844", "855", "866", "877", "888"}

func areaByCode(code string) (area, bool) {
	for _, a := range areas {
		if a.Code == code {
			return a, true
		}
	}
	return area{}, false
}

func isTollFreeCode(code string) bool {
	for _, c := range tollFreeCodes {
		if c == code {
			return true
		}
	}
	return false
}

// candidate is one number the simulator can sell.
type candidate struct {
	E164     string
	NPA      string
	TollFree bool
	Area     area // zero for toll-free and unknown area codes
	Country  string
	Caps     capabilities
}

func (c candidate) numberType() string {
	if c.TollFree {
		return numberTypeTollFree
	}
	return numberTypeLocal
}

func newCandidate(npa string, line int, country string) candidate {
	a, _ := areaByCode(npa)
	if a.Country != "" {
		country = a.Country
	}
	sms := line%10 != 9
	return candidate{
		E164:     fmt.Sprintf("+1%s55501%02d", npa, line),
		NPA:      npa,
		TollFree: isTollFreeCode(npa),
		Area:     a,
		Country:  country,
		Caps:     capabilities{Voice: true, SMS: sms, MMS: sms},
	}
}

// candidatesIn lists an area code's numbers in line order.
func candidatesIn(npa, country string) []candidate {
	out := make([]candidate, 0, linesPerAreaCode)
	for line := 0; line < linesPerAreaCode; line++ {
		out = append(out, newCandidate(npa, line, country))
	}
	return out
}

var catalogNumber = regexp.MustCompile(`^\+1([2-9][0-9]{2})55501([0-9]{2})$`)

// lookupCandidate finds the catalogue entry for an E.164 number.
func lookupCandidate(e164 string) (candidate, bool) {
	m := catalogNumber.FindStringSubmatch(e164)
	if m == nil || !validNPA(m[1]) || m[1] == exhaustedAreaCode {
		return candidate{}, false
	}
	var line int
	fmt.Sscanf(m[2], "%d", &line)
	return newCandidate(m[1], line, "US"), true
}

// locate returns city, state, postal code and country for the webhook's
// From*/To* fields; unknown parts are empty, as with Twilio.
func locate(e164 string) (city, state, zip, country string) {
	if !strings.HasPrefix(e164, "+1") || len(e164) != 12 {
		return "", "", "", ""
	}
	if a, ok := areaByCode(e164[2:5]); ok {
		return a.City, a.Region, a.Postal, a.Country
	}
	return "", "", "", "US"
}

// containsPattern compiles Twilio's Contains syntax: digits and letters
// (letters stand for their keypad digit), * for one character, % for any
// run, a leading + anchoring at the start of the number (country code
// included) and a trailing $ anchoring at its end.
func containsPattern(p string) (*regexp.Regexp, bool) {
	var b strings.Builder
	if rest, ok := strings.CutPrefix(p, "+"); ok {
		b.WriteString("^")
		p = rest
	}
	anchoredEnd := false
	if rest, ok := strings.CutSuffix(p, "$"); ok {
		anchoredEnd, p = true, rest
	}
	if p == "" {
		return nil, false
	}
	for _, r := range strings.ToUpper(p) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			b.WriteByte(keypadDigit(r))
		case r == '*':
			b.WriteString("[0-9]")
		case r == '%':
			b.WriteString("[0-9]*")
		default:
			return nil, false
		}
	}
	if anchoredEnd {
		b.WriteString("$")
	}
	re, err := regexp.Compile(b.String())
	return re, err == nil
}

func keypadDigit(r rune) byte {
	const keys = "22233344455566677778889999"
	return keys[r-'A']
}
