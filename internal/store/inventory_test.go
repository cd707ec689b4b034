package store

import (
	"context"
	"testing"

	"github.com/snoutos/snout/dev/testenv"
	"github.com/snoutos/snout/internal/domain/numbers"
)

// The inventory filters and sorts by health in SQL; the dashboard explains
// it with numbers.Health. Both must give every number the same level.
func TestHealthCaseAgreesWithTheDomainRule(t *testing.T) {
	bdb, _ := testenv.DB(t)
	ctx := context.Background()
	health, args := healthCase()
	for attempts := 0; attempts <= 40; attempts++ {
		for failed := 0; failed <= attempts && failed <= 6; failed++ {
			for storm := 0; storm <= failed && storm <= 4; storm++ {
				var got string
				q := "SELECT " + health + " FROM (SELECT ?::int AS attempts_7d, ?::int AS failed_7d, ?::int AS storm_7d) AS v"
				if err := bdb.NewRaw(q, append(append([]any{}, args...), attempts, failed, storm)...).Scan(ctx, &got); err != nil {
					t.Fatal(err)
				}
				if want := numbers.Health(attempts, failed, storm); got != want {
					t.Errorf("%d attempts, %d failed, %d reputation failures: SQL says %s, the rule says %s", attempts, failed, storm, got, want)
				}
			}
		}
	}
}
