// Package migrations holds the database schema as SQL files, embedded in the
// binary and applied by bun's migrator (`snout migrate`).
package migrations

import (
	"embed"

	"github.com/uptrace/bun/migrate"
)

//go:embed *.sql
var files embed.FS

// Migrations is the ordered set of schema migrations.
var Migrations = migrate.NewMigrations()

func init() {
	if err := Migrations.Discover(files); err != nil {
		panic(err)
	}
}
