// Package store is Snout's PostgreSQL repository, on bun. Everything that
// belongs to an org is reached through an OrgStore, whose every query is
// filtered by that org: code holding only a Store cannot read another org's
// rows by accident, because the org-owned queries do not exist there.
package store

import (
	"encoding/json"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/snoutos/snout/internal/domain/message"
)

// Roles.
const (
	RoleOwner  = "owner"
	RoleAdmin  = "admin"
	RoleSitter = "sitter"
)

type Org struct {
	bun.BaseModel `bun:"table:orgs"`
	ID            uuid.UUID `bun:"id,pk,type:uuid"`
	Name          string    `bun:"name"`
	Slug          string    `bun:"slug"`
	HelpText      string    `bun:"help_text"`
	Timezone      string    `bun:"timezone"`
	// Diagnostics shows the owner provider internals (SIDs, webhook URLs,
	// raw provider error codes).
	Diagnostics bool      `bun:"diagnostics"`
	CreatedAt   time.Time `bun:"created_at,nullzero,default:now()"`
}

type User struct {
	bun.BaseModel     `bun:"table:users"`
	ID                uuid.UUID  `bun:"id,pk,type:uuid"`
	Email             string     `bun:"email"`
	Name              string     `bun:"name"`
	PasswordHash      string     `bun:"password_hash"`
	DisabledAt        *time.Time `bun:"disabled_at"`
	CreatedAt         time.Time  `bun:"created_at,nullzero,default:now()"`
	PasswordChangedAt time.Time  `bun:"password_changed_at,nullzero,default:now()"`
}

type Membership struct {
	bun.BaseModel `bun:"table:memberships"`
	OrgID         uuid.UUID  `bun:"org_id,pk,type:uuid"`
	UserID        uuid.UUID  `bun:"user_id,pk,type:uuid"`
	Role          string     `bun:"role"`
	CreatedAt     time.Time  `bun:"created_at,nullzero,default:now()"`
	DeactivatedAt *time.Time `bun:"deactivated_at"`
}

type Session struct {
	bun.BaseModel `bun:"table:sessions"`
	ID            uuid.UUID  `bun:"id,pk,type:uuid"`
	TokenHash     []byte     `bun:"token_hash"`
	CSRFToken     string     `bun:"csrf_token"`
	UserID        uuid.UUID  `bun:"user_id,type:uuid"`
	OrgID         uuid.UUID  `bun:"org_id,type:uuid"`
	CreatedAt     time.Time  `bun:"created_at,nullzero,default:now()"`
	LastSeenAt    time.Time  `bun:"last_seen_at,nullzero,default:now()"`
	ExpiresAt     time.Time  `bun:"expires_at"`
	RevokedAt     *time.Time `bun:"revoked_at"`
	IP            string     `bun:"ip"`
	UserAgent     string     `bun:"user_agent"`
}

type PasswordResetToken struct {
	bun.BaseModel `bun:"table:password_reset_tokens"`
	ID            uuid.UUID  `bun:"id,pk,type:uuid"`
	UserID        uuid.UUID  `bun:"user_id,type:uuid"`
	TokenHash     []byte     `bun:"token_hash"`
	ExpiresAt     time.Time  `bun:"expires_at"`
	UsedAt        *time.Time `bun:"used_at"`
	CreatedAt     time.Time  `bun:"created_at,nullzero,default:now()"`
}

type OutboxEmail struct {
	bun.BaseModel `bun:"table:notification_outbox"`
	ID            uuid.UUID  `bun:"id,pk,type:uuid" json:"id"`
	OrgID         *uuid.UUID `bun:"org_id,type:uuid" json:"-"`
	ToEmail       string     `bun:"to_email" json:"to"`
	Subject       string     `bun:"subject" json:"subject"`
	Body          string     `bun:"body" json:"body"`
	Transport     string     `bun:"transport" json:"transport"`
	SentAt        *time.Time `bun:"sent_at" json:"sentAt,omitempty"`
	Error         string     `bun:"error" json:"error,omitempty"`
	CreatedAt     time.Time  `bun:"created_at,nullzero,default:now()" json:"createdAt"`
}

