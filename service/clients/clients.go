// Package clients is the application layer of the client book: list and
// detail, create, edit, archive, consent, merging a client named by their
// number into the real one, CSV import and export, and starting a
// conversation with a client from one of the business's numbers. Owners
// and admins only; nothing here is shown to sitters.
package clients

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/domain/phone"
	"github.com/snoutos/snout/internal/domain/sendability"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
	"github.com/snoutos/snout/service/inbox"
	"github.com/snoutos/snout/service/messaging"
	"github.com/snoutos/snout/service/signup"
	"github.com/snoutos/snout/service/windows"
)

// Service holds the client book's use cases.
type Service struct {
	Store *store.Store
	// Messaging sends a new conversation's first text (its delivery runs
	// in the delivery workflow like every other text).
	Messaging *messaging.Service
	Now       func() time.Time
	Auditor   service.Auditor
	// Country reads numbers typed without "+" (US when empty).
	Country string
}

func (s *Service) country() string {
	if s.Country == "" {
		return "US"
	}
	return s.Country
}

// Page sizes.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
	MaxSearchLength = 200
)

// Field limits.
const (
	maxName    = 200
	maxAddress = 500
	maxNotes   = 4000
	maxTags    = 20
	maxTag     = 40
	maxPhones  = 5
	maxPets    = 20
	maxPetName = 100
	maxPetNote = 2000
)

// PhoneDraft is one phone number as typed.
type PhoneDraft struct {
	Number  string
	Label   string
	Primary bool
}

// PetDraft is one pet as typed.
type PetDraft struct {
	Name  string
	Notes string
}

// Draft is a client as the create and edit forms send it. Phones and pets
// replace the stored ones.
type Draft struct {
	Name    string
	Phones  []PhoneDraft
	Email   string
	Address string
	Tags    []string
	Notes   string
	Pets    []PetDraft
}

// record validates the draft, every field at once, and normalises it
// (numbers to E.164, tags to lower case).
func (s *Service) record(d Draft) (store.ClientRecord, error) {
	fields := map[string]string{}
	var r store.ClientRecord
	name := strings.TrimSpace(d.Name)
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		fields["name"] = "Enter the client's name."
	case n > maxName:
		fields["name"] = "Use at most 200 characters."
	}
	r.Client.Name = name
	switch {
	case len(d.Phones) == 0:
		fields["phones"] = "Add at least one phone number."
	case len(d.Phones) > maxPhones:
		fields["phones"] = fmt.Sprintf("A client has at most %d phone numbers.", maxPhones)
	}
	primaries := 0
	seen := map[string]int{}
	for i, p := range d.Phones {
		key := "phones[" + strconv.Itoa(i) + "]"
		e164, err := phone.Normalize(p.Number, s.country())
		if err != nil {
			fields[key+".number"] = phoneProblem(err)
			continue
		}
		if j, dup := seen[e164]; dup {
			fields[key+".number"] = "This is the same number as phone " + strconv.Itoa(j+1) + "."
			continue
		}
		seen[e164] = i
		label := strings.TrimSpace(p.Label)
		if utf8.RuneCountInString(label) > 40 {
			fields[key+".label"] = "Use at most 40 characters."
		}
		if p.Primary {
			primaries++
		}
		r.Phones = append(r.Phones, store.ClientPhone{E164: e164, Label: label, IsPrimary: p.Primary})
	}
	if primaries > 1 {
		fields["phones"] = "Only one phone number can be the primary one."
	}
	email := strings.ToLower(strings.TrimSpace(d.Email))
	if email != "" {
		if msg := signup.EmailProblem(email); msg != "" {
			fields["email"] = msg
		}
	}
	r.Client.Email = email
	r.Client.Address = strings.TrimSpace(d.Address)
	if utf8.RuneCountInString(r.Client.Address) > maxAddress {
		fields["address"] = "Use at most 500 characters."
	}
	r.Client.Notes = strings.TrimSpace(d.Notes)
	if utf8.RuneCountInString(r.Client.Notes) > maxNotes {
		fields["notes"] = "Use at most 4,000 characters."
	}
	r.Client.Tags = []string{}
	if len(d.Tags) > maxTags {
		fields["tags"] = fmt.Sprintf("Use at most %d tags.", maxTags)
	}
	tagSeen := map[string]bool{}
	for i, t := range d.Tags {
		t = strings.ToLower(strings.TrimSpace(t))
		switch {
		case t == "":
			fields["tags["+strconv.Itoa(i)+"]"] = "A tag can't be empty."
		case utf8.RuneCountInString(t) > maxTag:
			fields["tags["+strconv.Itoa(i)+"]"] = "Use at most 40 characters."
		case !tagSeen[t]:
			tagSeen[t] = true
			r.Client.Tags = append(r.Client.Tags, t)
		}
	}
	if len(d.Pets) > maxPets {
		fields["pets"] = fmt.Sprintf("A client has at most %d pets here.", maxPets)
	}
	for i, p := range d.Pets {
		key := "pets[" + strconv.Itoa(i) + "]"
		pn := strings.TrimSpace(p.Name)
		switch n := utf8.RuneCountInString(pn); {
		case n == 0:
			fields[key+".name"] = "Enter the pet's name."
		case n > maxPetName:
			fields[key+".name"] = "Use at most 100 characters."
		}
		notes := strings.TrimSpace(p.Notes)
		if utf8.RuneCountInString(notes) > maxPetNote {
			fields[key+".notes"] = "Use at most 2,000 characters."
		}
		r.Pets = append(r.Pets, store.ClientPet{Name: pn, Notes: notes})
	}
	if len(fields) > 0 {
		return r, errs.Invalid("", fields)
	}
	return r, nil
}

