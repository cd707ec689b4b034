package store_test

// Org isolation: every OrgStore function, called as org A against a
// database where org B holds look-alike data, returns, counts and changes
// nothing of org B's. Three tables:
//
//   - idCases: the function is given org B's IDs (or provider SIDs, or
//     numbers only org B holds). It must answer as if they did not exist
//     (want), return nothing of B's and change no row of either org. The
//     same call with org A's own IDs must then work (return something, or
//     change A's rows when write is set), which shows the refusal came
//     from the org filter and not from a broken call.
//   - listCases: lists, searches and lookups by a value both orgs share
//     (a client's phone, a sitter's email, an alert's dedupe key) return
//     org A's rows and none of org B's.
//   - customCases: counts, mixed IDs, and writes keyed by shared values.
//
// Every case runs in its own transaction, rolled back afterwards, and fails
// if any row of org B (any table with an org_id column) changed.
// TestEveryOrgStoreFunctionHasAnIsolationCase (scoping_test.go) keeps
// these tables complete.

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/domain/message"
	"github.com/snoutos/snout/internal/domain/numbers"
	"github.com/snoutos/snout/internal/store"
)

// call is a store call made as org A with the IDs of org o.
type call func(e *env, a *store.OrgStore, o *orgFix) (any, error)

type idCase struct {
	fn   string
	what string
	// want is what org B's IDs give: store.ErrNotFound, store.ErrConflict,
	// or nil (then the result must be empty: no row, false, zero).
	want error
	// write: with its own IDs the call changes org A's rows.
	write bool
	call  call
}

func nothing(err error) (any, error) { return nil, err }

// refused, as an idCase's want: any error will do. Rows that name their
// org (OrgID) are refused when it is not the store's.
var refused = errors.New("refused")

