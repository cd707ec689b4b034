package contentpolicy

import (
	"regexp"
	"slices"
	"strings"
)

// Shared pieces of the patterns below. All patterns are case-insensitive
// RE2 expressions, so matching time is linear in the message length.
const (
	apos = `['’]`
	// platforms people move a conversation to.
	platforms = `(?:whats\s*app|telegram|signal|instagram|insta|ig|snapchat|snap|facebook|fb|messenger|tiktok|kik|wechat|viber|discord|imessage|facetime|google\s+voice|text\s*now)`
	// words that describe a private channel.
	privateWord = `(?:personal|private|real|direct|actual)`
	// phone and contact nouns.
	contactNoun = `(?:number|cell|cellphone|cell\s+phone|mobile|phone|line|digits|email|e-mail|gmail|contact)`
)

// ---- email ----

var (
	// Plain addresses: jane.doe+pets@gmail.com.
	emailPlain = regexp.MustCompile(`(?i)[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,24}\b`)

	// Disguised addresses: "jane at gmail dot com", "jane [at] gmail
	// [dot] com", "jane @ gmail . com". Submatches: 1 name, 2 "at" as a
	// symbol, 3 "at" as a word, 4 domain up to the top-level domain.
	emailSpelled = regexp.MustCompile(`(?i)\b([a-z0-9._%+\-]+)(?:\s*(@|\(at\)|\[at\]|\{at\}|<at>)\s*|\s+(at)\s+)` +
		`([a-z0-9\-]+(?:` + spelledDot + `[a-z0-9\-]+)*?` + spelledDot + `(?:com|net|org|edu|gov|io|co|us|me|info|biz|uk|ca|mail))\b`)
)

// spelledDot is "." however it is disguised: " . ", "(dot)", " dot ".
const spelledDot = `(?:\s*(?:\.|\(dot\)|\[dot\]|\{dot\}|<dot>)\s*|\s+dot\s+)`

// emailProviders are the free mail services; "name at gmail.com" is an
// address, "ordered at chewy.com" is a shop. Only looked up.
var emailProviders = map[string]bool{
	"gmail": true, "googlemail": true, "yahoo": true, "ymail": true, "hotmail": true, "outlook": true,
	"live": true, "msn": true, "icloud": true, "me": true, "mac": true, "aol": true, "proton": true,
	"protonmail": true, "pm": true, "gmx": true, "mail": true, "comcast": true, "att": true,
	"verizon": true, "sbcglobal": true, "yandex": true, "zoho": true, "fastmail": true,
}

func findEmails(body string) []match {
	var out []match
	for _, loc := range emailPlain.FindAllStringIndex(body, -1) {
		addr := body[loc[0]:loc[1]]
		at := strings.LastIndexByte(addr, '@')
		out = append(out, match{kind: Email, start: loc[0], end: loc[1], excerpt: emailExcerpt(addr[:at], "@", addr[at+1:])})
	}
	for _, loc := range emailSpelled.FindAllStringSubmatchIndex(body, -1) {
		name, domain := body[loc[2]:loc[3]], body[loc[8]:loc[9]]
		if loc[6] >= 0 { // "at" written as a word
			// That is everyday English ("ordered at chewy.com"); it
			// is an address only with a mail provider or a dot
			// spelled out.
			label := strings.ToLower(domain[:labelEnd(domain)])
			if !emailProviders[label] && !spelledDotWord.MatchString(domain) {
				continue
			}
			out = append(out, match{kind: Email, start: loc[0], end: loc[1], excerpt: emailExcerpt(name, " at ", domain)})
			continue
		}
		out = append(out, match{kind: Email, start: loc[0], end: loc[1], excerpt: emailExcerpt(name, body[loc[4]:loc[5]], domain)})
	}
	return out
}

var spelledDotWord = regexp.MustCompile(`(?i)\bdot\b`)

// labelEnd is the length of the first label of domain.
func labelEnd(domain string) int {
	if i := strings.IndexFunc(strings.ToLower(domain), func(r rune) bool { return !isLabelRune(r) }); i >= 0 {
		return i
	}
	return len(domain)
}

func isLabelRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-'
}

// emailExcerpt hides the name except its first character. The domain is
// shown as written only when it is a well-known mail provider ("gmail.com",
// "yahoo.co.uk"), whose name says nothing about the person; otherwise every
// label but the top-level domain is hidden after its first character.
func emailExcerpt(name, at, domain string) string {
	return tidyExcerpt(hideAfterFirst(name) + at + redactDomain(domain))
}