// phoneProblem words a refused number for the person who typed it.
func phoneProblem(err error) string {
	var inv *phone.InvalidError
	if errors.As(err, &inv) {
		return "Not a phone number we can text: " + inv.Reason + "."
	}
	return "Write the number with \"+\" and its country code."
}

// takenRefusal refuses phones held by other clients, naming them.
func takenRefusal(r store.ClientRecord, holders map[string]store.Client) error {
	if len(holders) == 0 {
		return nil
	}
	fields := map[string]string{}
	var taken []map[string]any
	for i, p := range r.Phones {
		h, ok := holders[p.E164]
		if !ok {
			continue
		}
		name := h.Name
		if h.ArchivedAt != nil {
			name += " (archived)"
		}
		fields["phones["+strconv.Itoa(i)+"].number"] = phone.Display(p.E164) + " is already the number of " + name + "."
		taken = append(taken, map[string]any{"phone": p.E164, "clientId": h.ID, "clientName": h.Name})
	}
	return (&errs.Error{Kind: errs.KindInvalid, Code: "phone_taken", Message: "A phone number belongs to another client.", Fields: fields}).
		With(map[string]any{"taken": taken})
}

// Detail is a client's page.
type Detail struct {
	Client  store.Client
	Phones  []store.ClientPhone
	Pets    []store.ClientPet
	Threads []inbox.Thread
	Windows []windows.Window
}

// NamedByNumber reports whether a client is still named after their phone
// number (an unknown sender), the kind merged into a real client.
func NamedByNumber(c *store.Client) bool {
	name := strings.TrimSpace(c.Name)
	return name == "" || name == c.PhoneE164 || name == phone.Display(c.PhoneE164)
}

// Create adds a client.
func (s *Service) Create(ctx context.Context, a service.Actor, d Draft) (Detail, error) {
	r, err := s.record(d)
	if err != nil {
		return Detail{}, err
	}
	r.Client.ConsentSource, r.Client.ConsentAt = store.ConsentStaff, s.Now()
	if err := s.save(ctx, a, &r); err != nil {
		return Detail{}, err
	}
	s.Auditor.Record(ctx, a, service.Event{Action: "client.created", EntityType: "client", EntityID: r.Client.ID.String(),
		Detail: map[string]any{"phones": len(r.Phones), "pets": len(r.Pets)}})
	return s.Get(ctx, a, r.Client.ID)
}

