package api

import (
	"testing"
	"time"

	"github.com/google/uuid"
)

func FuzzInboxCursor(f *testing.F) {
	f.Add(inboxCursor(time.Date(2026, 11, 25, 9, 0, 0, 123456000, time.UTC), uuid.MustParse("0193a1b2-0000-7000-8000-000000000001")))
	f.Add("not-a-cursor")
	f.Add("")
	f.Fuzz(func(t *testing.T, cur string) {
		at, id, ok := inboxCursorParse(cur)
		if !ok {
			return
		}
		// Whatever parses re-encodes to a cursor naming the same position.
		at2, id2, ok2 := inboxCursorParse(inboxCursor(at, id))
		if !ok2 || !at2.Equal(at) || id2 != id {
			t.Fatalf("cursor %q: %v %v, re-encoded %v %v %v", cur, at, id, at2, id2, ok2)
		}
	})
}
