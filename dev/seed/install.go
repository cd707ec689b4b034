package seed

import (
	"context"
	"fmt"

	"github.com/snoutos/snout/internal/platform/config"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/internal/twilio/orgprovider"
	"github.com/snoutos/snout/internal/twilio/provider"
)

// InstallDemoNumbers makes the provider (the simulator in development) own
// the demo org's numbers with their SMS webhook pointing at this API, the
// same configuration the setup wizard installs for a real org.
func InstallDemoNumbers(ctx context.Context, st *store.Store, dir *orgprovider.Directory, cfg config.Config, demo *Result) error {
	org := st.Org(demo.OrgID)
	pc, err := dir.ForOrg(ctx, demo.OrgID)
	if err != nil {
		return err
	}
	numbers, err := org.ListAllNumbers(ctx)
	if err != nil {
		return err
	}
	smsURL := cfg.PublicURL + "/webhooks/twilio/sms"
	for _, n := range numbers {
		if n.Status == store.NumberReleased {
			continue
		}
		owned, err := pc.ListOwnedNumbers(ctx, n.E164)
		if err != nil {
			return fmt.Errorf("listing %s: %w", n.E164, err)
		}
		var got provider.OwnedNumber
		if len(owned) == 0 {
			got, err = pc.BuyNumber(ctx, provider.BuyRequest{E164: n.E164, FriendlyName: n.FriendlyName, SMSURL: smsURL})
		} else {
			got, err = pc.ConfigureNumber(ctx, owned[0].SID, provider.NumberConfig{SMSURL: smsURL, SMSMethod: "POST", FriendlyName: n.FriendlyName})
		}
		if err != nil {
			return fmt.Errorf("installing %s: %w", n.E164, err)
		}
		if err := org.MarkWebhookInstalled(ctx, n.ID, got.SID); err != nil {
			return err
		}
	}
	return nil
}
