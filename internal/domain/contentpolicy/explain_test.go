package contentpolicy

import "testing"

func TestExplainSaysEachFaultAndRemedyOnce(t *testing.T) {
	cases := []struct{ body, want string }{
		{"Biscuit ate well", ""},
		{"call 415 555 0123", "It includes a phone number. Your client can reach you through this conversation."},
		{"415 555 0123 or 650 555 0199", "It includes a phone number. Your client can reach you through this conversation."},
		{"Text me on my cell 415-555-2323 or email sam@gmail.com",
			"It asks your client to contact you outside this conversation, includes a phone number and includes an email address. " +
				"Your client can reach you through this conversation."},
		{"sam@gmail.com, and pay me on venmo",
			"It includes an email address and mentions an outside payment app. " +
				"Your client can reach you through this conversation. Payments go through the business."},
	}
	for _, c := range cases {
		if got := Screen(c.body).Explain(); got != c.want {
			t.Errorf("Explain(%q)\n got %q\nwant %q", c.body, got, c.want)
		}
	}
}
