package twiliosim

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/snoutos/snout/internal/twilio/provider"
)

func TestSegmentCount(t *testing.T) {
	tests := []struct {
		name string
		body string
		want int
	}{
		{"empty", "", 1},
		{"GSM 160", strings.Repeat("a", 160), 1},
		{"GSM 161", strings.Repeat("a", 161), 2},
		{"GSM 306", strings.Repeat("a", 306), 2},
		{"GSM 307", strings.Repeat("a", 307), 3},
		{"GSM 1600", strings.Repeat("a", 1600), 11},
		{"extension chars count double", strings.Repeat("€", 80), 1},
		{"extension chars over the edge", strings.Repeat("€", 80) + "a", 2},
		{"GSM accents stay GSM", strings.Repeat("é", 160), 1},
		{"UCS-2 70", strings.Repeat("ç", 70), 1},
		{"UCS-2 71", strings.Repeat("ç", 71), 2},
		{"UCS-2 134", strings.Repeat("’", 134), 2},
		{"UCS-2 135", strings.Repeat("’", 135), 3},
		{"emoji counts two units", strings.Repeat("🐶", 35), 1},
		{"emoji over the edge", strings.Repeat("🐶", 35) + "a", 2},
	}
	for _, tt := range tests {
		if got := segmentCount(tt.body); got != tt.want {
			t.Errorf("%s: segmentCount = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestValidE164(t *testing.T) {
	tests := map[string]bool{
		"+14155550123": true, "+447700900123": true, "+1415555012": false, "+10155550123": false,
		"+14150550123": false, "14155550123": false, "+": false, "+0123": false, "": false,
	}
	for in, want := range tests {
		if got := validE164(in); got != want {
			t.Errorf("validE164(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestValidNPA(t *testing.T) {
	tests := map[string]bool{"415": true, "800": true, "533": true, "123": false, "911": false, "411": false, "290": false, "41": false, "4a5": false}
	for in, want := range tests {
		if got := validNPA(in); got != want {
			t.Errorf("validNPA(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestCatalogIsFictional(t *testing.T) {
	fictional := regexp.MustCompile(`^\+1[2-9][0-9]{2}55501[0-9]{2}$`)
	codes := slices.Clone(tollFreeCodes)
	for _, a := range areas {
		codes = append(codes, a.Code)
	}
	seen := map[string]bool{}
	for _, code := range codes {
		for _, c := range candidatesIn(code, "US") {
			if !fictional.MatchString(c.E164) || seen[c.E164] {
				t.Fatalf("%s is not a unique fictional number", c.E164)
			}
			seen[c.E164] = true
			back, ok := lookupCandidate(c.E164)
			if !ok || back != c {
				t.Fatalf("lookupCandidate(%s) = %+v, %v", c.E164, back, ok)
			}
		}
	}
	if _, ok := lookupCandidate("+15335550100"); ok {
		t.Error("area code 533 must have no numbers")
	}
}

func TestContainsPattern(t *testing.T) {
	tests := []struct {
		pattern string
		number  string
		want    bool
		valid   bool
	}{
		{"0142", "+12125550142", true, true},
		{"0143", "+12125550142", false, true},
		{"+1212", "+12125550142", true, true},
		{"+212", "+12125550142", false, true},
		{"42$", "+12125550142", true, true},
		{"01$", "+12125550142", false, true},
		{"55*01", "+12125550142", true, true},
		{"212%42", "+12125550142", true, true},
		{"JKL", "+14155550123", true, true}, // JKL is 555 on a keypad
		{"JKL", "+12120000142", false, true},
		{"a-b", "", false, false},
		{"", "", false, false},
	}
	for _, tt := range tests {
		re, ok := containsPattern(tt.pattern)
		if ok != tt.valid {
			t.Errorf("containsPattern(%q) valid = %v", tt.pattern, ok)
			continue
		}
		if ok && re.MatchString(tt.number[1:]) != tt.want {
			t.Errorf("%q on %s = %v, want %v", tt.pattern, tt.number, !tt.want, tt.want)
		}
	}
}

func TestTimeline(t *testing.T) {
	steps := transitions(statusDelivered, 0)
	kinds := func(events []deliveryEvent) []string {
		var out []string
		for _, e := range events {
			kind := "set "
			if e.post {
				kind = "post "
			}
			out = append(out, kind+e.step.Status)
		}
		return out
	}
	tests := []struct {
		name     string
		callback string
		mode     CallbackMode
		want     []string
	}{
		{"no callback URL", "", CallbackMode{}, []string{"set sent", "set delivered"}},
		{"in order", "https://a", CallbackMode{}, []string{"set sent", "post sent", "set delivered", "post delivered"}},
		{"late", "https://a", CallbackMode{DelayMS: 100}, []string{"set sent", "set delivered", "post sent", "post delivered"}},
		{"out of order", "https://a", CallbackMode{OutOfOrder: true}, []string{"set sent", "set delivered", "post delivered", "post sent"}},
		{"drop", "https://a", CallbackMode{Drop: true}, []string{"set sent", "set delivered"}},
	}
	for _, tt := range tests {
		if got := kinds(timeline(steps, tt.callback, tt.mode)); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	if got := remaining(steps, statusSent); len(got) != 1 || got[0].Status != statusDelivered {
		t.Errorf("remaining after sent: %v", got)
	}
	if got := transitions(statusFailed, 30001); len(got) != 1 || got[0] != (transition{statusFailed, 30001}) {
		t.Errorf("failed path: %v", got)
	}
}

func TestStatusParams(t *testing.T) {
	m := Message{SID: "SM1", AccountSID: "AC1", From: "+14155550100", To: "+14155550123", DateUpdated: time.Date(2026, 3, 4, 5, 6, 0, 0, time.UTC)}
	p := statusParams(m, transition{statusUndelivered, 30003})
	if p.Get("ErrorCode") != "30003" || p.Get("RawDlrDoneDate") != "2603040506" || p.Get("SmsStatus") != "undelivered" {
		t.Errorf("params %v", p)
	}
}

// FuzzParseForm feeds arbitrary request bodies to the REST form parser:
// it must never panic, and whatever it accepts must survive re-encoding and
// keep a valid signature.
func FuzzParseForm(f *testing.F) {
	f.Add("To=%2B14155550123&From=%2B14155550100&Body=hi+there")
	f.Add("MediaUrl=a&MediaUrl=b&Body=%F0%9F%90%B6")
	f.Add("a=%zz")
	f.Add("Body=%ff")
	f.Add("x;y=1")
	f.Add("=&&=")
	f.Fuzz(func(t *testing.T, body string) {
		form, err := parseForm([]byte(body))
		if err != nil {
			return
		}
		again, err := parseForm([]byte(form.Encode()))
		if err != nil {
			t.Fatalf("re-encoded form %q does not parse: %v", form.Encode(), err)
		}
		if len(again) != len(form) {
			t.Fatalf("round trip changed %v into %v", form, again)
		}
		for k, v := range form {
			if !slices.Equal(again[k], v) {
				t.Fatalf("round trip changed %s: %q -> %q", k, v, again[k])
			}
		}
		sig := provider.Sign("token", "https://app.example/hook", form)
		if !provider.ValidateSignature("token", "https://app.example/hook", again, sig) {
			t.Fatalf("signature lost in the round trip of %q", body)
		}
	})
}

// FuzzInboundWebhookSignature builds inbound webhooks from arbitrary text
// and checks the app side accepts exactly what the simulator signed.
func FuzzInboundWebhookSignature(f *testing.F) {
	f.Add("+14155550123", "hello", "https://app.example/sms?x=1")
	f.Add("+447700900123", "héllo 🐶 & <b>", "http://localhost:8080/t")
	f.Add("+14155550123", "", "https://h/p?a=b&c")
	f.Fuzz(func(t *testing.T, from, body, target string) {
		m := Message{SID: "SM0123456789abcdef0123456789abcdef", AccountSID: "AC1", From: from, To: "+14155550100", Body: body, NumSegments: segmentCount(body)}
		params := inboundParams(m, numberRecord{Locality: "San Francisco", Region: "CA", ISOCountry: "US"})
		sig := provider.Sign("tok", target, params)
		received, err := url.ParseQuery(params.Encode())
		if err != nil {
			t.Fatalf("webhook body does not parse: %v", err)
		}
		if received.Get("Body") != body || received.Get("From") != from {
			t.Fatalf("fields changed in transit: %v", received)
		}
		if !provider.ValidateSignature("tok", target, received, sig) {
			t.Fatal("app rejects the simulator's signature")
		}
		received.Set("Body", body+"!")
		if provider.ValidateSignature("tok", target, received, sig) {
			t.Fatal("app accepts a tampered body")
		}
		full := appendQuery(target, params)
		if !provider.ValidateSignature("tok", full, nil, provider.Sign("tok", full, nil)) {
			t.Fatal("GET signature rejected")
		}
	})
}