// Update replaces a client's details, phones and pets.
func (s *Service) Update(ctx context.Context, a service.Actor, id uuid.UUID, d Draft) (Detail, error) {
	org := s.Store.Org(a.OrgID)
	if _, err := org.ClientByID(ctx, id); err != nil {
		return Detail{}, service.NotFoundOr(err, "The client")
	}
	r, err := s.record(d)
	if err != nil {
		return Detail{}, err
	}
	r.Client.ID = id
	if err := s.save(ctx, a, &r); err != nil {
		return Detail{}, err
	}
	s.Auditor.Record(ctx, a, service.Event{Action: "client.updated", EntityType: "client", EntityID: id.String(),
		Detail: map[string]any{"phones": len(r.Phones), "pets": len(r.Pets)}})
	return s.Get(ctx, a, id)
}

func (s *Service) save(ctx context.Context, a service.Actor, r *store.ClientRecord) error {
	org := s.Store.Org(a.OrgID)
	e164s := make([]string, 0, len(r.Phones))
	for _, p := range r.Phones {
		e164s = append(e164s, p.E164)
	}
	holders, err := org.PhoneHolders(ctx, e164s, r.Client.ID)
	if err != nil {
		return err
	}
	if err := takenRefusal(*r, holders); err != nil {
		return err
	}
	err = org.SaveClientRecord(ctx, r)
	if errors.Is(err, store.ErrConflict) {
		// Given to another client between the check and the write.
		if holders, herr := org.PhoneHolders(ctx, e164s, r.Client.ID); herr == nil && len(holders) > 0 {
			return takenRefusal(*r, holders)
		}
		return errs.Conflict("", "These details changed meanwhile; reload and try again.")
	}
	return service.NotFoundOr(err, "The client")
}

// Get loads a client's page: details, phones, pets, conversations, and
// windows from 30 days ago on.
func (s *Service) Get(ctx context.Context, a service.Actor, id uuid.UUID) (Detail, error) {
	org := s.Store.Org(a.OrgID)
	c, err := org.ClientByID(ctx, id)
	if err != nil {
		return Detail{}, service.NotFoundOr(err, "The client")
	}
	ids := []uuid.UUID{id}
	phones, err := org.ClientPhones(ctx, ids)
	if err != nil {
		return Detail{}, err
	}
	pets, err := org.ClientPets(ctx, ids)
	if err != nil {
		return Detail{}, err
	}
	now := s.Now()
	threads, err := org.ClientThreads(ctx, id, now)
	if err != nil {
		return Detail{}, err
	}
	from := now.Add(-30 * 24 * time.Hour)
	ws, err := org.FindWindows(ctx, store.WindowFilter{ClientID: &id, From: &from}, 50)
	if err != nil {
		return Detail{}, err
	}
	ts := make([]inbox.Thread, 0, len(threads))
	for _, t := range threads {
		ts = append(ts, inbox.Thread{InboxThread: t, WindowNow: t.WindowStatus(now)})
	}
	return Detail{Client: *c, Phones: phones, Pets: pets, Threads: ts, Windows: windows.At(ws, now)}, nil
}

// Query narrows the client list.
type Query struct {
	Search string
	// Archived: "" current clients, "only" archived ones, "all" both.
	Archived string
	Tag      string
	After    *store.ClientCursor
	Limit    int
}

// Row is a client of the list with their phones and pets.
type Row struct {
	Client store.Client
	Phones []store.ClientPhone
	Pets   []store.ClientPet
}

// ListPage is a page of clients by name.
type ListPage struct {
	Clients []Row
	Next    *store.ClientCursor
}

