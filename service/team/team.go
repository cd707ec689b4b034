// Package team is the application layer of the people who work in a
// business: invitations (admin or sitter; a single-use token with an
// expiry, resent or revoked, accepted with a name and password), role
// changes, deactivation (which ends the member's sessions at once, and is
// refused for a sitter who still has windows ahead), and the sitters'
// profiles and roster. Everything that changes the team is audited.
package team

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/platform/auth"
	"github.com/snoutos/snout/internal/platform/notify"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
	"github.com/snoutos/snout/service/signup"
)

// Policy is how long an invitation lasts and where its link points.
type Policy struct {
	InviteTTL time.Duration
	PublicURL string
}

// Service holds the team use cases.
type Service struct {
	Store    *store.Store
	Notifier *notify.Notifier // nil sends no email
	Policy   Policy
	Now      func() time.Time
	Log      *slog.Logger
	Auditor  service.Auditor
}

// ---- Members ----

// Members lists the org's members, deactivated ones too.
func (s *Service) Members(ctx context.Context, a service.Actor) ([]store.Member, error) {
	return s.Store.Org(a.OrgID).Members(ctx)
}

// RoleChange asks for a member's new role.
type RoleChange struct {
	UserID uuid.UUID
	Role   string
}

// ChangeRole gives a member another role. Nobody changes their own role,
// and the last owner stays an owner. A member who becomes a sitter gets a
// sitter record (named after them) when they have none.
func (s *Service) ChangeRole(ctx context.Context, a service.Actor, in RoleChange) (*store.Member, error) {
	if err := ownerOnly(a); err != nil {
		return nil, err
	}
	if !validRole(in.Role, true) {
		return nil, errs.InvalidField("role", "Choose owner, admin or sitter.")
	}
	org := s.Store.Org(a.OrgID)
	m, err := org.Member(ctx, in.UserID)
	if err != nil {
		return nil, service.NotFoundOr(err, "The team member")
	}
	if in.UserID == a.UserID {
		return nil, errs.Conflict("own_role", "You can't change your own role; ask another owner.")
	}
	if m.Role == in.Role {
		return m, nil
	}
	if m.Role == store.RoleOwner {
		if err := s.keepAnOwner(ctx, org); err != nil {
			return nil, err
		}
	}
	if err := org.SetMemberRole(ctx, in.UserID, in.Role); err != nil {
		return nil, err
	}
	if in.Role == store.RoleSitter && m.SitterID == nil {
		uid := in.UserID
		if err := org.CreateSitter(ctx, &store.Sitter{UserID: &uid, Name: m.Name, Active: m.DeactivatedAt == nil}); err != nil {
			return nil, err
		}
	}
	s.Auditor.Record(ctx, a, service.Event{Action: "team.role_changed", EntityType: "user", EntityID: in.UserID.String(),
		Detail: map[string]any{"from": m.Role, "to": in.Role}})
	return org.Member(ctx, in.UserID)
}

func (s *Service) keepAnOwner(ctx context.Context, org *store.OrgStore) error {
	n, err := org.CountActiveOwners(ctx)
	if err != nil {
		return err
	}
	if n <= 1 {
		return errs.Conflict("last_owner", "The business needs at least one owner. Make someone else an owner first.")
	}
	return nil
}

// WindowAhead is a window that blocks a sitter's deactivation, with its
// times in the org's time zone.
type WindowAhead struct {
	WindowID   uuid.UUID `json:"windowId"`
	SitterName string    `json:"sitterName"`
	ClientID   uuid.UUID `json:"clientId"`
	ClientName string    `json:"clientName"`
	StartsAt   time.Time `json:"startsAt"`
	EndsAt     time.Time `json:"endsAt"`
	// Starts and Ends are the times as the business reads them ("Tue Dec
	// 2, 9:00 AM PST").
	Starts string `json:"starts"`
	Ends   string `json:"ends"`
}

const stamp = "Mon Jan 2, 3:04 PM MST"