type AuditEvent struct {
	bun.BaseModel `bun:"table:audit_events"`
	ID            int64           `bun:"id,pk,autoincrement" json:"id"`
	OrgID         *uuid.UUID      `bun:"org_id,type:uuid" json:"-"`
	At            time.Time       `bun:"at,nullzero,default:now()" json:"at"`
	ActorType     string          `bun:"actor_type" json:"actorType"`
	ActorID       string          `bun:"actor_id" json:"actorId"`
	Action        string          `bun:"action" json:"action"`
	EntityType    string          `bun:"entity_type" json:"entityType"`
	EntityID      string          `bun:"entity_id" json:"entityId"`
	CorrelationID string          `bun:"correlation_id" json:"correlationId"`
	IP            string          `bun:"ip" json:"ip,omitempty"`
	Detail        json.RawMessage `bun:"detail,type:jsonb" json:"detail"`
	DedupeKey     *string         `bun:"dedupe_key" json:"-"`
}

type ProviderAccount struct {
	bun.BaseModel    `bun:"table:provider_accounts"`
	OrgID            uuid.UUID `bun:"org_id,pk,type:uuid"`
	AccountSID       string    `bun:"account_sid"`
	APIKeySID        string    `bun:"api_key_sid"`
	SecretCiphertext []byte    `bun:"secret_ciphertext"`
	SecretKeyID      string    `bun:"secret_key_id"`
	FriendlyName     string    `bun:"friendly_name"`
	ConnectedAt      time.Time `bun:"connected_at,nullzero,default:now()"`
	UpdatedAt        time.Time `bun:"updated_at,nullzero,default:now()"`
}

type Sitter struct {
	bun.BaseModel `bun:"table:sitters"`
	ID            uuid.UUID  `bun:"id,pk,type:uuid"`
	OrgID         uuid.UUID  `bun:"org_id,type:uuid"`
	UserID        *uuid.UUID `bun:"user_id,type:uuid"`
	Name          string     `bun:"name"`
	DisplayName   string     `bun:"display_name"`
	PhoneE164     string     `bun:"phone_e164"`
	Active        bool       `bun:"active"`
	CreatedAt     time.Time  `bun:"created_at,nullzero,default:now()"`
}

type Client struct {
	bun.BaseModel   `bun:"table:clients"`
	ID              uuid.UUID  `bun:"id,pk,type:uuid"`
	OrgID           uuid.UUID  `bun:"org_id,type:uuid"`
	Name            string     `bun:"name"`
	PhoneE164       string     `bun:"phone_e164"`
	OptedOutAt      *time.Time `bun:"opted_out_at"`
	OptedOutKeyword string     `bun:"opted_out_keyword"`
	CreatedAt       time.Time  `bun:"created_at,nullzero,default:now()"`
	Email           string     `bun:"email,nullzero,notnull,default:''"`
	Address         string     `bun:"address,nullzero,notnull,default:''"`
	Tags            []string   `bun:"tags,array,nullzero,notnull,default:'{}'"`
	Notes           string     `bun:"notes,nullzero,notnull,default:''"`
	ArchivedAt      *time.Time `bun:"archived_at"`
	// ConsentSource says who last changed whether texts are allowed:
	// first_text, keyword, staff, import or merge; ConsentAt when.
	ConsentSource string    `bun:"consent_source,nullzero,notnull,default:'first_text'"`
	ConsentAt     time.Time `bun:"consent_at,nullzero,notnull,default:now()"`
}

// Consent sources.
const (
	ConsentFirstText = "first_text"
	ConsentKeyword   = "keyword"
	ConsentStaff     = "staff"
	ConsentImport    = "import"
	ConsentMerge     = "merge"
)

// Number classes and statuses.
const (
	ClassFrontDesk = "front_desk"
	ClassSitter    = "sitter"
	ClassPool      = "pool"

	NumberActive      = "active"
	NumberQuarantined = "quarantined"
	NumberInactive    = "inactive"
	NumberReleased    = "released"
)