// List pages through the client book by name.
func (s *Service) List(ctx context.Context, a service.Actor, q Query) (ListPage, error) {
	f := store.ClientBookFilter{Search: strings.TrimSpace(q.Search), Tag: strings.ToLower(strings.TrimSpace(q.Tag)), After: q.After}
	if utf8.RuneCountInString(f.Search) > MaxSearchLength {
		return ListPage{}, errs.InvalidField("q", "Search for at most 200 characters.")
	}
	switch q.Archived {
	case "":
		no := false
		f.Archived = &no
	case "only":
		yes := true
		f.Archived = &yes
	case "all":
	default:
		return ListPage{}, errs.InvalidField("archived", "Use only or all, or leave it out for current clients.")
	}
	limit := q.Limit
	if limit <= 0 || limit > MaxPageSize {
		limit = DefaultPageSize
	}
	org := s.Store.Org(a.OrgID)
	rows, err := org.ClientBook(ctx, f, limit+1)
	if err != nil {
		return ListPage{}, err
	}
	rows, next := service.Page(rows, limit, func(c *store.Client) store.ClientCursor { return store.ClientCursor{Name: c.Name, ID: c.ID} })
	out, err := s.withDetails(ctx, org, rows)
	return ListPage{Clients: out, Next: next}, err
}

func (s *Service) withDetails(ctx context.Context, org *store.OrgStore, rows []store.Client) ([]Row, error) {
	ids := make([]uuid.UUID, 0, len(rows))
	for _, c := range rows {
		ids = append(ids, c.ID)
	}
	phones, err := org.ClientPhones(ctx, ids)
	if err != nil {
		return nil, err
	}
	pets, err := org.ClientPets(ctx, ids)
	if err != nil {
		return nil, err
	}
	byPhone, byPet := map[uuid.UUID][]store.ClientPhone{}, map[uuid.UUID][]store.ClientPet{}
	for _, p := range phones {
		byPhone[p.ClientID] = append(byPhone[p.ClientID], p)
	}
	for _, p := range pets {
		byPet[p.ClientID] = append(byPet[p.ClientID], p)
	}
	out := make([]Row, 0, len(rows))
	for _, c := range rows {
		out = append(out, Row{Client: c, Phones: byPhone[c.ID], Pets: byPet[c.ID]})
	}
	return out, nil
}

// Archive takes a client off the list (their history stays; a text from
// them still reaches the inbox).
func (s *Service) Archive(ctx context.Context, a service.Actor, id uuid.UUID) (Detail, error) {
	now := s.Now()
	return s.setArchived(ctx, a, id, &now, "client.archived")
}

// Restore puts an archived client back on the list.
func (s *Service) Restore(ctx context.Context, a service.Actor, id uuid.UUID) (Detail, error) {
	return s.setArchived(ctx, a, id, nil, "client.restored")
}

func (s *Service) setArchived(ctx context.Context, a service.Actor, id uuid.UUID, at *time.Time, action string) (Detail, error) {
	if err := s.Store.Org(a.OrgID).SetClientArchived(ctx, id, at); err != nil {
		return Detail{}, service.NotFoundOr(err, "The client")
	}
	s.Auditor.Record(ctx, a, service.Event{Action: action, EntityType: "client", EntityID: id.String()})
	return s.Get(ctx, a, id)
}

// ConsentChange is staff recording what a client said about texts.
type ConsentChange struct {
	ClientID uuid.UUID
	OptedOut bool
}

