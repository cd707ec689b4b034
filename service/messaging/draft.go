package messaging

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/snoutos/snout/internal/domain/segments"
	"github.com/snoutos/snout/internal/errs"
)

// Draft is a message as its writer composed it, before any check.
type Draft struct {
	Body      string
	MediaURLs []string
}

// maxMediaItems is Twilio's limit on attachments per message.
const maxMediaItems = 10

// check refuses a draft that cannot become a text: too many or malformed
// attachments, a body over the provider's limit, or nothing at all.
func (d Draft) check() error {
	if len(d.MediaURLs) > maxMediaItems {
		return errs.InvalidField("mediaUrls", fmt.Sprintf("A message can carry at most %d pictures or files.", maxMediaItems))
	}
	for _, raw := range d.MediaURLs {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return errs.InvalidField("mediaUrls", "Each attachment must be a public http(s) URL.")
		}
	}
	err := segments.Validate(d.Body)
	var tooLong *segments.TooLongError
	switch {
	case errors.As(err, &tooLong):
		msg := fmt.Sprintf("This message has %s characters; the limit is %s. Shorten it and send again.",
			groupThousands(tooLong.Characters), groupThousands(tooLong.Limit))
		return errs.InvalidCode("message_too_long", msg,
			map[string]string{"body": msg, "length": strconv.Itoa(tooLong.Characters), "limit": strconv.Itoa(tooLong.Limit)})
	case errors.Is(err, segments.ErrEmpty) && len(d.MediaURLs) == 0:
		return errs.InvalidField("body", "Write a message before sending.")
	}
	return nil
}

// groupThousands writes n with comma separators (1,600).
func groupThousands(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Check refuses a draft that cannot become a text, the way composing
// would, for callers that prepare something first (a new conversation).
func (d Draft) Check() error { return d.check() }
