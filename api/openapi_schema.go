package api

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/google/uuid"
)

// JSON Schemas of the API's Go types, by reflection, following what
// encoding/json writes: a field's name is its json tag (or the Go name),
// "-" and unexported fields are left out, embedded structs are flattened,
// a field without omitempty is always present (required), a pointer
// without omitempty may be null, time.Time is a date-time string and
// uuid.UUID a uuid string. A field whose domain has a closed set of values
// declares it with schemaEnum beside the view.

// enumKey names one field of one Go type by its JSON name.
type enumKey struct {
	t     reflect.Type
	field string
}

var (
	enumsMu sync.Mutex
	enums   = map[enumKey][]string{}
)

// schemaEnum declares the closed set of values of T's field (by its JSON
// name), from the domain's constants:
//
//	var _ = schemaEnum[WindowView]("status", windows.StatusScheduled, …)
//
// Declaring a field T does not have panics when the document is built.
func schemaEnum[T any](field string, values ...string) bool {
	enumsMu.Lock()
	defer enumsMu.Unlock()
	enums[enumKey{reflect.TypeFor[T](), field}] = values
	return true
}

func enumOf(t reflect.Type, field string) []string {
	enumsMu.Lock()
	defer enumsMu.Unlock()
	return enums[enumKey{t, field}]
}

type schema = map[string]any

// schemaMode: a response's schema lists every field that is always
// written as required; a request's lists only those tagged
// `required:"true"` (the handlers validate the rest with their own
// messages).
type schemaMode int

const (
	modeResponse schemaMode = iota
	modeRequest
)

// schemaSet collects the named schemas (components/schemas) of a
// document.
type schemaSet struct {
	defs  map[string]schema
	names map[typeMode]string
	used  map[string]typeMode
}

type typeMode struct {
	t    reflect.Type
	mode schemaMode
}

func newSchemaSet() *schemaSet {
	return &schemaSet{defs: map[string]schema{}, names: map[typeMode]string{}, used: map[string]typeMode{}}
}

var (
	timeType      = reflect.TypeFor[time.Time]()
	uuidType      = reflect.TypeFor[uuid.UUID]()
	rawType       = reflect.TypeFor[json.RawMessage]()
	marshalerType = reflect.TypeFor[json.Marshaler]()
	textType      = reflect.TypeFor[encoding.TextMarshaler]()
)

// of is the schema of values of v's type (a $ref for named structs).
func (s *schemaSet) of(v any, mode schemaMode) schema {
	return s.schemaFor(reflect.TypeOf(v), mode)
}

func (s *schemaSet) schemaFor(t reflect.Type, mode schemaMode) schema {
	switch t {
	case timeType:
		return schema{"type": "string", "format": "date-time"}
	case uuidType:
		return schema{"type": "string", "format": "uuid"}
	case rawType:
		return schema{"description": "Any JSON value."}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return s.schemaFor(t.Elem(), mode)
	case reflect.Interface:
		return schema{}
	}
	if t.Implements(marshalerType) || reflect.PointerTo(t).Implements(marshalerType) {
		return schema{"description": "Any JSON value."}
	}
	if t.Implements(textType) {
		return schema{"type": "string"}
	}
	switch t.Kind() {
	case reflect.String:
		return schema{"type": "string"}
	case reflect.Bool:
		return schema{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return schema{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return schema{"type": "number"}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return schema{"type": "string", "contentEncoding": "base64"}
		}
		return schema{"type": "array", "items": s.schemaFor(t.Elem(), mode)}
	case reflect.Map:
		return schema{"type": "object", "additionalProperties": s.schemaFor(t.Elem(), mode)}
	case reflect.Struct:
		if t.Name() == "" {
			return s.structSchema(t, mode)
		}
		return schema{"$ref": "#/components/schemas/" + s.named(t, mode)}
	}
	panic(fmt.Sprintf("openapi: no JSON schema for Go type %s", t))
}

// named registers t's schema under a component name and returns it.
func (s *schemaSet) named(t reflect.Type, mode schemaMode) string {
	key := typeMode{t, mode}
	if n, ok := s.names[key]; ok {
		return n
	}
	base := componentName(t.Name())
	name := base
	for i := 0; ; i++ {
		switch {
		case i == 1 && mode == modeRequest:
			name = base + "Input"
		case i == 1:
			name = exportedName(pkgName(t)) + base
		case i > 1:
			name = fmt.Sprintf("%s%d", base, i)
		}
		if _, taken := s.used[name]; !taken {
			break
		}
	}
	s.names[key], s.used[name] = name, key
	s.defs[name] = schema{} // placeholder: recursive types refer to it
	s.defs[name] = s.structSchema(t, mode)
	return name
}

func pkgName(t reflect.Type) string {
	p := t.PkgPath()
	return p[strings.LastIndex(p, "/")+1:]
}

func exportedName(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// componentName makes a Go type name (a generic's too) a valid component
// name.
func componentName(n string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' {
			return r
		}
		return -1
	}, n)
}

