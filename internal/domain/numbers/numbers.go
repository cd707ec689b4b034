// Package numbers holds the rules about a business's phone numbers, with no
// I/O: what each class of number is for, how healthy a sending number is,
// what may be bought or imported, and which changes (release, quarantine,
// reassignment) a number's state allows. The number services, the
// provisioning workflow and its activities all ask these functions, so a
// refusal reads the same wherever it comes from.
package numbers

import (
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Number classes.
const (
	ClassFrontDesk = "front_desk"
	ClassSitter    = "sitter"
	ClassPool      = "pool"
)

// Classes lists the classes in the inventory's order.
var Classes = []string{ClassFrontDesk, ClassSitter, ClassPool}

// Number statuses.
const (
	StatusActive      = "active"
	StatusQuarantined = "quarantined"
	StatusInactive    = "inactive"
	StatusReleased    = "released"
)

// Statuses lists every status a number can have.
var Statuses = []string{StatusActive, StatusQuarantined, StatusInactive, StatusReleased}

// Where a number is assigned, as the inventory shows it.
const (
	AssignedFrontDesk  = "front_desk"
	AssignedSitter     = "sitter"
	AssignedClients    = "clients" // a pool number carrying client threads
	AssignedPool       = "pool"    // a pool number with no threads
	AssignedUnassigned = "unassigned"
)

// Assignments lists every assignment kind.
var Assignments = []string{AssignedFrontDesk, AssignedSitter, AssignedClients, AssignedPool, AssignedUnassigned}

// ActiveThreadAge: a thread with a message this recent, or whose client has
// a current or upcoming assignment window, is an active thread.
const ActiveThreadAge = 90 * 24 * time.Hour

// NormaliseClass reads a class as people type it ("Front desk",
// "front-desk", "frontdesk" are all front_desk). An unknown class comes
// back lower-cased, for CheckProvision to refuse.
func NormaliseClass(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.NewReplacer(" ", "_", "-", "_").Replace(s)
	if s == "frontdesk" {
		return ClassFrontDesk
	}
	return s
}

// OneOf reports whether v is one of allowed.
func OneOf(v string, allowed []string) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}

// Number is what the guardrails read of a number.
type Number struct {
	ID             uuid.UUID
	Class          string
	Status         string
	SitterID       *uuid.UUID
	Threads        int
	ActiveThreads  int
	CooldownEndsAt *time.Time
}

// Impact is what changing numbers would touch: the threads on them, their
// clients, and those clients' assignment windows in force now or to come.
type Impact struct {
	Threads         int `json:"threads"`
	ActiveThreads   int `json:"activeThreads"`
	Clients         int `json:"clients"`
	ActiveWindows   int `json:"activeWindows"`
	UpcomingWindows int `json:"upcomingWindows"`
}

// Plural writes a count with its noun: "1 client", "3 clients".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
