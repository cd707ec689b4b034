package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
	"github.com/snoutos/snout/service/team"
)

// The team (service/team): members and invitations are the owner's;
// sitters' profiles and roster are owners' and admins'.

func (s *Server) teamRoutes() []featureRoute {
	return []featureRoute{
		{http.MethodGet, "/api/v1/team/members", s.reply(http.StatusOK, handle(noInput, noArg(s.team.Members), memberList)),
			doc("The team: owners, admins and sitters with logins, deactivated ones too", tagTeam).ok(MemberList{})},
		{http.MethodPost, "/api/v1/team/members/:id/role", s.reply(http.StatusOK, handle(bindRoleChange, s.team.ChangeRole, memberView)),
			doc("Change a member's role", tagTeam).body(RoleRequest{}).ok(MemberView{}).fails(http.StatusConflict)},
		{http.MethodPost, "/api/v1/team/members/:id/deactivate", s.reply(http.StatusOK, handle(pathIDOf("The team member"), s.team.Deactivate, memberView)),
			doc("Deactivate a member: their sessions end at once (a sitter with windows ahead is refused; detail.windows lists them)", tagTeam).
				ok(MemberView{}).fails(http.StatusConflict)},
		{http.MethodPost, "/api/v1/team/members/:id/reactivate", s.reply(http.StatusOK, handle(pathIDOf("The team member"), s.team.Reactivate, memberView)),
			doc("Give a deactivated member their access back", tagTeam).ok(MemberView{})},
		{http.MethodGet, "/api/v1/team/invitations", s.reply(http.StatusOK, handle(bindOpenOnly, s.team.Invitations, invitationList)),
			doc("Invitations, newest first", tagTeam).query(qBool("open", "Only invitations neither accepted nor revoked.")).ok(InvitationList{})},
		{http.MethodPost, "/api/v1/team/invitations", s.reply(http.StatusCreated, handle(bindInviteDraft, s.team.Invite, invitationView)),
			doc("Invite an admin or a sitter by email", tagTeam).body(InviteRequest{}).returns(http.StatusCreated, InvitationView{})},
		{http.MethodPost, "/api/v1/team/invitations/:id/resend", s.reply(http.StatusOK, handle(pathIDOf("The invitation"), s.team.Resend, invitationView)),
			doc("Resend an invitation with a new link and expiry (the old link stops working)", tagTeam).ok(InvitationView{}).fails(http.StatusConflict)},
		{http.MethodPost, "/api/v1/team/invitations/:id/revoke", s.reply(http.StatusOK, handle(pathIDOf("The invitation"), s.team.Revoke, invitationView)),
			doc("Withdraw an invitation", tagTeam).ok(InvitationView{}).fails(http.StatusConflict)},

		{http.MethodGet, "/api/v1/sitters", s.reply(http.StatusOK, handle(noInput, noArg(s.team.Roster), sitterRoster)),
			doc("Sitters with their number, active windows and thread counts", tagTeam).ok(SitterList{})},
		{http.MethodPost, "/api/v1/sitters", s.reply(http.StatusCreated, handle(bindSitterDraft, s.team.CreateSitter, sitterProfileView)),
			doc("Add a sitter without a login (invite them to give them one)", tagTeam).body(SitterRequest{}).returns(http.StatusCreated, SitterProfileView{})},
		{http.MethodGet, "/api/v1/sitters/:id", s.reply(http.StatusOK, handle(pathIDOf("The sitter"), s.team.Sitter, sitterProfileView)),
			doc("A sitter's profile with the windows ahead of them", tagTeam).ok(SitterProfileView{})},
		{http.MethodPatch, "/api/v1/sitters/:id", s.reply(http.StatusOK, handle(bindSitterEdit, s.team.UpdateSitter, sitterProfileView)),
			doc("Edit a sitter's profile (name, the display name clients see, phone)", tagTeam).body(SitterRequest{}).ok(SitterProfileView{})},
	}
}

