package twiliosim

import (
	"net/http"
	"strings"
)

type numberPriceJSON struct {
	NumberType   string `json:"number_type"`
	BasePrice    string `json:"base_price"`
	CurrentPrice string `json:"current_price"`
}

type countryPricesJSON struct {
	Country           string            `json:"country"`
	IsoCountry        string            `json:"iso_country"`
	PhoneNumberPrices []numberPriceJSON `json:"phone_number_prices"`
	PriceUnit         string            `json:"price_unit"`
	URL               string            `json:"url"`
}

// countryNames are the countries the simulator sells numbers in.
var countryNames = map[string]string{"US": "United States", "CA": "Canada"}

// Monthly number prices, as decimal strings.
const (
	localMonthlyPrice    = "1.15"
	tollFreeMonthlyPrice = "2.15"
)

// numberPricing serves Pricing v1 GET /v1/PhoneNumbers/Countries/{iso},
// which real Twilio hosts on pricing.twilio.com.
func (s *Server) numberPricing(w http.ResponseWriter, r *http.Request, _ Account) {
	iso := strings.ToUpper(r.PathValue("iso"))
	name, ok := countryNames[iso]
	if !ok {
		writeAPIError(w, notFound(r))
		return
	}
	writeJSON(w, http.StatusOK, countryPricesJSON{
		Country:    name,
		IsoCountry: iso,
		PhoneNumberPrices: []numberPriceJSON{
			{NumberType: "local", BasePrice: localMonthlyPrice, CurrentPrice: localMonthlyPrice},
			{NumberType: "toll free", BasePrice: tollFreeMonthlyPrice, CurrentPrice: tollFreeMonthlyPrice},
		},
		PriceUnit: "USD",
		URL:       "https://pricing.twilio.com/v1/PhoneNumbers/Countries/" + iso,
	})
}
