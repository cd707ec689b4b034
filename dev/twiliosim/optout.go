package twiliosim

import "strings"

// Keyword classes Twilio acts on for long codes when the whole message is
// one of these words, in any case.
const (
	keywordStop  = "STOP"
	keywordStart = "START"
	keywordHelp  = "HELP"
)

var keywordClasses = map[string]string{
	"STOP": keywordStop, "STOPALL": keywordStop, "UNSUBSCRIBE": keywordStop, "CANCEL": keywordStop,
	"END": keywordStop, "QUIT": keywordStop, "REVOKE": keywordStop, "OPTOUT": keywordStop,
	"START": keywordStart, "YES": keywordStart, "UNSTOP": keywordStart,
	"HELP": keywordHelp, "INFO": keywordHelp,
}

// keywordClass returns STOP, START or HELP when body is exactly one opt-out,
// opt-in or help keyword, and "" otherwise.
func keywordClass(body string) string {
	return keywordClasses[strings.ToUpper(strings.TrimSpace(body))]
}

// applyKeyword blocks or unblocks the handset↔number pair and reports the
// keyword class. The caller holds s.mu.
func (s *Server) applyKeyword(accountSID, number, handset, body string) string {
	class := keywordClass(body)
	key := optOutKey{AccountSID: accountSID, Number: number, Handset: handset}
	switch class {
	case keywordStop:
		s.st.optOuts[key] = true
	case keywordStart:
		delete(s.st.optOuts, key)
	}
	return class
}
