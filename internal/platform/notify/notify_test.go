package notify

import (
	"context"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/snoutos/snout/dev/testenv"
	"github.com/snoutos/snout/internal/store"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// A relay that accepts the connection and then says nothing fails the send
// within the timeout, and the email stays in the outbox with the error.
func TestAHangingRelayFailsTheSendInsteadOfHoldingIt(t *testing.T) {
	bdb, _ := testenv.DB(t)
	st := store.New(bdb)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // held open, silent
		}
	}()
	old := smtpTimeout
	smtpTimeout = 300 * time.Millisecond
	t.Cleanup(func() { smtpTimeout = old })

	n := New(st, SMTP{Addr: ln.Addr().String(), From: "Snout <no-reply@snout.test>"}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	start := time.Now()
	err = n.Send(context.Background(), Email{To: "owner@demo.test", Subject: "Reset your Snout password", Body: "link"})
	if err == nil {
		t.Fatal("a silent relay accepted the email")
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the send took %v, want it bounded by the timeout", took)
	}
	var row store.OutboxEmail
	if err := bdb.NewSelect().Model(&row).Where("to_email = ?", "owner@demo.test").Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	if row.SentAt != nil || !strings.Contains(row.Error, "timeout") {
		t.Errorf("outbox row sent %v, error %q; want unsent with a timeout error", row.SentAt, row.Error)
	}
}
