package numbers

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/snoutos/snout/internal/errs"
)

func TestHealth(t *testing.T) {
	for _, tc := range []struct {
		name                    string
		attempts, failed, storm int
		want                    string
	}{
		{"sent nothing", 0, 0, 0, HealthGreen},
		{"all delivered", 500, 0, 0, HealthGreen},
		{"just under 2%", 51, 1, 0, HealthGreen},
		{"2% is worth a look", 50, 1, 0, HealthYellow},
		{"1 in 4 is too small a sample for red", 4, 1, 0, HealthYellow},
		{"2 in 10 is still too few failures for red", 10, 2, 0, HealthYellow},
		{"3 in 30 is 10%: red", 30, 3, 0, HealthRed},
		{"3 in 31 is under 10%: yellow", 31, 3, 0, HealthYellow},
		{"three reputation failures are red whatever the rate", 1000, 3, 3, HealthRed},
		{"two reputation failures are not", 1000, 2, 2, HealthGreen},
	} {
		if got := Health(tc.attempts, tc.failed, tc.storm); got != tc.want {
			t.Errorf("%s: Health(%d, %d, %d) = %s, want %s", tc.name, tc.attempts, tc.failed, tc.storm, got, tc.want)
		}
	}
	if ErrorRate(0, 0) != 0 || ErrorRate(20, 1) != 0.05 {
		t.Errorf("ErrorRate(0,0) = %v, ErrorRate(20,1) = %v", ErrorRate(0, 0), ErrorRate(20, 1))
	}
}

func TestCheckProvision(t *testing.T) {
	ok := Provision{Action: Buy, E164: "+14155550123", Class: ClassPool}
	for _, tc := range []struct {
		name  string
		edit  func(*Provision)
		field string
		want  string
	}{
		{"a pool number to buy", func(*Provision) {}, "", ""},
		{"a sitter number with its sitter", func(p *Provision) { p.Class, p.Sitter, p.Action = ClassSitter, true, Import }, "", ""},
		{"rent is no action", func(p *Provision) { p.Action = "rent" }, "action", "Choose whether to buy or import this number."},
		{"a national number", func(p *Provision) { p.E164 = "4155550123" }, "e164", "That isn't a phone number in international format (like +14155550123)."},
		{"an unknown class", func(p *Provision) { p.Class = "moon" }, "class", "A number is a front desk, sitter or pool number."},
		{"a sitter number without its sitter", func(p *Provision) { p.Class = ClassSitter }, "sitter", "Choose the sitter this number belongs to."},
		{"a front desk with a sitter", func(p *Provision) { p.Class, p.Sitter = ClassFrontDesk, true }, "sitter", "Only sitter numbers are assigned to a sitter."},
		{"a friendly name of 65 letters", func(p *Provision) { p.FriendlyName = strings.Repeat("é", 65) }, "friendlyName", "Use at most 64 characters."},
		{"a friendly name of 64 letters", func(p *Provision) { p.FriendlyName = strings.Repeat("é", 64) }, "", ""},
	} {
		p := ok
		tc.edit(&p)
		field, reason := CheckProvision(p)
		if field != tc.field || reason != tc.want {
			t.Errorf("%s: (%q, %q), want (%q, %q)", tc.name, field, reason, tc.field, tc.want)
		}
	}
}

func TestProvisionProblemsNamesEveryField(t *testing.T) {
	got := ProvisionProblems(Provision{Action: "rent", E164: "12", Class: ClassPool, Sitter: true, FriendlyName: strings.Repeat("x", 65)})
	var fields []string
	for _, p := range got {
		fields = append(fields, p.Field)
	}
	if strings.Join(fields, ",") != "action,e164,sitter,friendlyName" {
		t.Errorf("problems %+v, want action, e164, sitter and friendlyName in that order", got)
	}
}

func TestNormaliseClass(t *testing.T) {
	for in, want := range map[string]string{"Front desk": ClassFrontDesk, "front-desk": ClassFrontDesk, "FRONTDESK": ClassFrontDesk,
		" pool ": ClassPool, "Sitter": ClassSitter, "moon": "moon"} {
		if got := NormaliseClass(in); got != want {
			t.Errorf("NormaliseClass(%q) = %q, want %q", in, got, want)
		}
	}
}

func refusal(t *testing.T, err error) (errs.Kind, string, string) {
	t.Helper()
	if err == nil {
		return 0, "", ""
	}
	e, ok := errs.As(err)
	if !ok {
		t.Fatalf("%v is not a refusal", err)
	}
	return e.Kind, e.Code, e.Message
}

func TestCheckRelease(t *testing.T) {
	pool := Number{ID: uuid.New(), Class: ClassPool, Status: StatusActive}
	busy := pool
	busy.ActiveThreads, busy.Threads = 2, 3
	for _, tc := range []struct {
		name string
		n    Number
		imp  Impact
		code string
		msg  string
	}{
		{"an idle pool number", pool, Impact{}, "", ""},
		{"released already", Number{Class: ClassPool, Status: StatusReleased}, Impact{}, "conflict", "This number has already been released."},
		{"quarantined", Number{Class: ClassPool, Status: StatusQuarantined}, Impact{}, "conflict", "This number is in quarantine. Use \"release now\" on its quarantine instead."},
		{"the front desk", Number{Class: ClassFrontDesk, Status: StatusActive}, Impact{}, "conflict", "The front desk number cannot be released: it is the number your clients know."},
		{"live conversations", busy, Impact{Threads: 3, ActiveThreads: 2, Clients: 1}, "has_active_threads",
			"This number still carries 2 active conversations with 1 client. Move them first: quarantine the number, which moves its conversations to another number."},
	} {
		kind, code, msg := refusal(t, CheckRelease(tc.n, tc.imp))
		if code != tc.code || msg != tc.msg || (tc.code != "" && kind != errs.KindConflict) {
			t.Errorf("%s: %v %q %q, want a conflict %q %q", tc.name, kind, code, msg, tc.code, tc.msg)
		}
	}
	e, _ := errs.As(CheckRelease(busy, Impact{Threads: 3, ActiveThreads: 2, Clients: 1, ActiveWindows: 1}))
	if e.Fields["threads"] != "3" || e.Fields["activeThreads"] != "2" || e.Fields["clients"] != "1" || e.Fields["activeWindows"] != "1" {
		t.Errorf("the refusal's fields %v do not carry the impact", e.Fields)
	}
}