// SetConsent records a client's choice told to staff (on the phone, in
// person). Staff may record an opt-out at any time, but only the client's
// own START undoes a STOP they texted.
func (s *Service) SetConsent(ctx context.Context, a service.Actor, in ConsentChange) (Detail, error) {
	org := s.Store.Org(a.OrgID)
	c, err := org.ClientByID(ctx, in.ClientID)
	if err != nil {
		return Detail{}, service.NotFoundOr(err, "The client")
	}
	if !in.OptedOut && c.OptedOutAt != nil && ConsentSource(c) == store.ConsentKeyword {
		return Detail{}, errs.Blocked("opt_in_by_keyword_only", sendabilityReason(c)+" Only their own START can allow texts again.")
	}
	if (c.OptedOutAt != nil) == in.OptedOut {
		return s.Get(ctx, a, in.ClientID)
	}
	if err := org.SetClientConsent(ctx, in.ClientID, in.OptedOut, store.ConsentStaff, s.Now()); err != nil {
		return Detail{}, service.NotFoundOr(err, "The client")
	}
	action := "client.opted_in"
	if in.OptedOut {
		action = "client.opted_out"
	}
	s.Auditor.Record(ctx, a, service.Event{Action: action, EntityType: "client", EntityID: in.ClientID.String(), Detail: map[string]any{"source": store.ConsentStaff}})
	return s.Get(ctx, a, in.ClientID)
}

// ConsentSource is who last decided whether the client gets texts: an
// opt-out that carries the keyword the client texted is theirs whatever
// wrote the row.
func ConsentSource(c *store.Client) string {
	if c.OptedOutAt != nil && c.OptedOutKeyword != "" {
		return store.ConsentKeyword
	}
	if c.ConsentSource == "" {
		return store.ConsentFirstText
	}
	return c.ConsentSource
}

// sendabilityReason is the domain's words for an opted-out client.
func sendabilityReason(c *store.Client) string {
	err := sendability.Check(sendability.Recipient{Name: c.Name, OptedOutAt: c.OptedOutAt, OptedOutKeyword: c.OptedOutKeyword},
		sendability.BusinessNumber{Active: true})
	if err == nil {
		return ""
	}
	return err.Error()
}

// MergeRequest folds one client into another.
type MergeRequest struct {
	From, Into uuid.UUID
}

// Merged is the client merged into, with what moved.
type Merged struct {
	Detail
	Moved store.MergeResult
}

// Merge folds client From (typically an unknown sender, named by their
// number) into client Into: conversations and their history, windows,
// phones, pets and tags follow, an opt-out of From holds for Into, and
// From is gone.
func (s *Service) Merge(ctx context.Context, a service.Actor, in MergeRequest) (Merged, error) {
	if in.From == in.Into {
		return Merged{}, errs.InvalidField("intoId", "Choose another client to merge into.")
	}
	org := s.Store.Org(a.OrgID)
	from, err := org.ClientByID(ctx, in.From)
	if err != nil {
		return Merged{}, service.NotFoundOr(err, "The client to merge")
	}
	if _, err := org.ClientByID(ctx, in.Into); err != nil {
		return Merged{}, service.NotFoundOr(err, "The client to merge into")
	}
	res, err := org.MergeClients(ctx, in.From, in.Into, s.Now())
	if errors.Is(err, store.ErrConflict) {
		return Merged{}, mergeOverlap()
	}
	if err != nil {
		return Merged{}, service.NotFoundOr(err, "The client")
	}
	s.Auditor.Record(ctx, a, service.Event{Action: "client.merged", EntityType: "client", EntityID: in.Into.String(), Detail: map[string]any{
		"fromClientId": in.From.String(), "fromName": from.Name, "threadsMoved": res.ThreadsMoved, "threadsJoined": res.ThreadsJoined,
		"messagesMoved": res.MessagesMoved, "windowsMoved": res.WindowsMoved, "phonesMoved": res.PhonesMoved, "consentFollowed": res.ConsentFollowed,
	}})
	d, err := s.Get(ctx, a, in.Into)
	return Merged{Detail: d, Moved: res}, err
}

// MergePreview is what merging would move, computed by the same code as
// the merge and changed back: the owner sees it before confirming.
type MergePreview struct {
	Moved store.MergeResult
	// History is every message of the merged client's conversations.
	History int
}

