package api

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/snoutos/snout/internal/store"
)

// The OpenAPI 3.1 document of the /api/v1 surface, built from the routes
// as they are registered: every route carries its op (summary, tag, body,
// query, responses), written beside its handler in the feature's file:
//
//	{http.MethodGet, "/api/v1/threads", s.reply(…),
//		doc("List the inbox's threads", tagInbox).query(threadQueryParams...).ok(ThreadPage{})},
//
// Schemas come from the Go types by reflection (openapi_schema.go). The
// document is served at GET /api/v1/openapi.json and written to
// api/openapi.json by `make openapi`.

// Tags group the document's operations, one per feature.
const (
	tagAuth     = "auth"
	tagAudit    = "audit"
	tagInbox    = "inbox"
	tagMessages = "messages"
	tagPolicy   = "policy"
	tagOps      = "ops"
	tagAlerts   = "alerts"
	tagSitter   = "sitter"
	tagWindows  = "windows"
	tagClients  = "clients"
	tagTeam     = "team"
	tagSetup    = "setup"
	tagNumbers  = "numbers"
	tagMeta     = "meta"
	tagSettings = "settings"
	tagRouting  = "routing"
)

// op documents one route.
type op struct {
	summary, tag, description string
	// body is a value of the JSON request body's type; nil for none.
	reqBody      any
	bodyOptional bool
	// rawBody is a non-JSON request body's media type ("text/csv").
	rawBody string
	params  []param
	// responses: each success status with the values of its possible body
	// types (several: one of them); a status with no value has no body.
	responses map[int][]any
	// media: a success status answered with another media type (a CSV
	// download with ?format=csv, TwiML).
	media  map[int]string
	errors []int
}

// param is a query parameter.
type param struct {
	name, description string
	schema            schema
	required          bool
}

// doc starts an op.
func doc(summary, tag string) op { return op{summary: summary, tag: tag} }

// describe adds a longer description.
func (o op) describe(text string) op { o.description = text; return o }

// body says the JSON request body is a v.
func (o op) body(v any) op { o.reqBody = v; return o }

// optionalBody says the JSON request body, which may be left out, is a v.
func (o op) optionalBody(v any) op { o.reqBody, o.bodyOptional = v, true; return o }

// raw says the request body is of a non-JSON media type.
func (o op) raw(mediaType string) op { o.rawBody = mediaType; return o }

// query adds query parameters.
func (o op) query(ps ...param) op { o.params = append(o.params, ps...); return o }

// returns documents a success status and its possible bodies (none: no
// content).
func (o op) returns(status int, bodies ...any) op {
	if o.responses == nil {
		o.responses = map[int][]any{}
	}
	o.responses[status] = append(o.responses[status], bodies...)
	if len(bodies) == 0 {
		o.responses[status] = nil
	}
	return o
}

// ok documents a 200 with one of bodies.
func (o op) ok(bodies ...any) op { return o.returns(http.StatusOK, bodies...) }

// also documents a success answered with another media type.
func (o op) also(status int, mediaType string) op {
	if o.media == nil {
		o.media = map[int]string{}
	}
	o.media[status] = mediaType
	return o
}

// fails documents error statuses (the ErrorBody envelope) beyond those every
// route may answer: 500; 401 and 403 when signed in; 404 with a path
// parameter or an ID in the query; 400 with a body or query parameters.
func (o op) fails(statuses ...int) op { o.errors = append(o.errors, statuses...); return o }

// Query parameter helpers.
func qString(name, description string) param {
	return param{name: name, description: description, schema: schema{"type": "string"}}
}
func qEnum(name, description string, values ...string) param {
	return param{name: name, description: description, schema: schema{"type": "string", "enum": values}}
}
func qBool(name, description string) param {
	return param{name: name, description: description, schema: schema{"type": "boolean"}}
}
func qUUID(name, description string) param {
	return param{name: name, description: description, schema: schema{"type": "string", "format": "uuid"}}
}
func qTime(name, description string) param {
	return param{name: name, description: description, schema: schema{"type": "string", "format": "date-time"}}
}
func qInt(name, description string, min, max int) param {
	return param{name: name, description: description, schema: schema{"type": "integer", "minimum": min, "maximum": max}}
}