// Deactivate ends a member's access: they can no longer sign in to the
// org, and every session they hold in it ends now. Nobody deactivates
// themselves, the last owner stays, and a sitter with windows that have
// not ended is refused until those windows are reassigned or cancelled;
// the refusal lists them.
func (s *Service) Deactivate(ctx context.Context, a service.Actor, userID uuid.UUID) (*store.Member, error) {
	if err := ownerOnly(a); err != nil {
		return nil, err
	}
	org := s.Store.Org(a.OrgID)
	m, err := org.Member(ctx, userID)
	if err != nil {
		return nil, service.NotFoundOr(err, "The team member")
	}
	if userID == a.UserID {
		return nil, errs.Conflict("deactivate_self", "You can't deactivate yourself; ask another owner.")
	}
	if m.DeactivatedAt != nil {
		return m, nil
	}
	if m.Role == store.RoleOwner {
		if err := s.keepAnOwner(ctx, org); err != nil {
			return nil, err
		}
	}
	now := s.Now()
	if m.SitterID != nil {
		ahead, err := s.windowsAhead(ctx, org, *m.SitterID, now)
		if err != nil {
			return nil, err
		}
		if len(ahead) > 0 {
			return nil, windowsRefusal(m.Name, ahead)
		}
	}
	revoked, err := org.DeactivateMember(ctx, userID, now)
	if err != nil {
		return nil, service.NotFoundOr(err, "The team member")
	}
	s.Auditor.Record(ctx, a, service.Event{Action: "team.member_deactivated", EntityType: "user", EntityID: userID.String(),
		Detail: map[string]any{"role": m.Role, "sessionsRevoked": revoked}})
	return org.Member(ctx, userID)
}

func windowsRefusal(name string, ahead []WindowAhead) error {
	lines := make([]string, 0, len(ahead))
	for _, w := range ahead {
		lines = append(lines, fmt.Sprintf("%s, %s – %s", w.ClientName, w.Starts, w.Ends))
	}
	noun := "window"
	if len(ahead) > 1 {
		noun = "windows"
	}
	return errs.Conflict("sitter_has_windows", fmt.Sprintf("%s still has %d %s that have not ended. Reassign or cancel them first: %s.",
		name, len(ahead), noun, strings.Join(lines, "; "))).With(map[string]any{"windows": ahead})
}

func (s *Service) windowsAhead(ctx context.Context, org *store.OrgStore, sitterID uuid.UUID, now time.Time) ([]WindowAhead, error) {
	rows, err := org.SitterWindowsAhead(ctx, sitterID, now)
	if err != nil {
		return nil, err
	}
	loc := s.location(ctx, org.OrgID())
	out := make([]WindowAhead, 0, len(rows))
	for _, w := range rows {
		out = append(out, WindowAhead{WindowID: w.ID, SitterName: w.SitterName, ClientID: w.ClientID, ClientName: w.ClientName,
			StartsAt: w.StartsAt, EndsAt: w.EndsAt, Starts: w.StartsAt.In(loc).Format(stamp), Ends: w.EndsAt.In(loc).Format(stamp)})
	}
	return out, nil
}

func (s *Service) location(ctx context.Context, orgID uuid.UUID) *time.Location {
	if o, err := s.Store.OrgByID(ctx, orgID); err == nil {
		if loc, err := time.LoadLocation(o.Timezone); err == nil {
			return loc
		}
	}
	return time.UTC
}

// Reactivate gives a deactivated member their access back.
func (s *Service) Reactivate(ctx context.Context, a service.Actor, userID uuid.UUID) (*store.Member, error) {
	if err := ownerOnly(a); err != nil {
		return nil, err
	}
	org := s.Store.Org(a.OrgID)
	m, err := org.Member(ctx, userID)
	if err != nil {
		return nil, service.NotFoundOr(err, "The team member")
	}
	if m.DeactivatedAt == nil {
		return m, nil
	}
	if err := org.ReactivateMember(ctx, userID); err != nil {
		return nil, err
	}
	s.Auditor.Record(ctx, a, service.Event{Action: "team.member_reactivated", EntityType: "user", EntityID: userID.String()})
	return org.Member(ctx, userID)
}

// ---- Invitations ----

// InviteDraft is the owner's invitation form.
type InviteDraft struct {
	Email string
	Name  string
	Role  string // admin or sitter
	// SitterID gives an existing sitter record (one without a login) its
	// login; empty creates a sitter record named Name on acceptance.
	SitterID string
}

// Invitation is an invitation with its state.
type Invitation struct {
	store.Invitation
	// Status: pending, expired, accepted or revoked.
	Status string
	// Link is set only when the invitation is created or resent (for the
	// owner to copy if the email goes astray).
	Link string
}

// Invitation statuses.
const (
	InvitePending  = "pending"
	InviteExpired  = "expired"
	InviteAccepted = "accepted"
	InviteRevoked  = "revoked"
)

