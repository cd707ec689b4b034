package team

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/domain/phone"
	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
)

// Sitters: the roster (each sitter's own number, active windows and
// threads) and the profile (name, the display name clients see, their
// phone, status). Owners and admins.

// Roster lists the org's sitters by name with their workload.
func (s *Service) Roster(ctx context.Context, a service.Actor) ([]store.SitterRosterRow, error) {
	return s.Store.Org(a.OrgID).SitterRoster(ctx, s.Now())
}

// SitterProfile is one sitter with what lies ahead for them.
type SitterProfile struct {
	store.SitterRosterRow
	Ahead []WindowAhead
}

// Sitter loads a sitter's profile.
func (s *Service) Sitter(ctx context.Context, a service.Actor, id uuid.UUID) (SitterProfile, error) {
	org := s.Store.Org(a.OrgID)
	now := s.Now()
	row, err := org.SitterRosterEntry(ctx, id, now)
	if err != nil {
		return SitterProfile{}, service.NotFoundOr(err, "The sitter")
	}
	ahead, err := s.windowsAhead(ctx, org, id, now)
	if err != nil {
		return SitterProfile{}, err
	}
	return SitterProfile{SitterRosterRow: *row, Ahead: ahead}, nil
}

// SitterDraft is the sitter profile form.
type SitterDraft struct {
	Name        string
	DisplayName string
	// Phone is the sitter's own phone (staff only; never shown to
	// clients); empty for none.
	Phone string
}

func (d SitterDraft) check() (name, display, e164 string, err error) {
	fields := map[string]string{}
	name, display = strings.TrimSpace(d.Name), strings.TrimSpace(d.DisplayName)
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		fields["name"] = "Enter the sitter's name."
	case n > 200:
		fields["name"] = "Use at most 200 characters."
	}
	if utf8.RuneCountInString(display) > 100 {
		fields["displayName"] = "Use at most 100 characters."
	}
	if p := strings.TrimSpace(d.Phone); p != "" {
		var perr error
		if e164, perr = phone.Normalize(p, "US"); perr != nil {
			var inv *phone.InvalidError
			if errors.As(perr, &inv) {
				fields["phone"] = "Not a phone number we can use: " + inv.Reason + "."
			} else {
				fields["phone"] = "Write the number with \"+\" and its country code."
			}
		}
	}
	if len(fields) > 0 {
		return "", "", "", errs.Invalid("", fields)
	}
	return name, display, e164, nil
}

// CreateSitter adds a sitter record without a login (invite them to give
// them one).
func (s *Service) CreateSitter(ctx context.Context, a service.Actor, d SitterDraft) (SitterProfile, error) {
	name, display, e164, err := d.check()
	if err != nil {
		return SitterProfile{}, err
	}
	st := &store.Sitter{Name: name, DisplayName: display, PhoneE164: e164, Active: true}
	if err := s.Store.Org(a.OrgID).CreateSitter(ctx, st); err != nil {
		return SitterProfile{}, err
	}
	s.Auditor.Record(ctx, a, service.Event{Action: "sitter.created", EntityType: "sitter", EntityID: st.ID.String()})
	return s.Sitter(ctx, a, st.ID)
}

// SitterEdit is a profile change of one sitter.
type SitterEdit struct {
	ID uuid.UUID
	SitterDraft
}

// UpdateSitter changes a sitter's profile.
func (s *Service) UpdateSitter(ctx context.Context, a service.Actor, in SitterEdit) (SitterProfile, error) {
	name, display, e164, err := in.check()
	if err != nil {
		return SitterProfile{}, err
	}
	if err := s.Store.Org(a.OrgID).UpdateSitterProfile(ctx, in.ID, name, display, e164); err != nil {
		return SitterProfile{}, service.NotFoundOr(err, "The sitter")
	}
	s.Auditor.Record(ctx, a, service.Event{Action: "sitter.updated", EntityType: "sitter", EntityID: in.ID.String()})
	return s.Sitter(ctx, a, in.ID)
}
