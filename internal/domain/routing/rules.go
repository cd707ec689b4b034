package routing

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The owner's routing rules. An org's ruleset is an ordered list: three
// built-in rules (an active override, a sitter with an active window, the
// owner inbox) and any number of the owner's own, each with conditions and
// a target. Decide tries them in priority order; the first that matches
// routes the text. The override rule is always first and the owner inbox
// always last (the catch-all), so every text lands somewhere and an
// owner's explicit override always wins; everything else can be reordered
// and turned off.

// RuleKind says what a rule does.
type RuleKind string

const (
	// KindOverride: an active override of the thread decides (built in).
	KindOverride RuleKind = RuleOverride
	// KindSitterWindow: a text to a sitter's own number goes to that sitter
	// while they have an active window with the client (built in).
	KindSitterWindow RuleKind = RuleSitterWindow
	// KindOwnerInbox: everything else goes to the owner (built in, last).
	KindOwnerInbox RuleKind = RuleOwnerInbox
	// KindCustom: the owner's rule, with conditions and a target.
	KindCustom RuleKind = "custom"
)

// Builtin reports whether the kind is one of the three built-in rules.
func (k RuleKind) Builtin() bool {
	return k == KindOverride || k == KindSitterWindow || k == KindOwnerInbox
}

// RuleTargetKind is where a custom rule sends a text.
type RuleTargetKind string

const (
	// RuleToOwner sends the text to the owner inbox.
	RuleToOwner RuleTargetKind = "owner_inbox"
	// RuleToSitter sends it to one named sitter, while that sitter has an
	// active window with the client (a sitter sees nothing else).
	RuleToSitter RuleTargetKind = "sitter"
	// RuleToWindowSitter sends it to whichever sitter has an active window
	// with the client.
	RuleToWindowSitter RuleTargetKind = "window_sitter"
)

// RuleTarget is a custom rule's destination. SitterID is set only for
// RuleToSitter.
type RuleTarget struct {
	Kind     RuleTargetKind `json:"kind"`
	SitterID string         `json:"sitterId,omitempty"`
}

// Weekday names in conditions, Sunday first as time.Weekday counts.
var weekdayNames = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// WeekdayName is the condition name of a weekday ("mon").
func WeekdayName(d time.Weekday) string { return weekdayNames[d%7] }

// Conditions narrow a custom rule; all that are set must hold (an empty
// list or nil holds for every text). Within a list any one value will do.
type Conditions struct {
	// NumberClasses: the number texted is of one of these classes.
	NumberClasses []NumberClass `json:"numberClasses,omitempty"`
	// NumberIDs: the number texted is one of these business numbers.
	NumberIDs []string `json:"numberIds,omitempty"`
	// ClientTags: the client has at least one of these tags.
	ClientTags []string `json:"clientTags,omitempty"`
	// Days: the text arrives on one of these days ("mon"…"sun") in the
	// org's time zone.
	Days []string `json:"days,omitempty"`
	// From, To: the text arrives between these times of day ("HH:MM", the
	// org's zone), From inclusive, To exclusive; To before From spans
	// midnight ("18:00"–"08:00"). Both or neither.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// KnownClient: true, the sender was already a client; false, the text
	// is from a number no client had (a new client was created for it).
	KnownClient *bool `json:"knownClient,omitempty"`
}

// Rule is one rule of a ruleset.
type Rule struct {
	ID       string     `json:"id"`
	Name     string     `json:"name"`
	Kind     RuleKind   `json:"kind"`
	Enabled  bool       `json:"enabled"`
	Priority int        `json:"priority"`
	When     Conditions `json:"when"`
	Target   RuleTarget `json:"target"`
}

// Ruleset is an org's rules at one version. Every change bumps Version;
// a routing trace names the version that decided it.
type Ruleset struct {
	Version int64  `json:"version"`
	Rules   []Rule `json:"rules"`
}

// Built-in rule names, as the owner sees them.
const (
	NameOverride     = "Active override"
	NameSitterWindow = "Sitter with an active window"
	NameOwnerInbox   = "Owner inbox"
)

