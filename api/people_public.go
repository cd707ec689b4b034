package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/service/signup"
	"github.com/snoutos/snout/service/team"
)

// The public side of people (service/signup, service/team): a new
// business signs up and verifies its email; an invited person previews
// and accepts their invitation. No session; sign-up is rate-limited per
// address.

func (s *Server) peoplePublicRoutes() []featureRoute {
	return []featureRoute{
		{http.MethodPost, "/api/v1/auth/signup", s.reply(http.StatusAccepted, s.signUp),
			doc("Sign up a new business and its owner; the owner verifies their email before signing in", tagAuth).body(SignupRequest{}).
				returns(http.StatusAccepted, SignupPendingView{}).fails(http.StatusConflict, http.StatusTooManyRequests)},
		{http.MethodPost, "/api/v1/auth/signup/resend", s.reply(http.StatusAccepted, s.resendSignup),
			doc("Mail a new verification link (answers the same whether or not a sign-up is waiting)", tagAuth).body(EmailRequest{}).
				returns(http.StatusAccepted, TextBody{}).fails(http.StatusTooManyRequests)},
		{http.MethodPost, "/api/v1/auth/signup/verify", s.reply(http.StatusOK, s.verifySignup),
			doc("Verify a sign-up's email with its token (once); the owner then signs in and goes to setup", tagAuth).body(TokenRequest{}).ok(BusinessView{})},
		{http.MethodGet, "/api/v1/auth/dev-mailbox", s.reply(http.StatusOK, s.devMailbox),
			doc("Development only (no SMTP, a local install): the mail kept for an address, newest first, to open a verification or invitation link; 404 elsewhere", tagAuth).
				query(qString("to", "The recipient's email.")).ok(OutboxView{}).fails(http.StatusNotFound)},
		{http.MethodPost, "/api/v1/auth/invitations/preview", s.reply(http.StatusOK, s.previewInvitation),
			doc("Describe the invitation a token belongs to (refused when expired, revoked or used)", tagAuth).body(TokenRequest{}).ok(InvitationPreviewView{})},
		{http.MethodPost, "/api/v1/auth/invitations/accept", s.reply(http.StatusOK, s.acceptInvitation),
			doc("Accept an invitation: set a name and password (or give an existing login's password) and join", tagAuth).body(AcceptRequest{}).
				ok(JoinedView{}).fails(http.StatusConflict)},
	}
}

// EmailRequest names an email.
type EmailRequest struct {
	Email string `json:"email"`
}

// TokenRequest carries an emailed token.
type TokenRequest struct {
	Token string `json:"token"`
}

// AcceptRequest accepts an invitation.
type AcceptRequest struct {
	Token    string `json:"token"`
	Name     string `json:"name"`
	Password string `json:"password"`
}

// SignupRequest is the sign-up form.
type SignupRequest struct {
	OrgName   string `json:"orgName"`
	TimeZone  string `json:"timeZone"`
	OwnerName string `json:"ownerName"`
	Email     string `json:"email"`
	Password  string `json:"password"`
}

// SignupPendingView answers a sign-up: the link is on its way.
type SignupPendingView struct {
	OrgID     uuid.UUID `json:"orgId"`
	Email     string    `json:"email"`
	ExpiresAt time.Time `json:"expiresAt"`
	Message   string    `json:"message"`
}

func (s *Server) signUp(c *gin.Context) (any, error) {
	var req SignupRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		return nil, errs.Invalid("Send a JSON body with orgName, timeZone, ownerName, email and password.", nil)
	}
	p, err := s.signup.SignUp(c.Request.Context(), signup.Form{OrgName: req.OrgName, TimeZone: req.TimeZone, OwnerName: req.OwnerName,
		Email: req.Email, Password: req.Password, IP: c.ClientIP()})
	if err != nil {
		return nil, err
	}
	return SignupPendingView{OrgID: p.OrgID, Email: p.Email, ExpiresAt: p.ExpiresAt,
		Message: "We sent a link to " + p.Email + ". Open it to confirm your email, then sign in."}, nil
}

