package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"github.com/snoutos/snout/dev/testenv"
	"github.com/snoutos/snout/internal/platform/auth"
	"github.com/snoutos/snout/internal/store"
)

func TestOrgCreateMakesABusinessReadyToSignIn(t *testing.T) {
	bdb, _ := testenv.DB(t)
	st := store.New(bdb)
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	t.Setenv("SNOUT_OWNER_PASSWORD", "")
	var out bytes.Buffer
	err := orgCreate(ctx, st, quiet, "https://snout.example", []string{"-name", "Hosted Hounds", "-timezone", "America/Denver",
		"-owner-name", "Ari Host", "-owner-email", "ari@hosted.example"}, &out)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`password .*: (\S+)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no generated password printed:\n%s", out.String())
	}
	u, err := st.UserByEmail(ctx, "ari@hosted.example")
	if err != nil || u.DisabledAt != nil {
		t.Fatalf("owner = %+v (%v), want enabled", u, err)
	}
	if ok, _ := auth.CheckPassword(u.PasswordHash, m[1]); !ok {
		t.Error("the printed password is not the owner's")
	}
	mem, err := st.PrimaryMembership(ctx, u.ID)
	if err != nil || mem.Role != store.RoleOwner {
		t.Fatalf("membership = %+v (%v)", mem, err)
	}
	if org, _ := st.OrgByID(ctx, mem.OrgID); org.Timezone != "America/Denver" {
		t.Errorf("org = %+v", org)
	}

	err = orgCreate(ctx, st, quiet, "https://snout.example", []string{"-name", "", "-timezone", "Nowhere", "-owner-email", "ari@hosted.example"}, &out)
	if err == nil || !strings.Contains(err.Error(), "-timezone") || !strings.Contains(err.Error(), "-name") || !strings.Contains(err.Error(), "-owner-name") {
		t.Errorf("bad flags: %v", err)
	}
}
