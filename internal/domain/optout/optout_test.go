package optout

import (
	"strings"
	"testing"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		body string
		want Keyword
	}{
		{"STOP", OptOut},
		{"stop", OptOut},
		{"Stop", OptOut},
		{"  stop\n", OptOut},
		{"Stop.", OptOut},
		{"STOP!", OptOut},
		{"stop!!!", OptOut},
		{"Stop ?", OptOut},
		{"STOPALL", OptOut},
		{"Unsubscribe", OptOut},
		{"cancel", OptOut},
		{"End", OptOut},
		{"quit.", OptOut},
		{"REVOKE", OptOut},
		{"optout", OptOut},
		{"START", OptIn},
		{"start", OptIn},
		{"Unstop", OptIn},
		{"yes", OptIn},
		{"Yes!", OptIn},
		{"HELP", Help},
		{"help?", Help},
		{"Info", Help},

		{"", None},
		{"   ", None},
		{"STOP PLEASE", None},
		{"please stop", None},
		{"Stop texting me", None},
		{"S T O P", None},
		{"STOPP", None},
		{"OPT OUT", None},
		{"opt-out", None},
		{"yes please", None},
		{"Yes, Max had his dinner", None},
		{"...stop", None},
		{"st0p", None},
		{"ＳＴＯＰ", None},   // full-width letters are not the keyword
		{"ſtop", None},   // long s upper-cases to S in Unicode, not here
		{"stop 🛑", None}, // an emoji is not punctuation
		{"Thanks!", None},
	}
	for _, tt := range tests {
		if got := Classify(tt.body); got != tt.want {
			t.Errorf("Classify(%q) = %v, want %v", tt.body, got, tt.want)
		}
	}
}

func TestKeywordString(t *testing.T) {
	tests := map[Keyword]string{None: "none", OptOut: "opt_out", OptIn: "opt_in", Help: "help", Keyword(9): "Keyword(9)"}
	for k, want := range tests {
		if got := k.String(); got != want {
			t.Errorf("Keyword(%d).String() = %q, want %q", int(k), got, want)
		}
	}
}

func FuzzClassify(f *testing.F) {
	for _, s := range []string{"STOP", "stop.", " Start ", "HELP!", "STOP PLEASE", "", "ſtop", "\xff", "yes"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		k := Classify(body)
		if k < None || k > Help {
			t.Fatalf("Classify(%q) = %d, not a known keyword", body, int(k))
		}
		// Surrounding whitespace never changes the answer.
		if padded := Classify(" \t" + body + "\n "); padded != k {
			t.Fatalf("Classify(%q) = %v but padded = %v", body, k, padded)
		}
		if k != None {
			// A keyword message is one ASCII word of letters.
			w := strings.ToUpper(strings.TrimFunc(body, func(r rune) bool {
				return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
			}))
			if keywords[w] != k {
				t.Fatalf("Classify(%q) = %v, but %q is not that keyword", body, k, w)
			}
		}
	})
}