func (s *Server) resendSignup(c *gin.Context) (any, error) {
	var req EmailRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		return nil, errs.Invalid("Send a JSON body with email.", nil)
	}
	if err := s.signup.Resend(c.Request.Context(), req.Email, c.ClientIP()); err != nil {
		return nil, err
	}
	return TextBody{Message: "If a sign-up for that email is waiting, a new link is on its way; the old one no longer works."}, nil
}

// BusinessView is a business whose owner can sign in.
type BusinessView struct {
	Org      OrgView  `json:"org"`
	Owner    UserView `json:"owner"`
	TimeZone string   `json:"timeZone"`
	// NextStep is where the owner goes after signing in: "setup".
	NextStep string `json:"nextStep"`
}

func businessView(b signup.Business) BusinessView {
	return BusinessView{Org: OrgView{ID: b.Org.ID, Name: b.Org.Name, Slug: b.Org.Slug}, TimeZone: b.Org.Timezone,
		Owner: UserView{ID: b.Owner.ID, Email: b.Owner.Email, Name: b.Owner.Name}, NextStep: b.NextStep}
}

func (s *Server) verifySignup(c *gin.Context) (any, error) {
	var req TokenRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		return nil, errs.Invalid("Send a JSON body with token.", nil)
	}
	return viewOf(businessView)(s.signup.Verify(c.Request.Context(), req.Token, c.ClientIP()))
}

// InvitationPreviewView is what the accept page shows.
type InvitationPreviewView struct {
	OrgName         string    `json:"orgName"`
	Email           string    `json:"email"`
	Name            string    `json:"name"`
	Role            string    `json:"role"`
	ExistingAccount bool      `json:"existingAccount"`
	ExpiresAt       time.Time `json:"expiresAt"`
}

func (s *Server) previewInvitation(c *gin.Context) (any, error) {
	var req TokenRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		return nil, errs.Invalid("Send a JSON body with token.", nil)
	}
	return viewOf(func(p team.InvitationPreview) InvitationPreviewView {
		return InvitationPreviewView{OrgName: p.OrgName, Email: p.Email, Name: p.Name, Role: p.Role, ExistingAccount: p.ExistingAccount, ExpiresAt: p.ExpiresAt}
	})(s.team.Preview(c.Request.Context(), req.Token))
}

// JoinedView answers an accepted invitation: sign in next.
type JoinedView struct {
	OrgID uuid.UUID `json:"orgId"`
	User  UserView  `json:"user"`
	Role  string    `json:"role"`
}

func (s *Server) acceptInvitation(c *gin.Context) (any, error) {
	var req AcceptRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		return nil, errs.Invalid("Send a JSON body with token, name and password.", nil)
	}
	return viewOf(func(j team.Joined) JoinedView {
		return JoinedView{OrgID: j.OrgID, User: UserView{ID: j.User.ID, Email: j.User.Email, Name: j.User.Name}, Role: j.Role}
	})(s.team.Accept(c.Request.Context(), team.Acceptance{Token: req.Token, Name: req.Name, Password: req.Password, IP: c.ClientIP()}))
}

// devMailbox shows the outbox's mail for one address on a development
// install (no SMTP, a local public URL), where nothing is really sent;
// anywhere else the route does not exist.
func (s *Server) devMailbox(c *gin.Context) (any, error) {
	if s.cfg.SMTPAddr != "" || !s.cfg.IsLocal() {
		return nil, notFound("This endpoint")
	}
	to := normaliseEmail(c.Query("to"))
	if msg := signup.EmailProblem(to); msg != "" {
		return nil, errs.InvalidField("to", msg)
	}
	mail, err := s.store.OutboxTo(c.Request.Context(), to, 20)
	if err != nil {
		return nil, err
	}
	return OutboxView{Emails: mail}, nil
}