var idCases = []idCase{
	// alerts.go
	{fn: "Alert", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.Alert(e.ctx, o.SharedAlert))
	}},
	{fn: "CloseAlert", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return nothing(a.CloseAlert(e.ctx, o.SharedAlert, store.AlertResolved, o.Owner, e.now))
	}},
	{fn: "ResolveAlertsFor", what: "an entity of the other org", write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return nothing(a.ResolveAlertsFor(e.ctx, "message", o.T3DeadLetter.String(), e.now))
	}},

	// Rows that carry their org: the store inserts them only for its own.
	{fn: "CreateOutboundMessage", what: "a message of the other org", want: refused, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		m := &store.Message{ID: store.NewID(), OrgID: o.Org, ThreadID: o.T1, Direction: store.DirectionOutbound, SenderType: store.SenderOwner,
			Body: "Running late", Media: []message.MediaItem{}, FromE164: o.FrontDeskE164, ToE164: averyPhone, Status: store.StatusPending, CreatedAt: e.now, UpdatedAt: e.now}
		return nothing(a.CreateOutboundMessage(e.ctx, m))
	}},
	{fn: "CreateBlockedMessage", what: "a message of the other org", want: refused, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		m := &store.Message{ID: store.NewID(), OrgID: o.Org, ThreadID: o.T3, Direction: store.DirectionOutbound, SenderType: store.SenderSitter, SenderSitterID: &o.Sam,
			Body: "text me at my cell", Media: []message.MediaItem{}, Status: store.StatusBlocked, CreatedAt: e.now, UpdatedAt: e.now}
		v := &store.PolicyViolation{ID: store.NewID(), OrgID: o.Org, MessageID: m.ID, ThreadID: o.T3, SitterID: &o.Sam, Kinds: []string{"phone"},
			Excerpts: json.RawMessage(`[]`), Status: store.ViolationOpen}
		return nothing(a.CreateBlockedMessage(e.ctx, m, v))
	}},
	{fn: "CreateOutboundIfMissing", what: "a message of the other org", want: refused, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		m, _, err := a.CreateOutboundIfMissing(e.ctx, &store.Message{ID: store.NewID(), OrgID: o.Org, ThreadID: o.T1, Direction: store.DirectionOutbound,
			SenderType: store.SenderAutomation, Body: "Reply STOP to opt out", FromE164: o.FrontDeskE164, ToE164: averyPhone, Status: store.StatusPending, CreatedAt: e.now, UpdatedAt: e.now})
		return m, err
	}},
	{fn: "InsertWebhookReceipt", what: "a receipt of the other org", want: refused, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		r, _, err := a.InsertWebhookReceipt(e.ctx, &store.WebhookReceipt{OrgID: o.Org, Kind: "sms", DedupeKey: "SMfresh-" + o.Tag, MessageSID: "SMfresh-" + o.Tag,
			Payload: json.RawMessage(`{}`), CorrelationID: "corr-new"})
		return r, err
	}},
	{fn: "CreateClientIfMissing", what: "a client of the other org", want: refused, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		c, _, err := a.CreateClientIfMissing(e.ctx, &store.Client{OrgID: o.Org, Name: "Devon Ruiz", PhoneE164: "+15551239999"})
		return c, err
	}},
	{fn: "CreateWindow", what: "a window of the other org", want: refused, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return nothing(a.CreateWindow(e.ctx, &store.AssignmentWindow{ID: store.NewID(), OrgID: o.Org, SitterID: o.Jo, ClientID: o.Casey,
			StartsAt: e.now.Add(120 * time.Hour), EndsAt: e.now.Add(144 * time.Hour), Status: store.WindowScheduled}))
	}},

	// clients.go
	{fn: "PhoneHolders", what: "a number only the other org's client holds", call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.PhoneHolders(e.ctx, []string{o.EllisPhone}, uuid.Nil))
	}},
	{fn: "SaveClientRecord", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		r := &store.ClientRecord{Client: store.Client{ID: o.Avery, Name: "Avery P."}, Phones: []store.ClientPhone{{E164: averyPhone}, {E164: "+15551238888"}},
			Pets: []store.ClientPet{{Name: "Biscuit"}}}
		return nothing(a.SaveClientRecord(e.ctx, r))
	}},
	{fn: "ClientPhones", call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.ClientPhones(e.ctx, []uuid.UUID{o.Avery, o.Blake}))
	}},
	{fn: "ClientPets", call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.ClientPets(e.ctx, []uuid.UUID{o.Avery}))
	}},
	{fn: "SetClientArchived", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return nothing(a.SetClientArchived(e.ctx, o.Casey, &e.now))
	}},
	{fn: "SetClientConsent", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return nothing(a.SetClientConsent(e.ctx, o.Casey, true, store.ConsentStaff, e.now))
	}},
	{fn: "MergeClients", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		_, err := a.MergeClients(e.ctx, o.Ellis, o.Casey, e.now)
		return nil, err
	}},
	{fn: "MergeClients", what: "the other org's client into this org's", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		_, err := a.MergeClients(e.ctx, o.Ellis, e.A.Casey, e.now)
		return nil, err
	}},
	// A preview changes nothing, so it is not a write: with org A's own IDs
	// it returns what would move (Casey's thread) and leaves the rows be.
	{fn: "PreviewMerge", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		res, _, err := a.PreviewMerge(e.ctx, o.Casey, o.Ellis, e.now)
		return res, err
	}},
	{fn: "PreviewMerge", what: "the other org's client into this org's", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		res, _, err := a.PreviewMerge(e.ctx, o.Casey, e.A.Ellis, e.now)
		return res, err
	}},

	// people.go
	{fn: "CreateInvitation", what: "an invitation of the other org", want: refused, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return nothing(a.CreateInvitation(e.ctx, &store.Invitation{OrgID: o.Org, Email: "fresh@example.test", Role: store.RoleAdmin,
			TokenHash: []byte("fresh-" + o.Tag), ExpiresAt: e.now.Add(time.Hour)}))
	}},
	{fn: "CreateInvitation", what: "naming the other org's sitter", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return nothing(a.CreateInvitation(e.ctx, &store.Invitation{OrgID: e.A.Org, Email: "jo@example.test", Role: store.RoleSitter, SitterID: &o.Jo,
			TokenHash: []byte("jo-" + o.Tag), ExpiresAt: e.now.Add(time.Hour)}))
	}},
	{fn: "Invitation", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.Invitation(e.ctx, o.Invite))
	}},
	{fn: "ResendInvitation", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.ResendInvitation(e.ctx, o.Invite, []byte("resent-"+o.Tag), e.now.Add(96*time.Hour), e.now))
	}},
	{fn: "RevokeInvitation", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.RevokeInvitation(e.ctx, o.Invite, e.now))
	}},
	{fn: "AcceptInvitation", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.AcceptInvitation(e.ctx, o.Invite, e.A.sharedSitterUser, "Sam Rivera", e.now))
	}},
	{fn: "Member", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.Member(e.ctx, o.Owner))
	}},
	{fn: "SetMemberRole", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return nothing(a.SetMemberRole(e.ctx, o.Owner, store.RoleAdmin))
	}},
	{fn: "DeactivateMember", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.DeactivateMember(e.ctx, o.Owner, e.now))
	}},
	{fn: "SitterWindowsAhead", call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.SitterWindowsAhead(e.ctx, o.Jo, e.now))
	}},
	{fn: "SitterRosterEntry", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.SitterRosterEntry(e.ctx, o.Sam, e.now))
	}},
	{fn: "UpdateSitterProfile", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return nothing(a.UpdateSitterProfile(e.ctx, o.Sam, "Sam R.", "Sam", ""))
	}},
	{fn: "SetSitterActive", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return nothing(a.SetSitterActive(e.ctx, o.Sam, false))
	}},

	// delivery.go
	{fn: "Conversation", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.Conversation(e.ctx, o.T1))
	}},
	{fn: "SitterThreadOutsideWindow", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		t, last, next, err := a.SitterThreadOutsideWindow(e.ctx, o.Sam, o.T2, e.now)
		if err != nil {
			return nil, err
		}
		return []any{t, last, next}, nil
	}},
	{fn: "SitterThreadOutsideWindow", what: "the other org's sitter in this org's thread", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		t, last, next, err := a.SitterThreadOutsideWindow(e.ctx, o.Sam, e.A.T2, e.now)
		if err != nil {
			return nil, err
		}
		return []any{t, last, next}, nil
	}},
	{fn: "CreateOutboundMessage", what: "in the other org's thread", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		m := &store.Message{ID: store.NewID(), OrgID: e.A.Org, ThreadID: o.T1, Direction: store.DirectionOutbound, SenderType: store.SenderOwner,
			Body: "Running late", Media: []message.MediaItem{}, FromE164: o.FrontDeskE164, ToE164: averyPhone, Status: store.StatusPending, CreatedAt: e.now, UpdatedAt: e.now}
		return nothing(a.CreateOutboundMessage(e.ctx, m))
	}},
	{fn: "DeleteUnsentMessage", write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return nothing(a.DeleteUnsentMessage(e.ctx, o.T1Pending))
	}},
	{fn: "CreateBlockedMessage", what: "in the other org's thread", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		m := &store.Message{ID: store.NewID(), OrgID: e.A.Org, ThreadID: o.T3, Direction: store.DirectionOutbound, SenderType: store.SenderSitter, SenderSitterID: &o.Sam,
			Body: "text me at my cell", Media: []message.MediaItem{}, Status: store.StatusBlocked, CreatedAt: e.now, UpdatedAt: e.now}
		v := &store.PolicyViolation{ID: store.NewID(), OrgID: e.A.Org, MessageID: m.ID, ThreadID: o.T3, SitterID: &o.Sam, Kinds: []string{"phone"},
			Excerpts: json.RawMessage(`[]`), Status: store.ViolationOpen}
		return nothing(a.CreateBlockedMessage(e.ctx, m, v))
	}},
	{fn: "OutboundMessage", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.OutboundMessage(e.ctx, o.T1Out))
	}},
	{fn: "SentAttemptSince", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.SentAttemptSince(e.ctx, o.T1Out, 1))
	}},
	{fn: "BeginAttempt", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return nothing(a.BeginAttempt(e.ctx, o.T1Pending, 2, "manual", e.now))
	}},
	{fn: "RecordAttemptAccepted", write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return nothing(a.RecordAttemptAccepted(e.ctx, o.T2Out, 1, o.T2OutSID, store.StatusDelivered, e.now))
	}},
	{fn: "RecordAttemptFailed", write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return nothing(a.RecordAttemptFailed(e.ctx, o.T3DeadLetter, 1, 30005, "Unknown destination", e.now))
	}},
	{fn: "MessageAttempts", call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.MessageAttempts(e.ctx, o.T1Out))
	}},
	{fn: "DeadLetterMessage", write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.DeadLetterMessage(e.ctx, o.T1Out, e.now))
	}},
	{fn: "TakeOutOfDeadLetters", write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.TakeOutOfDeadLetters(e.ctx, o.T3DeadLetter, e.now))
	}},
	{fn: "DiscardMessage", write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.DiscardMessage(e.ctx, o.T3DeadLetter, e.now))
	}},
	{fn: "CloseAlertsAbout", what: "an entity of the other org", write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.CloseAlertsAbout(e.ctx, "message", o.T3DeadLetter.String(), store.AlertResolved, &o.Owner, e.now))
	}},
	{fn: "PolicyViolations", what: "by sitter", call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.PolicyViolations(e.ctx, store.ViolationFilter{SitterID: &o.Sam}, 50))
	}},
	{fn: "PolicyViolations", what: "by thread", call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.PolicyViolations(e.ctx, store.ViolationFilter{ThreadID: &o.T3}, 50))
	}},
	{fn: "PolicyViolationDetail", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.PolicyViolationDetail(e.ctx, o.OpenViolation))
	}},
	{fn: "ReviewViolation", what: "dismiss", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.ReviewViolation(e.ctx, o.OpenViolation, store.ViolationDismissed, o.Owner, "harmless", e.now))
	}},
	{fn: "ReviewViolation", what: "override releases the message", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.ReviewViolation(e.ctx, o.OpenViolation, store.ViolationOverridden, o.Owner, "it is the office line", e.now))
	}},
	{fn: "ReopenViolation", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return nothing(a.ReopenViolation(e.ctx, o.OverriddenViolation))
	}},

	// delivery_status.go
	{fn: "AttemptBySID", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.AttemptBySID(e.ctx, o.T2OutSID))
	}},
	{fn: "ApplyProviderStatus", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		id, _, err := a.ApplyProviderStatus(e.ctx, store.ProviderStatusUpdate{ProviderSID: o.T2OutSID, Status: store.StatusDelivered, At: e.now})
		return id, err
	}},

	// inbound.go
	{fn: "InsertWebhookReceipt", what: "the other org's dedupe key", want: store.ErrConflict, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		stored, _, err := a.InsertWebhookReceipt(e.ctx, &store.WebhookReceipt{OrgID: e.A.Org, Kind: "sms", DedupeKey: o.ReceiptKey, MessageSID: o.ReceiptKey,
			Payload: json.RawMessage(`{}`), CorrelationID: "corr-new"})
		return stored, err
	}},
	{fn: "WebhookReceipt", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.WebhookReceipt(e.ctx, o.Receipt))
	}},
	{fn: "MarkReceiptDispatched", write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return nothing(a.MarkReceiptDispatched(e.ctx, o.Receipt, e.now))
	}},
	{fn: "RecordReceiptDispatchError", write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return nothing(a.RecordReceiptDispatchError(e.ctx, o.Receipt, "Temporal unavailable"))
	}},
	{fn: "MarkReceiptProcessed", write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return nothing(a.MarkReceiptProcessed(e.ctx, o.Receipt, e.now, "sender is not a phone number"))
	}},
	{fn: "InboundNumber", what: "a number only the other org holds", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.InboundNumber(e.ctx, o.SamE164))
	}},
	{fn: "InboundNumber", what: "the other org's front desk, released here", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.InboundNumber(e.ctx, o.FrontDeskE164))
	}},
	{fn: "ThreadMovedOffNumber", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.ThreadMovedOffNumber(e.ctx, o.Released, o.Blake))
	}},
	{fn: "SetClientOptOut", write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.SetClientOptOut(e.ctx, o.Avery, "STOP", e.now))
	}},
	{fn: "ClearClientOptOut", write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.ClearClientOptOut(e.ctx, o.Blake))
	}},
	{fn: "EnsureThread", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		t, _, err := a.EnsureThread(e.ctx, o.Casey, o.Pool, e.now)
		return t, err
	}},
	{fn: "ThreadOverrides", call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.ThreadOverrides(e.ctx, o.T1, e.now.Add(-2*time.Hour), e.now.Add(2*time.Hour)))
	}},
	{fn: "SittersByID", call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.SittersByID(e.ctx, []uuid.UUID{o.Sam, o.Jo}))
	}},
	{fn: "SaveInboundMessage", what: "into the other org's thread", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		m, _, err := a.SaveInboundMessage(e.ctx, store.InboundMessage{ThreadID: o.T1, NumberID: o.FrontDesk, ProviderSID: "SMinbound-new",
			From: averyPhone, To: o.FrontDeskE164, Body: "Is 6pm ok too?", Encoding: "GSM-7", Segments: 1, ReceivedAt: e.now})
		return m, err
	}},
	{fn: "SaveInboundMessage", what: "the other org's provider SID", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		m, _, err := a.SaveInboundMessage(e.ctx, store.InboundMessage{ThreadID: e.A.T1, NumberID: e.A.FrontDesk, ProviderSID: o.T1InSID,
			From: averyPhone, To: e.A.FrontDeskE164, Body: "Is Biscuit ok for a walk at 5pm?", Encoding: "GSM-7", Segments: 1, ReceivedAt: e.now})
		return m, err
	}},
	{fn: "SaveInboundMessage", what: "routed to the other org's sitter", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		m, _, err := a.SaveInboundMessage(e.ctx, store.InboundMessage{ThreadID: e.A.T2, NumberID: e.A.SamNumber, ProviderSID: "SMinbound-routed",
			From: averyPhone, To: e.A.SamE164, Body: "Thanks!", Encoding: "GSM-7", Segments: 1, RoutedSitter: &o.Sam, ReceivedAt: e.now})
		return m, err
	}},
	{fn: "CreateOutboundIfMissing", what: "the other org's message ID", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		m, _, err := a.CreateOutboundIfMissing(e.ctx, &store.Message{ID: o.T1Out, OrgID: e.A.Org, ThreadID: e.A.T1, Direction: store.DirectionOutbound,
			SenderType: store.SenderAutomation, Body: "Reply STOP to opt out", FromE164: e.A.FrontDeskE164, ToE164: averyPhone, Status: store.StatusPending, CreatedAt: e.now, UpdatedAt: e.now})
		return m, err
	}},
	{fn: "RecordAutomaticSend", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return nothing(a.RecordAutomaticSend(e.ctx, o.T1Pending, "SMauto-"+o.Tag, store.StatusSent, e.now))
	}},
	{fn: "RecordAutomaticSendFailed", write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return nothing(a.RecordAutomaticSendFailed(e.ctx, o.T1Pending, 30003, "The phone is unreachable", e.now))
	}},

	// inbox.go
	{fn: "ListThreads", what: "by sitter", call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.ListThreads(e.ctx, store.ThreadFilter{SitterID: &o.Sam, Now: e.now}, 50))
	}},
	{fn: "InboxThread", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.InboxThread(e.ctx, o.T1, e.now))
	}},
	{fn: "Thread", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.Thread(e.ctx, o.T1))
	}},
	{fn: "MarkThreadRead", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.MarkThreadRead(e.ctx, o.T1))
	}},
	{fn: "MarkThreadReadBySitter", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.MarkThreadReadBySitter(e.ctx, o.T2))
	}},
	{fn: "ThreadMessages", call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.ThreadMessages(e.ctx, o.T1, nil, 50))
	}},
	{fn: "SitterThreads", call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.SitterThreads(e.ctx, o.Sam, e.now, nil, 50))
	}},
	{fn: "SitterInboxThread", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.SitterInboxThread(e.ctx, o.Sam, o.T2, e.now))
	}},
	{fn: "SitterInboxThread", what: "the other org's sitter in this org's thread", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.SitterInboxThread(e.ctx, o.Sam, e.A.T2, e.now))
	}},
	{fn: "SitterThreads", what: "the other org's sitter", call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.SitterThreads(e.ctx, o.Sam, e.now, nil, 50))
	}},
	{fn: "ClientByID", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.ClientByID(e.ctx, o.Avery))
	}},
	{fn: "ClientThreads", call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.ClientThreads(e.ctx, o.Avery, e.now))
	}},

	// inventory.go
	{fn: "Inventory", what: "by IDs", call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.Inventory(e.ctx, store.InventoryFilter{IDs: []uuid.UUID{o.FrontDesk, o.Released}, Now: e.now}, 50))
	}},
	{fn: "Inventory", what: "by sitter", call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.Inventory(e.ctx, store.InventoryFilter{SitterID: &o.Sam, Now: e.now}, 50))
	}},
	{fn: "InventoryNumber", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.InventoryNumber(e.ctx, o.FrontDesk, e.now))
	}},
	{fn: "NumberEvents", call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.NumberEvents(e.ctx, o.FrontDesk, 50))
	}},
	{fn: "AddNumberEvent", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return nothing(a.AddNumberEvent(e.ctx, o.FrontDesk, "note", "Checked the greeting", "tester"))
	}},
	{fn: "NumberThreads", call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.NumberThreads(e.ctx, o.FrontDesk, e.now))
	}},
	{fn: "LatestQuarantine", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.LatestQuarantine(e.ctx, o.Spare))
	}},
	{fn: "QuarantineByID", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.QuarantineByID(e.ctx, o.SpareQuarantine))
	}},
	{fn: "ImpactOf", call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.ImpactOf(e.ctx, []uuid.UUID{o.FrontDesk, o.SamNumber, o.Pool}, e.now))
	}},
	{fn: "AssignNumber", want: store.ErrConflict, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return nothing(a.AssignNumber(e.ctx, o.Pool, store.ClassPool, nil, store.ClassSitter, &o.Jo, "Pool 1 → Jo", "tester"))
	}},
	{fn: "BeginQuarantine", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		q := &store.Quarantine{ID: store.NewID(), NumberID: o.Pool, Status: store.QuarantineCoolingDown, EndAction: "return_to_pool",
			Impact: json.RawMessage(`{}`), CooldownEndsAt: e.now.Add(72 * time.Hour), CreatedAt: e.now}
		return result(a.BeginQuarantine(e.ctx, q, "tester"))
	}},
	{fn: "MoveThreadsForQuarantine", write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		moves, stuck, err := a.MoveThreadsForQuarantine(e.ctx, o.SpareQuarantine, o.FrontDesk, []uuid.UUID{o.Pool}, e.now)
		return struct {
			Moves []store.ThreadMove
			Stuck []uuid.UUID
		}{moves, stuck}, err
	}},
	{fn: "NoticeRecipient", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		t, c, n, err := a.NoticeRecipient(e.ctx, o.T1)
		return []any{t, c, n}, err
	}},
	{fn: "AddNumberChangeNotice", what: "in the other org's thread", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.AddNumberChangeNotice(e.ctx, &store.Message{ID: store.NewID(), ThreadID: o.T1, Direction: store.DirectionOutbound, SenderType: store.SenderSystem,
			Body: "We have a new number", Media: []message.MediaItem{}, Status: store.StatusPending, CreatedAt: e.now, UpdatedAt: e.now}))
	}},
	{fn: "FinishQuarantine", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.FinishQuarantine(e.ctx, o.SpareQuarantine, store.QuarantineRestored, e.now, "tester", "Restored early"))
	}},
	{fn: "ReleaseNumber", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.ReleaseNumber(e.ctx, o.Pool, e.now, "tester", "No longer needed"))
	}},

	// numbers.go
	{fn: "Number", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.Number(e.ctx, o.FrontDesk))
	}},
	{fn: "MarkWebhookInstalled", write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return nothing(a.MarkWebhookInstalled(e.ctx, o.Pool, "PN"+o.Tag+"pool2"))
	}},

	// setup.go
	{fn: "PendingCredential", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.PendingCredential(e.ctx, o.PendingLive, e.now))
	}},
	{fn: "DeletePendingCredential", write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return nothing(a.DeletePendingCredential(e.ctx, o.PendingLive))
	}},
	{fn: "ActiveSitter", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.ActiveSitter(e.ctx, o.Sam))
	}},
	{fn: "LiveNumberByE164", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.LiveNumberByE164(e.ctx, o.SamE164))
	}},
	{fn: "UpsertProvisionedNumber", what: "a number the other org holds", want: store.ErrConflict, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		n, _, err := a.UpsertProvisionedNumber(e.ctx, store.ProvisionedNumber{E164: o.PoolE164, ProviderSID: "PN" + o.Tag + "pool", Class: store.ClassPool, MonthlyCost: "2.00"})
		return n, err
	}},
	{fn: "UpsertProvisionedNumber", what: "for the other org's sitter", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		n, _, err := a.UpsertProvisionedNumber(e.ctx, store.ProvisionedNumber{E164: "+15005550199", ProviderSID: "PNnew", Class: store.ClassSitter, SitterID: &o.Jo})
		return n, err
	}},
	{fn: "SetNumberWebhook", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return nothing(a.SetNumberWebhook(e.ctx, o.Pool, "verified", "", "", e.now))
	}},
	{fn: "MarkNumberReleased", write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return nothing(a.MarkNumberReleased(e.ctx, o.Pool, e.now))
	}},
	{fn: "AddNumberEventOnce", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return nothing(a.AddNumberEventOnce(e.ctx, o.FrontDesk, "webhook", "Webhook installed", "system"))
	}},

	// windows.go
	{fn: "Sitter", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.Sitter(e.ctx, o.Sam))
	}},
	{fn: "ClientWindows", call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.ClientWindows(e.ctx, o.Avery, e.now.Add(-96*time.Hour), e.now.Add(96*time.Hour)))
	}},
	{fn: "Window", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.Window(e.ctx, o.WinActive))
	}},
	{fn: "CreateWindow", what: "for the other org's sitter and client", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return nothing(a.CreateWindow(e.ctx, &store.AssignmentWindow{ID: store.NewID(), OrgID: e.A.Org, SitterID: o.Jo, ClientID: o.Casey,
			StartsAt: e.now.Add(120 * time.Hour), EndsAt: e.now.Add(144 * time.Hour), Status: store.WindowScheduled}))
	}},
	{fn: "SetWindowStatus", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return nothing(a.SetWindowStatus(e.ctx, o.WinUpcoming, store.WindowCancelled))
	}},
	{fn: "SitterThread", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		t, w, err := a.SitterThread(e.ctx, o.Sam, o.T2, e.now)
		return []any{t, w}, err
	}},
	{fn: "SitterThread", what: "the other org's sitter in this org's thread", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		t, w, err := a.SitterThread(e.ctx, o.Sam, e.A.T2, e.now)
		return []any{t, w}, err
	}},
	{fn: "FindWindows", what: "by sitter", call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.FindWindows(e.ctx, store.WindowFilter{SitterID: &o.Sam}, 50))
	}},
	{fn: "FindWindows", what: "by client", call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.FindWindows(e.ctx, store.WindowFilter{ClientID: &o.Blake}, 50))
	}},
	{fn: "WindowRowByID", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.WindowRowByID(e.ctx, o.WinActive))
	}},
	{fn: "MoveWindowStatus", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.MoveWindowStatus(e.ctx, o.WinUpcoming, store.WindowActive, store.WindowScheduled))
	}},
	{fn: "UpdateWindow", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return nothing(a.UpdateWindow(e.ctx, o.WinUpcoming, o.Jo, e.now.Add(30*time.Hour), e.now.Add(50*time.Hour), "moved"))
	}},
	{fn: "UpdateWindow", what: "the other org's sitter on this org's window", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return nothing(a.UpdateWindow(e.ctx, e.A.WinUpcoming, o.Sam, e.now.Add(30*time.Hour), e.now.Add(50*time.Hour), "moved"))
	}},
	{fn: "DeleteWindow", write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return nothing(a.DeleteWindow(e.ctx, o.WinUpcoming))
	}},
	{fn: "SitterLine", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.SitterLine(e.ctx, o.Sam))
	}},
	{fn: "LatestClientThread", want: store.ErrNotFound, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.LatestClientThread(e.ctx, o.Avery))
	}},
	{fn: "WindowThreads", call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.WindowThreads(e.ctx, o.WinActive))
	}},
	// The move is refused by the foreign key to quarantines (org_id, id).
	{fn: "MoveThreadsForQuarantine", what: "under the other org's quarantine", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		moves, _, err := a.MoveThreadsForQuarantine(e.ctx, o.SpareQuarantine, e.A.FrontDesk, []uuid.UUID{e.A.Pool}, e.now)
		return moves, err
	}},
	// attempts.go: a send whose answer was lost.
	{fn: "UnconfirmedAttempts", want: nil, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return result(a.UnconfirmedAttempts(e.ctx, o.T1Pending))
	}},
	{fn: "KnownProviderSIDs", what: "the other org's provider SIDs", want: nil, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		known, err := a.KnownProviderSIDs(e.ctx, []string{o.T1OutSID, o.T2OutSID})
		if len(known) == 0 {
			return nil, err
		}
		return known, err
	}},
	{fn: "AdoptAttempt", want: store.ErrNotFound, write: true, call: func(e *env, a *store.OrgStore, o *orgFix) (any, error) {
		return nothing(a.AdoptAttempt(e.ctx, o.T1Pending, 1, "SMadopted"+o.Tag, store.StatusSent, 0, "", e.now))
	}},
}

