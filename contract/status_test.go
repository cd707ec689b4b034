package contract

import (
	"slices"
	"testing"
)

func TestDeliveryStatusOrder(t *testing.T) {
	// The path of an SMS (TWILIO.md §3.5) only moves forward.
	path := []string{"pending", "accepted", "queued", "sending", "sent", "delivered", "read"}
	for i := 1; i < len(path); i++ {
		if StatusRank(path[i-1]) >= StatusRank(path[i]) {
			t.Errorf("%s (%d) does not rank below %s (%d)", path[i-1], StatusRank(path[i-1]), path[i], StatusRank(path[i]))
		}
	}
	// Outcomes of one attempt rank equal: a late "delivered" does not undo
	// "undelivered", nor the other way round.
	for _, s := range []string{"undelivered", "failed", "canceled"} {
		if StatusRank(s) != StatusRank("delivered") {
			t.Errorf("%s ranks %d, delivered %d", s, StatusRank(s), StatusRank("delivered"))
		}
	}
	if StatusRank("scheduled") != StatusRank("accepted") {
		t.Errorf("scheduled and accepted are both initial statuses of a Messaging Service")
	}
	var final []string
	for _, s := range DeliveryStatuses() {
		if IsFinalStatus(s) {
			final = append(final, s)
		}
	}
	if want := []string{"delivered", "undelivered", "failed", "canceled", "read"}; !slices.Equal(final, want) {
		t.Errorf("final statuses %v, want %v", final, want)
	}
	for _, s := range []string{"", "received", "receiving", "blocked", "discarded", "partially_delivered", "DELIVERED"} {
		if StatusRank(s) != -1 || IsFinalStatus(s) {
			t.Errorf("%q ranks %d (final %v), want -1 and not final", s, StatusRank(s), IsFinalStatus(s))
		}
	}
	if n := len(DeliveryStatuses()); n != 11 {
		t.Errorf("%d ranked statuses, want 11", n)
	}
}
