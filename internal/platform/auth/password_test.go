package auth

import (
	"strings"
	"testing"
)

func TestHashAndCheckPassword(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$") || strings.Contains(h, "correct horse") {
		t.Fatalf("unexpected hash format %q", h)
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{{"correct horse battery", true}, {"correct horse batterY", false}, {"", false}} {
		ok, err := CheckPassword(h, tc.pw)
		if err != nil || ok != tc.want {
			t.Errorf("CheckPassword(%q) = %v, %v; want %v", tc.pw, ok, err, tc.want)
		}
	}
	h2, _ := HashPassword("correct horse battery")
	if h == h2 {
		t.Fatal("two hashes of one password must differ (random salt)")
	}
	if _, err := CheckPassword("$2a$10$notargon", "x"); err == nil {
		t.Fatal("foreign hash formats must be rejected")
	}
}

func TestTokensAreRandomAndHashed(t *testing.T) {
	a, ha, _ := NewToken()
	b, _, _ := NewToken()
	if a == b || len(a) < 40 {
		t.Fatalf("tokens must be long and random: %q %q", a, b)
	}
	if string(HashToken(a)) != string(ha) {
		t.Fatal("HashToken must match the hash returned with the token")
	}
}