func TestOrgIsolationWithTheOtherOrgsIDs(t *testing.T) {
	fx := seedTwoOrgs(t)
	for _, c := range idCases {
		t.Run(caseName(c.fn, c.what), func(t *testing.T) { fx.run(t, func(e *env) { c.check(t, e) }) })
	}
}

// check calls the function as org A with org B's IDs, then with A's own.
func (c idCase) check(t *testing.T, e *env) {
	t.Helper()
	before := e.snapshot(e.A.Org)
	got, err := e.asA(func(a *store.OrgStore) (any, error) { return c.call(e, a, e.B) })
	switch {
	case c.want == nil && err != nil:
		t.Errorf("with org B's IDs: %v, want no error and nothing", err)
	case c.want == nil && !isEmpty(got):
		t.Errorf("with org B's IDs it returned %+v, want nothing", got)
	case c.want == refused && err == nil:
		t.Errorf("with org B's IDs it succeeded and returned %+v, want it refused", got)
	case c.want != nil && c.want != refused && !errors.Is(err, c.want):
		t.Errorf("with org B's IDs: error %v, want %v", err, c.want)
	}
	if l := leaks(got, e.B); len(l) > 0 {
		t.Errorf("with org B's IDs it returned org B's %v", l)
	}
	if diff := diffSnapshots(before, e.snapshot(e.A.Org)); diff != "" {
		t.Fatalf("with org B's IDs, org A's rows changed: %s", diff)
	}

	got, err = e.asA(func(a *store.OrgStore) (any, error) { return c.call(e, a, e.A) })
	if err != nil {
		t.Fatalf("with org A's own IDs: %v", err)
	}
	if l := leaks(got, e.B); len(l) > 0 {
		t.Errorf("with org A's own IDs it returned org B's %v", l)
	}
	if c.write {
		if diffSnapshots(before, e.snapshot(e.A.Org)) == "" {
			t.Errorf("with org A's own IDs it changed nothing, so the refusal above proves nothing")
		}
	} else if isEmpty(got) {
		t.Errorf("with org A's own IDs it returned nothing, so the refusal above proves nothing")
	}
}