// qPage is the ?cursor= and ?limit= of a paged list.
func qPage(max int) []param {
	return []param{qString("cursor", "The nextCursor of the previous page."), qInt("limit", "Items per page.", 1, max)}
}

// TextBody is a plain message answer ({"message": "…"}).
type TextBody struct {
	Message string `json:"message"`
}

var ginPathParam = regexp.MustCompile(`:([A-Za-z0-9_]+)`)

// openAPIPath is a Gin path in OpenAPI's form: /threads/:id → /threads/{id}.
func openAPIPath(p string) string { return ginPathParam.ReplaceAllString(p, "{$1}") }

// Documented says whether a route belongs in the document: the /api/v1
// surface.
func Documented(path string) bool { return strings.HasPrefix(path, "/api/v1/") }

// errorText names each error status in the document.
var errorText = map[int]string{
	http.StatusBadRequest:            "The request is not valid; fields names each field at fault.",
	http.StatusUnauthorized:          "Not signed in, or the session has expired.",
	http.StatusForbidden:             "The role does not allow this, or a cookie write lacks its X-CSRF-Token header.",
	http.StatusNotFound:              "Not found (another org's IDs answer the same).",
	http.StatusConflict:              "It conflicts with the current state.",
	http.StatusUnprocessableEntity:   "Refused by a rule; code and message say which.",
	http.StatusRequestEntityTooLarge: "The body is larger than the API accepts (1 MiB; 8 MiB for imports).",
	http.StatusTooManyRequests:       "Too many requests or attempts; Retry-After says when to try again.",
	http.StatusInternalServerError:   "Something failed on our side; quote correlationId.",
	http.StatusServiceUnavailable:    "A dependency is unavailable; Retry-After says when to try again.",
}

// openAPIDocument builds the document of the routes' /api/v1 surface.
func openAPIDocument(routes []Route) ([]byte, error) {
	set := newSchemaSet()
	errRef := set.of(ErrorBody{}, modeResponse)
	paths := map[string]map[string]any{}
	for _, rt := range routes {
		if !Documented(rt.Path) {
			continue
		}
		if rt.doc.summary == "" {
			return nil, fmt.Errorf("openapi: %s %s has no doc", rt.Method, rt.Path)
		}
		p := openAPIPath(rt.Path)
		if paths[p] == nil {
			paths[p] = map[string]any{}
		}
		paths[p][strings.ToLower(rt.Method)] = operation(set, errRef, rt)
	}
	doc := map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":   "Snout Messaging API",
			"version": "1",
			"description": "The owner's dashboard and the sitters' app. Sign in with POST /api/v1/auth/login: browsers use the HttpOnly " +
				sessionCookie + " cookie and send the session's csrfToken as " + csrfHeader + " on every write; API clients send " +
				"\"Authorization: Bearer <token>\". Every error answers the ErrorBody envelope.",
		},
		"paths": paths,
		"components": map[string]any{
			"schemas": set.defs,
			"securitySchemes": map[string]any{
				"cookie": map[string]any{"type": "apiKey", "in": "cookie", "name": sessionCookie},
				"bearer": map[string]any{"type": "http", "scheme": "bearer"},
			},
		},
	}
	return json.MarshalIndent(doc, "", "  ")
}

