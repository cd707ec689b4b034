// Package bench measures Snout on this machine: inbox list and search
// latency on a large dataset, and the inbound webhook pipeline (signed
// webhooks → API → Temporal → PostgreSQL) against the floor of writing the
// same rows straight to PostgreSQL.
package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Dataset sizes required by the messaging issue.
const (
	DatasetThreads  = 100_000
	DatasetMessages = 1_000_000
)

// datasetVersion marks a complete dataset of the current shape; a change to
// the generator bumps it so old datasets are rebuilt.
const datasetVersion = "bench dataset v2: valid NANP numbers"

// BenchOrgID is the org holding the large dataset.
var BenchOrgID = uuid.MustParse("0b0b0b0b-0000-4000-8000-00000000b0b0")

var phrases = []string{
	"Biscuit ate all his breakfast", "we just got back from a long walk", "the litter box is clean",
	"can you water the plants too", "Luna was a little shy at first", "left the spare key under the mat",
	"running ten minutes late sorry", "he loves the squeaky duck toy", "medication is on the counter",
	"please give her a half tablet with dinner", "the vet appointment is on Thursday", "thanks so much for the photos",
	"the cat hid under the bed again", "we are back on Sunday evening", "can you add an extra visit",
	"the dog park was busy today", "fresh water and food topped up", "she barked at the mail carrier",
	"the gate latch sticks a bit", "booking for the holidays please", "Pepper said hello in parrot",
	"all good here sleeping on the couch", "brushed her coat after the walk", "the leash is by the door",
}

var pets = []string{"Biscuit", "Luna", "Mochi", "Pixel", "Pepper", "Milo", "Bella", "Charlie", "Daisy", "Rocky", "Nala", "Ziggy"}

// EnsureDataset creates the large dataset once (about a minute on two
// cores); later runs find it and return at once.
func EnsureDataset(ctx context.Context, db *bun.DB, logf func(string, ...any)) error {
	var version string
	_ = db.NewRaw("SELECT help_text FROM orgs WHERE id = ?", BenchOrgID).Scan(ctx, &version)
	if version == datasetVersion {
		return nil
	}
	start := time.Now()
	logf("generating %d threads and %d messages (once)…", DatasetThreads, DatasetMessages)
	stmts := []string{
		`DELETE FROM orgs WHERE id = '` + BenchOrgID.String() + `'`,
		`INSERT INTO orgs (id, name, slug, help_text) VALUES ('` + BenchOrgID.String() + `', 'Bench Pet Care', 'bench', 'in progress')`,
		`INSERT INTO sitters (id, org_id, name, phone_e164)
		 SELECT md5('bench-sitter-' || i)::uuid, '` + BenchOrgID.String() + `', 'Sitter ' || i || ' ' || (ARRAY['Patel','Brooks','Garcia','Kim','Lopez','Nakamura'])[1 + i % 6], '+1628' || (2000000 + i)::text
		 FROM generate_series(1, 200) i`,
		`INSERT INTO phone_numbers (id, org_id, e164, class, status, sitter_id, webhook_status)
		 SELECT md5('bench-number-' || i)::uuid, '` + BenchOrgID.String() + `', '+162955' || lpad(i::text, 5, '0'),
		        CASE WHEN i = 0 THEN 'front_desk' WHEN i <= 200 THEN 'sitter' ELSE 'pool' END, 'active',
		        CASE WHEN i BETWEEN 1 AND 200 THEN md5('bench-sitter-' || i)::uuid END, 'verified'
		 FROM generate_series(0, 250) i`,
		`INSERT INTO clients (id, org_id, name, phone_e164)
		 SELECT md5('bench-client-' || i)::uuid, '` + BenchOrgID.String() + `',
		        (ARRAY['Avery','Blake','Casey','Dana','Emerson','Frankie','Gray','Harper','Indigo','Jordan','Kai','Logan'])[1 + i % 12] || ' ' ||
		        (ARRAY['Johnson','Martinez','Nguyen','Okafor','Lee','Rossi','Williams','Singh','Cohen','Dubois','Ibrahim','Tanaka'])[1 + (i / 12) % 12] || ' ' || i,
		        '+1630' || (2000000 + i)::text
		 FROM generate_series(1, ` + fmt.Sprint(DatasetThreads) + `) i`,
		`INSERT INTO threads (id, org_id, client_id, number_id, assigned_sitter_id, last_message_at, last_message_preview, owner_unread_count, open_violations, failed_deliveries)
		 SELECT md5('bench-thread-' || i)::uuid, '` + BenchOrgID.String() + `', md5('bench-client-' || i)::uuid, md5('bench-number-' || (i % 251))::uuid,
		        CASE WHEN i % 251 BETWEEN 1 AND 200 THEN md5('bench-sitter-' || (i % 251))::uuid END,
		        now() - (i || ' minutes')::interval, 'latest message', CASE WHEN i % 7 = 0 THEN 1 + i % 3 ELSE 0 END,
		        CASE WHEN i % 97 = 0 THEN 1 ELSE 0 END, CASE WHEN i % 89 = 0 THEN 1 ELSE 0 END
		 FROM generate_series(1, ` + fmt.Sprint(DatasetThreads) + `) i`,
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("dataset: %w", err)
		}
	}
	per := DatasetMessages / DatasetThreads
	// Messages in batches so progress is visible and memory bounded.
	const batch = 10_000
	for from := 1; from <= DatasetThreads; from += batch {
		to := from + batch - 1
		_, err := db.NewRaw(`
INSERT INTO messages (id, org_id, thread_id, direction, sender_type, body, status, from_e164, to_e164, created_at, updated_at, media)
SELECT md5('bench-message-' || t || '-' || k)::uuid, ?, md5('bench-thread-' || t)::uuid,
       CASE WHEN k % 2 = 0 THEN 'inbound' ELSE 'outbound' END,
       CASE WHEN k % 2 = 0 THEN 'client' ELSE 'owner' END,
       (?::text[])[1 + (t * 7 + k) % ?] || ', ' || (?::text[])[1 + (t * 13 + k * 3) % ?] || ' - ' || (?::text[])[1 + (t + k) % ?],
       CASE WHEN k % 2 = 0 THEN 'received' ELSE 'delivered' END,
       '+1630' || (2000000 + t)::text, '+162955' || lpad((t % 251)::text, 5, '0'),
       now() - (t || ' minutes')::interval - ((? - k) || ' seconds')::interval,
       now() - (t || ' minutes')::interval, '[]'::jsonb
FROM generate_series(?, ?) t, generate_series(1, ?) k`,
			BenchOrgID, pgArray(phrases), len(phrases), pgArray(phrases), len(phrases), pgArray(pets), len(pets), per, from, to, per).Exec(ctx)
		if err != nil {
			return fmt.Errorf("dataset messages: %w", err)
		}
		if (from-1)%(batch*5) == 0 {
			logf("  messages for threads %d–%d written", from, to)
		}
	}
	if _, err := db.NewRaw("UPDATE orgs SET help_text = ? WHERE id = ?", datasetVersion, BenchOrgID).Exec(ctx); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, "ANALYZE"); err != nil {
		return err
	}
	logf("dataset ready in %s", time.Since(start).Round(time.Second))
	return nil
}

func pgArray(items []string) string {
	out := "{"
	for i, s := range items {
		if i > 0 {
			out += ","
		}
		out += `"` + s + `"`
	}
	return out + "}"
}
