// Package provider is Snout's only door to Twilio.
//
// Every call goes through the official twilio-go library. When the client is
// built with a base URL (for example the address of the bundled simulator in
// internal/twiliosim), an HTTP transport moves every request — api.twilio.com,
// pricing.twilio.com and any other Twilio host — to that base URL; with an
// empty base URL requests go to Twilio untouched.
//
// # Contexts
//
// twilio-go does not accept a context. Each Client method therefore builds a
// short-lived twilio-go client whose transport binds the caller's context
// (narrowed by the client's HTTP timeout) to every outgoing request, so a
// cancelled or expired context aborts the call in flight. The timeout covers
// the whole operation, including every page of a list.
//
// # Errors
//
// A failure reported by Twilio comes back as *Error. Anything else (DNS,
// connection reset, timeout, context cancellation) is a wrapped transport
// error. Classify sorts both into Transient, Permanent and NeedsFix, and
// Explain turns a Twilio error code into a sentence an owner understands.
//
// # Webhook signatures
//
// Sign computes the X-Twilio-Signature header value for a form-encoded
// request and ValidateSignature checks one with twilio-go's validator. The
// simulator signs with Sign so the product verifies simulated webhooks with
// exactly the code it uses against Twilio.
package provider