func operation(set *schemaSet, errRef schema, rt Route) map[string]any {
	o := rt.doc
	out := map[string]any{"summary": o.summary, "tags": []string{o.tag}, "operationId": operationID(rt.Method, rt.Path)}
	if o.description != "" {
		out["description"] = o.description
	}
	var params []any
	for _, m := range ginPathParam.FindAllStringSubmatch(rt.Path, -1) {
		params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": schema{"type": "string", "format": "uuid"}})
	}
	for _, q := range o.params {
		pm := map[string]any{"name": q.name, "in": "query", "schema": q.schema}
		if q.description != "" {
			pm["description"] = q.description
		}
		if q.required {
			pm["required"] = true
		}
		params = append(params, pm)
	}
	if params != nil {
		out["parameters"] = params
	}
	switch {
	case o.reqBody != nil:
		out["requestBody"] = map[string]any{"required": !o.bodyOptional,
			"content": map[string]any{"application/json": map[string]any{"schema": set.of(o.reqBody, modeRequest)}}}
	case o.rawBody != "":
		out["requestBody"] = map[string]any{"required": true, "content": map[string]any{o.rawBody: map[string]any{"schema": schema{"type": "string"}}}}
	}
	responses := map[string]any{}
	for status, bodies := range o.responses {
		r := map[string]any{"description": http.StatusText(status)}
		content := map[string]any{}
		if len(bodies) > 0 {
			var s schema
			if len(bodies) == 1 {
				s = set.of(bodies[0], modeResponse)
			} else {
				var alts []any
				for _, b := range bodies {
					alts = append(alts, set.of(b, modeResponse))
				}
				s = schema{"oneOf": alts}
			}
			content["application/json"] = map[string]any{"schema": s}
		}
		if mt, ok := o.media[status]; ok {
			content[mt] = map[string]any{"schema": schema{"type": "string"}}
		}
		if len(content) > 0 {
			r["content"] = content
		}
		responses[strconv.Itoa(status)] = r
	}
	for _, status := range errorStatuses(rt) {
		responses[strconv.Itoa(status)] = map[string]any{"description": errorText[status],
			"content": map[string]any{"application/json": map[string]any{"schema": errRef}}}
	}
	out["responses"] = responses
	if rt.Access == AccessSession {
		out["security"] = []any{map[string]any{"cookie": []string{}}, map[string]any{"bearer": []string{}}}
	} else {
		out["security"] = []any{}
	}
	return out
}

// errorStatuses are the error statuses a route may answer.
func errorStatuses(rt Route) []int {
	set := map[int]bool{http.StatusInternalServerError: true}
	if strings.HasPrefix(rt.Path, "/api/") {
		set[http.StatusTooManyRequests] = true // the rate limits (limits.go)
	}
	if rt.Access == AccessSession {
		set[http.StatusUnauthorized], set[http.StatusForbidden] = true, true
	}
	if strings.Contains(rt.Path, ":") {
		set[http.StatusNotFound] = true
	}
	for _, p := range rt.doc.params {
		if p.schema["format"] == "uuid" { // a row of the org that may not exist
			set[http.StatusNotFound] = true
		}
	}
	if rt.doc.reqBody != nil || rt.doc.rawBody != "" || len(rt.doc.params) > 0 {
		set[http.StatusBadRequest] = true
	}
	if rt.doc.reqBody != nil || rt.doc.rawBody != "" {
		set[http.StatusRequestEntityTooLarge] = true // the body limit (limits.go)
	}
	for _, s := range rt.doc.errors {
		set[s] = true
	}
	out := make([]int, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Ints(out)
	return out
}

// operationID is a route's name for generated clients:
// GET /api/v1/threads/:id/messages → getThreadsIdMessages.
func operationID(method, path string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(method))
	for _, seg := range strings.Split(strings.TrimPrefix(path, "/api/v1/"), "/") {
		seg = strings.TrimPrefix(seg, ":")
		for _, word := range strings.FieldsFunc(seg, func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
			b.WriteString(exportedName(word))
		}
	}
	return b.String()
}

// OpenAPIDocument is the document of the whole /api/v1 surface, built
// from the router without any dependency (make openapi writes it to
// api/openapi.json).
func OpenAPIDocument() ([]byte, error) {
	s, err := newForDocument()
	if err != nil {
		return nil, err
	}
	return s.openapi, nil
}

// newForDocument is a server with no dependencies: enough to build its
// router, never to serve.
func newForDocument() (*Server, error) {
	return New(Deps{Store: store.New(nil), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
}

// serveOpenAPI serves the document.
func (s *Server) serveOpenAPI(c *gin.Context) {
	c.Header("Cache-Control", "no-cache")
	c.Data(http.StatusOK, "application/json; charset=utf-8", s.openapi)
}