func statusOf(inv *store.Invitation, now time.Time) string {
	switch {
	case inv.AcceptedAt != nil:
		return InviteAccepted
	case inv.RevokedAt != nil:
		return InviteRevoked
	case !inv.ExpiresAt.After(now):
		return InviteExpired
	}
	return InvitePending
}

// Invitations lists the org's invitations, newest first.
func (s *Service) Invitations(ctx context.Context, a service.Actor, openOnly bool) ([]Invitation, error) {
	rows, err := s.Store.Org(a.OrgID).Invitations(ctx, openOnly, 200)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	out := make([]Invitation, 0, len(rows))
	for _, r := range rows {
		out = append(out, Invitation{Invitation: r, Status: statusOf(&r, now)})
	}
	return out, nil
}

// Invite invites a person to join as an admin or a sitter and mails them
// the link.
func (s *Service) Invite(ctx context.Context, a service.Actor, d InviteDraft) (Invitation, error) {
	if err := ownerOnly(a); err != nil {
		return Invitation{}, err
	}
	org := s.Store.Org(a.OrgID)
	email := strings.ToLower(strings.TrimSpace(d.Email))
	name := strings.TrimSpace(d.Name)
	fields := map[string]string{}
	if msg := signup.EmailProblem(email); msg != "" {
		fields["email"] = msg
	}
	if utf8.RuneCountInString(name) > 200 {
		fields["name"] = "Use at most 200 characters."
	}
	if !validRole(d.Role, false) {
		fields["role"] = "Choose admin or sitter."
	}
	var sitterID *uuid.UUID
	if d.SitterID != "" {
		id, err := uuid.Parse(d.SitterID)
		switch {
		case err != nil:
			fields["sitterId"] = "Use a sitter ID from GET /api/v1/sitters."
		case d.Role != store.RoleSitter:
			fields["sitterId"] = "Only a sitter invitation names a sitter."
		default:
			sitterID = &id
		}
	}
	if len(fields) > 0 {
		return Invitation{}, errs.Invalid("", fields)
	}
	if sitterID != nil {
		st, err := org.Sitter(ctx, *sitterID)
		if err != nil {
			return Invitation{}, service.NotFoundOr(err, "The sitter")
		}
		if st.UserID != nil {
			return Invitation{}, errs.InvalidField("sitterId", st.Name+" already has a login.")
		}
		if name == "" {
			name = st.Name
		}
	}
	if u, err := s.Store.UserByEmail(ctx, email); err == nil {
		if _, err := org.Member(ctx, u.ID); err == nil {
			return Invitation{}, errs.InvalidField("email", u.Name+" is already on the team.")
		}
	}
	token, hash, err := auth.NewToken()
	if err != nil {
		return Invitation{}, err
	}
	now := s.Now()
	inv := &store.Invitation{OrgID: a.OrgID, Email: email, Name: name, Role: d.Role, SitterID: sitterID, TokenHash: hash,
		ExpiresAt: now.Add(s.Policy.InviteTTL), InvitedBy: &a.UserID, LastSentAt: now, CreatedAt: now}
	if err := org.CreateInvitation(ctx, inv); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return Invitation{}, errs.InvalidField("email", "This email has an open invitation already; resend or revoke it.")
		}
		return Invitation{}, service.NotFoundOr(err, "The sitter")
	}
	out := Invitation{Invitation: *inv, Status: InvitePending, Link: s.link(token)}
	s.mailInvite(ctx, a, out)
	s.Auditor.Record(ctx, a, service.Event{Action: "team.invited", EntityType: "invitation", EntityID: inv.ID.String(),
		Detail: map[string]any{"email": email, "role": d.Role}})
	return out, nil
}

