package api

import (
	"bytes"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// The dashboard: the built React app (web/dist, embedded by package web)
// served at / with history fallback: a GET for any path that is not the
// API's, a webhook or a file of the build answers index.html, and the
// app's router takes it from there. Hashed assets (/assets/…) are cached
// for a year as immutable; index.html is revalidated every time. Without a
// build, / answers a page saying how to build it.

// Paths the dashboard never answers: they are the API's and Twilio's.
var apiPrefixes = []string{"/api/", "/webhooks/"}

// cspNoncePlaceholder is what index.html may carry in
// <meta name="csp-nonce" content="…">: each response replaces it with the
// request's nonce, which the CSP allows for styles (for a CSS-in-JS
// library that needs one).
const cspNoncePlaceholder = "__CSP_NONCE__"

type dashboard struct {
	files fs.FS // nil: not built
	index []byte
	mod   time.Time
}

func newDashboard(files fs.FS) (*dashboard, error) {
	if files == nil {
		return &dashboard{}, nil
	}
	index, err := fs.ReadFile(files, "index.html")
	if err != nil {
		return nil, err
	}
	return &dashboard{files: files, index: index, mod: time.Now()}, nil
}

func isAPIPath(p string) bool {
	for _, prefix := range apiPrefixes {
		if strings.HasPrefix(p, prefix) || p == strings.TrimSuffix(prefix, "/") {
			return true
		}
	}
	return false
}

// serveDashboard answers a request no route matched: the API's own 404 for
// API paths and non-GETs, otherwise the dashboard.
func (s *Server) serveDashboard(c *gin.Context) {
	p := c.Request.URL.Path
	if isAPIPath(p) || (c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead) {
		respondError(c, s.log, notFound("This endpoint"))
		return
	}
	if s.ui.files == nil {
		s.serveBuildHint(c)
		return
	}
	name := strings.TrimPrefix(path.Clean(p), "/")
	if name != "" && name != "index.html" {
		if f, err := s.ui.files.Open(name); err == nil {
			st, statErr := f.Stat()
			if statErr == nil && !st.IsDir() {
				defer f.Close()
				if strings.HasPrefix(name, "assets/") {
					c.Header("Cache-Control", "public, max-age=31536000, immutable")
				} else {
					c.Header("Cache-Control", "no-cache")
				}
				if rs, ok := f.(io.ReadSeeker); ok {
					http.ServeContent(c.Writer, c.Request, name, s.ui.mod, rs)
					return
				}
			}
			f.Close()
		}
		if strings.HasPrefix(name, "assets/") {
			// A missing asset is missing: answering index.html would hand
			// the browser HTML as a script.
			c.Header("Cache-Control", "no-store")
			c.Data(http.StatusNotFound, "text/plain; charset=utf-8", []byte("Not found.\n"))
			return
		}
	}
	page := s.ui.index
	if nonce := cspNonce(c); nonce != "" && bytes.Contains(page, []byte(cspNoncePlaceholder)) {
		page = bytes.ReplaceAll(page, []byte(cspNoncePlaceholder), []byte(nonce))
	}
	c.Header("Cache-Control", "no-cache")
	c.Data(http.StatusOK, "text/html; charset=utf-8", page)
}

// buildHint is the page served when the dashboard has not been built.
const buildHint = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Snout: the dashboard is not built</title></head>
<body>
<h1>The dashboard is not built</h1>
<p>This API binary was built without the dashboard's files, so there is nothing to show here yet.</p>
<p>Build it with <code>make web</code> (it needs Node.js: it runs <code>npm ci</code> and <code>npm run build</code> in <code>web/</code>),
then rebuild and restart the API, or run <code>make dev</code>, which does both.</p>
<p>The API itself is working: its description is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
</body>
</html>
`

func (s *Server) serveBuildHint(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(buildHint))
}