// noInput binds nothing.
func noInput(*gin.Context) (struct{}, error) { return struct{}{}, nil }

// noArg adapts a use case that takes nothing but the actor to handle.
func noArg[Out any](use func(context.Context, service.Actor) (Out, error)) func(context.Context, service.Actor, struct{}) (Out, error) {
	return func(ctx context.Context, a service.Actor, _ struct{}) (Out, error) { return use(ctx, a) }
}

// MemberView is a person of the team.
type MemberView struct {
	UserID   uuid.UUID  `json:"userId"`
	Name     string     `json:"name"`
	Email    string     `json:"email"`
	Role     string     `json:"role"`
	Active   bool       `json:"active"`
	SitterID *uuid.UUID `json:"sitterId"`
	JoinedAt time.Time  `json:"joinedAt"`
	// DeactivatedAt is when their access ended, if it did.
	DeactivatedAt *time.Time `json:"deactivatedAt,omitempty"`
}

func memberView(m *store.Member) MemberView {
	return MemberView{UserID: m.UserID, Name: m.Name, Email: m.Email, Role: m.Role, Active: m.DeactivatedAt == nil,
		SitterID: m.SitterID, JoinedAt: m.CreatedAt, DeactivatedAt: m.DeactivatedAt}
}

// MemberList is the team.
type MemberList struct {
	Members []MemberView `json:"members"`
}

func memberList(ms []store.Member) MemberList {
	out := make([]MemberView, 0, len(ms))
	for i := range ms {
		out = append(out, memberView(&ms[i]))
	}
	return MemberList{Members: out}
}

// RoleRequest is a member's new role: owner, admin or sitter.
type RoleRequest struct {
	Role string `json:"role"`
}

func bindRoleChange(c *gin.Context) (team.RoleChange, error) {
	id, err := pathID(c, "id", "The team member")
	if err != nil {
		return team.RoleChange{}, err
	}
	var req RoleRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		return team.RoleChange{}, errs.Invalid("Send a JSON body with role.", nil)
	}
	return team.RoleChange{UserID: id, Role: req.Role}, nil
}

// InvitationView is an invitation as the owner sees it.
type InvitationView struct {
	ID         uuid.UUID  `json:"id"`
	Email      string     `json:"email"`
	Name       string     `json:"name"`
	Role       string     `json:"role"`
	SitterID   *uuid.UUID `json:"sitterId"`
	Status     string     `json:"status"` // pending, expired, accepted, revoked
	ExpiresAt  time.Time  `json:"expiresAt"`
	SentCount  int        `json:"sentCount"`
	LastSentAt time.Time  `json:"lastSentAt"`
	AcceptedAt *time.Time `json:"acceptedAt,omitempty"`
	RevokedAt  *time.Time `json:"revokedAt,omitempty"`
	CreatedAt  time.Time  `json:"createdAt"`
	// Link is the acceptance link, returned only when the invitation is
	// created or resent (to copy if the email goes astray).
	Link string `json:"link,omitempty"`
}

func invitationView(i team.Invitation) InvitationView {
	return InvitationView{ID: i.ID, Email: i.Email, Name: i.Name, Role: i.Role, SitterID: i.SitterID, Status: i.Status,
		ExpiresAt: i.ExpiresAt, SentCount: i.SentCount, LastSentAt: i.LastSentAt, AcceptedAt: i.AcceptedAt, RevokedAt: i.RevokedAt,
		CreatedAt: i.CreatedAt, Link: i.Link}
}

// InvitationList lists invitations.
type InvitationList struct {
	Invitations []InvitationView `json:"invitations"`
}

func invitationList(is []team.Invitation) InvitationList {
	out := make([]InvitationView, 0, len(is))
	for _, i := range is {
		out = append(out, invitationView(i))
	}
	return InvitationList{Invitations: out}
}