type listCase struct {
	fn, what string
	call     func(e *env, a *store.OrgStore) (any, error)
	want     func(a *orgFix) []uuid.UUID // org A's rows that must be there
}

var listCases = []listCase{
	{fn: "Alerts", call: func(e *env, a *store.OrgStore) (any, error) { return result(a.Alerts(e.ctx, store.AlertFilter{}, 50)) },
		want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.SharedAlert, a.DeadLetterAlert} }},
	{fn: "Alerts", what: "by kind", call: func(e *env, a *store.OrgStore) (any, error) {
		return result(a.Alerts(e.ctx, store.AlertFilter{Kind: "number_health", Status: store.AlertOpen}, 50))
	}, want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.SharedAlert} }},
	{fn: "RaiseAlert", what: "a dedupe key open in both orgs", call: func(e *env, a *store.OrgStore) (any, error) {
		return result(a.RaiseAlert(e.ctx, &store.Alert{Severity: store.SeverityWarning, Kind: "number_health", Title: "Number health", EntityType: "number", EntityID: sharedEntity, DedupeKey: sharedDedupe}))
	}, want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.SharedAlert} }},
	{fn: "Outbox", call: func(e *env, a *store.OrgStore) (any, error) { return result(a.Outbox(e.ctx, 50)) },
		want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.OutboxEmail} }},
	{fn: "DeadLetters", call: func(e *env, a *store.OrgStore) (any, error) { return result(a.DeadLetters(e.ctx, nil, 50)) },
		want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.T3DeadLetter} }},
	{fn: "PolicyViolations", call: func(e *env, a *store.OrgStore) (any, error) {
		return result(a.PolicyViolations(e.ctx, store.ViolationFilter{}, 50))
	}, want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.OpenViolation, a.OverriddenViolation} }},
	{fn: "UndispatchedReceipts", call: func(e *env, a *store.OrgStore) (any, error) {
		return result(a.UndispatchedReceipts(e.ctx, e.now, 50))
	}, want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.Receipt} }},
	{fn: "ClientByPhone", what: "a phone both orgs have", call: func(e *env, a *store.OrgStore) (any, error) {
		return result(a.ClientByPhone(e.ctx, averyPhone))
	}, want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.Avery} }},
	{fn: "CreateClientIfMissing", what: "a phone both orgs have", call: func(e *env, a *store.OrgStore) (any, error) {
		c, _, err := a.CreateClientIfMissing(e.ctx, &store.Client{OrgID: e.A.Org, Name: "Avery Park", PhoneE164: averyPhone})
		return c, err
	}, want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.Avery} }},
	{fn: "ListThreads", call: func(e *env, a *store.OrgStore) (any, error) {
		return result(a.ListThreads(e.ctx, store.ThreadFilter{Now: e.now}, 50))
	}, want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.T1, a.T2, a.T3, a.T4} }},
	{fn: "ListThreads", what: "unread", call: func(e *env, a *store.OrgStore) (any, error) {
		yes := true
		return result(a.ListThreads(e.ctx, store.ThreadFilter{Unread: &yes, Now: e.now}, 50))
	}, want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.T1} }},
	{fn: "ListThreads", what: "search a client name", call: searchThreads("Avery"), want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.T1, a.T2} }},
	{fn: "ListThreads", what: "search a short name", call: searchThreads("Av"), want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.T1, a.T2} }},
	{fn: "ListThreads", what: "search a sitter name", call: searchThreads("Sam Rivera"), want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.T2} }},
	{fn: "ListThreads", what: "search message text", call: searchThreads("invoice"), want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.T3} }},
	{fn: "ListThreads", what: "search a client phone", call: searchThreads("(555) 123-0001"), want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.T1, a.T2} }},
	{fn: "ListThreads", what: "search a business number both orgs have held", call: searchThreads("+1 500 555 0001"),
		want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.T1} }},
	{fn: "ListClients", call: func(e *env, a *store.OrgStore) (any, error) {
		return result(a.ListClients(e.ctx, store.ClientFilter{}, 50))
	},
		want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.Avery, a.Blake, a.Casey, a.Ellis} }},
	{fn: "ListClients", what: "search a phone", call: func(e *env, a *store.OrgStore) (any, error) {
		return result(a.ListClients(e.ctx, store.ClientFilter{Search: "555-123-0002"}, 50))
	}, want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.Blake} }},
	{fn: "Inventory", call: func(e *env, a *store.OrgStore) (any, error) {
		return result(a.Inventory(e.ctx, store.InventoryFilter{Now: e.now}, 50))
	}, want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.FrontDesk, a.SamNumber, a.Pool, a.Spare} }},
	{fn: "Inventory", what: "search a sitter name", call: func(e *env, a *store.OrgStore) (any, error) {
		return result(a.Inventory(e.ctx, store.InventoryFilter{Query: "Sam", Now: e.now}, 50))
	}, want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.SamNumber} }},
	{fn: "ReplacementCandidates", call: func(e *env, a *store.OrgStore) (any, error) {
		return result(a.ReplacementCandidates(e.ctx, nil, e.now))
	}, want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.Pool, a.FrontDesk} }},
	{fn: "SitterByEmail", what: "a sitter in both orgs", call: func(e *env, a *store.OrgStore) (any, error) {
		return result(a.SitterByEmail(e.ctx, sharedSitterEmail))
	}, want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.Sam} }},
	{fn: "SitterByUserID", what: "a sitter in both orgs", call: func(e *env, a *store.OrgStore) (any, error) {
		return result(a.SitterByUserID(e.ctx, e.A.sharedSitterUser))
	}, want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.Sam} }},
	{fn: "ActiveFrontDesk", call: func(e *env, a *store.OrgStore) (any, error) { return result(a.ActiveFrontDesk(e.ctx)) },
		want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.FrontDesk} }},
	{fn: "ListAllNumbers", call: func(e *env, a *store.OrgStore) (any, error) { return result(a.ListAllNumbers(e.ctx)) },
		want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.FrontDesk, a.SamNumber, a.Pool, a.Spare, a.Released} }},
	{fn: "ActiveNumbers", call: func(e *env, a *store.OrgStore) (any, error) { return result(a.ActiveNumbers(e.ctx)) },
		want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.FrontDesk, a.SamNumber, a.Pool} }},
	{fn: "ProviderAccount", call: func(e *env, a *store.OrgStore) (any, error) { return result(a.ProviderAccount(e.ctx)) },
		want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.Org} }},
	{fn: "SetupProgress", call: func(e *env, a *store.OrgStore) (any, error) { return result(a.SetupProgress(e.ctx)) },
		want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.Org} }},
	{fn: "ClientBook", call: func(e *env, a *store.OrgStore) (any, error) {
		return result(a.ClientBook(e.ctx, store.ClientBookFilter{}, 50))
	}, want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.Avery, a.Blake, a.Casey, a.Ellis} }},
	{fn: "ClientBook", what: "search a phone", call: func(e *env, a *store.OrgStore) (any, error) {
		return result(a.ClientBook(e.ctx, store.ClientBookFilter{Search: "555-123-0002"}, 50))
	}, want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.Blake} }},
	{fn: "Invitations", call: func(e *env, a *store.OrgStore) (any, error) { return result(a.Invitations(e.ctx, true, 50)) },
		want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.Invite} }},
	{fn: "Members", call: func(e *env, a *store.OrgStore) (any, error) { return result(a.Members(e.ctx)) },
		want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.Owner, a.Sam} }},
	{fn: "SitterRoster", call: func(e *env, a *store.OrgStore) (any, error) { return result(a.SitterRoster(e.ctx, e.now)) },
		want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.Sam, a.Jo, a.SamNumber} }},
	{fn: "Sitters", call: func(e *env, a *store.OrgStore) (any, error) { return result(a.Sitters(e.ctx)) },
		want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.Sam, a.Jo} }},
	{fn: "FindWindows", call: func(e *env, a *store.OrgStore) (any, error) {
		return result(a.FindWindows(e.ctx, store.WindowFilter{}, 50))
	},
		want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.WinEnded, a.WinActive, a.WinUpcoming} }},
	{fn: "FindWindows", what: "by status", call: func(e *env, a *store.OrgStore) (any, error) {
		return result(a.FindWindows(e.ctx, store.WindowFilter{Status: store.WindowActive}, 50))
	},
		want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.WinActive} }},
	{fn: "OpenWindows", call: func(e *env, a *store.OrgStore) (any, error) {
		return result(a.OpenWindows(e.ctx, e.now.Add(time.Hour), 50))
	},
		want: func(a *orgFix) []uuid.UUID { return []uuid.UUID{a.WinActive, a.WinUpcoming} }},
}