// Default is the ruleset an org starts with (and the one decisions
// recorded before rules existed used): override, sitter window, owner
// inbox, version 0.
func Default() Ruleset {
	return Ruleset{Rules: []Rule{
		{ID: RuleOverride, Name: NameOverride, Kind: KindOverride, Enabled: true, Priority: 10},
		{ID: RuleSitterWindow, Name: NameSitterWindow, Kind: KindSitterWindow, Enabled: true, Priority: 20},
		{ID: RuleOwnerInbox, Name: NameOwnerInbox, Kind: KindOwnerInbox, Enabled: true, Priority: 30},
	}}
}

// Ordered returns the rules in the order Decide tries them: by priority,
// then ID, with the override rule first and the owner inbox last whatever
// their priorities say. The input is not changed.
func (rs Ruleset) Ordered() []Rule {
	out := slices.Clone(rs.Rules)
	rank := func(r Rule) int {
		switch r.Kind {
		case KindOverride:
			return 0
		case KindOwnerInbox:
			return 2
		}
		return 1
	}
	slices.SortStableFunc(out, func(a, b Rule) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(a.Priority, b.Priority), strings.Compare(a.ID, b.ID))
	})
	return out
}

// Limits on rules.
const (
	MaxRules         = 50
	MaxRuleName      = 80
	MaxConditionList = 20
	MaxTagLength     = 40
)

// ParseClock reads "HH:MM" (24-hour) as minutes after midnight.
func ParseClock(s string) (int, bool) {
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) != 2 || len(m) != 2 {
		return 0, false
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, false
	}
	return hh*60 + mm, true
}

// Validate checks a rule the owner wrote and returns a message per field at
// fault (keys: name, target.kind, target.sitterId, when.numberClasses,
// when.numberIds, when.clientTags, when.days, when.from, when.to); empty
// when it is valid. Built-in rules are checked only for their name.
// knownSitter and knownNumber say whether an ID is the org's (nil: not
// checked).
func Validate(r Rule, knownSitter, knownNumber func(string) bool) map[string]string {
	f := map[string]string{}
	name := strings.TrimSpace(r.Name)
	switch {
	case name == "":
		f["name"] = "Give the rule a name, such as “Weekend texts to the owner”."
	case utf8.RuneCountInString(name) > MaxRuleName:
		f["name"] = fmt.Sprintf("Keep the name to %d characters.", MaxRuleName)
	case !utf8.ValidString(name) || strings.ContainsAny(name, "\x00\r\n"):
		f["name"] = "Use plain text on one line."
	}
	if r.Kind.Builtin() {
		return f
	}
	if r.Kind != KindCustom {
		f["kind"] = "A rule is custom or one of the built-in rules."
		return f
	}
	switch r.Target.Kind {
	case RuleToOwner, RuleToWindowSitter:
		if r.Target.SitterID != "" {
			f["target.sitterId"] = "Only a rule that sends texts to one sitter names a sitter."
		}
	case RuleToSitter:
		switch {
		case r.Target.SitterID == "":
			f["target.sitterId"] = "Choose the sitter who gets these texts."
		case knownSitter != nil && !knownSitter(r.Target.SitterID):
			f["target.sitterId"] = "That sitter is not one of this business's active sitters."
		}
	default:
		f["target.kind"] = "Send the texts to the owner inbox, one sitter, or the sitter with an active window."
	}
	w := r.When
	if len(w.NumberClasses) > MaxConditionList || len(w.NumberIDs) > MaxConditionList || len(w.ClientTags) > MaxConditionList {
		f["when"] = fmt.Sprintf("A condition lists at most %d values.", MaxConditionList)
	}
	for _, c := range w.NumberClasses {
		if c != ClassFrontDesk && c != ClassSitter && c != ClassPool {
			f["when.numberClasses"] = "Number classes are front_desk, sitter and pool."
		}
	}
	for _, id := range w.NumberIDs {
		if id == "" || knownNumber != nil && !knownNumber(id) {
			f["when.numberIds"] = "Choose numbers from this business's number inventory."
		}
	}
	for _, tag := range w.ClientTags {
		t := strings.TrimSpace(tag)
		if t == "" || utf8.RuneCountInString(t) > MaxTagLength || !utf8.ValidString(t) || strings.ContainsRune(t, 0) {
			f["when.clientTags"] = fmt.Sprintf("Tags are plain text of 1 to %d characters.", MaxTagLength)
		}
	}
	for _, d := range w.Days {
		if !slices.Contains(weekdayNames[:], d) {
			f["when.days"] = "Days are mon, tue, wed, thu, fri, sat and sun."
		}
	}
	if len(w.Days) > 7 {
		f["when.days"] = "List each day at most once."
	}
	from, fromOK := ParseClock(w.From)
	to, toOK := ParseClock(w.To)
	switch {
	case w.From == "" && w.To == "":
	case w.From == "":
		f["when.from"] = "Give the time the rule starts applying, or clear both times."
	case w.To == "":
		f["when.to"] = "Give the time the rule stops applying, or clear both times."
	default:
		if !fromOK {
			f["when.from"] = "Use a 24-hour time such as 18:00."
		}
		if !toOK {
			f["when.to"] = "Use a 24-hour time such as 08:00."
		}
		if fromOK && toOK && from == to {
			f["when.to"] = "The end time must differ from the start; leave both empty for all day."
		}
	}
	return f
}

