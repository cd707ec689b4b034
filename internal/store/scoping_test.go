package store_test

// The org-scoping rule, checked on the package's source: org-owned rows
// are reached only through OrgStore, whose helpers sel/upd/del add the org
// filter and ins checks the org of what is inserted. What goes around
// them is listed here, so that it cannot be added without being seen:
//
//   - every method of Store (which has no org) is named below with why it
//     needs no org;
//   - an OrgStore method that builds a query on the raw handle (o.db /
//     tx.db) must say which org it means: raw SQL names org_id and passes
//     the store's orgID, a raw insert sets OrgID from the store's orgID,
//     and raw SELECT/UPDATE/DELETE builders are not used at all;
//   - no other function or method of the package builds a query, except
//     the ones named below;
//   - every exported OrgStore method has a case in isolation_test.go;
//   - outside this package (dev/ and tests aside) nothing builds a query
//     but the places named in queriesElsewhere.

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// unscopedByDesign: the Store methods, each with why it takes no org.
var unscopedByDesign = map[string]string{
	"DB":                           "the handle, for transactions and health checks",
	"Tx":                           "a transaction; org-owned rows still go through Org",
	"Org":                          "the way to an OrgStore",
	"UserByEmail":                  "users are global (one login across orgs)",
	"UserByID":                     "users are global",
	"PrimaryMembership":            "finds the org a signing-in user belongs to",
	"MembershipFor":                "takes the org explicitly (isolation case Store.MembershipFor)",
	"OrgByID":                      "orgs themselves",
	"OrgBySlug":                    "orgs themselves",
	"CreateSession":                "sessions are keyed by token, before an org is chosen",
	"SessionByTokenHash":           "sessions are keyed by token",
	"RevokeSession":                "the session ID comes from the caller's own session",
	"RevokeUserSessions":           "users are global",
	"ThrottleStatus":               "login throttling, keyed by email or IP",
	"RecordFailure":                "login throttling",
	"ClearFailures":                "login throttling",
	"CreateResetToken":             "password resets belong to users",
	"ConsumeResetToken":            "password resets belong to users",
	"SetPassword":                  "users are global",
	"QueueEmail":                   "the outbox row carries its org (or none)",
	"MarkEmailSent":                "the mailer marks the row it has just sent",
	"AppendAudit":                  "takes the org explicitly (nil: no org yet, e.g. a failed login)",
	"ProviderAccountBySID":         "a webhook names its account: this discovers the org",
	"OrgsWithUndispatchedReceipts": "the receipt sweep discovers orgs, then reads each through its OrgStore",
	"OrgsWithOpenWindows":          "the window sweep discovers orgs, then reads each through its OrgStore",
	"NumberLiveInOtherOrg":         "answers only yes/no (isolation case Store.NumberLiveInOtherOrg)",
	"CreateBusiness":               "creates the org itself, with its owner and sign-up",
	"SignupInFlight":               "a sign-up is keyed by email before anyone can sign in to its org",
	"PendingSignupOfUser":          "users are global; tells a signing-in owner to verify first",
	"RenewSignup":                  "the sign-up ID comes from SignupInFlight for the email",
	"VerifySignup":                 "keyed by the emailed token, like password resets",
	"CreateUser":                   "users are global",
	"OutboxTo":                     "the development mailbox, keyed by the recipient (served only without SMTP on a local install)",
	"InvitationByToken":            "keyed by the emailed token; the invitation then names its org (joining goes through its OrgStore)",
}

// queryOutsideStores: functions and methods other than Store's and
// OrgStore's that build a query, each with why that is safe.
var queryOutsideStores = map[string]string{
	"estimateRows": "EXPLAINs a query that an OrgStore built with sel",
}

// notCovered: exported OrgStore methods without an isolation case.
var notCovered = map[string]string{
	"OrgID": "returns the store's org",
	"Tx":    "binds the same org to a transaction",
}