// Resend mails an open invitation again with a new link and a new expiry;
// the old link stops working.
func (s *Service) Resend(ctx context.Context, a service.Actor, id uuid.UUID) (Invitation, error) {
	if err := ownerOnly(a); err != nil {
		return Invitation{}, err
	}
	org := s.Store.Org(a.OrgID)
	cur, err := org.Invitation(ctx, id)
	if err != nil {
		return Invitation{}, service.NotFoundOr(err, "The invitation")
	}
	now := s.Now()
	if st := statusOf(cur, now); st == InviteAccepted || st == InviteRevoked {
		return Invitation{}, errs.Conflict("invitation_closed", "This invitation was "+st+"; send a new one instead.")
	}
	token, hash, err := auth.NewToken()
	if err != nil {
		return Invitation{}, err
	}
	inv, err := org.ResendInvitation(ctx, id, hash, now.Add(s.Policy.InviteTTL), now)
	if err != nil {
		return Invitation{}, service.NotFoundOr(err, "The invitation")
	}
	out := Invitation{Invitation: *inv, Status: InvitePending, Link: s.link(token)}
	s.mailInvite(ctx, a, out)
	s.Auditor.Record(ctx, a, service.Event{Action: "team.invitation_resent", EntityType: "invitation", EntityID: id.String(),
		Detail: map[string]any{"email": inv.Email, "sent": inv.SentCount}})
	return out, nil
}

// Revoke withdraws an open invitation; its link stops working.
func (s *Service) Revoke(ctx context.Context, a service.Actor, id uuid.UUID) (Invitation, error) {
	if err := ownerOnly(a); err != nil {
		return Invitation{}, err
	}
	org := s.Store.Org(a.OrgID)
	cur, err := org.Invitation(ctx, id)
	if err != nil {
		return Invitation{}, service.NotFoundOr(err, "The invitation")
	}
	now := s.Now()
	switch statusOf(cur, now) {
	case InviteRevoked:
		return Invitation{Invitation: *cur, Status: InviteRevoked}, nil
	case InviteAccepted:
		return Invitation{}, errs.Conflict("invitation_closed", "This invitation was accepted already; deactivate the member instead.")
	}
	inv, err := org.RevokeInvitation(ctx, id, now)
	if err != nil {
		return Invitation{}, service.NotFoundOr(err, "The invitation")
	}
	s.Auditor.Record(ctx, a, service.Event{Action: "team.invitation_revoked", EntityType: "invitation", EntityID: id.String(),
		Detail: map[string]any{"email": inv.Email}})
	return Invitation{Invitation: *inv, Status: InviteRevoked}, nil
}

// Acceptance is what the invited person types.
type Acceptance struct {
	Token    string
	Name     string
	Password string
	IP       string
}

// Joined is the outcome of accepting: who joined which org, as what.
type Joined struct {
	OrgID uuid.UUID
	User  *store.User
	Role  string
}

// InvitationPreview is what the accept page shows before the person types
// anything: whom the invitation is for, from which business, as what.
type InvitationPreview struct {
	OrgName string
	Email   string
	Name    string
	Role    string
	// ExistingAccount: the email has a Snout login already; accepting
	// asks for its password instead of a new one.
	ExistingAccount bool
	ExpiresAt       time.Time
}

// Preview describes the invitation a token belongs to, refusing one that
// can no longer be used the way Accept would.
func (s *Service) Preview(ctx context.Context, token string) (InvitationPreview, error) {
	inv, err := s.usable(ctx, token)
	if err != nil {
		return InvitationPreview{}, err
	}
	org, err := s.Store.OrgByID(ctx, inv.OrgID)
	if err != nil {
		return InvitationPreview{}, err
	}
	_, uerr := s.Store.UserByEmail(ctx, inv.Email)
	return InvitationPreview{OrgName: org.Name, Email: inv.Email, Name: inv.Name, Role: inv.Role, ExistingAccount: uerr == nil, ExpiresAt: inv.ExpiresAt}, nil
}

// usable finds the open, unexpired invitation of a token, or says why it
// can't be used.
func (s *Service) usable(ctx context.Context, token string) (*store.Invitation, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return nil, errs.InvalidField("token", "Use the link from your invitation email.")
	}
	inv, err := s.Store.InvitationByToken(ctx, auth.HashToken(token))
	if errors.Is(err, store.ErrNotFound) {
		return nil, errs.InvalidCode("invalid_token", "This invitation link is not valid. If it was resent, use the newest email.",
			map[string]string{"token": "Unknown or replaced invitation link."})
	}
	if err != nil {
		return nil, err
	}
	switch statusOf(inv, s.Now()) {
	case InviteAccepted:
		return nil, errs.InvalidCode("invitation_used", "This invitation has been used already. Sign in instead.",
			map[string]string{"token": "Already used."})
	case InviteRevoked:
		return nil, errs.InvalidCode("invitation_revoked", "This invitation was withdrawn. Ask the business for a new one.",
			map[string]string{"token": "Withdrawn."})
	case InviteExpired:
		return nil, errs.InvalidCode("invitation_expired", "This invitation has expired. Ask the business to resend it.",
			map[string]string{"token": "Expired."})
	}
	return inv, nil
}

