package twiliosim

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

const maxFriendlyName = 64

type numberCapsJSON struct {
	Fax   bool `json:"fax"`
	MMS   bool `json:"mms"`
	SMS   bool `json:"sms"`
	Voice bool `json:"voice"`
}

type numberJSON struct {
	AccountSid             string         `json:"account_sid"`
	AddressRequirements    string         `json:"address_requirements"`
	AddressSid             *string        `json:"address_sid"`
	APIVersion             string         `json:"api_version"`
	Beta                   bool           `json:"beta"`
	BundleSid              *string        `json:"bundle_sid"`
	Capabilities           numberCapsJSON `json:"capabilities"`
	DateCreated            string         `json:"date_created"`
	DateUpdated            string         `json:"date_updated"`
	EmergencyAddressSid    *string        `json:"emergency_address_sid"`
	EmergencyAddressStatus string         `json:"emergency_address_status"`
	EmergencyStatus        string         `json:"emergency_status"`
	FriendlyName           string         `json:"friendly_name"`
	IdentitySid            *string        `json:"identity_sid"`
	Origin                 string         `json:"origin"`
	PhoneNumber            string         `json:"phone_number"`
	Sid                    string         `json:"sid"`
	SmsApplicationSid      string         `json:"sms_application_sid"`
	SmsFallbackMethod      string         `json:"sms_fallback_method"`
	SmsFallbackURL         string         `json:"sms_fallback_url"`
	SmsMethod              string         `json:"sms_method"`
	SmsURL                 string         `json:"sms_url"`
	Status                 string         `json:"status"`
	StatusCallback         string         `json:"status_callback"`
	StatusCallbackMethod   string         `json:"status_callback_method"`
	SubresourceUris        map[string]any `json:"subresource_uris"`
	TrunkSid               *string        `json:"trunk_sid"`
	Type                   string         `json:"type"`
	URI                    string         `json:"uri"`
	VoiceApplicationSid    string         `json:"voice_application_sid"`
	VoiceCallerIDLookup    bool           `json:"voice_caller_id_lookup"`
	VoiceFallbackMethod    string         `json:"voice_fallback_method"`
	VoiceFallbackURL       string         `json:"voice_fallback_url"`
	VoiceMethod            string         `json:"voice_method"`
	VoiceReceiveMode       string         `json:"voice_receive_mode"`
	VoiceURL               string         `json:"voice_url"`
}

type numberListJSON struct {
	listPage
	IncomingPhoneNumbers []numberJSON `json:"incoming_phone_numbers"`
}

var numberSIDPattern = regexp.MustCompile(`^PN[0-9a-f]{32}$`)

func renderNumber(n numberRecord) numberJSON {
	uri := accountPath(n.AccountSID) + "/IncomingPhoneNumbers/" + n.SID
	return numberJSON{
		AccountSid:             n.AccountSID,
		AddressRequirements:    "none",
		APIVersion:             "2010-04-01",
		Capabilities:           numberCapsJSON{Fax: n.Capabilities.Fax, MMS: n.Capabilities.MMS, SMS: n.Capabilities.SMS, Voice: n.Capabilities.Voice},
		DateCreated:            twilioTime(n.DateCreated),
		DateUpdated:            twilioTime(n.DateUpdated),
		EmergencyAddressStatus: "unregistered",
		EmergencyStatus:        "Inactive",
		FriendlyName:           n.FriendlyName,
		Origin:                 "twilio",
		PhoneNumber:            n.PhoneNumber,
		Sid:                    n.SID,
		SmsFallbackMethod:      n.SMSFallbackMethod,
		SmsFallbackURL:         n.SMSFallbackURL,
		SmsMethod:              n.SMSMethod,
		SmsURL:                 n.SMSURL,
		Status:                 "in-use",
		StatusCallback:         n.StatusCallback,
		StatusCallbackMethod:   n.StatusCallbackMethod,
		SubresourceUris:        map[string]any{"assigned_add_ons": uri + "/AssignedAddOns.json"},
		Type:                   n.Type,
		URI:                    uri + ".json",
		VoiceFallbackMethod:    n.VoiceFallbackMethod,
		VoiceFallbackURL:       n.VoiceFallbackURL,
		VoiceMethod:            n.VoiceMethod,
		VoiceReceiveMode:       "voice",
		VoiceURL:               n.VoiceURL,
	}
}