// jsonField is one field as encoding/json writes it.
type jsonField struct {
	name      string
	typ       reflect.Type
	omitEmpty bool
	required  bool // request mode: tagged required:"true"
	owner     reflect.Type
}

// jsonFields lists t's fields as encoding/json sees them, embedded
// structs flattened (an outer field hides an inner one of the same name).
func jsonFields(t reflect.Type) []jsonField {
	var out []jsonField
	seen := map[string]bool{}
	var walk func(t reflect.Type)
	var embedded []reflect.Type
	walk = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			ft := f.Type
			if f.Anonymous && name == "" {
				et := ft
				if et.Kind() == reflect.Pointer {
					et = et.Elem()
				}
				if et.Kind() == reflect.Struct {
					embedded = append(embedded, et)
					continue
				}
			}
			if !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if seen[name] {
				continue
			}
			seen[name] = true
			out = append(out, jsonField{name: name, typ: ft, omitEmpty: strings.Contains(","+opts+",", ",omitempty,") || strings.Contains(","+opts+",", ",omitzero,"),
				required: f.Tag.Get("required") == "true", owner: t})
		}
	}
	walk(t)
	for len(embedded) > 0 {
		next := embedded
		embedded = nil
		for _, et := range next {
			walk(et)
		}
	}
	return out
}

func (s *schemaSet) structSchema(t reflect.Type, mode schemaMode) schema {
	props := schema{}
	var required []string
	for _, f := range jsonFields(t) {
		fs := s.schemaFor(f.typ, mode)
		if values := enumOf(f.owner, f.name); values != nil {
			fs = withEnum(fs, values)
		}
		if f.typ.Kind() == reflect.Pointer && !f.omitEmpty {
			fs = nullable(fs)
		}
		props[f.name] = fs
		if (mode == modeResponse && !f.omitEmpty) || (mode == modeRequest && f.required) {
			required = append(required, f.name)
		}
	}
	out := schema{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		sort.Strings(required)
		out["required"] = required
	}
	return out
}

// withEnum restricts a string schema (or an array of strings) to values.
func withEnum(s schema, values []string) schema {
	if s["type"] == "array" {
		items, _ := s["items"].(schema)
		return schema{"type": "array", "items": withEnum(items, values)}
	}
	if s["type"] != "string" {
		panic(fmt.Sprintf("openapi: an enum on a non-string schema %v", s))
	}
	out := schema{"type": "string", "enum": values}
	return out
}

// nullable lets s be null too.
func nullable(s schema) schema {
	if typ, ok := s["type"].(string); ok {
		out := schema{}
		for k, v := range s {
			out[k] = v
		}
		out["type"] = []string{typ, "null"}
		if e, ok := s["enum"].([]string); ok {
			out["enum"] = append(append([]any{}, toAny(e)...), nil)
		}
		return out
	}
	return schema{"anyOf": []any{s, schema{"type": "null"}}}
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
