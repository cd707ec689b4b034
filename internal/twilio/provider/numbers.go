package provider

import (
	"context"
	"regexp"
	"strconv"
	"strings"

	"github.com/twilio/twilio-go"
	api "github.com/twilio/twilio-go/rest/api/v2010"
)

var (
	numberSIDPattern = regexp.MustCompile(`^PN[0-9a-fA-F]{32}$`)
	areaCodePattern  = regexp.MustCompile(`^[2-9][0-9]{2}$`)
	countryPattern   = regexp.MustCompile(`^[A-Z]{2}$`)
)

// DefaultSearchLimit is how many numbers SearchAvailable returns when the
// query sets no limit.
const DefaultSearchLimit = 20

// Capabilities says what a phone number can do.
type Capabilities struct {
	SMS   bool
	MMS   bool
	Voice bool
}

// AvailableQuery narrows a search for numbers to buy.
type AvailableQuery struct {
	Country  string // ISO 3166 alpha-2; empty means US
	AreaCode string // three digits, US and Canada only; optional
	Contains string // digits or letters, * for any one character; optional
	Region   string // state or province, e.g. "CA"; optional
	TollFree bool   // search toll-free numbers instead of local ones
	Limit    int    // at most this many results; zero means DefaultSearchLimit
}

// AvailableNumber is a number that can be bought.
type AvailableNumber struct {
	E164         string
	FriendlyName string
	Locality     string
	Region       string
	PostalCode   string
	Capabilities Capabilities
}

// BuyRequest buys one number: either the exact E164 found by a search or
// the first available number in AreaCode. SMSURL receives inbound texts
// (POST); StatusCallback is Twilio's per-number callback, which Twilio uses
// for voice calls — message delivery status is set per message instead.
type BuyRequest struct {
	E164           string
	AreaCode       string
	FriendlyName   string
	SMSURL         string
	StatusCallback string
}

// OwnedNumber is a number the account owns.
type OwnedNumber struct {
	SID          string
	E164         string
	FriendlyName string
	SMSURL       string
	SMSMethod    string
	Capabilities Capabilities
}

// NumberConfig changes an owned number. Empty fields are left as they are.
type NumberConfig struct {
	SMSURL       string
	SMSMethod    string // GET or POST
	FriendlyName string
}

// SearchAvailable lists SMS-capable numbers that can be bought.
func (c *Client) SearchAvailable(ctx context.Context, q AvailableQuery) ([]AvailableNumber, error) {
	country := strings.ToUpper(q.Country)
	if country == "" {
		country = "US"
	}
	if !countryPattern.MatchString(country) {
		return nil, notFound("country code", q.Country)
	}
	areaCode := 0
	if q.AreaCode != "" {
		if !areaCodePattern.MatchString(q.AreaCode) {
			return nil, invalidInput(21451, "%q is not a valid area code", q.AreaCode)
		}
		areaCode, _ = strconv.Atoi(q.AreaCode)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultSearchLimit
	}
	limit = min(limit, 1000)
	if q.TollFree {
		return call(ctx, c, "search toll-free numbers", func(rc *twilio.RestClient) ([]AvailableNumber, error) {
			params := &api.ListAvailablePhoneNumberTollFreeParams{}
			params.SetSmsEnabled(true).SetPageSize(limit).SetLimit(limit)
			if areaCode != 0 {
				params.SetAreaCode(areaCode)
			}
			if q.Contains != "" {
				params.SetContains(q.Contains)
			}
			if q.Region != "" {
				params.SetInRegion(q.Region)
			}
			found, err := rc.Api.ListAvailablePhoneNumberTollFree(country, params)
			if err != nil {
				return nil, err
			}
			out := make([]AvailableNumber, 0, len(found))
			for _, n := range found {
				out = append(out, availableNumber(n.PhoneNumber, n.FriendlyName, n.Locality, n.Region, n.PostalCode, n.Capabilities))
			}
			return out, nil
		})
	}
	return call(ctx, c, "search local numbers", func(rc *twilio.RestClient) ([]AvailableNumber, error) {
		params := &api.ListAvailablePhoneNumberLocalParams{}
		params.SetSmsEnabled(true).SetPageSize(limit).SetLimit(limit)
		if areaCode != 0 {
			params.SetAreaCode(areaCode)
		}
		if q.Contains != "" {
			params.SetContains(q.Contains)
		}
		if q.Region != "" {
			params.SetInRegion(q.Region)
		}
		found, err := rc.Api.ListAvailablePhoneNumberLocal(country, params)
		if err != nil {
			return nil, err
		}
		out := make([]AvailableNumber, 0, len(found))
		for _, n := range found {
			out = append(out, availableNumber(n.PhoneNumber, n.FriendlyName, n.Locality, n.Region, n.PostalCode, n.Capabilities))
		}
		return out, nil
	})
}