type PhoneNumber struct {
	bun.BaseModel    `bun:"table:phone_numbers"`
	ID               uuid.UUID  `bun:"id,pk,type:uuid"`
	OrgID            uuid.UUID  `bun:"org_id,type:uuid"`
	E164             string     `bun:"e164"`
	ProviderSID      string     `bun:"provider_sid"`
	Class            string     `bun:"class"`
	Status           string     `bun:"status"`
	SitterID         *uuid.UUID `bun:"sitter_id,type:uuid"`
	FriendlyName     string     `bun:"friendly_name"`
	WebhookStatus    string     `bun:"webhook_status"`
	WebhookError     string     `bun:"webhook_error"`
	WebhookCheckedAt *time.Time `bun:"webhook_checked_at"`
	MonthlyCost      string     `bun:"monthly_cost"`
	LastUsedAt       *time.Time `bun:"last_used_at"`
	QuarantinedAt    *time.Time `bun:"quarantined_at"`
	CooldownEndsAt   *time.Time `bun:"cooldown_ends_at"`
	CreatedAt        time.Time  `bun:"created_at,nullzero,default:now()"`
	ReleasedAt       *time.Time `bun:"released_at"`
}

type NumberEvent struct {
	bun.BaseModel `bun:"table:number_events"`
	ID            int64     `bun:"id,pk,autoincrement" json:"id"`
	OrgID         uuid.UUID `bun:"org_id,type:uuid" json:"-"`
	NumberID      uuid.UUID `bun:"number_id,type:uuid" json:"numberId"`
	At            time.Time `bun:"at,nullzero,default:now()" json:"at"`
	Kind          string    `bun:"kind" json:"kind"`
	Detail        string    `bun:"detail" json:"detail"`
	ActorID       string    `bun:"actor_id" json:"actorId"`
}

// Window statuses.
const (
	WindowScheduled = "scheduled"
	WindowActive    = "active"
	WindowEnded     = "ended"
	WindowCancelled = "cancelled"
)

type AssignmentWindow struct {
	bun.BaseModel `bun:"table:assignment_windows"`
	ID            uuid.UUID `bun:"id,pk,type:uuid"`
	OrgID         uuid.UUID `bun:"org_id,type:uuid"`
	SitterID      uuid.UUID `bun:"sitter_id,type:uuid"`
	ClientID      uuid.UUID `bun:"client_id,type:uuid"`
	StartsAt      time.Time `bun:"starts_at"`
	EndsAt        time.Time `bun:"ends_at"`
	Status        string    `bun:"status"`
	Note          string    `bun:"note"`
	// NotifyClient: the window's workflow texts the client at the start
	// who is caring for them.
	NotifyClient bool      `bun:"notify_client"`
	CreatedAt    time.Time `bun:"created_at,nullzero,default:now()"`
}

type Thread struct {
	bun.BaseModel      `bun:"table:threads"`
	ID                 uuid.UUID  `bun:"id,pk,type:uuid"`
	OrgID              uuid.UUID  `bun:"org_id,type:uuid"`
	ClientID           uuid.UUID  `bun:"client_id,type:uuid"`
	NumberID           uuid.UUID  `bun:"number_id,type:uuid"`
	AssignedSitterID   *uuid.UUID `bun:"assigned_sitter_id,type:uuid"`
	LastMessageAt      time.Time  `bun:"last_message_at,nullzero,default:now()"`
	LastMessagePreview string     `bun:"last_message_preview"`
	OwnerUnreadCount   int        `bun:"owner_unread_count"`
	SitterUnreadCount  int        `bun:"sitter_unread_count"`
	OpenViolations     int        `bun:"open_violations"`
	FailedDeliveries   int        `bun:"failed_deliveries"`
	CreatedAt          time.Time  `bun:"created_at,nullzero,default:now()"`
}

type RoutingOverride struct {
	bun.BaseModel  `bun:"table:routing_overrides"`
	ID             uuid.UUID  `bun:"id,pk,type:uuid"`
	OrgID          uuid.UUID  `bun:"org_id,type:uuid"`
	ThreadID       uuid.UUID  `bun:"thread_id,type:uuid"`
	TargetKind     string     `bun:"target_kind"`
	TargetSitterID *uuid.UUID `bun:"target_sitter_id,type:uuid"`
	StartsAt       time.Time  `bun:"starts_at"`
	EndsAt         time.Time  `bun:"ends_at"`
	Reason         string     `bun:"reason"`
	CreatedBy      *uuid.UUID `bun:"created_by,type:uuid"`
	CancelledAt    *time.Time `bun:"cancelled_at"`
	CreatedAt      time.Time  `bun:"created_at,nullzero,default:now()"`
	// EndedAt is when the override stopped (its expiry, or the owner
	// removing it), EndReason "expired" or "cancelled"; recorded by its
	// workflow.
	EndedAt     *time.Time `bun:"ended_at"`
	EndReason   string     `bun:"end_reason,nullzero,notnull,default:''"`
	CancelledBy *uuid.UUID `bun:"cancelled_by,type:uuid"`
}