// scopingHelpers are the OrgStore helpers every other query goes through.
var scopingHelpers = map[string]bool{"sel": true, "upd": true, "del": true, "ins": true}

var queryBuilders = map[string]bool{"NewSelect": true, "NewInsert": true, "NewUpdate": true, "NewDelete": true, "NewRaw": true, "NewMerge": true, "NewValues": true}

type storeSource struct {
	fset    *token.FileSet
	funcs   []*ast.FuncDecl
	sources map[*ast.FuncDecl][]byte
}

func parseStore(t *testing.T) storeSource {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	src := storeSource{fset: token.NewFileSet(), sources: map[*ast.FuncDecl][]byte{}}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(src.fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok {
				src.funcs = append(src.funcs, fd)
			}
		}
	}
	if len(src.funcs) < 50 {
		t.Fatalf("found only %d functions in the store package", len(src.funcs))
	}
	return src
}

// receiver is "OrgStore", "Store", another type name, or "" for a function.
func receiver(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return ""
	}
	switch x := fd.Recv.List[0].Type.(type) {
	case *ast.StarExpr:
		if id, ok := x.X.(*ast.Ident); ok {
			return id.Name
		}
	case *ast.Ident:
		return x.Name
	}
	return "?"
}

// rawBuilds lists the query builders fd calls on a raw handle (x.db.NewRaw
// and the like) and, separately, any query builder it calls at all.
func rawBuilds(fd *ast.FuncDecl) (onRawHandle, any []string) {
	ast.Inspect(fd, func(n ast.Node) bool {
		c, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := c.Fun.(*ast.SelectorExpr)
		if !ok || !queryBuilders[sel.Sel.Name] {
			return true
		}
		any = append(any, sel.Sel.Name)
		if inner, ok := sel.X.(*ast.SelectorExpr); ok && inner.Sel.Name == "db" {
			onRawHandle = append(onRawHandle, sel.Sel.Name)
		}
		return true
	})
	return onRawHandle, any
}

// mentionsOrgFilter: a string literal in fd filters by org_id, and fd
// passes the store's orgID.
func mentionsOrgFilter(fd *ast.FuncDecl) bool {
	var literal, passes bool
	ast.Inspect(fd, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.BasicLit:
			if x.Kind == token.STRING && strings.Contains(x.Value, "org_id = ?") {
				literal = true
			}
		case *ast.SelectorExpr:
			if x.Sel.Name == "orgID" {
				passes = true
			}
		}
		return true
	})
	return literal && passes
}

// setsOrgFromStore: fd assigns the store's orgID to an OrgID field
// (x.OrgID = o.orgID, or OrgID: tx.orgID in a literal).
func setsOrgFromStore(fd *ast.FuncDecl) bool {
	isOrgID := func(e ast.Expr) bool {
		s, ok := e.(*ast.SelectorExpr)
		return ok && s.Sel.Name == "orgID"
	}
	found := false
	ast.Inspect(fd, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.AssignStmt:
			for i, l := range x.Lhs {
				if s, ok := l.(*ast.SelectorExpr); ok && s.Sel.Name == "OrgID" && i < len(x.Rhs) && isOrgID(x.Rhs[i]) {
					found = true
				}
			}
		case *ast.KeyValueExpr:
			if k, ok := x.Key.(*ast.Ident); ok && k.Name == "OrgID" && isOrgID(x.Value) {
				found = true
			}
		}
		return true
	})
	return found
}