func availableNumber(e164, name, locality, region, postal *string, caps *api.ApiV2010AccountAvailablePhoneNumberCountryAvailablePhoneNumberLocalCapabilities) AvailableNumber {
	n := AvailableNumber{
		E164:         deref(e164),
		FriendlyName: deref(name),
		Locality:     deref(locality),
		Region:       deref(region),
		PostalCode:   deref(postal),
	}
	if caps != nil {
		n.Capabilities = Capabilities{SMS: caps.Sms, MMS: caps.Mms, Voice: caps.Voice}
	}
	return n
}

// BuyNumber buys a number and points its inbound texts at SMSURL.
func (c *Client) BuyNumber(ctx context.Context, req BuyRequest) (OwnedNumber, error) {
	switch {
	case req.E164 == "" && req.AreaCode == "":
		return OwnedNumber{}, invalidInput(21421, "a phone number or an area code is required")
	case req.E164 != "" && req.AreaCode != "":
		return OwnedNumber{}, invalidInput(21421, "give either a phone number or an area code, not both")
	case req.AreaCode != "" && !areaCodePattern.MatchString(req.AreaCode):
		return OwnedNumber{}, invalidInput(21451, "%q is not a valid area code", req.AreaCode)
	}
	params := &api.CreateIncomingPhoneNumberParams{}
	if req.E164 != "" {
		params.SetPhoneNumber(req.E164)
	} else {
		params.SetAreaCode(req.AreaCode)
	}
	if req.FriendlyName != "" {
		params.SetFriendlyName(req.FriendlyName)
	}
	if req.SMSURL != "" {
		params.SetSmsUrl(req.SMSURL).SetSmsMethod("POST")
	}
	if req.StatusCallback != "" {
		params.SetStatusCallback(req.StatusCallback)
	}
	return call(ctx, c, "buy number", func(rc *twilio.RestClient) (OwnedNumber, error) {
		n, err := rc.Api.CreateIncomingPhoneNumber(params)
		if err != nil {
			return OwnedNumber{}, err
		}
		return ownedNumber(n), nil
	})
}

// ListOwnedNumbers lists the account's numbers, or only the number equal to
// filterE164 when that is set.
func (c *Client) ListOwnedNumbers(ctx context.Context, filterE164 string) ([]OwnedNumber, error) {
	params := &api.ListIncomingPhoneNumberParams{}
	if filterE164 != "" {
		params.SetPhoneNumber(filterE164)
	}
	return call(ctx, c, "list numbers", func(rc *twilio.RestClient) ([]OwnedNumber, error) {
		found, err := rc.Api.ListIncomingPhoneNumber(params)
		if err != nil {
			return nil, err
		}
		out := make([]OwnedNumber, 0, len(found))
		for i := range found {
			n := ownedNumber(&found[i])
			// Twilio's PhoneNumber filter matches partially; keep exact hits.
			if filterE164 != "" && n.E164 != filterE164 {
				continue
			}
			out = append(out, n)
		}
		return out, nil
	})
}

// ConfigureNumber changes an owned number's inbound SMS webhook or name.
func (c *Client) ConfigureNumber(ctx context.Context, sid string, cfg NumberConfig) (OwnedNumber, error) {
	if !numberSIDPattern.MatchString(sid) {
		return OwnedNumber{}, notFound("phone number SID", sid)
	}
	params := &api.UpdateIncomingPhoneNumberParams{}
	if cfg.SMSURL != "" {
		params.SetSmsUrl(cfg.SMSURL)
	}
	if cfg.SMSMethod != "" {
		params.SetSmsMethod(strings.ToUpper(cfg.SMSMethod))
	}
	if cfg.FriendlyName != "" {
		params.SetFriendlyName(cfg.FriendlyName)
	}
	return call(ctx, c, "configure number", func(rc *twilio.RestClient) (OwnedNumber, error) {
		n, err := rc.Api.UpdateIncomingPhoneNumber(sid, params)
		if err != nil {
			return OwnedNumber{}, err
		}
		return ownedNumber(n), nil
	})
}

// ReleaseNumber gives a number back to Twilio. Releasing a number that is
// already gone fails with code 20404.
func (c *Client) ReleaseNumber(ctx context.Context, sid string) error {
	if !numberSIDPattern.MatchString(sid) {
		return notFound("phone number SID", sid)
	}
	_, err := call(ctx, c, "release number", func(rc *twilio.RestClient) (struct{}, error) {
		return struct{}{}, rc.Api.DeleteIncomingPhoneNumber(sid, &api.DeleteIncomingPhoneNumberParams{})
	})
	return err
}

func ownedNumber(n *api.ApiV2010IncomingPhoneNumber) OwnedNumber {
	o := OwnedNumber{
		SID:          deref(n.Sid),
		E164:         deref(n.PhoneNumber),
		FriendlyName: deref(n.FriendlyName),
		SMSURL:       deref(n.SmsUrl),
		SMSMethod:    deref(n.SmsMethod),
	}
	if n.Capabilities != nil {
		o.Capabilities = Capabilities{SMS: n.Capabilities.Sms, MMS: n.Capabilities.Mms, Voice: n.Capabilities.Voice}
	}
	return o
}