// Message directions, sender types and statuses.
const (
	DirectionInbound  = "inbound"
	DirectionOutbound = "outbound"

	SenderClient     = "client"
	SenderOwner      = "owner"
	SenderAdmin      = "admin"
	SenderSitter     = "sitter"
	SenderAutomation = "automation"
	SenderSystem     = "system"

	StatusReceived    = "received"
	StatusBlocked     = "blocked"
	StatusPending     = "pending"
	StatusQueued      = "queued"
	StatusSending     = "sending"
	StatusSent        = "sent"
	StatusDelivered   = "delivered"
	StatusUndelivered = "undelivered"
	StatusFailed      = "failed"
	StatusDiscarded   = "discarded"
)

type Message struct {
	bun.BaseModel    `bun:"table:messages"`
	ID               uuid.UUID           `bun:"id,pk,type:uuid"`
	OrgID            uuid.UUID           `bun:"org_id,type:uuid"`
	ThreadID         uuid.UUID           `bun:"thread_id,type:uuid"`
	Direction        string              `bun:"direction"`
	SenderType       string              `bun:"sender_type"`
	SenderUserID     *uuid.UUID          `bun:"sender_user_id,type:uuid"`
	SenderSitterID   *uuid.UUID          `bun:"sender_sitter_id,type:uuid"`
	Body             string              `bun:"body"`
	Media            []message.MediaItem `bun:"media,type:jsonb"`
	ProviderSID      *string             `bun:"provider_sid"`
	FromE164         string              `bun:"from_e164"`
	ToE164           string              `bun:"to_e164"`
	Status           string              `bun:"status"`
	ErrorCode        *int                `bun:"error_code"`
	ErrorMessage     string              `bun:"error_message"`
	Encoding         string              `bun:"encoding"`
	Segments         int                 `bun:"segments"`
	Attempts         int                 `bun:"attempts"`
	Routing          json.RawMessage     `bun:"routing,type:jsonb,nullzero"`
	RoutedToSitterID *uuid.UUID          `bun:"routed_to_sitter_id,type:uuid"`
	CorrelationID    string              `bun:"correlation_id"`
	DeadLetteredAt   *time.Time          `bun:"dead_lettered_at"`
	CreatedAt        time.Time           `bun:"created_at,nullzero,default:now()"`
	UpdatedAt        time.Time           `bun:"updated_at,nullzero,default:now()"`
}

type MessageAttempt struct {
	bun.BaseModel `bun:"table:message_attempts"`
	ID            uuid.UUID  `bun:"id,pk,type:uuid"`
	OrgID         uuid.UUID  `bun:"org_id,type:uuid"`
	MessageID     uuid.UUID  `bun:"message_id,type:uuid"`
	Attempt       int        `bun:"attempt"`
	ProviderSID   *string    `bun:"provider_sid"`
	Status        string     `bun:"status"`
	ErrorCode     *int       `bun:"error_code"`
	ErrorMessage  string     `bun:"error_message"`
	Trigger       string     `bun:"trigger"`
	StartedAt     time.Time  `bun:"started_at,nullzero,default:now()"`
	FinishedAt    *time.Time `bun:"finished_at"`
}

type WebhookReceipt struct {
	bun.BaseModel `bun:"table:webhook_receipts"`
	ID            uuid.UUID       `bun:"id,pk,type:uuid"`
	OrgID         uuid.UUID       `bun:"org_id,type:uuid"`
	Kind          string          `bun:"kind"`
	DedupeKey     string          `bun:"dedupe_key"`
	MessageSID    string          `bun:"message_sid"`
	Payload       json.RawMessage `bun:"payload,type:jsonb"`
	CorrelationID string          `bun:"correlation_id"`
	ReceivedAt    time.Time       `bun:"received_at,nullzero,default:now()"`
	DispatchedAt  *time.Time      `bun:"dispatched_at"`
	ProcessedAt   *time.Time      `bun:"processed_at"`
	DispatchError string          `bun:"dispatch_error"`
}

