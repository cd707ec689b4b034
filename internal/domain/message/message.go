// Package message holds what a text is, independent of where it is stored
// or how it is sent: its attachments and why a send to the provider happened.
package message

// MediaItem is one MMS attachment.
type MediaItem struct {
	URL         string `json:"url"`
	ContentType string `json:"contentType"`
}

// Attempt triggers: why a send to the provider happened.
const (
	TriggerAutomatic = "automatic" // the first send, or an automatic retry
	TriggerManual    = "manual"    // an owner's "retry" on a dead letter
)
