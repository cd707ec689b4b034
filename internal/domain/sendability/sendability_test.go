package sendability

import (
	"testing"
	"time"

	"github.com/snoutos/snout/internal/errs"
)

func TestCheck(t *testing.T) {
	stop := time.Date(2026, 11, 20, 23, 30, 0, 0, time.FixedZone("PST", -8*3600)) // Nov 21 in UTC
	active := BusinessNumber{Active: true, Status: "active"}
	for _, tc := range []struct {
		name     string
		to       Recipient
		from     BusinessNumber
		kind     errs.Kind
		code     string
		wantText string
	}{
		{name: "sendable", to: Recipient{Name: "Gray Williams"}, from: active},
		{name: "opted out", to: Recipient{Name: "Gray Williams", OptedOutAt: &stop, OptedOutKeyword: "STOP"}, from: active,
			kind: errs.KindBlocked, code: CodeOptedOut,
			wantText: "Gray Williams replied STOP on Nov 21, 2026, so texts to them are blocked until they text START."},
		{name: "keyword in any case, no keyword recorded", to: Recipient{Name: "this client", OptedOutAt: &stop}, from: active,
			kind: errs.KindBlocked, code: CodeOptedOut,
			wantText: "This client replied STOP on Nov 21, 2026, so texts to them are blocked until they text START."},
		{name: "lower-case keyword, nameless client", to: Recipient{Name: " ", OptedOutAt: &stop, OptedOutKeyword: "unsubscribe"}, from: active,
			kind: errs.KindBlocked, code: CodeOptedOut,
			wantText: "This client replied UNSUBSCRIBE on Nov 21, 2026, so texts to them are blocked until they text START."},
		{name: "opt-out wins over a number out of service", to: Recipient{Name: "émile", OptedOutAt: &stop, OptedOutKeyword: "QUIT"},
			from: BusinessNumber{Status: "quarantined"}, kind: errs.KindBlocked, code: CodeOptedOut,
			wantText: "Émile replied QUIT on Nov 21, 2026, so texts to them are blocked until they text START."},
		{name: "number quarantined", to: Recipient{Name: "Gray Williams"}, from: BusinessNumber{Status: "quarantined"},
			kind: errs.KindConflict, code: "conflict",
			wantText: "This conversation's business number is quarantined, so it can't send texts. Move the conversation to an active number first."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Check(tc.to, tc.from)
			if tc.kind == 0 {
				if err != nil {
					t.Fatalf("Check = %v, want nil", err)
				}
				return
			}
			e, ok := errs.As(err)
			if !ok {
				t.Fatalf("Check = %v, want a refusal", err)
			}
			if e.Kind != tc.kind || e.Code != tc.code || e.Message != tc.wantText {
				t.Errorf("Check = kind %d code %q %q\nwant kind %d code %q %q", e.Kind, e.Code, e.Message, tc.kind, tc.code, tc.wantText)
			}
		})
	}
}
