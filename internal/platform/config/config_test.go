package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func lookup(env map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := env[k]; return v, ok }
}

func TestDefaultsAreSafeForLocalDevelopment(t *testing.T) {
	c, err := FromLookup(lookup(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTPAddr != "127.0.0.1:8080" || c.PublicURL != "http://127.0.0.1:8080" || c.TemporalAddress != "127.0.0.1:7233" {
		t.Fatalf("unexpected defaults: %+v", c)
	}
	if c.SecureCookies() {
		t.Error("plain localhost must not force Secure cookies")
	}
	if c.EncryptionKeys[0].ID != "dev1" {
		t.Error("local development falls back to the dev key")
	}
	if c.DeadLetterExpiry != 14*24*time.Hour {
		t.Errorf("dead letters expire after %v by default, want 14 days", c.DeadLetterExpiry)
	}
}

func TestDeadLetterExpiryIsConfigurable(t *testing.T) {
	c, err := FromLookup(lookup(map[string]string{"SNOUT_DEAD_LETTER_EXPIRY": "72h"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.DeadLetterExpiry != 72*time.Hour {
		t.Fatalf("SNOUT_DEAD_LETTER_EXPIRY=72h gave %v", c.DeadLetterExpiry)
	}
}

func TestValidationNamesTheVariable(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"SNOUT_HTTP_ADDR": "8080"}, "SNOUT_HTTP_ADDR"},
		{map[string]string{"SNOUT_SESSION_TTL": "forever"}, "SNOUT_SESSION_TTL"},
		{map[string]string{"SNOUT_SESSION_IDLE_TIMEOUT": "48h"}, "SNOUT_SESSION_IDLE_TIMEOUT"},
		{map[string]string{"SNOUT_LOG_LEVEL": "loud"}, "SNOUT_LOG_LEVEL"},
		{map[string]string{"SNOUT_PUBLIC_URL": "snout.example.com"}, "SNOUT_PUBLIC_URL"},
		{map[string]string{"SNOUT_PUBLIC_URL": "https://snout.example.com"}, "SNOUT_ENCRYPTION_KEY"},
		{map[string]string{"SNOUT_PUBLIC_URL": "https://snout.example.com", "SNOUT_ENCRYPTION_KEY": DevEncryptionKey}, "SNOUT_ENCRYPTION_KEY"},
		{map[string]string{"SNOUT_ENCRYPTION_KEY": "k1:short"}, "SNOUT_ENCRYPTION_KEY"},
		{map[string]string{"TEMPORAL_TLS_CERT": "/x.pem"}, "TEMPORAL_TLS_CERT"},
		{map[string]string{"SNOUT_LOGIN_MAX_FAILURES_PER_IP": "zero"}, "SNOUT_LOGIN_MAX_FAILURES_PER_IP"},
		{map[string]string{"SNOUT_TWILIO_BASE_URL": "ftp://x"}, "SNOUT_TWILIO_BASE_URL"},
		{map[string]string{"SNOUT_DEAD_LETTER_EXPIRY": "two weeks"}, "SNOUT_DEAD_LETTER_EXPIRY"},
		{map[string]string{"SNOUT_DEAD_LETTER_EXPIRY": "30s"}, "SNOUT_DEAD_LETTER_EXPIRY"},
	} {
		_, err := FromLookup(lookup(tc.env))
		var ce *Error
		if !errors.As(err, &ce) || ce.Variable != tc.want {
			t.Errorf("%v: got %v, want an error naming %s", tc.env, err, tc.want)
		}
	}
}

func TestProductionConfigAndKeyRotation(t *testing.T) {
	c, err := FromLookup(lookup(map[string]string{
		"SNOUT_PUBLIC_URL":     "https://snout.example.com/",
		"SNOUT_ENCRYPTION_KEY": "k2:QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=, k1:QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=",
		"SNOUT_SESSION_TTL":    "8h",
		"DATABASE_URL":         "postgres://u:secret@db:5432/snout",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.PublicURL != "https://snout.example.com" || !c.SecureCookies() || c.SessionTTL != 8*time.Hour {
		t.Fatalf("unexpected: %+v", c)
	}
	if len(c.EncryptionKeys) != 2 || c.EncryptionKeys[0].ID != "k2" {
		t.Fatalf("keys: %+v", c.EncryptionKeys)
	}
	if strings.Contains(c.Redacted()["databaseURL"].(string), "secret") {
		t.Fatal("Redacted must hide the database password")
	}
}