func redactDomain(domain string) string {
	lower := strings.ToLower(domain)
	var labels [][2]int // byte spans of labels, not counting a spelled "dot"
	for i := 0; i < len(lower); {
		if !isLabelRune(rune(lower[i])) {
			i++
			continue
		}
		j := i
		for j < len(lower) && isLabelRune(rune(lower[j])) {
			j++
		}
		if lower[i:j] != "dot" {
			labels = append(labels, [2]int{i, j})
		}
		i = j
	}
	if len(labels) == 0 {
		return domain
	}
	provider := emailProviders[lower[labels[0][0]:labels[0][1]]]
	for _, l := range labels[1 : len(labels)-1] {
		if l[1]-l[0] > 3 { // "co" in "co.uk" is fine, a name is not
			provider = false
		}
	}
	if provider {
		return domain
	}
	var b strings.Builder
	prev := 0
	for _, l := range labels[:len(labels)-1] {
		b.WriteString(domain[prev:l[0]])
		b.WriteString(hideAfterFirst(domain[l[0]:l[1]]))
		prev = l[1]
	}
	b.WriteString(domain[prev:])
	return b.String()
}

// ---- payment apps ----

var paymentPatterns = []*regexp.Regexp{
	regexp.MustCompile(`(?i)\bvenmo[a-z']*`),
	regexp.MustCompile(`(?i)\bcash\s*-?\s*app\b`),
	regexp.MustCompile(`(?i)\bzelle[a-z']*`),
	regexp.MustCompile(`(?i)\bpay\s*-?\s*pal\b(?:\.me\b)?`),
	regexp.MustCompile(`(?i)\bapple\s+cash\b`),
	// Being paid outside the business.
	regexp.MustCompile(`(?i)\bpay(?:ing)?\s+(?:me|you)\s+(?:directly|direct|privately|personally|in\s+cash|cash|off(?:\s+of)?\s+(?:the\s+)?app|outside\s+(?:of\s+)?(?:the\s+)?app)\b`),
	regexp.MustCompile(`(?i)\bpay\s+(?:directly|off(?:\s+of)?\s+(?:the\s+)?app|outside\s+(?:of\s+)?(?:the\s+)?app)\b`),
	regexp.MustCompile(`(?i)\b(?:tip|send|venmo)\s+me\s+directly\b`),
	regexp.MustCompile(`(?i)\b(?:pay|paid|payment|tip|tips|cash)\b[^.!?\n]{0,30}\b(?:off|outside(?:\s+of)?)\s+(?:the\s+)?app\b`),
}

// cashtag is a Cash App handle: "$" then a letter and at least one more
// character ("$45" is a price, "$X" a placeholder).
var cashtag = regexp.MustCompile(`(?i)(?:^|[^\w$])(\$[a-z][a-z0-9_\-]{1,19})\b`)

func findPayments(body string) []match {
	var out []match
	for _, re := range paymentPatterns {
		for _, loc := range re.FindAllStringIndex(body, -1) {
			out = append(out, match{kind: PaymentApp, start: loc[0], end: loc[1], excerpt: tidyExcerpt(body[loc[0]:loc[1]])})
		}
	}
	for _, loc := range cashtag.FindAllStringSubmatchIndex(body, -1) {
		tag := body[loc[2]:loc[3]]
		out = append(out, match{kind: PaymentApp, start: loc[2], end: loc[3], excerpt: "$" + hideAfterFirst(tag[1:])})
	}
	return out
}

// ---- contact requests ----

// contactPattern is a phrase that asks to move the conversation elsewhere.
// Some phrases are also innocent in other contexts; needs, when set, is
// what must follow the phrase for it to count.
type contactPattern struct {
	re    *regexp.Regexp
	needs func(body string, end int, details []match) bool
}

