package messaging

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/domain/contentpolicy"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
)

// CodePolicyViolation is the refusal code of a sitter's message the
// content policy stopped.
const CodePolicyViolation = "policy_violation"

// holdForReview stores a sitter's message the content policy stopped, as
// blocked, with its violation (redacted excerpts) for the owner's review,
// and returns the refusal that tells the sitter why.
func (s *Service) holdForReview(ctx context.Context, a service.Actor, org *store.OrgStore, m *store.Message, sitterID uuid.UUID, screen contentpolicy.Result) error {
	m.Status = store.StatusBlocked
	var kinds []string
	excerpts := make([]store.Excerpt, 0, len(screen.Violations))
	for _, v := range screen.Violations {
		excerpts = append(excerpts, store.Excerpt{Kind: string(v.Kind), Excerpt: v.Excerpt, Reason: v.Reason})
		if !slices.Contains(kinds, string(v.Kind)) {
			kinds = append(kinds, string(v.Kind))
		}
	}
	raw, err := json.Marshal(excerpts)
	if err != nil {
		return err
	}
	v := &store.PolicyViolation{
		ID: store.NewID(), OrgID: org.OrgID(), MessageID: m.ID, ThreadID: m.ThreadID, SitterID: &sitterID,
		Kinds: kinds, Excerpts: raw, Status: store.ViolationOpen, CreatedAt: m.CreatedAt,
	}
	if err := org.CreateBlockedMessage(ctx, m, v); err != nil {
		return err
	}
	s.audit.Record(ctx, a, service.Event{Action: "message.blocked", EntityType: "message", EntityID: m.ID.String(), Detail: map[string]any{
		"threadId": m.ThreadID.String(), "sitterId": sitterID.String(), "violationId": v.ID.String(), "kinds": kinds,
	}})
	reason := screen.Explain()
	refusal := errs.Blocked(CodePolicyViolation, "Your message wasn't sent. "+reason+" The business owner has been told and may review it.")
	refusal.Fields = map[string]string{"body": reason}
	return refusal
}
