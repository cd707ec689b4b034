package provider

import (
	"fmt"
	"regexp"
	"strings"
)

// explanations are written for a pet-sitting business owner, not a developer.
var explanations = map[int]string{
	11200: "Snout didn't answer Twilio properly when a text arrived, so that text wasn't handled.",
	11205: "Twilio couldn't reach Snout to hand over an incoming text (the connection failed or timed out).",
	11217: "Snout reported an error when Twilio handed over an incoming text.",
	20003: "Twilio didn't accept the account credentials. Check the Account SID and Auth Token (or API key) in settings.",
	20404: "Twilio couldn't find that item. It may have been deleted or may belong to another account.",
	20429: "Twilio asked us to slow down. The request will be tried again shortly.",
	20500: "Twilio had an internal problem. The request will be tried again shortly.",
	20503: "Twilio is temporarily unavailable. The request will be tried again shortly.",
	21211: "The number you're texting isn't a valid phone number.",
	21222: "The Twilio account ID in settings contains characters that aren't allowed.",
	21224: "The Twilio auth token in settings contains characters that aren't allowed.",
	21408: "The Twilio account isn't allowed to text that country yet. Enable it in Twilio's messaging settings.",
	21421: "That phone number isn't valid, so it can't be bought.",
	21422: "That phone number is no longer available. Search again and pick another one.",
	21451: "That area code isn't valid. Check the three digits and try again.",
	21452: "There are no numbers left in that area code. Try a nearby area code.",
	21457: "An area code can't be used with that kind of number search. Pick a specific number instead.",
	21602: "The message was empty. Add some text or a picture.",
	21603: "No sending number was chosen for the message.",
	21604: "No recipient number was given for the message.",
	21606: "The sending number can't send texts from this Twilio account. It may have been released or may not support texting.",
	21608: "This is a Twilio trial account and the recipient isn't verified. Verify the number in Twilio or upgrade the account.",
	21610: "This client replied STOP, so texts to them are blocked until they text START.",
	21611: "Too many texts are waiting to go out from this number. They'll be sent later.",
	21612: "Twilio can't carry texts between these two numbers. Try sending from a different number.",
	21614: "That number isn't a mobile phone, so it can't receive texts.",
	21617: "The message is longer than 1,600 characters. Shorten it and send again.",
	30001: "Too many texts were queued at once and this one couldn't go out. It will be tried again later.",
	30002: "The Twilio account is suspended. Check billing or contact Twilio support.",
	30003: "The client's phone was off or had no signal. The text will be tried again later.",
	30004: "The client or their phone carrier blocked this text.",
	30005: "That number isn't in service, or the phone carrier doesn't recognise it.",
	30006: "The number is a landline or its carrier can't receive texts.",
	30007: "The phone carrier filtered the text as spam. Change the wording or finish business texting registration.",
	30008: "The phone carrier reported an unknown problem. The text will be tried again.",
	30032: "The toll-free number hasn't finished verification, so carriers block its texts.",
	30034: "The number isn't registered for business texting (A2P 10DLC). Finish the registration in Twilio.",
	30036: "The text waited too long in Twilio's queue and expired before it could be sent.",
}

// Explain returns a plain-language sentence describing a Twilio error code,
// or a general sentence naming the code when it has no specific wording.
func Explain(code int) string {
	if s, ok := explanations[code]; ok {
		return s
	}
	if code == 0 {
		return "Twilio couldn't complete the request."
	}
	return fmt.Sprintf("Twilio couldn't complete the request (error %d).", code)
}

// Without diagnostics, people see failures in plain words only: no raw
// provider code, no SID, no webhook URL. Reason and Redact give those
// words; Explain (with the code of an unknown error) is for diagnostics.

var (
	rawCode    = regexp.MustCompile(`\s*\((?:Twilio )?error \d+\)|\s*\b(?:Twilio )?(?:error|code) \d{5}\b:?`)
	rawSID     = regexp.MustCompile(`\b(?:SM|MM|PN|AC|MG|SK|AP|ME|IS|BU)[0-9a-fA-F]{32}\b`)
	webhookURL = regexp.MustCompile(`https?://\S+/webhooks/\S*`)
)

// Reason is the plain-words reason of a failure with a provider code (0:
// none) and the text stored with it: the code's explanation when Snout has
// one, otherwise the text without codes, SIDs or webhook URLs.
func Reason(code int, text string) string {
	if s, ok := explanations[code]; ok {
		return s
	}
	if plain := Redact(text); plain != "" {
		return plain
	}
	if code != 0 {
		return "Twilio couldn't complete the request."
	}
	return ""
}

// Redact removes raw provider codes, SIDs and webhook URLs from a text.
func Redact(text string) string {
	text = rawCode.ReplaceAllString(text, "")
	text = rawSID.ReplaceAllString(text, "(hidden)")
	text = webhookURL.ReplaceAllString(text, "(the webhook address)")
	return strings.TrimSpace(text)
}