var contactPatterns = []contactPattern{
	// "reach me on WhatsApp", "hit me up on insta", "find me on fb".
	{re: regexp.MustCompile(`(?i)\b(?:text|txt|call|ring|message|msg|reach|contact|dm|find|add|follow|hit|chat\s+with|talk\s+to|email|e-mail|ping)\s+me(?:\s+up)?\s+(?:on|at|via|through|thru|over|using|in)\s+(?:my\s+)?` + platforms + `\b`)},
	// "text me on my cell", "call me at my personal number".
	{re: regexp.MustCompile(`(?i)\b(?:text|txt|call|ring|message|msg|reach|contact|email|e-mail)\s+me\s+(?:on|at|via|through|thru|using)\s+my\s+(?:` + privateWord + `|other|own|cell|mobile|home|work|phone|number|email|e-mail|line|gmail)\b`)},
	// "call my cell", "text my personal phone".
	{re: regexp.MustCompile(`(?i)\b(?:text|txt|call|ring|message|msg|email|e-mail)\s+my\s+(?:` + privateWord + `\s+)?(?:cell|cellphone|mobile|phone|number|line|email|e-mail|gmail|landline|house\s+phone|work\s+phone)\b`)},
	// "my number is", "my cell number:", "my #:".
	{re: regexp.MustCompile(`(?i)\bmy\s+(?:(?:` + privateWord + `|cell|mobile|home|work|phone|new)\s+)*(?:number|digits|num|#)\s*(?:is\b|are\b|[:=])`)},
	{re: regexp.MustCompile(`(?i)\bmy\s+(?:cell|mobile|cellphone)\s*[:=#]`)},
	// "here's my number", "here is my email".
	{re: regexp.MustCompile(`(?i)\bhere(?:` + apos + `?s|\s+is)\s+my\s+(?:(?:` + privateWord + `|cell|mobile|home|work|phone|new)\s+)*(?:number|cell|digits|email|e-mail|contact|whatsapp|insta|instagram|ig|snap|snapchat|handle)\b`)},
	// "my personal number", "my private email".
	{re: regexp.MustCompile(`(?i)\bmy\s+` + privateWord + `\s+` + contactNoun + `\b`)},
	// "my insta is", "my email:", "my whatsapp =".
	{re: regexp.MustCompile(`(?i)\bmy\s+(?:email|e-mail|gmail|insta|instagram|ig|snap|snapchat|whats\s*app|telegram|signal|facebook|fb|tiktok|handle|username|user\s+name)\s*(?:is\b|[:=])`)},
	// "DM me", "I'll DM you", "slide into my DMs".
	{re: regexp.MustCompile(`(?i)\bdm\s+(?:me|you)\b|\bsend\s+(?:me|you)\s+a\s+dm\b|\bmy\s+dms\b|\binbox\s+me\b`)},
	// "WhatsApp me", "FaceTime me".
	{re: regexp.MustCompile(`(?i)\b(?:whats\s*app|facetime|telegram|snapchat)\s+me\b`)},
	// "I'm on WhatsApp".
	{re: regexp.MustCompile(`(?i)\b(?:i` + apos + `?m|i\s+am)\s+(?:also\s+)?on\s+` + platforms + `\b`)},
	// "text me directly", "contact me privately".
	{re: regexp.MustCompile(`(?i)\b(?:text|txt|call|ring|message|msg|contact|reach|email|e-mail)\s+me\s+(?:directly|privately|personally|outside)\b|\breach\s+out\s+to\s+me\s+(?:directly|privately|personally)\b`)},
	// Asking for the client's own details: "what's your cell", "send me
	// your email", "your personal number".
	{re: regexp.MustCompile(`(?i)\b(?:what` + apos + `?s|what\s+is|send\s+me|give\s+me|text\s+me|share|can\s+i\s+(?:have|get))\s+your\s+(?:(?:` + privateWord + `|own|cell|mobile|phone|home|work)\s+)*(?:number|cell|digits|email|e-mail|whatsapp|insta|instagram|ig|snapchat|snap|handle)\b`),
		needs: notFollowedBy("one", "1", "of", "service", "reception", "signal", "coverage", "battery", "plan", "provider", "carrier")},
	// "your personal number" (but not "your personal phone charger").
	{re: regexp.MustCompile(`(?i)\byour\s+` + privateWord + `\s+(?:(?:phone|cell)\s+)?(?:number|cell|mobile|line|digits|email|e-mail|gmail|contact)\b`)},
	// Links that open a chat elsewhere.
	{re: regexp.MustCompile(`(?i)\b(?:wa\.me|t\.me|m\.me)/|\binstagram\.com/|\bfacebook\.com/`)},
	// "text me at", "call me on", "give me a call at": only when a phone
	// number, an email address or a handle follows. "Text me at 5 when
	// you land" and "text me on Friday" are ordinary.
	{re: regexp.MustCompile(`(?i)\b(?:text|txt|call|ring|reach|contact|message|msg|email|e-mail)\s+me\s+(?:at|on)\b|\bgive\s+me\s+a\s+(?:call|text|ring)\s+(?:at|on)\b`),
		needs: followedByContactDetail},
}

// followedByContactDetail reports whether a phone number, an email address
// or an @handle starts right after end (spaces and a colon allowed).
func followedByContactDetail(body string, end int, details []match) bool {
	i := end
	for i < len(body) && (body[i] == ' ' || body[i] == ':' || body[i] == '\t') {
		i++
	}
	if i < len(body) && body[i] == '@' {
		return true
	}
	for _, d := range details {
		if d.start >= end && d.start <= i {
			return true
		}
	}
	return false
}

// notFollowedBy rejects a match when the next word is one of words
// ("what's your number one concern").
func notFollowedBy(words ...string) func(string, int, []match) bool {
	return func(body string, end int, _ []match) bool {
		next := strings.Fields(strings.ToLower(body[end:min(len(body), end+16)]))
		return len(next) == 0 || !slices.Contains(words, strings.Trim(next[0], ".,!?"))
	}
}

// findContactRequests finds phrases asking to talk elsewhere. details are
// the phone numbers and email addresses already found, which some phrases
// need to follow them.
func findContactRequests(body string, details []match) []match {
	var out []match
	for _, p := range contactPatterns {
		for _, loc := range p.re.FindAllStringIndex(body, -1) {
			if p.needs != nil && !p.needs(body, loc[1], details) {
				continue
			}
			out = append(out, match{kind: ContactRequest, start: loc[0], end: loc[1], excerpt: tidyExcerpt(body[loc[0]:loc[1]])})
		}
	}
	return out
}
