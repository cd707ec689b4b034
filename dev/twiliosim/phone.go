package twiliosim

import (
	"regexp"
	"strings"
)

var e164Pattern = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)

// validE164 reports whether s is an E.164 number; NANP numbers (+1) must also
// have ten digits with area code and exchange starting 2–9.
func validE164(s string) bool {
	if !e164Pattern.MatchString(s) {
		return false
	}
	if !strings.HasPrefix(s, "+1") {
		return true
	}
	return len(s) == 12 && s[2] >= '2' && s[5] >= '2'
}

// validNPA reports whether npa can be a NANP area code: three digits, first
// 2–9, second not 9 (reserved), and not an N11 service code.
func validNPA(npa string) bool {
	if len(npa) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if npa[i] < '0' || npa[i] > '9' {
			return false
		}
	}
	return npa[0] >= '2' && npa[1] != '9' && !(npa[1] == '1' && npa[2] == '1')
}

// friendlyNumber formats a NANP number the way Twilio names new numbers,
// "(415) 555-0100"; other numbers are returned unchanged.
func friendlyNumber(e164 string) string {
	if len(e164) != 12 || !strings.HasPrefix(e164, "+1") {
		return e164
	}
	d := e164[2:]
	return "(" + d[:3] + ") " + d[3:6] + "-" + d[6:]
}