// numberSettings are the writable fields of an owned number, by form name.
var numberSettings = map[string]func(n *numberRecord) *string{
	"FriendlyName":         func(n *numberRecord) *string { return &n.FriendlyName },
	"SmsUrl":               func(n *numberRecord) *string { return &n.SMSURL },
	"SmsMethod":            func(n *numberRecord) *string { return &n.SMSMethod },
	"SmsFallbackUrl":       func(n *numberRecord) *string { return &n.SMSFallbackURL },
	"SmsFallbackMethod":    func(n *numberRecord) *string { return &n.SMSFallbackMethod },
	"StatusCallback":       func(n *numberRecord) *string { return &n.StatusCallback },
	"StatusCallbackMethod": func(n *numberRecord) *string { return &n.StatusCallbackMethod },
	"VoiceUrl":             func(n *numberRecord) *string { return &n.VoiceURL },
	"VoiceMethod":          func(n *numberRecord) *string { return &n.VoiceMethod },
	"VoiceFallbackUrl":     func(n *numberRecord) *string { return &n.VoiceFallbackURL },
	"VoiceFallbackMethod":  func(n *numberRecord) *string { return &n.VoiceFallbackMethod },
}

// validateSettings checks the writable fields present in form.
func validateSettings(form url.Values) *apiError {
	if len([]rune(form.Get("FriendlyName"))) > maxFriendlyName {
		return badRequest("FriendlyName must be at most %d characters", maxFriendlyName)
	}
	for _, name := range []string{"SmsMethod", "SmsFallbackMethod", "StatusCallbackMethod", "VoiceMethod", "VoiceFallbackMethod"} {
		if v := strings.ToUpper(form.Get(name)); v != "" && v != http.MethodGet && v != http.MethodPost {
			return badRequest("%s must be GET or POST", name)
		}
	}
	for _, name := range []string{"SmsUrl", "SmsFallbackUrl", "StatusCallback", "VoiceUrl", "VoiceFallbackUrl"} {
		if v := form.Get(name); v != "" && !validWebhookURL(v) {
			return badRequest("%s %q is not a valid URL", name, v)
		}
	}
	return nil
}

// applySettings copies the writable fields present in form; a present but
// empty field clears the setting.
func applySettings(n *numberRecord, form url.Values) {
	for name, field := range numberSettings {
		if form.Has(name) {
			v := form.Get(name)
			if strings.HasSuffix(name, "Method") {
				v = strings.ToUpper(v)
			}
			*field(n) = v
		}
	}
	for _, m := range []*string{&n.SMSMethod, &n.SMSFallbackMethod, &n.StatusCallbackMethod, &n.VoiceMethod, &n.VoiceFallbackMethod} {
		if *m == "" {
			*m = http.MethodPost
		}
	}
}

// buyNumber serves IncomingPhoneNumbers create. kind is empty for the
// generic endpoint, or local/tollfree for the typed ones, which take a
// PhoneNumber only.
func (s *Server) buyNumber(kind string) accountHandler {
	return func(w http.ResponseWriter, r *http.Request, acct Account) {
		form, e := readForm(w, r)
		if e != nil {
			writeAPIError(w, e)
			return
		}
		phone, areaCode := form.Get("PhoneNumber"), form.Get("AreaCode")
		switch {
		case kind != "" && areaCode != "":
			e = invalid(21457, "AreaCode is not supported for this number type; give a PhoneNumber")
		case phone == "" && areaCode == "":
			e = invalid(21421, "A PhoneNumber or AreaCode is required")
		case phone != "" && !validE164(phone):
			e = invalid(21421, "PhoneNumber %s is invalid", phone)
		case areaCode != "" && !validNPA(areaCode):
			e = invalid(21451, "AreaCode %s is not valid", areaCode)
		default:
			e = validateSettings(form)
		}
		if e != nil {
			writeAPIError(w, e)
			return
		}

		n, e := s.assignNumber(acct, phone, areaCode, kind, form)
		if e != nil {
			writeAPIError(w, e)
			return
		}
		s.log.Info("twiliosim: number bought", "accountSid", acct.Sid, "phoneNumber", n.PhoneNumber, "numberSid", n.SID)
		writeJSON(w, http.StatusCreated, renderNumber(n))
	}
}

// assignNumber gives the account the requested number with the settings in
// form.
func (s *Server) assignNumber(acct Account, phone, areaCode, kind string, form url.Values) (numberRecord, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, e := s.pickNumber(phone, areaCode, kind)
	if e != nil {
		return numberRecord{}, e
	}
	now := time.Now().UTC()
	n := &numberRecord{
		SID:          newSID("PN"),
		AccountSID:   acct.Sid,
		PhoneNumber:  c.E164,
		FriendlyName: friendlyNumber(c.E164),
		Type:         c.numberType(),
		Capabilities: c.Caps,
		Locality:     c.Area.City,
		Region:       c.Area.Region,
		PostalCode:   c.Area.Postal,
		ISOCountry:   c.Country,
		DateCreated:  now,
		DateUpdated:  now,
	}
	applySettings(n, form)
	s.st.numbers[n.SID] = n
	s.markDirty()
	return *n, nil
}

