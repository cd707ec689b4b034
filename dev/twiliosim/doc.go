// Package twiliosim is a Twilio simulator that ships with Snout. It speaks
// the slice of Twilio's 2010-04-01 REST API and Pricing v1 API the product
// uses, with Twilio's JSON shapes, errors and Basic authentication, and it
// calls the app back with signed inbound-message webhooks and status
// callbacks. Point provider.New at it with a base URL.
//
// # REST API
//
// Authenticate with account SID and auth token, or with an API key (SK…)
// and secret registered on the account. The account SID in the path must be
// the authenticated account; any other is 404 (20404).
//
//	GET    /2010-04-01/Accounts/{Sid}.json
//	GET    /2010-04-01/Accounts/{Sid}/Balance.json
//	POST   /2010-04-01/Accounts/{Sid}/Messages.json
//	GET    /2010-04-01/Accounts/{Sid}/Messages.json            To, From, DateSent, DateSent<, DateSent>, paging
//	GET    /2010-04-01/Accounts/{Sid}/Messages/{MessageSid}.json
//	GET    /2010-04-01/Accounts/{Sid}/IncomingPhoneNumbers.json  PhoneNumber, FriendlyName, paging
//	POST   /2010-04-01/Accounts/{Sid}/IncomingPhoneNumbers.json  PhoneNumber or AreaCode (also /Local.json, /TollFree.json)
//	GET    /2010-04-01/Accounts/{Sid}/IncomingPhoneNumbers/{PN}.json
//	POST   /2010-04-01/Accounts/{Sid}/IncomingPhoneNumbers/{PN}.json
//	DELETE /2010-04-01/Accounts/{Sid}/IncomingPhoneNumbers/{PN}.json
//	GET    /2010-04-01/Accounts/{Sid}/AvailablePhoneNumbers/{US|CA}/Local.json
//	GET    /2010-04-01/Accounts/{Sid}/AvailablePhoneNumbers/{US|CA}/TollFree.json
//	GET    /v1/PhoneNumbers/Countries/{US|CA}                  (pricing.twilio.com in real Twilio)
//
// Sending validates like Twilio (21604 no To, 21603 no From, 21602 no body,
// 21617 body over 1,600 characters, 21211 invalid To, 21606 From not an
// SMS-capable number of the account, 21610 recipient opted out) and answers
// 201 with status queued and an SM… (MM… with media) SID. About 20 ms later
// the message is sent, 20 ms after that delivered; each change after queued
// is POSTed to the message's StatusCallback, signed with the account's auth
// token exactly as Twilio signs. A suspended account's messages fail with
// 30002.
//
// Numbers for sale are fictional, NPA-555-0100 to NPA-555-0199 for every
// valid area code; lines ending in 9 cannot text. Area code 533 has none
// (21452). Numbers cost "1.15" (local) and "2.15" (toll free) a month.
//
// # Control API
//
// JSON over HTTP under /_sim/, without authentication. Errors are
// {"error": "…"}. Each route has a Go equivalent on Server.
//
//	GET    /_sim/healthz            {"status":"ok"}
//
//	POST   /_sim/inbound            a text from a handset to an owned number
//	       {"account_sid"?, "from", "to", "body", "media"?: [{"url","content_type"}],
//	        "message_sid"?, "repeat"?}
//	       → 200 {"message_sid","webhook_status","webhook_body","deliveries","keyword"?,"reply_sids"?}
//	       The number's sms_url is called (GET or POST per sms_method) with a
//	       signed request holding every field Twilio sends. STOP-class words
//	       block later sends from that number to the handset (21610) until a
//	       START-class word; this happens even without an sms_url. message_sid
//	       forces the SID (replays); repeat sends the same webhook n times.
//	       <Message> verbs in a TwiML answer become outbound-reply messages.
//	       404 unknown number, 409 number has no sms_url (message_sid
//	       included), 502 the app could not be reached.
//
//	POST   /_sim/faults             {"to", "error_code", "mode": "create"|"callback"|"lose_response", "times"?, "status"?}
//	       create: the REST create answers the code (HTTP 400; 401, 404, 429,
//	       500, 503 for 20003, 20404, 20429, 20500, 20503). callback: the
//	       message is accepted, then fails in a failed/undelivered callback
//	       with the code ("status" overrides the choice). lose_response (no
//	       code): the message is accepted, stored and delivered, but the
//	       connection closes without an answer, so the sender cannot know.
//	       "to" may be "*". times limits how many sends fail; 0 means until
//	       cleared.
//	GET    /_sim/faults             {"faults": […], "number_faults": […]}
//	DELETE /_sim/faults             clears send and number faults
//	POST   /_sim/faults/numbers     {"phone_number", "mode": "update", "error_code", "times"?}
//	       IncomingPhoneNumber updates of that number fail with the code.
//	DELETE /_sim/faults/numbers     clears number faults only
//
//	POST   /_sim/callbacks          {"delay_ms", "duplicate", "out_of_order", "drop"}
//	       for messages sent afterwards: callbacks late (statuses still change
//	       on time), twice, newest first after the last change, or never.
//	GET    /_sim/callbacks          the current mode
//
//	POST   /_sim/latency            {"ms"}: delay every REST request
//	GET    /_sim/messages?to=&from= {"messages": […]}: all messages seen, oldest first
//	POST   /_sim/accounts           {"friendly_name"?, "sid"?, "auth_token"?}: a new account (SID and
//	       token generated when left out), for another business to connect
//	GET    /_sim/accounts           {"accounts": […]}
//	POST   /_sim/reset              forget messages, numbers, opt-outs, faults, modes, latency (accounts stay)
//
// # State
//
// With Options.StatePath, accounts, owned numbers, messages (the newest
// 10,000) and opt-outs are written to a JSON file shortly after each change
// and on Close, and read back by New; deliveries cut short by a restart
// resume. Faults, callback modes and latency are test settings and are not
// kept.
package twiliosim
