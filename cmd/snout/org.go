package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/snoutos/snout/internal/errs"
	"github.com/snoutos/snout/internal/store"
	"github.com/snoutos/snout/service"
	"github.com/snoutos/snout/service/signup"
)

// orgCreate is `snout org create`: a business and its owner for a hosted
// install, able to sign in at once (the operator vouches for the email,
// so there is no verification step). The owner's password comes from
// SNOUT_OWNER_PASSWORD, or is generated and printed once.
func orgCreate(ctx context.Context, st *store.Store, log *slog.Logger, publicURL string, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("org create", flag.ContinueOnError)
	fs.SetOutput(out)
	name := fs.String("name", "", "the business's name (required)")
	tz := fs.String("timezone", "", "IANA time zone, such as America/New_York (required)")
	ownerName := fs.String("owner-name", "", "the owner's name (required)")
	ownerEmail := fs.String("owner-email", "", "the owner's email, their login (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	password, generated := os.Getenv("SNOUT_OWNER_PASSWORD"), false
	if password == "" {
		b := make([]byte, 15)
		if _, err := rand.Read(b); err != nil {
			return err
		}
		password, generated = base64.RawURLEncoding.EncodeToString(b), true
	}
	svc := &signup.Service{Store: st, Policy: signup.DefaultPolicy(publicURL), Now: time.Now, Log: log, Auditor: service.Auditor{Store: st, Log: log}}
	b, err := svc.CreateOrg(ctx, signup.Form{OrgName: *name, TimeZone: *tz, OwnerName: *ownerName, Email: *ownerEmail, Password: password})
	if r, ok := errs.As(err); ok && len(r.Fields) > 0 {
		flags := map[string]string{"orgName": "-name", "timeZone": "-timezone", "ownerName": "-owner-name", "email": "-owner-email", "password": "SNOUT_OWNER_PASSWORD"}
		var lines []string
		for f, msg := range r.Fields {
			lines = append(lines, fmt.Sprintf("  %s: %s", flags[f], msg))
		}
		sort.Strings(lines)
		return errors.New("org create:\n" + strings.Join(lines, "\n"))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Created %q (org %s, slug %s, time zone %s).\n", b.Org.Name, b.Org.ID, b.Org.Slug, b.Org.Timezone)
	fmt.Fprintf(out, "Owner %s <%s> can sign in at %s now; the setup wizard comes first.\n", b.Owner.Name, b.Owner.Email, publicURL)
	if generated {
		fmt.Fprintf(out, "Owner's password (shown once; set SNOUT_OWNER_PASSWORD to choose one): %s\n", password)
	}
	return nil
}
