// Package policies embeds Snout's Casbin model and policy and builds the
// enforcer the API's authorization middleware uses.
package policies

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	stringadapter "github.com/casbin/casbin/v2/persist/string-adapter"
	"github.com/casbin/casbin/v2/util"
)

//go:embed model.conf
var modelText string

// policy.csv holds the core lines; each feature may add its own *.csv
// beside it. All are loaded together.
//
//go:embed *.csv
var policyFiles embed.FS

func policyText() (string, error) {
	entries, err := fs.Glob(policyFiles, "*.csv")
	if err != nil {
		return "", err
	}
	sort.Strings(entries)
	var b strings.Builder
	for _, name := range entries {
		data, err := policyFiles.ReadFile(name)
		if err != nil {
			return "", err
		}
		for _, line := range strings.Split(string(data), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return b.String(), nil
}

// NewEnforcer loads the embedded model and policy.
func NewEnforcer() (*casbin.SyncedEnforcer, error) {
	m, err := model.NewModelFromString(modelText)
	if err != nil {
		return nil, fmt.Errorf("policies: model: %w", err)
	}
	text, err := policyText()
	if err != nil {
		return nil, fmt.Errorf("policies: %w", err)
	}
	e, err := casbin.NewSyncedEnforcer(m, stringadapter.NewAdapter(text))
	if err != nil {
		return nil, fmt.Errorf("policies: policy: %w", err)
	}
	// "*" in a role-inheritance line matches every org.
	e.AddNamedDomainMatchingFunc("g", "keyMatch", util.KeyMatch)
	if err := e.LoadPolicy(); err != nil {
		return nil, fmt.Errorf("policies: load: %w", err)
	}
	return e, nil
}