// pickNumber finds the number a buy request gets. The caller holds s.mu.
func (s *Server) pickNumber(phone, areaCode, kind string) (candidate, *apiError) {
	if phone != "" {
		c, ok := lookupCandidate(phone)
		if !ok || s.st.isOwned(phone) || (kind != "" && c.numberType() != kind) {
			return candidate{}, invalid(21422, "PhoneNumber %s is not available", phone)
		}
		return c, nil
	}
	if areaCode != exhaustedAreaCode {
		for _, c := range candidatesIn(areaCode, "US") {
			if c.Caps.SMS && !s.st.isOwned(c.E164) {
				return c, nil
			}
		}
	}
	return candidate{}, invalid(21452, "No phone numbers found in area code %s", areaCode)
}

// ownedNumber resolves the {file} path value to the account's number.
// The caller holds s.mu.
func (s *Server) ownedNumber(r *http.Request, acct Account) (*numberRecord, *apiError) {
	sid, ok := strings.CutSuffix(r.PathValue("file"), ".json")
	if !ok || !numberSIDPattern.MatchString(sid) {
		return nil, notFound(r)
	}
	n, found := s.st.numbers[sid]
	if !found || n.AccountSID != acct.Sid {
		return nil, notFound(r)
	}
	return n, nil
}

func (s *Server) fetchNumber(w http.ResponseWriter, r *http.Request, acct Account) {
	s.mu.Lock()
	n, e := s.ownedNumber(r, acct)
	var snap numberRecord
	if e == nil {
		snap = *n
	}
	s.mu.Unlock()
	if e != nil {
		writeAPIError(w, e)
		return
	}
	writeJSON(w, http.StatusOK, renderNumber(snap))
}

func (s *Server) updateNumber(w http.ResponseWriter, r *http.Request, acct Account) {
	form, e := readForm(w, r)
	if e == nil {
		e = validateSettings(form)
	}
	if e != nil {
		writeAPIError(w, e)
		return
	}
	n, e := s.changeNumber(r, acct, form)
	if e != nil {
		writeAPIError(w, e)
		return
	}
	writeJSON(w, http.StatusOK, renderNumber(n))
}

// changeNumber applies the settings in form, unless a number fault fails
// the update.
func (s *Server) changeNumber(r *http.Request, acct Account, form url.Values) (numberRecord, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, e := s.ownedNumber(r, acct)
	if e != nil {
		return numberRecord{}, e
	}
	if f, ok := s.takeNumberFault(n.PhoneNumber); ok {
		return numberRecord{}, newAPIError(statusForCode(f.ErrorCode), f.ErrorCode, "%s", errorText(f.ErrorCode))
	}
	applySettings(n, form)
	n.DateUpdated = time.Now().UTC()
	s.markDirty()
	return *n, nil
}

func (s *Server) releaseNumber(w http.ResponseWriter, r *http.Request, acct Account) {
	s.mu.Lock()
	n, e := s.ownedNumber(r, acct)
	if e == nil {
		delete(s.st.numbers, n.SID)
		s.markDirty()
	}
	s.mu.Unlock()
	if e != nil {
		writeAPIError(w, e)
		return
	}
	s.log.Info("twiliosim: number released", "accountSid", acct.Sid, "phoneNumber", n.PhoneNumber, "numberSid", n.SID)
	w.WriteHeader(http.StatusNoContent)
}

// listNumbers lists the account's numbers, filtered by PhoneNumber (partial,
// * for any digit) and FriendlyName (exact).
func (s *Server) listNumbers(w http.ResponseWriter, r *http.Request, acct Account) {
	q := r.URL.Query()
	match := func(string) bool { return true }
	if p := q.Get("PhoneNumber"); p != "" {
		re, err := regexp.Compile(strings.ReplaceAll(regexp.QuoteMeta(p), `\*`, "[0-9]"))
		if err != nil {
			writeAPIError(w, badRequest("PhoneNumber filter %q is not valid", p))
			return
		}
		match = re.MatchString
	}
	name := q.Get("FriendlyName")
	var matched []numberRecord
	s.mu.Lock()
	for _, n := range s.st.numbersOf(acct.Sid) {
		if match(n.PhoneNumber) && (name == "" || n.FriendlyName == name) {
			matched = append(matched, *n)
		}
	}
	s.mu.Unlock()
	page, lo, hi, e := paginate(r, len(matched))
	if e != nil {
		writeAPIError(w, e)
		return
	}
	out := numberListJSON{listPage: page, IncomingPhoneNumbers: make([]numberJSON, 0, hi-lo)}
	for _, n := range matched[lo:hi] {
		out.IncomingPhoneNumbers = append(out.IncomingPhoneNumbers, renderNumber(n))
	}
	writeJSON(w, http.StatusOK, out)
}
