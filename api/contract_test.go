package api_test

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/snoutos/snout/api"
)

// Every /api/v1 response any API test receives is checked against the
// OpenAPI document: its status must be documented for the route, and a
// JSON body must match the status's schema. The check sits in
// http.DefaultClient's transport (installed by TestMain), so every test's
// requests go through it whatever helper sends them; a mismatch fails the
// request, and with it the test.

const docURL = "file:///openapi.json"

type docRoute struct {
	method, template string
	pattern          *regexp.Regexp
	literal          int // literal segments: /numbers/available beats /numbers/{id}
}

type docValidator struct {
	doc    map[string]any
	routes []docRoute

	mu       sync.Mutex
	compiler *jsonschema.Compiler
	schemas  map[string]*jsonschema.Schema
}

var templateParam = regexp.MustCompile(`\{[^/]+\}`)

func newDocValidator() (*docValidator, error) {
	raw, err := api.OpenAPIDocument()
	if err != nil {
		return nil, err
	}
	value, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	doc := value.(map[string]any)
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(docURL, value); err != nil {
		return nil, err
	}
	v := &docValidator{doc: doc, compiler: c, schemas: map[string]*jsonschema.Schema{}}
	for template, ops := range doc["paths"].(map[string]any) {
		pattern := regexp.MustCompile("^" + templateParam.ReplaceAllString(strings.ReplaceAll(template, ".", `\.`), "[^/]+") + "$")
		literal := strings.Count(template, "/") - len(templateParam.FindAllString(template, -1))
		for method := range ops.(map[string]any) {
			v.routes = append(v.routes, docRoute{method: method, template: template, pattern: pattern, literal: literal})
		}
	}
	sort.Slice(v.routes, func(i, j int) bool { return v.routes[i].literal > v.routes[j].literal })
	return v, nil
}

func (v *docValidator) route(method, path string) (docRoute, bool) {
	for _, r := range v.routes {
		if r.method == strings.ToLower(method) && r.pattern.MatchString(path) {
			return r, true
		}
	}
	return docRoute{}, false
}

func pointerEscape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// check says what about a response the document does not allow ("" when
// it matches).
func (v *docValidator) check(method, path string, status int, contentType string, body []byte) string {
	if method == http.MethodOptions {
		return "" // a CORS preflight, answered by the middleware for any route
	}
	r, ok := v.route(method, path)
	if !ok {
		if status == http.StatusNotFound || status == http.StatusMethodNotAllowed {
			return "" // a path the API does not serve, answered as such
		}
		return fmt.Sprintf("%s %s is not in the OpenAPI document", method, path)
	}
	op := v.doc["paths"].(map[string]any)[r.template].(map[string]any)[r.method].(map[string]any)
	responses := op["responses"].(map[string]any)
	resp, ok := responses[strconv.Itoa(status)].(map[string]any)
	if !ok {
		return fmt.Sprintf("%s %s answered %d, which the document does not list for it (%s)", method, r.template, status, body)
	}
	content, _ := resp["content"].(map[string]any)
	if len(body) == 0 && status == http.StatusNoContent {
		return ""
	}
	media, _, _ := mime.ParseMediaType(contentType)
	if _, ok := content[media]; !ok {
		return fmt.Sprintf("%s %s answered %d as %q, which the document does not list", method, r.template, status, media)
	}
	if media != "application/json" {
		return ""
	}
	loc := docURL + "#/paths/" + pointerEscape(r.template) + "/" + r.method + "/responses/" + strconv.Itoa(status) + "/content/application~1json/schema"
	s, err := v.schema(loc)
	if err != nil {
		return fmt.Sprintf("compiling the schema of %s %s %d: %v", method, r.template, status, err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Sprintf("%s %s %d: the body is not JSON: %v", method, r.template, status, err)
	}
	if err := s.Validate(inst); err != nil {
		return fmt.Sprintf("%s %s answered %d with a body the document does not allow: %v\nbody: %s", method, r.template, status, err, truncate(body))
	}
	return ""
}

func truncate(b []byte) string {
	if len(b) > 2000 {
		return string(b[:2000]) + "…"
	}
	return string(b)
}

func (v *docValidator) schema(loc string) (*jsonschema.Schema, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if s, ok := v.schemas[loc]; ok {
		return s, nil
	}
	s, err := v.compiler.Compile(loc)
	if err != nil {
		return nil, err
	}
	v.schemas[loc] = s
	return s, nil
}

// contractTransport checks each /api/v1 response against the document.
type contractTransport struct {
	next      http.RoundTripper
	validator *docValidator
}

func (t contractTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil || !api.Documented(req.URL.Path) {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if problem := t.validator.check(req.Method, req.URL.Path, resp.StatusCode, resp.Header.Get("Content-Type"), body); problem != "" {
		return nil, fmt.Errorf("OpenAPI contract: %s", problem)
	}
	return resp, nil
}

// installContractCheck puts the check into http.DefaultClient.
func installContractCheck() {
	v, err := newDocValidator()
	if err != nil {
		panic(err)
	}
	http.DefaultClient.Transport = contractTransport{next: http.DefaultTransport, validator: v}
}
