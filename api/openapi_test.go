package api

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"testing"
)

var updateOpenAPI = flag.Bool("update-openapi", false, "write api/openapi.json (make openapi)")

// TestOpenAPIFileIsCurrent fails when api/openapi.json is not the document
// the router describes; make openapi rewrites it.
func TestOpenAPIFileIsCurrent(t *testing.T) {
	doc, err := OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	doc = append(doc, '\n')
	if *updateOpenAPI {
		if err := os.WriteFile("openapi.json", doc, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	file, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatalf("api/openapi.json: %v (run make openapi)", err)
	}
	if !bytes.Equal(file, doc) {
		t.Fatal("api/openapi.json is stale: run make openapi and commit it")
	}
}

// TestOpenAPIMatchesRouter fails when the router registers a /api/v1 route
// the document lacks, or the document lists one the router lacks.
func TestOpenAPIMatchesRouter(t *testing.T) {
	raw, err := OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[method+" "+path] = true
		}
	}
	s := serverForDocument(t)
	registered := map[string]bool{}
	for _, r := range s.engine.Routes() { // Gin's own table: what is actually served
		if !Documented(r.Path) {
			continue
		}
		key := lower(r.Method) + " " + openAPIPath(r.Path)
		registered[key] = true
		if !documented[key] {
			t.Errorf("the router serves %s %s but the OpenAPI document lacks it", r.Method, r.Path)
		}
	}
	for key := range documented {
		if !registered[key] {
			t.Errorf("the OpenAPI document lists %s but the router does not serve it", key)
		}
	}
	if len(registered) < 50 {
		t.Errorf("only %d /api/v1 routes registered; the comparison is not seeing the router", len(registered))
	}
}

func lower(s string) string { return string(bytes.ToLower([]byte(s))) }

func serverForDocument(t *testing.T) *Server {
	t.Helper()
	doc, err := OpenAPIDocument()
	if err != nil || len(doc) == 0 {
		t.Fatal(err)
	}
	s, err := newForDocument()
	if err != nil {
		t.Fatal(err)
	}
	return s
}
