package twiliosim

import (
	"net/http"
	"strconv"
	"strings"
)

// availableCaps mirrors the capitalisation seen in live search results.
type availableCaps struct {
	Voice bool `json:"voice"`
	SMS   bool `json:"SMS"`
	MMS   bool `json:"MMS"`
	Fax   bool `json:"fax"`
}

type availableJSON struct {
	AddressRequirements string        `json:"address_requirements"`
	Beta                bool          `json:"beta"`
	Capabilities        availableCaps `json:"capabilities"`
	FriendlyName        string        `json:"friendly_name"`
	IsoCountry          string        `json:"iso_country"`
	Lata                *string       `json:"lata"`
	Latitude            *string       `json:"latitude"`
	Locality            *string       `json:"locality"`
	Longitude           *string       `json:"longitude"`
	PhoneNumber         string        `json:"phone_number"`
	PostalCode          *string       `json:"postal_code"`
	RateCenter          *string       `json:"rate_center"`
	Region              *string       `json:"region"`
}

type availableListJSON struct {
	listPage
	AvailablePhoneNumbers []availableJSON `json:"available_phone_numbers"`
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func renderAvailable(c candidate) availableJSON {
	out := availableJSON{
		AddressRequirements: "none",
		Capabilities:        availableCaps{Voice: c.Caps.Voice, SMS: c.Caps.SMS, MMS: c.Caps.MMS},
		FriendlyName:        friendlyNumber(c.E164),
		IsoCountry:          c.Country,
		PhoneNumber:         c.E164,
	}
	if !c.TollFree && c.Area.Code != "" {
		out.Locality = optional(c.Area.City)
		out.Region = optional(c.Area.Region)
		out.PostalCode = optional(c.Area.Postal)
		out.Latitude = optional(c.Area.Lat)
		out.Longitude = optional(c.Area.Long)
		out.RateCenter = optional(strings.ToUpper(strings.ReplaceAll(c.Area.City, " ", "")))
	}
	return out
}

// searchQuery is what a search may filter on.
type searchQuery struct {
	country  string
	tollFree bool
	areaCode string
	contains string
	region   string
	sms, mms *bool
	voice    *bool
}

func parseSearch(r *http.Request, tollFree bool) (searchQuery, *apiError) {
	q := r.URL.Query()
	sq := searchQuery{
		country:  strings.ToUpper(r.PathValue("country")),
		tollFree: tollFree,
		areaCode: q.Get("AreaCode"),
		contains: q.Get("Contains"),
		region:   strings.ToUpper(q.Get("InRegion")),
	}
	if sq.country != "US" && sq.country != "CA" {
		return sq, notFound(r)
	}
	if sq.areaCode != "" {
		if !validNPA(sq.areaCode) {
			return sq, invalid(21451, "AreaCode %s is not valid", sq.areaCode)
		}
		if sq.areaCode == exhaustedAreaCode {
			return sq, invalid(21452, "No phone numbers found in area code %s", sq.areaCode)
		}
	}
	for _, f := range []struct {
		name string
		dst  **bool
	}{{"SmsEnabled", &sq.sms}, {"MmsEnabled", &sq.mms}, {"VoiceEnabled", &sq.voice}} {
		v := q.Get(f.name)
		if v == "" {
			continue
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			return sq, badRequest("%s must be true or false", f.name)
		}
		*f.dst = &b
	}
	return sq, nil
}

// areaCodes lists the area codes a query searches, in catalogue order.
func (sq searchQuery) areaCodes() []string {
	if sq.tollFree {
		if sq.areaCode != "" {
			if isTollFreeCode(sq.areaCode) {
				return []string{sq.areaCode}
			}
			return nil
		}
		return tollFreeCodes
	}
	if sq.areaCode != "" {
		if isTollFreeCode(sq.areaCode) {
			return nil
		}
		if a, ok := areaByCode(sq.areaCode); ok && a.Country != sq.country {
			return nil
		}
		return []string{sq.areaCode}
	}
	var codes []string
	for _, a := range areas {
		if a.Country == sq.country {
			codes = append(codes, a.Code)
		}
	}
	return codes
}

func (sq searchQuery) accepts(c candidate) bool {
	if sq.region != "" && (c.TollFree || !strings.EqualFold(c.Area.Region, sq.region)) {
		return false
	}
	for _, f := range []struct {
		want *bool
		has  bool
	}{{sq.sms, c.Caps.SMS}, {sq.mms, c.Caps.MMS}, {sq.voice, c.Caps.Voice}} {
		if f.want != nil && *f.want != f.has {
			return false
		}
	}
	return true
}

// searchAvailable serves AvailablePhoneNumbers/{country}/Local.json and
// TollFree.json: one page of unowned catalogue numbers matching the query.
func (s *Server) searchAvailable(tollFree bool) accountHandler {
	return func(w http.ResponseWriter, r *http.Request, acct Account) {
		sq, e := parseSearch(r, tollFree)
		if e != nil {
			writeAPIError(w, e)
			return
		}
		contains := func(string) bool { return true }
		if sq.contains != "" {
			re, ok := containsPattern(sq.contains)
			if !ok {
				writeAPIError(w, badRequest("Contains %q is not a valid pattern", sq.contains))
				return
			}
			contains = func(e164 string) bool { return re.MatchString(e164[1:]) }
		}
		size := defaultPageSize
		if v := r.URL.Query().Get("PageSize"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				writeAPIError(w, badRequest("PageSize must be a positive integer"))
				return
			}
			size = min(n, maxPageSize)
		}
		found := make([]availableJSON, 0, size)
		s.mu.Lock()
	search:
		for _, code := range sq.areaCodes() {
			for _, c := range candidatesIn(code, sq.country) {
				if len(found) == size {
					break search
				}
				if sq.accepts(c) && contains(c.E164) && !s.st.isOwned(c.E164) {
					found = append(found, renderAvailable(c))
				}
			}
		}
		s.mu.Unlock()
		// Twilio answers a search with a single page.
		uri := r.URL.RequestURI()
		writeJSON(w, http.StatusOK, availableListJSON{
			listPage: listPage{
				FirstPageURI: uri,
				End:          max(len(found)-1, 0),
				PageSize:     size,
				URI:          uri,
			},
			AvailablePhoneNumbers: found,
		})
	}
}