func bindOpenOnly(c *gin.Context) (bool, error) {
	open, err := queryBool(c, "open")
	return open != nil && *open, err
}

// InviteRequest invites a person: role admin or sitter; sitterId gives an
// existing sitter record its login.
type InviteRequest struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	SitterID string `json:"sitterId"`
}

func bindInviteDraft(c *gin.Context) (team.InviteDraft, error) {
	var req InviteRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		return team.InviteDraft{}, errs.Invalid("Send a JSON body with email, role (admin or sitter), and optionally name and sitterId.", nil)
	}
	return team.InviteDraft{Email: req.Email, Name: req.Name, Role: req.Role, SitterID: req.SitterID}, nil
}

// SitterView is a sitter of the roster. Phone is the sitter's own
// phone (owners and admins only, like this whole route).
type SitterView struct {
	ID          uuid.UUID `json:"id"`
	Name        string    `json:"name"`
	DisplayName string    `json:"displayName"`
	Phone       string    `json:"phone"`
	// Status is "active" or "inactive".
	Status   string `json:"status"`
	Active   bool   `json:"active"`
	HasLogin bool   `json:"hasLogin"`
	Email    string `json:"email,omitempty"`
	// Line is the masked number assigned to the sitter, if any (the
	// sitter number clients text).
	Line          *ThreadNumberView `json:"line"`
	ActiveWindows int               `json:"activeWindows"`
	Threads       int               `json:"threads"`
	UnreadThreads int               `json:"unreadThreads"`
	CreatedAt     time.Time         `json:"createdAt"`
}

func sitterRosterView(r *store.SitterRosterRow) SitterView {
	v := SitterView{ID: r.ID, Name: r.Name, DisplayName: r.DisplayName, Phone: r.PhoneE164, Status: "inactive", Active: r.Active,
		HasLogin: r.UserID != nil, ActiveWindows: r.ActiveWindows, Threads: r.Threads, UnreadThreads: r.UnreadThreads, CreatedAt: r.CreatedAt}
	if r.Active {
		v.Status = "active"
	}
	if r.Email != nil {
		v.Email = *r.Email
	}
	if r.NumberID != nil {
		v.Line = &ThreadNumberView{ID: *r.NumberID, E164: deref(r.NumberE164), Class: store.ClassSitter, Name: deref(r.NumberName), Status: deref(r.NumberStatus)}
	}
	return v
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func sitterRoster(rows []store.SitterRosterRow) SitterList {
	out := make([]SitterView, 0, len(rows))
	for i := range rows {
		out = append(out, sitterRosterView(&rows[i]))
	}
	return SitterList{Sitters: out}
}

// SitterProfileView is one sitter with the windows ahead of them (times
// also written in the business's time zone).
type SitterProfileView struct {
	SitterView
	WindowsAhead []team.WindowAhead `json:"windowsAhead"`
}

func sitterProfileView(p team.SitterProfile) SitterProfileView {
	return SitterProfileView{SitterView: sitterRosterView(&p.SitterRosterRow), WindowsAhead: p.Ahead}
}

// SitterRequest is the sitter profile form.
type SitterRequest struct {
	Name        string `json:"name"`
	DisplayName string `json:"displayName"`
	Phone       string `json:"phone"`
}

func bindSitterDraft(c *gin.Context) (team.SitterDraft, error) {
	var req SitterRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		return team.SitterDraft{}, errs.Invalid("Send a JSON body with name, and optionally displayName and phone.", nil)
	}
	return team.SitterDraft{Name: req.Name, DisplayName: req.DisplayName, Phone: req.Phone}, nil
}

func bindSitterEdit(c *gin.Context) (team.SitterEdit, error) {
	id, err := pathID(c, "id", "The sitter")
	if err != nil {
		return team.SitterEdit{}, err
	}
	d, err := bindSitterDraft(c)
	return team.SitterEdit{ID: id, SitterDraft: d}, err
}
