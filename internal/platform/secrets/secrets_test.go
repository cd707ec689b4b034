package secrets

import (
	"bytes"
	"errors"
	"testing"

	"github.com/snoutos/snout/internal/platform/config"
)

func key(id string, fill byte) config.EncryptionKey {
	return config.EncryptionKey{ID: id, Key: bytes.Repeat([]byte{fill}, 32)}
}

func TestSealOpenRoundTripAndRotation(t *testing.T) {
	old, err := NewBox([]config.EncryptionKey{key("k1", 1)})
	if err != nil {
		t.Fatal(err)
	}
	ct, id, err := old.Seal([]byte("auth-token"), []byte("org-1"))
	if err != nil || id != "k1" {
		t.Fatalf("seal: %v %q", err, id)
	}
	if bytes.Contains(ct, []byte("auth-token")) {
		t.Fatal("ciphertext contains the plaintext")
	}
	rotated, _ := NewBox([]config.EncryptionKey{key("k2", 2), key("k1", 1)})
	got, err := rotated.Open(ct, id, []byte("org-1"))
	if err != nil || string(got) != "auth-token" {
		t.Fatalf("open after rotation: %q %v", got, err)
	}
	if _, id2, _ := rotated.Seal([]byte("x"), nil); id2 != "k2" {
		t.Fatalf("new secrets must use the first key, got %s", id2)
	}
}

func TestOpenRejectsWrongContextTamperingAndUnknownKeys(t *testing.T) {
	b, _ := NewBox([]config.EncryptionKey{key("k1", 1)})
	ct, id, _ := b.Seal([]byte("secret"), []byte("org-1"))
	if _, err := b.Open(ct, id, []byte("org-2")); err == nil {
		t.Fatal("a ciphertext moved to another org must not open")
	}
	ct[len(ct)-1] ^= 1
	if _, err := b.Open(ct, id, []byte("org-1")); err == nil {
		t.Fatal("tampered ciphertext opened")
	}
	if _, err := b.Open(ct, "gone", nil); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("want ErrUnknownKey, got %v", err)
	}
}