// Accept uses an invitation once: the person gets a login (or, when their
// email has one already, proves it with its password) and joins the org
// with the invitation's role.
func (s *Service) Accept(ctx context.Context, in Acceptance) (Joined, error) {
	inv, err := s.usable(ctx, in.Token)
	if err != nil {
		return Joined{}, err
	}
	name := strings.TrimSpace(in.Name)
	user, err := s.Store.UserByEmail(ctx, inv.Email)
	switch {
	case err == nil:
		if ok, _ := auth.CheckPassword(user.PasswordHash, in.Password); !ok || user.DisabledAt != nil {
			return Joined{}, errs.InvalidField("password", "This email has a Snout login already: enter its password to join.")
		}
		if name == "" {
			name = user.Name
		}
	case errors.Is(err, store.ErrNotFound):
		fields := map[string]string{}
		switch n := utf8.RuneCountInString(name); {
		case n == 0:
			fields["name"] = "Enter your name."
		case n > 200:
			fields["name"] = "Use at most 200 characters."
		}
		if len(in.Password) < auth.MinPasswordLength {
			fields["password"] = auth.ErrWeakPassword.Error()
		}
		if len(fields) > 0 {
			return Joined{}, errs.Invalid("", fields)
		}
		hash, err := auth.HashPassword(in.Password)
		if err != nil {
			return Joined{}, err
		}
		user = &store.User{ID: store.NewID(), Email: inv.Email, Name: name, PasswordHash: hash}
		if err := s.Store.CreateUser(ctx, user); err != nil {
			return Joined{}, err
		}
	default:
		return Joined{}, err
	}
	if _, err := s.Store.Org(inv.OrgID).AcceptInvitation(ctx, inv.ID, user.ID, name, s.Now()); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return Joined{}, errs.InvalidCode("invitation_used", "This invitation has been used already. Sign in instead.",
				map[string]string{"token": "Already used."})
		}
		if errors.Is(err, store.ErrConflict) {
			return Joined{}, errs.Conflict("sitter_has_login", "The sitter this invitation is for has a login already.")
		}
		return Joined{}, err
	}
	s.Auditor.Record(ctx, service.Actor{OrgID: inv.OrgID, UserID: user.ID, Role: inv.Role, IP: in.IP}, service.Event{
		Action: "team.invitation_accepted", EntityType: "invitation", EntityID: inv.ID.String(), Detail: map[string]any{"role": inv.Role}})
	return Joined{OrgID: inv.OrgID, User: user, Role: inv.Role}, nil
}

func (s *Service) link(token string) string {
	return s.Policy.PublicURL + "/invitations/accept?token=" + token
}

func (s *Service) mailInvite(ctx context.Context, a service.Actor, inv Invitation) {
	if s.Notifier == nil {
		return
	}
	orgName := "a business"
	if o, err := s.Store.OrgByID(ctx, a.OrgID); err == nil {
		orgName = o.Name
	}
	body := fmt.Sprintf("Hello%s,\n\n%s invites you to join their team on Snout as %s. To accept, open this link before %s:\n\n%s\n\nIf you were not expecting this, ignore this message.",
		prefixed(inv.Name), orgName, article(inv.Role), inv.ExpiresAt.UTC().Format("Jan 2, 2006 15:04 MST"), inv.Link)
	orgID := a.OrgID
	if err := s.Notifier.Send(ctx, notify.Email{OrgID: &orgID, To: inv.Email, Subject: "Join " + orgName + " on Snout", Body: body}); err != nil {
		s.Log.ErrorContext(ctx, "invitation email failed", "err", err)
	}
}

func prefixed(name string) string {
	if name == "" {
		return ""
	}
	return " " + name
}

func article(role string) string {
	if role == store.RoleAdmin {
		return "an admin"
	}
	return "a " + role
}

func validRole(role string, ownerToo bool) bool {
	switch role {
	case store.RoleAdmin, store.RoleSitter:
		return true
	case store.RoleOwner:
		return ownerToo
	}
	return false
}

// ownerOnly: managing the team is the owner's (the policy says so too;
// this holds for callers that are not the API).
func ownerOnly(a service.Actor) error {
	if !a.IsOwner() {
		return errs.Forbidden("Only an owner manages the team.")
	}
	return nil
}
