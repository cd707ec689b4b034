package twiliowebhook

import (
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

const (
	acct = "AC0123456789abcdef0123456789abcdef"
	sms  = "SM0123456789abcdef0123456789abcdef"
	mms  = "MM0123456789abcdef0123456789abcdef"
)

// realSMS is TWILIO.md §3.1's real payload with valid SIDs.
var realSMS = "ToCountry=US&ToState=CA&SmsMessageSid=" + sms + "&NumMedia=0&ToCity=SAN+BRUNO&FromZip=&SmsSid=" + sms +
	"&FromState=CA&SmsStatus=received&FromCity=&Body=hi&FromCountry=US&To=%2B16505552222&ToZip=94030&NumSegments=1" +
	"&ReferralNumMedia=0&MessageSid=" + sms + "&AccountSid=" + acct + "&From=%2B16505551111&ApiVersion=2010-04-01"

func TestParseInboundRealPayload(t *testing.T) {
	v, err := ReadForm(strings.NewReader(realSMS))
	if err != nil {
		t.Fatal(err)
	}
	in, err := ParseInbound(v)
	if err != nil {
		t.Fatal(err)
	}
	want := Inbound{AccountSID: acct, MessageSID: sms, From: "+16505551111", To: "+16505552222", Body: "hi"}
	if !reflect.DeepEqual(in, want) {
		t.Fatalf("got %+v, want %+v", in, want)
	}
	if in.DedupeKey() != sms {
		t.Fatalf("dedupe key %q", in.DedupeKey())
	}
	// Unknown parameters survive the trip through the receipt payload.
	raw, err := Payload(v)
	if err != nil {
		t.Fatal(err)
	}
	back, err := FromPayload(raw)
	if err != nil || !reflect.DeepEqual(back, v) {
		t.Fatalf("payload round trip: %v %v", back, err)
	}
}

func TestParseInboundMMSKeepsEveryItem(t *testing.T) {
	v := url.Values{"AccountSid": {acct}, "MessageSid": {mms}, "From": {"+16505550101"}, "To": {"+14155550101"},
		"NumMedia": {"2"}, "MediaUrl0": {"https://example.test/a.jpg"}, "MediaContentType0": {"image/jpeg"},
		"MediaUrl1": {"https://example.test/b.png"}, "MediaContentType1": {"image/png"}}
	in, err := ParseInbound(v)
	if err != nil {
		t.Fatal(err)
	}
	want := []Media{{"https://example.test/a.jpg", "image/jpeg"}, {"https://example.test/b.png", "image/png"}}
	if !reflect.DeepEqual(in.Media, want) || in.Body != "" {
		t.Fatalf("media %+v body %q", in.Media, in.Body)
	}
}

func TestParseInboundRefusals(t *testing.T) {
	base := func() url.Values {
		return url.Values{"AccountSid": {acct}, "MessageSid": {sms}, "From": {"+16505550101"}, "To": {"+14155550101"}, "Body": {"x"}}
	}
	for _, tc := range []struct {
		name, field string
		edit        func(url.Values)
	}{
		{"no account", "AccountSid", func(v url.Values) { v.Del("AccountSid") }},
		{"bad account", "AccountSid", func(v url.Values) { v.Set("AccountSid", "AC123") }},
		{"no sid", "MessageSid", func(v url.Values) { v.Del("MessageSid") }},
		{"call sid", "MessageSid", func(v url.Values) { v.Set("MessageSid", "CA0123456789abcdef0123456789abcdef") }},
		{"no from", "From", func(v url.Values) { v.Set("From", " ") }},
		{"no to", "To", func(v url.Values) { v.Del("To") }},
		{"num media words", "NumMedia", func(v url.Values) { v.Set("NumMedia", "two") }},
		{"too many media", "NumMedia", func(v url.Values) { v.Set("NumMedia", "11") }},
		{"negative media", "NumMedia", func(v url.Values) { v.Set("NumMedia", "-1") }},
		{"missing url", "MediaUrl0", func(v url.Values) { v.Set("NumMedia", "1") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := base()
			tc.edit(v)
			_, err := ParseInbound(v)
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != tc.field || !errors.Is(err, ErrInvalid) {
				t.Fatalf("got %v, want an error about %s", err, tc.field)
			}
		})
	}
}

func TestParseStatus(t *testing.T) {
	v := url.Values{"AccountSid": {acct}, "SmsSid": {sms}, "SmsStatus": {"Undelivered"}, "ErrorCode": {"30003"},
		"From": {"+14155550101"}, "To": {"+16505550101"}, "RawDlrDoneDate": {"2611251200"}}
	st, err := ParseStatus(v)
	if err != nil {
		t.Fatal(err)
	}
	if st.MessageSID != sms || st.Status != "undelivered" || st.ErrorCode != 30003 || st.DedupeKey() != sms+"/undelivered" {
		t.Fatalf("%+v", st)
	}
	for _, bad := range []url.Values{
		{"AccountSid": {acct}, "MessageSid": {sms}},
		{"AccountSid": {acct}, "MessageSid": {sms}, "MessageStatus": {"sent"}, "ErrorCode": {"abc"}},
		{"AccountSid": {acct}, "MessageSid": {sms}, "MessageStatus": {"sent; drop table"}},
	} {
		if _, err := ParseStatus(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("%v: got %v", bad, err)
		}
	}
}

func TestReadFormLimits(t *testing.T) {
	if _, err := ReadForm(strings.NewReader(strings.Repeat("a", MaxFormBytes+1))); !errors.Is(err, ErrInvalid) {
		t.Fatalf("oversized body: %v", err)
	}
	if _, err := ReadForm(strings.NewReader("Body=%zz")); !errors.Is(err, ErrInvalid) {
		t.Fatalf("bad escape: %v", err)
	}
	if AccountSID(url.Values{"AccountSid": {"nope"}}) != "" || AccountSID(url.Values{"AccountSid": {acct}}) != acct {
		t.Fatal("AccountSID")
	}
}

// FuzzWebhookForm throws arbitrary bodies at the parsers: they never panic,
// what they accept is consistent, and the stored payload round-trips.
func FuzzWebhookForm(f *testing.F) {
	f.Add(realSMS)
	f.Add("AccountSid=" + acct + "&MessageSid=" + mms + "&From=a&To=b&NumMedia=1&MediaUrl0=u&MediaContentType0=image%2Fgif")
	f.Add("AccountSid=" + acct + "&MessageSid=" + sms + "&MessageStatus=failed&ErrorCode=30006")
	f.Add("NumMedia=10&Body=%F0%9F%90%B6&&&=&a=b=c")
	f.Fuzz(func(t *testing.T, body string) {
		v, err := ReadForm(strings.NewReader(body))
		if err != nil {
			return
		}
		if in, err := ParseInbound(v); err == nil {
			if len(in.Media) > MaxMedia || in.MessageSID == "" || in.From == "" || in.To == "" {
				t.Fatalf("accepted an inconsistent message: %+v", in)
			}
			for _, m := range in.Media {
				if m.URL == "" {
					t.Fatalf("accepted media without a URL: %+v", in)
				}
			}
		}
		if st, err := ParseStatus(v); err == nil && (st.Status == "" || st.ErrorCode < 0) {
			t.Fatalf("accepted an inconsistent status: %+v", st)
		}
		raw, err := Payload(v)
		if err != nil {
			t.Fatal(err)
		}
		back, err := FromPayload(raw)
		if err != nil {
			t.Fatal(err)
		}
		if len(back) != len(v) {
			t.Fatalf("payload lost parameters: %v → %v", v, back)
		}
	})
}