func TestOrgScopingIsStructural(t *testing.T) {
	src := parseStore(t)
	seenStore := map[string]bool{}
	var handScoped []string
	for _, fd := range src.funcs {
		name := fd.Name.Name
		raw, builds := rawBuilds(fd)
		switch recv := receiver(fd); recv {
		case "Store":
			seenStore[name] = true
			if _, ok := unscopedByDesign[name]; !ok {
				t.Errorf("Store.%s reaches rows without an org: make it an OrgStore method, or say in unscopedByDesign why it needs no org", name)
			}
		case "OrgStore":
			if len(raw) == 0 {
				continue
			}
			if scopingHelpers[name] {
				if name != "ins" && !mentionsOrgFilter(fd) {
					t.Errorf("OrgStore.%s, a scoping helper, no longer filters by the store's org", name)
				}
				continue
			}
			handScoped = append(handScoped, name)
			for _, b := range raw {
				switch b {
				case "NewRaw":
					if !mentionsOrgFilter(fd) {
						t.Errorf("OrgStore.%s runs raw SQL that neither filters org_id nor passes the store's orgID", name)
					}
				case "NewInsert":
					if !setsOrgFromStore(fd) {
						t.Errorf("OrgStore.%s inserts on the raw handle without setting OrgID from the store's orgID (use ins)", name)
					}
				default:
					t.Errorf("OrgStore.%s calls %s on the raw handle: use sel, upd or del, which add the org filter", name, b)
				}
			}
		default:
			if len(builds) > 0 {
				label := name
				if recv != "" {
					label = recv + "." + name
				}
				if _, ok := queryOutsideStores[label]; !ok {
					t.Errorf("%s builds a query outside Store and OrgStore: move it onto OrgStore, or say in queryOutsideStores why it is safe", label)
				}
			}
		}
	}
	for name := range unscopedByDesign {
		if !seenStore[name] {
			t.Errorf("unscopedByDesign names Store.%s, which no longer exists", name)
		}
	}
	sort.Strings(handScoped)
	t.Logf("OrgStore methods that filter by org by hand (raw SQL or raw inserts): %s", strings.Join(handScoped, ", "))
}

func TestEveryOrgStoreFunctionHasAnIsolationCase(t *testing.T) {
	covered := map[string]bool{}
	for _, c := range idCases {
		covered[c.fn] = true
	}
	for _, c := range listCases {
		covered[c.fn] = true
	}
	for _, c := range customCases {
		covered[c.fn] = true
	}
	exists := map[string]bool{}
	for _, fd := range parseStore(t).funcs {
		name := fd.Name.Name
		switch receiver(fd) {
		case "OrgStore":
			exists[name] = true
			if !fd.Name.IsExported() {
				continue
			}
			if _, skip := notCovered[name]; !skip && !covered[name] {
				t.Errorf("OrgStore.%s has no case in isolation_test.go: add one proving org B's rows stay invisible to it", name)
			}
		case "Store":
			exists["Store."+name] = true
		}
	}
	for name := range covered {
		if !exists[name] {
			t.Errorf("isolation_test.go has a case for %s, which is not a store function", name)
		}
	}
}

// queriesElsewhere: the only places outside this package (and dev/, and
// tests) that build a query, each with why. Everything else reads and
// writes through Store and OrgStore, so the checks above cover every query
// of the product.
var queriesElsewhere = map[string]string{
	"api/server.go": "the health check's SELECT 1",
}

func TestNoQueriesOutsideTheStore(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	skip := map[string]bool{"internal/store": true, "dev": true, "web": true, "node_modules": true, ".git": true, "bin": true}
	found := map[string]bool{}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if skip[rel] || strings.HasPrefix(d.Name(), ".") && rel != "." {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if c, ok := n.(*ast.CallExpr); ok {
				if sel, ok := c.Fun.(*ast.SelectorExpr); ok && queryBuilders[sel.Sel.Name] {
					found[rel] = true
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for file := range found {
		if _, ok := queriesElsewhere[file]; !ok {
			t.Errorf("%s builds a query outside internal/store: put it behind a Store or OrgStore method so that it is org-scoped and tested, or say in queriesElsewhere why not", file)
		}
	}
	for file := range queriesElsewhere {
		if !found[file] {
			t.Errorf("queriesElsewhere names %s, which builds no query any more", file)
		}
	}
}
