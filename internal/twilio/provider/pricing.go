package provider

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/twilio/twilio-go"
)

// Price is a monthly price as a decimal string, e.g. "1.15" USD.
type Price struct {
	Amount   string
	Currency string
}

// MonthlyPrice returns what one local (or toll-free) number costs per month
// in country, from Twilio's Pricing API.
func (c *Client) MonthlyPrice(ctx context.Context, country string, tollFree bool) (Price, error) {
	iso := strings.ToUpper(country)
	if !countryPattern.MatchString(iso) {
		return Price{}, notFound("country code", country)
	}
	want := "local"
	if tollFree {
		want = "toll free"
	}
	return call(ctx, c, "fetch number price", func(rc *twilio.RestClient) (Price, error) {
		info, err := rc.PricingV1.FetchPhoneNumberCountry(iso)
		if err != nil {
			return Price{}, err
		}
		if info.PhoneNumberPrices != nil {
			for _, p := range *info.PhoneNumberPrices {
				if numberType(p.NumberType) == want {
					return Price{Amount: formatPrice(p.CurrentPrice), Currency: deref(info.PriceUnit)}, nil
				}
			}
		}
		return Price{}, &Error{
			Code:       20404,
			HTTPStatus: 404,
			Message:    fmt.Sprintf("Twilio lists no %s number price for %s", want, iso),
			MoreInfo:   moreInfo(20404),
		}
	})
}

// numberType folds Twilio's spellings ("toll free", "toll-free",
// "toll_free", "Local") to one form.
func numberType(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.NewReplacer("-", " ", "_", " ").Replace(s)
}

// formatPrice prints a price twilio-go decoded as float32 with the fewest
// digits that read back the same, and never fewer than two decimals.
func formatPrice(v float32) string {
	s := strconv.FormatFloat(float64(v), 'f', -1, 32)
	dot := strings.IndexByte(s, '.')
	switch {
	case dot < 0:
		return s + ".00"
	case len(s)-dot-1 < 2:
		return s + "0"
	default:
		return s
	}
}
