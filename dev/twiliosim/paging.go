package twiliosim

import (
	"net/http"
	"net/url"
	"strconv"
	"time"
)

const (
	defaultPageSize = 50
	maxPageSize     = 1000
)

// listPage is the paging envelope of every 2010 list response; each list
// type embeds it next to its own resource array.
type listPage struct {
	FirstPageURI    string  `json:"first_page_uri"`
	End             int     `json:"end"`
	NextPageURI     *string `json:"next_page_uri"`
	Page            int     `json:"page"`
	PageSize        int     `json:"page_size"`
	PreviousPageURI *string `json:"previous_page_uri"`
	Start           int     `json:"start"`
	URI             string  `json:"uri"`
}

// paginate picks the window [lo, hi) of total items that the request's
// Page, PageSize and PageToken select, and fills in the envelope. Filters in
// the query are carried into every page URI.
func paginate(r *http.Request, total int) (p listPage, lo, hi int, e *apiError) {
	q := r.URL.Query()
	size := defaultPageSize
	if v := q.Get("PageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return p, 0, 0, badRequest("PageSize must be a positive integer")
		}
		size = min(n, maxPageSize)
	}
	page := 0
	if v := q.Get("Page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return p, 0, 0, badRequest("Page must be a non-negative integer")
		}
		page = n
	}
	if tok := q.Get("PageToken"); tok != "" && tok != pageToken(page) {
		return p, 0, 0, invalid(21481, "The page token %q is not valid", tok)
	}
	lo = min(page*size, total)
	hi = min(lo+size, total)

	filters := url.Values{}
	for name, values := range q {
		if name != "Page" && name != "PageSize" && name != "PageToken" {
			filters[name] = values
		}
	}
	uri := func(n int) string {
		v := url.Values{}
		for name, values := range filters {
			v[name] = values
		}
		v.Set("PageSize", strconv.Itoa(size))
		v.Set("Page", strconv.Itoa(n))
		if n > 0 {
			v.Set("PageToken", pageToken(n))
		}
		return r.URL.Path + "?" + v.Encode()
	}
	p = listPage{
		FirstPageURI: uri(0),
		Page:         page,
		PageSize:     size,
		Start:        lo,
		End:          max(lo, hi-1),
		URI:          uri(page),
	}
	if hi < total {
		next := uri(page + 1)
		p.NextPageURI = &next
	}
	if page > 0 {
		prev := uri(page - 1)
		p.PreviousPageURI = &prev
	}
	return p, lo, hi, nil
}

// pageToken is the opaque token the simulator puts in page URIs.
func pageToken(page int) string {
	return "PT" + strconv.Itoa(page)
}

// twilioTime formats t as Twilio's JSON dates: RFC 2822 in GMT.
func twilioTime(t time.Time) string {
	return t.UTC().Format(time.RFC1123Z)
}

func twilioTimePtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := twilioTime(*t)
	return &s
}