func TestCheckQuarantineAndReplacement(t *testing.T) {
	ends := time.Date(2030, 3, 4, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		n   Number
		msg string
	}{
		{Number{Class: ClassPool, Status: StatusActive}, ""},
		{Number{Class: ClassSitter, Status: StatusActive}, ""},
		{Number{Class: ClassPool, Status: StatusQuarantined, CooldownEndsAt: &ends}, "This number is already in quarantine until Mar 4, 2030."},
		{Number{Class: ClassPool, Status: StatusReleased}, "This number has been released."},
		{Number{Class: ClassFrontDesk, Status: StatusActive}, "The front desk number cannot be quarantined: it is where conversations go when other numbers leave service."},
		{Number{Class: ClassPool, Status: StatusInactive}, "Only an active number can be quarantined; this one is inactive."},
	} {
		if _, _, msg := refusal(t, CheckQuarantine(tc.n)); msg != tc.msg {
			t.Errorf("CheckQuarantine(%+v) = %q, want %q", tc.n, msg, tc.msg)
		}
	}
	leaving := Number{ID: uuid.New(), Class: ClassPool, Status: StatusActive}
	other := Number{ID: uuid.New(), Class: ClassPool, Status: StatusActive}
	front := Number{ID: uuid.New(), Class: ClassFrontDesk, Status: StatusActive}
	sitter := Number{ID: uuid.New(), Class: ClassSitter, Status: StatusActive}
	for _, tc := range []struct {
		name  string
		rep   Number
		avoid []uuid.UUID
		ok    bool
	}{
		{"another pool number", other, nil, true},
		{"the front desk", front, nil, true},
		{"itself", leaving, nil, false},
		{"a sitter's number", sitter, nil, false},
		{"one leaving in the same bulk action", other, []uuid.UUID{leaving.ID, other.ID}, false},
		{"a quarantined number", Number{ID: uuid.New(), Class: ClassPool, Status: StatusQuarantined}, nil, false},
	} {
		err := CheckReplacement(leaving, tc.rep, tc.avoid)
		if (err == nil) != tc.ok {
			t.Errorf("replacement %s: %v", tc.name, err)
		}
		if err != nil && !errs.Is(err, errs.KindInvalid) {
			t.Errorf("replacement %s: %v is not invalid input", tc.name, err)
		}
	}
}

func TestCheckAssign(t *testing.T) {
	sam := uuid.New()
	pool := Number{Class: ClassPool, Status: StatusActive}
	for _, tc := range []struct {
		name string
		n    Number
		to   string
		kind errs.Kind
	}{
		{"a pool number to a sitter", pool, ClassSitter, 0},
		{"to the moon", pool, "moon", errs.KindInvalid},
		{"a quarantined number", Number{Class: ClassPool, Status: StatusQuarantined}, ClassPool, errs.KindConflict},
		{"the front desk to the pool", Number{Class: ClassFrontDesk, Status: StatusActive}, ClassPool, errs.KindConflict},
		{"the front desk stays", Number{Class: ClassFrontDesk, Status: StatusActive}, ClassFrontDesk, 0},
	} {
		if got := errs.KindOf(CheckAssign(tc.n, tc.to)); got != tc.kind {
			t.Errorf("%s: kind %v, want %v", tc.name, got, tc.kind)
		}
	}
	if err := CheckHandOver(Number{ActiveThreads: 1, Threads: 4}); errs.KindOf(err) != errs.KindConflict || !strings.Contains(err.Error(), "1 active conversation;") {
		t.Errorf("hand over with a live conversation: %v", err)
	}
	if err := CheckHandOver(Number{Threads: 4}); err != nil {
		t.Errorf("hand over with only old threads: %v", err)
	}
	if !SameAssignment(Number{Class: ClassSitter, SitterID: &sam}, ClassSitter, &sam) || SameAssignment(Number{Class: ClassSitter, SitterID: &sam}, ClassSitter, nil) ||
		!SameAssignment(pool, ClassPool, nil) || SameAssignment(pool, ClassSitter, nil) {
		t.Error("SameAssignment disagrees with the number's class and sitter")
	}
}

func TestCheckSearch(t *testing.T) {
	if f := CheckSearch("415", "ca", 10); f != nil {
		t.Errorf("a good search refused: %v", f)
	}
	if f := CheckSearch("", "", 0); f != nil {
		t.Errorf("an open search refused: %v", f)
	}
	f := CheckSearch("62", "California", 51)
	if f["areaCode"] == "" || f["region"] == "" || f["limit"] == "" {
		t.Errorf("bad search fields = %v", f)
	}
	if f := CheckSearch("015", "", 0); f["areaCode"] == "" {
		t.Error("an area code starting with 0 was accepted")
	}
}