func searchThreads(s string) func(e *env, a *store.OrgStore) (any, error) {
	return func(e *env, a *store.OrgStore) (any, error) {
		return result(a.ListThreads(e.ctx, store.ThreadFilter{Search: s, Now: e.now}, 50))
	}
}

func TestOrgIsolationOfListsAndSharedValues(t *testing.T) {
	fx := seedTwoOrgs(t)
	for _, c := range listCases {
		t.Run(caseName(c.fn, c.what), func(t *testing.T) {
			fx.run(t, func(e *env) {
				got, err := e.asA(func(a *store.OrgStore) (any, error) { return c.call(e, a) })
				if err != nil {
					t.Fatal(err)
				}
				if l := leaks(got, e.B); len(l) > 0 {
					t.Errorf("returned org B's %v", l)
				}
				if m := missing(got, c.want(e.A)...); len(m) > 0 {
					t.Errorf("org A's %v missing from %+v", m, got)
				}
			})
		})
	}
}

type customCase struct {
	fn, what string
	body     func(t *testing.T, e *env)
}

var customCases = []customCase{
	{fn: "WindowConflicts", what: "double bookings and idle sitters of this org only", body: func(t *testing.T, e *env) {
		// Both orgs get the same problems: Sam also booked with Blake
		// during Sam's window with Avery, and a window of an inactive
		// sitter. Org B's are removed again before the harness compares.
		type problems struct{ double, idleSitter, idle uuid.UUID }
		add := func(o *orgFix) problems {
			p := problems{double: store.NewID(), idleSitter: store.NewID(), idle: store.NewID()}
			rows := []any{
				&store.AssignmentWindow{ID: p.double, OrgID: o.Org, SitterID: o.Sam, ClientID: o.Blake, StartsAt: e.now, EndsAt: e.now.Add(time.Hour), Status: store.WindowActive},
				&store.Sitter{ID: p.idleSitter, OrgID: o.Org, Name: "Lee Idle", PhoneE164: "+15557770099", Active: false},
				&store.AssignmentWindow{ID: p.idle, OrgID: o.Org, SitterID: p.idleSitter, ClientID: o.Casey, StartsAt: e.now.Add(100 * time.Hour), EndsAt: e.now.Add(110 * time.Hour), Status: store.WindowScheduled},
			}
			for _, r := range rows {
				if _, err := e.tx.NewInsert().Model(r).Exec(e.ctx); err != nil {
					t.Fatal(err)
				}
			}
			return p
		}
		pa, pb := add(e.A), add(e.B)
		defer func() {
			for _, q := range []string{"DELETE FROM assignment_windows WHERE id IN (?, ?)", "DELETE FROM sitters WHERE id = ?"} {
				args := []any{pb.double, pb.idle}
				if strings.HasPrefix(q, "DELETE FROM sitters") {
					args = []any{pb.idleSitter}
				}
				if _, err := e.tx.NewRaw(q, args...).Exec(e.ctx); err != nil {
					t.Fatal(err)
				}
			}
		}()
		got, err := e.asA(func(a *store.OrgStore) (any, error) {
			return result(a.WindowConflicts(e.ctx, e.now.Add(-2*time.Hour), e.now.Add(200*time.Hour)))
		})
		if err != nil {
			t.Fatal(err)
		}
		if l := leaks(got, e.B); len(l) > 0 {
			t.Errorf("returned org B's %v", l)
		}
		seen := map[string][]uuid.UUID{}
		for _, c := range got.([]store.WindowConflict) {
			ids := []uuid.UUID{c.Window.ID}
			if c.Other != nil {
				ids = append(ids, c.Other.ID)
			}
			for _, id := range ids {
				if id == pb.double || id == pb.idle {
					t.Errorf("returned org B's window %s", id)
				}
			}
			seen[c.Kind] = append(seen[c.Kind], ids...)
		}
		if d := seen[store.ConflictDoubleBooked]; !sameIDs(d, []uuid.UUID{e.A.WinActive, pa.double}) {
			t.Errorf("double bookings %v, want org A's Sam × Avery and Sam × Blake", d)
		}
		if i := seen[store.ConflictSitterInactive]; !sameIDs(i, []uuid.UUID{pa.idle}) {
			t.Errorf("idle-sitter windows %v, want org A's %s", i, pa.idle)
		}
	}},
	{fn: "Inventory", what: "health, volume and threads count only this org's texts", body: func(t *testing.T, e *env) {
		// Org B once held org A's front desk number, sent three texts from
		// it that carriers filtered (30007) and received one on it half an
		// hour ago: counted here they would turn A's front desk red, add
		// to its volume and move its last use.
		rows, err := e.asA(func(a *store.OrgStore) (any, error) {
			return result(a.Inventory(e.ctx, store.InventoryFilter{Status: "", IDs: []uuid.UUID{e.A.FrontDesk, e.A.SamNumber, e.A.Pool, e.A.Spare, e.A.Released, e.B.FrontDesk}, Now: e.now}, 50))
		})
		if err != nil {
			t.Fatal(err)
		}
		type counts struct {
			Health                                         string
			Attempts, Failed, Storm, Volume, Threads, Live int
			LastUsedAgo                                    time.Duration // -1: never
		}
		never := time.Duration(-1)
		want := map[uuid.UUID]counts{
			e.A.FrontDesk: {numbers.HealthYellow, 3, 1, 0, 3, 1, 1, time.Hour}, // three attempts: T1Out twice, T1Pending once (its answer lost)
			e.A.SamNumber: {numbers.HealthGreen, 1, 0, 0, 2, 1, 1, 40 * time.Minute},
			e.A.Pool:      {numbers.HealthYellow, 1, 1, 0, 2, 1, 1, 20 * time.Minute},
			e.A.Spare:     {numbers.HealthGreen, 0, 0, 0, 0, 0, 0, never},
			e.A.Released:  {numbers.HealthRed, 3, 3, 3, 4, 1, 1, 30 * time.Minute},
		}
		got := map[uuid.UUID]counts{}
		for _, r := range rows.([]store.InventoryRow) {
			ago := never
			if r.LastUsedAt != nil {
				ago = e.now.Sub(*r.LastUsedAt)
			}
			got[r.ID] = counts{r.Health, r.Attempts7d, r.Failed7d, r.Storm7d, r.Volume7d, r.Threads, r.ActiveThreads, ago}
		}
		if len(got) != len(want) {
			t.Errorf("got %d rows, want org A's %d", len(got), len(want))
		}
		for id, w := range want {
			if got[id] != w {
				t.Errorf("number %s: %+v, want %+v", id, got[id], w)
			}
		}
	}},
	{fn: "ImpactOf", what: "mixed IDs count only this org's threads and windows", body: func(t *testing.T, e *env) {
		got, err := e.asA(func(a *store.OrgStore) (any, error) {
			return result(a.ImpactOf(e.ctx, []uuid.UUID{e.A.FrontDesk, e.A.Pool, e.B.FrontDesk, e.B.Pool}, e.now))
		})
		if err != nil {
			t.Fatal(err)
		}
		want := store.NumberImpact{Threads: 2, ActiveThreads: 2, Clients: 2, ActiveWindows: 1, UpcomingWindows: 1}
		if got != want {
			t.Errorf("impact %+v, want org A's own %+v", got, want)
		}
	}},
	{fn: "NumberDeliveryErrors", what: "a number both orgs have sent from", body: func(t *testing.T, e *env) {
		for _, tc := range []struct {
			e164 string
			want []uuid.UUID
		}{
			{e.A.FrontDeskE164, []uuid.UUID{e.A.T1Out}}, // B sent 3 failed texts from it before A had it
			{e.A.ReleasedE164, e.A.T4Out[:]},            // B's front desk now, with B's failed attempt
		} {
			got, err := e.asA(func(a *store.OrgStore) (any, error) { return result(a.NumberDeliveryErrors(e.ctx, tc.e164, 50)) })
			if err != nil {
				t.Fatal(err)
			}
			var ids []uuid.UUID
			for _, d := range got.([]store.DeliveryError) {
				ids = append(ids, d.MessageID)
			}
			if !sameIDs(ids, tc.want) {
				t.Errorf("%s: errors for messages %v, want org A's %v", tc.e164, ids, tc.want)
			}
		}
	}},
	{fn: "MoveThreadsForQuarantine", what: "onto the other org's number", body: func(t *testing.T, e *env) {
		before := e.snapshot(e.A.Org)
		_, err := e.asA(func(a *store.OrgStore) (any, error) {
			moves, _, err := a.MoveThreadsForQuarantine(e.ctx, e.A.SpareQuarantine, e.A.FrontDesk, []uuid.UUID{e.B.Pool}, e.now)
			return moves, err
		})
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("error %v, want not found", err)
		}
		if diff := diffSnapshots(before, e.snapshot(e.A.Org)); diff != "" {
			t.Errorf("org A's rows changed: %s", diff)
		}
	}},
	{fn: "AssignNumber", what: "to the other org's sitter", body: func(t *testing.T, e *env) {
		_, err := e.asA(func(a *store.OrgStore) (any, error) {
			return nothing(a.AssignNumber(e.ctx, e.A.Pool, store.ClassPool, nil, store.ClassSitter, &e.B.Jo, "Pool 1 → Jo", "tester"))
		})
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("error %v, want not found", err)
		}
	}},
	{fn: "AddNumberChangeNotice", what: "with the ID of the other org's message", body: func(t *testing.T, e *env) {
		before := e.snapshot(e.A.Org)
		created, err := e.asA(func(a *store.OrgStore) (any, error) {
			return result(a.AddNumberChangeNotice(e.ctx, &store.Message{ID: e.B.T1Out, ThreadID: e.A.T1, Direction: store.DirectionOutbound, SenderType: store.SenderSystem,
				Body: "We have a new number", Media: []message.MediaItem{}, Status: store.StatusPending, CreatedAt: e.now, UpdatedAt: e.now}))
		})
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			t.Fatal(err)
		}
		if created == true {
			t.Error("reported the notice created")
		}
		if diff := diffSnapshots(before, e.snapshot(e.A.Org)); diff != "" {
			t.Errorf("org A's rows changed: %s", diff)
		}
	}},
	{fn: "CreateClientIfMissing", what: "a phone only the other org has", body: func(t *testing.T, e *env) {
		got, err := e.asA(func(a *store.OrgStore) (any, error) {
			c, created, err := a.CreateClientIfMissing(e.ctx, &store.Client{OrgID: e.A.Org, Name: "Ellis Ford", PhoneE164: e.B.EllisPhone})
			if err == nil && !created {
				t.Error("not created: the phone exists only in org B")
			}
			return c, err
		})
		if err != nil {
			t.Fatal(err)
		}
		if l := leaks(got, e.B); len(l) > 0 {
			t.Errorf("returned org B's %v", l)
		}
	}},
	{fn: "RaiseAlert", what: "a dedupe key open only in the other org", body: func(t *testing.T, e *env) {
		got, err := e.asA(func(a *store.OrgStore) (any, error) {
			return result(a.RaiseAlert(e.ctx, &store.Alert{Severity: store.SeverityCritical, Kind: store.AlertKindDeliveryFailed, Title: "A text could not be delivered",
				EntityType: "message", EntityID: e.B.T3DeadLetter.String(), DedupeKey: "dead-letter/" + e.B.T3DeadLetter.String()}))
		})
		if err != nil {
			t.Fatal(err)
		}
		if al := got.(*store.Alert); al.ID == e.B.DeadLetterAlert || al.OrgID != e.A.Org {
			t.Errorf("returned %+v, want a new alert of org A", al)
		}
	}},
	{fn: "ResolveAlertsFor", what: "an entity both orgs have alerts about", body: func(t *testing.T, e *env) {
		changesOnlyA(t, e, func(a *store.OrgStore) error { return a.ResolveAlertsFor(e.ctx, "number", sharedEntity, e.now) })
	}},
	{fn: "CloseAlertsAbout", what: "an entity both orgs have alerts about", body: func(t *testing.T, e *env) {
		changesOnlyA(t, e, func(a *store.OrgStore) error {
			n, err := a.CloseAlertsAbout(e.ctx, "number", sharedEntity, store.AlertDismissed, nil, e.now)
			if err == nil && n != 1 {
				t.Errorf("closed %d alerts, want org A's 1", n)
			}
			return err
		})
	}},
	{fn: "AuditEvents", what: "an entity and correlation both orgs have", body: func(t *testing.T, e *env) {
		got, err := e.asA(func(a *store.OrgStore) (any, error) {
			return result(a.AuditEvents(e.ctx, store.AuditFilter{EntityType: "thread", EntityID: sharedEntity, CorrelationID: sharedCorrelation}, 50))
		})
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, ev := range got.([]store.AuditEvent) {
			ids = append(ids, ev.ID)
		}
		if len(ids) != 2 || !containsAll(e.A.AuditEvents, ids) {
			t.Errorf("events %v, want org A's %v", ids, e.A.AuditEvents)
		}
	}},
	{fn: "Audit", body: func(t *testing.T, e *env) {
		changesOnlyA(t, e, func(a *store.OrgStore) error {
			return a.Audit(e.ctx, store.Audit{ActorType: "user", ActorID: e.A.Owner.String(), Action: sharedAction, EntityType: "thread", EntityID: sharedEntity})
		})
	}},
	{fn: "SaveProviderAccount", body: func(t *testing.T, e *env) {
		changesOnlyA(t, e, func(a *store.OrgStore) error {
			return a.SaveProviderAccount(e.ctx, &store.ProviderAccount{AccountSID: e.A.AccountSID, SecretCiphertext: []byte("resealed"), SecretKeyID: "k2", FriendlyName: "Renamed"})
		})
	}},
	{fn: "SaveProviderAccount", what: "the other org's account", body: func(t *testing.T, e *env) {
		_, err := e.asA(func(a *store.OrgStore) (any, error) {
			return nothing(a.SaveProviderAccount(e.ctx, &store.ProviderAccount{AccountSID: e.B.AccountSID, SecretCiphertext: []byte("mine now"), SecretKeyID: "k2"}))
		})
		if !errors.Is(err, store.ErrConflict) {
			t.Errorf("error %v, want conflict", err)
		}
	}},
	{fn: "SavePendingCredential", what: "drops only this org's expired credentials", body: func(t *testing.T, e *env) {
		changesOnlyA(t, e, func(a *store.OrgStore) error {
			if err := a.SavePendingCredential(e.ctx, &store.PendingCredential{AccountSID: e.A.AccountSID, SecretCiphertext: []byte("sealed"), SecretKeyID: "k1", ExpiresAt: e.now.Add(10 * time.Minute)}); err != nil {
				return err
			}
			if _, err := a.PendingCredential(e.ctx, e.A.PendingExpired, e.now.Add(-2*time.Hour)); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("org A's expired credential: %v, want it dropped", err)
			}
			return nil
		})
	}},
	{fn: "PromotePendingCredential", body: func(t *testing.T, e *env) {
		changesOnlyA(t, e, func(a *store.OrgStore) error {
			p, err := a.PendingCredential(e.ctx, e.A.PendingLive, e.now)
			if err != nil {
				return err
			}
			return a.PromotePendingCredential(e.ctx, p, "Promoted")
		})
	}},
	{fn: "SetDiagnostics", body: func(t *testing.T, e *env) {
		changesOnlyA(t, e, func(a *store.OrgStore) error { return a.SetDiagnostics(e.ctx, true) })
	}},
	{fn: "InboxCounts", what: "only this org's unread threads and open alerts", body: func(t *testing.T, e *env) {
		// Org B has unread threads and open alerts of its own.
		var inB store.InboxCounts
		if err := e.tx.NewRaw(`SELECT (SELECT count(*) FROM threads WHERE org_id = ?0 AND owner_unread_count > 0),
			(SELECT count(*) FROM alerts WHERE org_id = ?0 AND status = 'open')`, e.B.Org).Scan(e.ctx, &inB.UnreadThreads, &inB.OpenAlerts); err != nil {
			t.Fatal(err)
		}
		if inB.UnreadThreads == 0 || inB.OpenAlerts == 0 {
			t.Fatalf("the fixture's org B has %+v: nothing to leak, the case proves nothing", inB)
		}
		var want store.InboxCounts
		if err := e.tx.NewRaw(`SELECT (SELECT count(*) FROM threads WHERE org_id = ?0 AND owner_unread_count > 0) AS unread_threads,
			(SELECT count(*) FROM alerts WHERE org_id = ?0 AND status = 'open') AS open_alerts`, e.A.Org).Scan(e.ctx, &want.UnreadThreads, &want.OpenAlerts); err != nil {
			t.Fatal(err)
		}
		got, err := e.asA(func(a *store.OrgStore) (any, error) { return a.InboxCounts(e.ctx) })
		if err != nil {
			t.Fatal(err)
		}
		if got.(store.InboxCounts) != want {
			t.Errorf("InboxCounts = %+v, want org A's own %+v", got, want)
		}
	}},
	{fn: "SitterUnreadThreads", what: "the other org's sitter and threads count nothing", body: func(t *testing.T, e *env) {
		if _, err := e.tx.NewRaw("UPDATE threads SET sitter_unread_count = 2 WHERE org_id = ?", e.A.Org).Exec(e.ctx); err != nil {
			t.Fatal(err)
		}
		visible, err := e.asA(func(a *store.OrgStore) (any, error) { return result(a.SitterThreads(e.ctx, e.A.Sam, e.now, nil, 100)) })
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.asA(func(a *store.OrgStore) (any, error) { return a.SitterUnreadThreads(e.ctx, e.A.Sam, e.now) })
		if err != nil {
			t.Fatal(err)
		}
		if n := len(visible.([]store.SitterInboxThread)); got.(int) != n || n == 0 {
			t.Errorf("org A's Sam: %v unread threads, want the %d they can see", got, n)
		}
		other, err := e.asA(func(a *store.OrgStore) (any, error) { return a.SitterUnreadThreads(e.ctx, e.B.Sam, e.now) })
		if err != nil || other.(int) != 0 {
			t.Errorf("org B's sitter, asked as org A: %v (%v), want 0", other, err)
		}
	}},
	{fn: "SaveSetupProgress", body: func(t *testing.T, e *env) {
		changesOnlyA(t, e, func(a *store.OrgStore) error {
			return a.SaveSetupProgress(e.ctx, "done", 4, json.RawMessage(`{"version":4}`), false, &e.now)
		})
	}},
	{fn: "Store.NumberLiveInOtherOrg", body: func(t *testing.T, e *env) {
		for _, tc := range []struct {
			what string
			e164 string
			want bool
		}{
			{"live in org B", e.B.SamE164, true},
			{"org B's front desk, released by org A", e.A.ReleasedE164, true},
			{"org A's own, released by org B", e.A.FrontDeskE164, false},
			{"held by nobody", "+15005550199", false},
		} {
			got, err := e.try(func(st *store.Store) (any, error) { return result(st.NumberLiveInOtherOrg(e.ctx, tc.e164, e.A.Org)) })
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("%s (%s): %v, want %v", tc.what, tc.e164, got, tc.want)
			}
		}
	}},
	{fn: "CountActiveOwners", body: func(t *testing.T, e *env) {
		n, err := e.asA(func(a *store.OrgStore) (any, error) { return result(a.CountActiveOwners(e.ctx)) })
		if err != nil || n != 1 {
			t.Errorf("active owners = %v (%v), want org A's one", n, err)
		}
	}},
	{fn: "CreateSitter", body: func(t *testing.T, e *env) {
		changesOnlyA(t, e, func(a *store.OrgStore) error {
			return a.CreateSitter(e.ctx, &store.Sitter{OrgID: e.B.Org, Name: "Jo Lee", Active: true})
		})
	}},
	{fn: "ReactivateMember", body: func(t *testing.T, e *env) {
		if _, err := e.asA(func(a *store.OrgStore) (any, error) { return nil, a.ReactivateMember(e.ctx, e.B.Owner) }); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("org B's owner: %v, want not found", err)
		}
		if _, err := e.asA(func(a *store.OrgStore) (any, error) { return a.DeactivateMember(e.ctx, e.A.sharedSitterUser, e.now) }); err != nil {
			t.Fatal(err)
		}
		changesOnlyA(t, e, func(a *store.OrgStore) error { return a.ReactivateMember(e.ctx, e.A.sharedSitterUser) })
	}},
	{fn: "Store.MembershipFor", body: func(t *testing.T, e *env) {
		if _, err := e.try(func(st *store.Store) (any, error) { return result(st.MembershipFor(e.ctx, e.A.Org, e.B.Owner)) }); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("org B's owner in org A: %v, want not found", err)
		}
		got, err := e.try(func(st *store.Store) (any, error) {
			return result(st.MembershipFor(e.ctx, e.A.Org, e.A.sharedSitterUser))
		})
		if err != nil || got.(*store.Membership).OrgID != e.A.Org {
			t.Errorf("the shared sitter in org A: %+v, %v", got, err)
		}
	}},
}

