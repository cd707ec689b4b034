// Package secrets seals provider credentials with AES-256-GCM. Each
// ciphertext is stored with the ID of the key that sealed it, so keys can be
// rotated: the first key seals, every configured key opens.
package secrets

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/snoutos/snout/internal/platform/config"
)

// ErrUnknownKey means a ciphertext was sealed with a key that is no longer
// configured in SNOUT_ENCRYPTION_KEY.
var ErrUnknownKey = errors.New("secrets: ciphertext was sealed with a key that is not configured")

// Box seals and opens secrets.
type Box struct {
	current string
	aeads   map[string]cipher.AEAD
}

// NewBox builds a Box from the configured keys; the first key seals.
func NewBox(keys []config.EncryptionKey) (*Box, error) {
	if len(keys) == 0 {
		return nil, errors.New("secrets: no encryption key configured")
	}
	b := &Box{current: keys[0].ID, aeads: map[string]cipher.AEAD{}}
	for _, k := range keys {
		block, err := aes.NewCipher(k.Key)
		if err != nil {
			return nil, fmt.Errorf("secrets: key %s: %w", k.ID, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		b.aeads[k.ID] = aead
	}
	return b, nil
}

// Seal encrypts plaintext, binding it to context (e.g. the org ID) so a
// ciphertext copied to another row does not open. It returns the ciphertext
// (nonce first) and the sealing key's ID.
func (b *Box) Seal(plaintext, context []byte) (ciphertext []byte, keyID string, err error) {
	aead := b.aeads[b.current]
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, "", err
	}
	return aead.Seal(nonce, nonce, plaintext, context), b.current, nil
}

// Open decrypts a ciphertext sealed by Seal with the same context.
func (b *Box) Open(ciphertext []byte, keyID string, context []byte) ([]byte, error) {
	aead, ok := b.aeads[keyID]
	if !ok {
		return nil, fmt.Errorf("%w (key ID %q)", ErrUnknownKey, keyID)
	}
	if len(ciphertext) < aead.NonceSize() {
		return nil, errors.New("secrets: ciphertext too short")
	}
	nonce, sealed := ciphertext[:aead.NonceSize()], ciphertext[aead.NonceSize():]
	out, err := aead.Open(nil, nonce, sealed, context)
	if err != nil {
		return nil, errors.New("secrets: ciphertext does not open (wrong key or tampered)")
	}
	return out, nil
}

// CurrentKeyID is the ID of the key new secrets are sealed with.
func (b *Box) CurrentKeyID() string { return b.current }
