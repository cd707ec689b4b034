package worker

import (
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"strconv"
	"testing"

	"github.com/snoutos/snout/activities"
	"github.com/snoutos/snout/internal/twilio/twiliowebhook"
	"github.com/snoutos/snout/workflows/steps"
)

// Workflows call activities by the names in package steps. A name that is
// not a method of *activities.Activities would fail only at run time, with
// the workflow stuck retrying an unknown activity; this catches it at once.
func TestEveryActivityNameWorkflowsUseIsRegistered(t *testing.T) {
	methods := map[string]bool{}
	typ := reflect.TypeOf(&activities.Activities{})
	for i := range typ.NumMethod() {
		methods[typ.Method(i).Name] = true
	}
	f, err := parser.ParseFile(token.NewFileSet(), "../workflows/steps/names.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, sp := range gd.Specs {
			vs := sp.(*ast.ValueSpec)
			for i, n := range vs.Names {
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok || n.Name == "ReceiptKindSMS" || n.Name == "ReceiptKindStatus" {
					continue
				}
				name, _ := strconv.Unquote(lit.Value)
				if !methods[name] {
					t.Errorf("steps.%s = %q is not a method of *activities.Activities", n.Name, name)
				}
				checked++
			}
		}
	}
	if checked < 30 {
		t.Fatalf("checked only %d activity names; the names file moved?", checked)
	}
	if steps.ReceiptKindSMS != twiliowebhook.KindSMS || steps.ReceiptKindStatus != twiliowebhook.KindStatus {
		t.Fatalf("the sweep's receipt kinds (%q, %q) differ from what the webhook stores (%q, %q)",
			steps.ReceiptKindSMS, steps.ReceiptKindStatus, twiliowebhook.KindSMS, twiliowebhook.KindStatus)
	}
}