func TestOrgIsolationOfCountsAndSharedWrites(t *testing.T) {
	fx := seedTwoOrgs(t)
	for _, c := range customCases {
		t.Run(caseName(c.fn, c.what), func(t *testing.T) {
			fx.run(t, func(e *env) { c.body(t, e) })
		})
	}
}

// changesOnlyA runs fn as org A and fails unless it changed org A's rows
// (org B's are checked by the harness).
func changesOnlyA(t *testing.T, e *env, fn func(a *store.OrgStore) error) {
	t.Helper()
	before := e.snapshot(e.A.Org)
	if _, err := e.asA(func(a *store.OrgStore) (any, error) { return nil, fn(a) }); err != nil {
		t.Fatal(err)
	}
	if diffSnapshots(before, e.snapshot(e.A.Org)) == "" {
		t.Error("changed nothing in org A either, so the test proves nothing")
	}
}

func caseName(fn, what string) string {
	if what == "" {
		return fn
	}
	return fn + "/" + what
}

func sameIDs(got, want []uuid.UUID) bool {
	if len(got) != len(want) {
		return false
	}
	seen := map[uuid.UUID]int{}
	for _, id := range got {
		seen[id]++
	}
	for _, id := range want {
		if seen[id] == 0 {
			return false
		}
		seen[id]--
	}
	return true
}

func containsAll(set, ids []int64) bool {
	in := map[int64]bool{}
	for _, id := range set {
		in[id] = true
	}
	for _, id := range ids {
		if !in[id] {
			return false
		}
	}
	return true
}