type PolicyViolation struct {
	bun.BaseModel `bun:"table:policy_violations"`
	ID            uuid.UUID       `bun:"id,pk,type:uuid"`
	OrgID         uuid.UUID       `bun:"org_id,type:uuid"`
	MessageID     uuid.UUID       `bun:"message_id,type:uuid"`
	ThreadID      uuid.UUID       `bun:"thread_id,type:uuid"`
	SitterID      *uuid.UUID      `bun:"sitter_id,type:uuid"`
	Kinds         []string        `bun:"kinds,array"`
	Excerpts      json.RawMessage `bun:"excerpts,type:jsonb"`
	Status        string          `bun:"status"`
	ReviewedBy    *uuid.UUID      `bun:"reviewed_by,type:uuid"`
	ReviewReason  string          `bun:"review_reason"`
	ReviewedAt    *time.Time      `bun:"reviewed_at"`
	CreatedAt     time.Time       `bun:"created_at,nullzero,default:now()"`
}

type Alert struct {
	bun.BaseModel `bun:"table:alerts"`
	ID            uuid.UUID  `bun:"id,pk,type:uuid"`
	OrgID         uuid.UUID  `bun:"org_id,type:uuid"`
	Severity      string     `bun:"severity"`
	Kind          string     `bun:"kind"`
	Title         string     `bun:"title"`
	Detail        string     `bun:"detail"`
	EntityType    string     `bun:"entity_type"`
	EntityID      string     `bun:"entity_id"`
	Status        string     `bun:"status"`
	DedupeKey     string     `bun:"dedupe_key"`
	CreatedAt     time.Time  `bun:"created_at,nullzero,default:now()"`
	ClosedAt      *time.Time `bun:"closed_at"`
	ClosedBy      *uuid.UUID `bun:"closed_by,type:uuid"`
	// ThreadID is the conversation of a message's alert (Alerts reads
	// it, for the deep link); never stored.
	ThreadID *uuid.UUID `bun:"thread_id,scanonly,type:uuid"`
}

type SetupProgress struct {
	bun.BaseModel `bun:"table:setup_progress"`
	OrgID         uuid.UUID       `bun:"org_id,pk,type:uuid"`
	CurrentStep   string          `bun:"current_step"`
	Steps         json.RawMessage `bun:"steps,type:jsonb"`
	Diagnostics   bool            `bun:"diagnostics"`
	CompletedAt   *time.Time      `bun:"completed_at"`
	UpdatedAt     time.Time       `bun:"updated_at,nullzero,default:now()"`
}

type Quarantine struct {
	bun.BaseModel       `bun:"table:quarantines"`
	ID                  uuid.UUID       `bun:"id,pk,type:uuid"`
	OrgID               uuid.UUID       `bun:"org_id,type:uuid"`
	NumberID            uuid.UUID       `bun:"number_id,type:uuid"`
	ReplacementNumberID *uuid.UUID      `bun:"replacement_number_id,type:uuid"`
	Status              string          `bun:"status"`
	EndAction           string          `bun:"end_action"`
	NotifyClients       bool            `bun:"notify_clients"`
	Reason              string          `bun:"reason"`
	Impact              json.RawMessage `bun:"impact,type:jsonb"`
	CooldownEndsAt      time.Time       `bun:"cooldown_ends_at"`
	CreatedBy           *uuid.UUID      `bun:"created_by,type:uuid"`
	CreatedAt           time.Time       `bun:"created_at,nullzero,default:now()"`
	FinishedAt          *time.Time      `bun:"finished_at"`
}

type ThreadNumberMove struct {
	bun.BaseModel `bun:"table:thread_number_moves"`
	ID            int64      `bun:"id,pk,autoincrement"`
	OrgID         uuid.UUID  `bun:"org_id,type:uuid"`
	ThreadID      uuid.UUID  `bun:"thread_id,type:uuid"`
	FromNumberID  uuid.UUID  `bun:"from_number_id,type:uuid"`
	ToNumberID    uuid.UUID  `bun:"to_number_id,type:uuid"`
	QuarantineID  *uuid.UUID `bun:"quarantine_id,type:uuid"`
	MovedAt       time.Time  `bun:"moved_at,nullzero,default:now()"`
}