// Clock is the local time of a decision in the org's time zone: its
// weekday and minutes after midnight. Callers compute it with ClockAt.
type Clock struct {
	Zone    string       `json:"zone"`
	Weekday time.Weekday `json:"weekday"`
	Minute  int          `json:"minute"`
}

// Location is the time zone an org names, UTC when it names none or one
// that does not load.
func Location(zone string) *time.Location {
	if zone == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// ClockAt is t on the wall clock of loc (UTC when nil).
func ClockAt(t time.Time, loc *time.Location) Clock {
	if loc == nil {
		loc = time.UTC
	}
	l := t.In(loc)
	return Clock{Zone: loc.String(), Weekday: l.Weekday(), Minute: l.Hour()*60 + l.Minute()}
}

func (c Clock) String() string {
	return fmt.Sprintf("%s %02d:%02d", strings.ToUpper(WeekdayName(c.Weekday)[:1])+WeekdayName(c.Weekday)[1:], c.Minute/60, c.Minute%60)
}

// matchConditions says whether every set condition holds, and explains
// the first that does not (or, when all hold, what they checked).
func matchConditions(w Conditions, in Input) (bool, string) {
	var held []string
	if len(w.NumberClasses) > 0 {
		if !slices.Contains(w.NumberClasses, in.Number.Class) {
			return false, fmt.Sprintf("the client texted a %s number, not %s", classWord(in.Number.Class), classList(w.NumberClasses))
		}
		held = append(held, "a "+classWord(in.Number.Class)+" number was texted")
	}
	if len(w.NumberIDs) > 0 {
		if !slices.Contains(w.NumberIDs, in.Number.ID) {
			return false, "the client texted another business number than the rule's"
		}
		held = append(held, "one of the rule's numbers was texted")
	}
	if len(w.ClientTags) > 0 {
		tag, ok := firstCommonTag(w.ClientTags, in.ClientTags)
		if !ok {
			return false, "the client has none of the tags " + quoteList(w.ClientTags)
		}
		held = append(held, fmt.Sprintf("the client is tagged %q", tag))
	}
	if len(w.Days) > 0 {
		day := WeekdayName(in.Clock.Weekday)
		if !slices.Contains(w.Days, day) {
			return false, fmt.Sprintf("it is %s (%s), not %s", titleDay(day), in.Clock.Zone, dayList(w.Days))
		}
		held = append(held, "it is "+titleDay(day))
	}
	if w.From != "" || w.To != "" {
		from, ok1 := ParseClock(w.From)
		to, ok2 := ParseClock(w.To)
		if !ok1 || !ok2 {
			return false, "the rule's hours cannot be read"
		}
		m := in.Clock.Minute
		inside := from <= m && m < to
		if to < from {
			inside = m >= from || m < to
		}
		now := fmt.Sprintf("%02d:%02d", m/60, m%60)
		if !inside {
			return false, fmt.Sprintf("it is %s (%s), outside %s–%s", now, in.Clock.Zone, w.From, w.To)
		}
		held = append(held, fmt.Sprintf("it is %s, within %s–%s", now, w.From, w.To))
	}
	if w.KnownClient != nil {
		known := in.ClientID != "" && !in.NewSender
		switch {
		case *w.KnownClient && !known:
			return false, "the sender is not a known client"
		case !*w.KnownClient && known:
			return false, "the sender is already a known client"
		case known:
			held = append(held, "the sender is a known client")
		default:
			held = append(held, "the sender is new")
		}
	}
	if len(held) == 0 {
		return true, "it has no conditions"
	}
	return true, strings.Join(held, ", ")
}

func firstCommonTag(want, have []string) (string, bool) {
	for _, w := range want {
		for _, h := range have {
			if strings.EqualFold(strings.TrimSpace(w), strings.TrimSpace(h)) {
				return h, true
			}
		}
	}
	return "", false
}

// customRule applies one custom rule: its conditions, then its target.
func customRule(r Rule, in Input) (Target, string, bool) {
	ok, why := matchConditions(r.When, in)
	if !ok {
		return Target{}, fmt.Sprintf("Rule %q does not apply: %s.", r.Name, why), false
	}
	switch r.Target.Kind {
	case RuleToOwner:
		return Target{Kind: TargetOwnerInbox}, fmt.Sprintf("Rule %q applies (%s), so the message goes to the owner inbox.", r.Name, why), true
	case RuleToSitter:
		if w, ok := ActiveWindow(in.Windows, r.Target.SitterID, in.ClientID, in.Now); ok {
			return Target{Kind: TargetSitter, SitterID: r.Target.SitterID},
				fmt.Sprintf("Rule %q applies (%s), so it goes to sitter %s, whose window %s with this client is active until %s.",
					r.Name, why, r.Target.SitterID, w.ID, stamp(w.EndsAt)), true
		}
		return Target{}, fmt.Sprintf("Rule %q applies (%s), but sitter %s has no active window with this client, so they could not see the text.",
			r.Name, why, r.Target.SitterID), false
	case RuleToWindowSitter:
		if w, ok := latestActiveWindow(in.Windows, in.ClientID, in.Now); ok {
			return Target{Kind: TargetSitter, SitterID: w.SitterID},
				fmt.Sprintf("Rule %q applies (%s), so it goes to sitter %s, whose window %s with this client is active until %s.",
					r.Name, why, w.SitterID, w.ID, stamp(w.EndsAt)), true
		}
		return Target{}, fmt.Sprintf("Rule %q applies (%s), but no sitter has an active window with this client.", r.Name, why), false
	}
	return Target{}, fmt.Sprintf("Rule %q has no valid target, so it is ignored.", r.Name), false
}

// latestActiveWindow is the client's active window that started latest
// (ties: greatest ID), whoever the sitter.
func latestActiveWindow(windows []Window, clientID string, now time.Time) (Window, bool) {
	if clientID == "" {
		return Window{}, false
	}
	var best *Window
	for i := range windows {
		w := &windows[i]
		if w.ClientID != clientID || w.SitterID == "" || !w.activeAt(now) {
			continue
		}
		if best == nil || compareWindowStart(*w, *best) > 0 {
			best = w
		}
	}
	if best == nil {
		return Window{}, false
	}
	return *best, true
}

func classWord(c NumberClass) string {
	switch c {
	case ClassFrontDesk:
		return "front desk"
	case ClassSitter:
		return "sitter"
	case ClassPool:
		return "pool"
	}
	return strconv.Quote(string(c))
}

func classList(cs []NumberClass) string {
	words := make([]string, 0, len(cs))
	for _, c := range cs {
		words = append(words, classWord(c))
	}
	return orList(words) + " number"
}

func titleDay(d string) string {
	if d == "" {
		return d
	}
	return strings.ToUpper(d[:1]) + d[1:]
}

func dayList(ds []string) string {
	words := make([]string, 0, len(ds))
	for _, d := range ds {
		words = append(words, titleDay(d))
	}
	return orList(words)
}

func quoteList(ss []string) string {
	words := make([]string, 0, len(ss))
	for _, s := range ss {
		words = append(words, strconv.Quote(s))
	}
	return orList(words)
}

func orList(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}
