package numbers

import "regexp"

var (
	areaCodeFormat = regexp.MustCompile(`^[2-9][0-9]{2}$`)
	regionFormat   = regexp.MustCompile(`^[A-Za-z]{2}$`)
)

// MaxSearchResults is the most numbers for sale one search lists.
const MaxSearchResults = 50

// CheckSearch checks a search of numbers for sale (an empty area code or
// region, and a zero limit, do not narrow it). It returns what is wrong
// per field: areaCode, region, limit; nil when all is well.
func CheckSearch(areaCode, region string, limit int) map[string]string {
	fields := map[string]string{}
	if areaCode != "" && !areaCodeFormat.MatchString(areaCode) {
		fields["areaCode"] = "An area code is three digits, like 415."
	}
	if region != "" && !regionFormat.MatchString(region) {
		fields["region"] = "A region is a two-letter state or province code, like CA."
	}
	if limit < 0 || limit > MaxSearchResults {
		fields["limit"] = "Ask for 1 to 50 numbers."
	}
	if len(fields) == 0 {
		return nil
	}
	return fields
}
