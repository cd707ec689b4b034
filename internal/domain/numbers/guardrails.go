package numbers

import (
	"fmt"
	"strconv"

	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/errs"
)

// The guardrails of the inventory's destructive actions. Each says why the
// number's current state refuses the change, or returns nil.

// CheckRelease refuses to give a number back to the provider while clients
// still text it: the front desk (the number clients know), a quarantined
// number (its quarantine releases it), one already released, and one that
// carries active conversations (imp says how many, and with whom).
func CheckRelease(n Number, imp Impact) error {
	switch {
	case n.Status == StatusReleased:
		return errs.Conflict("", "This number has already been released.")
	case n.Status == StatusQuarantined:
		return errs.Conflict("", "This number is in quarantine. Use \"release now\" on its quarantine instead.")
	case n.Class == ClassFrontDesk:
		return errs.Conflict("", "The front desk number cannot be released: it is the number your clients know.")
	case n.ActiveThreads > 0:
		return &errs.Error{Kind: errs.KindConflict, Code: "has_active_threads",
			Message: fmt.Sprintf("This number still carries %s with %s. Move them first: quarantine the number, which moves its conversations to another number.",
				Plural(n.ActiveThreads, "active conversation", "active conversations"), Plural(imp.Clients, "client", "clients")),
			Fields: map[string]string{"threads": strconv.Itoa(imp.Threads), "activeThreads": strconv.Itoa(imp.ActiveThreads),
				"clients": strconv.Itoa(imp.Clients), "activeWindows": strconv.Itoa(imp.ActiveWindows)}}
	}
	return nil
}

// CheckQuarantine refuses to quarantine a number that is not in service,
// or the front desk (where conversations go when other numbers leave).
func CheckQuarantine(n Number) error {
	switch {
	case n.Status == StatusReleased:
		return errs.Conflict("", "This number has been released.")
	case n.Status == StatusQuarantined:
		until := ""
		if n.CooldownEndsAt != nil {
			until = " until " + n.CooldownEndsAt.UTC().Format("Jan 2, 2006")
		}
		return errs.Conflict("", "This number is already in quarantine"+until+".")
	case n.Class == ClassFrontDesk:
		return errs.Conflict("", "The front desk number cannot be quarantined: it is where conversations go when other numbers leave service.")
	case n.Status != StatusActive:
		return errs.Conflict("", "Only an active number can be quarantined; this one is "+n.Status+".")
	}
	return nil
}

// CheckReplacement refuses a replacement that cannot take over a
// quarantined number's threads: it must be another active pool number or
// the front desk, and none of the numbers leaving service with it (avoid).
func CheckReplacement(n, replacement Number, avoid []uuid.UUID) error {
	if replacement.ID == n.ID || replacement.Status != StatusActive || replacement.Class == ClassSitter || containsID(avoid, replacement.ID) {
		return errs.InvalidField("replacementNumberId", "Choose another active pool number, or the front desk.")
	}
	return nil
}

// CheckAssign refuses to move a number to class to: an unknown class, a
// number out of service, or the front desk leaving its post.
func CheckAssign(n Number, to string) error {
	switch {
	case !OneOf(to, Classes):
		return errs.InvalidField("to", "Assign to sitter, pool or front_desk.")
	case n.Status != StatusActive:
		return errs.Conflict("", "Only an active number can be reassigned; this one is "+n.Status+".")
	case n.Class == ClassFrontDesk && to != ClassFrontDesk:
		return errs.Conflict("", "The front desk number stays the front desk: clients know it. Quarantine it if it must leave service.")
	}
	return nil
}

// CheckHandOver refuses to reassign a number that carries active
// conversations: they would reach someone else.
func CheckHandOver(n Number) error {
	if n.ActiveThreads == 0 {
		return nil
	}
	return &errs.Error{Kind: errs.KindConflict, Code: "has_active_threads",
		Message: fmt.Sprintf("This number carries %s; reassigning it would hand them to someone else. Quarantine it to move them first.",
			Plural(n.ActiveThreads, "active conversation", "active conversations")),
		Fields: map[string]string{"activeThreads": strconv.Itoa(n.ActiveThreads), "threads": strconv.Itoa(n.Threads)}}
}

// SameAssignment reports whether a number already is what an assignment
// asks for (class to, with sitter).
func SameAssignment(n Number, to string, sitter *uuid.UUID) bool {
	if n.Class != to {
		return false
	}
	if n.SitterID == nil || sitter == nil {
		return n.SitterID == nil && sitter == nil
	}
	return *n.SitterID == *sitter
}

func containsID(ids []uuid.UUID, id uuid.UUID) bool {
	for _, v := range ids {
		if v == id {
			return true
		}
	}
	return false
}
