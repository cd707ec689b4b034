package provider

import (
	"context"

	"github.com/twilio/twilio-go"
	api "github.com/twilio/twilio-go/rest/api/v2010"
)

// Account is the Twilio account the client acts for.
type Account struct {
	SID          string
	FriendlyName string
	Status       string // active, suspended or closed
	Type         string // Trial or Full
}

// Balance is the account's prepaid balance, a decimal string such as "12.34".
type Balance struct {
	Amount   string
	Currency string
}

// FetchAccount reads the account; it is also the cheapest way to check that
// the credentials work.
func (c *Client) FetchAccount(ctx context.Context) (Account, error) {
	return call(ctx, c, "fetch account", func(rc *twilio.RestClient) (Account, error) {
		a, err := rc.Api.FetchAccount(c.accountSID)
		if err != nil {
			return Account{}, err
		}
		return Account{
			SID:          deref(a.Sid),
			FriendlyName: deref(a.FriendlyName),
			Status:       deref(a.Status),
			Type:         deref(a.Type),
		}, nil
	})
}

// FetchBalance reads the account balance.
func (c *Client) FetchBalance(ctx context.Context) (Balance, error) {
	return call(ctx, c, "fetch balance", func(rc *twilio.RestClient) (Balance, error) {
		b, err := rc.Api.FetchBalance(&api.FetchBalanceParams{})
		if err != nil {
			return Balance{}, err
		}
		return Balance{Amount: deref(b.Balance), Currency: deref(b.Currency)}, nil
	})
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