// PreviewMerge says what Merge would move, or why it would be refused,
// without changing anything.
func (s *Service) PreviewMerge(ctx context.Context, a service.Actor, in MergeRequest) (MergePreview, error) {
	if in.From == in.Into {
		return MergePreview{}, errs.InvalidField("intoId", "Choose another client to merge into.")
	}
	org := s.Store.Org(a.OrgID)
	if _, err := org.ClientByID(ctx, in.From); err != nil {
		return MergePreview{}, service.NotFoundOr(err, "The client to merge")
	}
	if _, err := org.ClientByID(ctx, in.Into); err != nil {
		return MergePreview{}, service.NotFoundOr(err, "The client to merge into")
	}
	res, history, err := org.PreviewMerge(ctx, in.From, in.Into, s.Now())
	if errors.Is(err, store.ErrConflict) {
		return MergePreview{}, mergeOverlap()
	}
	if err != nil {
		return MergePreview{}, service.NotFoundOr(err, "The client")
	}
	return MergePreview{Moved: res, History: history}, nil
}

func mergeOverlap() error {
	return errs.Conflict("windows_overlap", "Both clients have assignment windows at the same time; cancel one of them, then merge.")
}

// ---- Starting a conversation ----

// Opening is the first text to a client, from a business number.
type Opening struct {
	ClientID uuid.UUID
	// NumberID is the business number to text from; empty means the
	// front desk.
	NumberID string
	Body     string
	Media    []string
}

// Opened is the conversation and its first message (pending: delivery goes
// on in the delivery workflow).
type Opened struct {
	ThreadID uuid.UUID
	Created  bool
	Message  *store.Message
}

// StartConversation opens (or reuses) the thread between a client and one
// of the business's numbers and sends the first text through the usual
// compose, so delivery runs like every other text. A client who opted out
// is refused with the reason, before anything is stored.
func (s *Service) StartConversation(ctx context.Context, a service.Actor, in Opening) (Opened, error) {
	org := s.Store.Org(a.OrgID)
	c, err := org.ClientByID(ctx, in.ClientID)
	if err != nil {
		return Opened{}, service.NotFoundOr(err, "The client")
	}
	draft := messaging.Draft{Body: in.Body, MediaURLs: in.Media}
	if err := draft.Check(); err != nil {
		return Opened{}, err
	}
	if c.ArchivedAt != nil {
		return Opened{}, errs.Conflict("client_archived", c.Name+" is archived; restore the client before texting them.")
	}
	if err := sendability.Check(sendability.Recipient{Name: c.Name, OptedOutAt: c.OptedOutAt, OptedOutKeyword: c.OptedOutKeyword},
		sendability.BusinessNumber{Active: true}); err != nil {
		return Opened{}, err
	}
	var number *store.PhoneNumber
	if in.NumberID == "" {
		number, err = org.ActiveFrontDesk(ctx)
		if errors.Is(err, store.ErrNotFound) {
			return Opened{}, errs.Conflict("no_front_desk", "The business has no front desk number yet; finish setup or choose another number.")
		}
	} else {
		id, perr := uuid.Parse(in.NumberID)
		if perr != nil {
			return Opened{}, errs.InvalidField("numberId", "Use a number ID from GET /api/v1/numbers.")
		}
		number, err = org.Number(ctx, id)
		err = service.NotFoundOr(err, "The business number")
	}
	if err != nil {
		return Opened{}, err
	}
	if number.Status != store.NumberActive {
		return Opened{}, errs.InvalidField("numberId", "This number is "+number.Status+"; choose an active number.")
	}
	thread, created, err := org.EnsureThread(ctx, c.ID, number.ID, s.Now())
	if err != nil {
		return Opened{}, err
	}
	m, err := s.Messaging.ComposeAsStaff(ctx, a, thread.ID, draft)
	if err != nil {
		return Opened{}, err
	}
	if created {
		s.Auditor.Record(ctx, a, service.Event{Action: "thread.started", EntityType: "thread", EntityID: thread.ID.String(),
			Detail: map[string]any{"clientId": c.ID.String(), "numberId": number.ID.String()}})
	}
	return Opened{ThreadID: thread.ID, Created: created, Message: m}, nil
}
