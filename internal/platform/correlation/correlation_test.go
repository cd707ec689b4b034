package correlation

import (
	"context"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
)

type header map[string]*commonpb.Payload

func (h header) Set(k string, p *commonpb.Payload) { h[k] = p }
func (h header) Get(k string) (*commonpb.Payload, bool) {
	p, ok := h[k]
	return p, ok
}
func (h header) ForEachKey(fn func(string, *commonpb.Payload) error) error {
	for k, p := range h {
		if err := fn(k, p); err != nil {
			return err
		}
	}
	return nil
}

func TestTheIDCrossesTheHeader(t *testing.T) {
	h := header{}
	if err := (Propagator{}).Inject(With(context.Background(), "req-42"), h); err != nil {
		t.Fatal(err)
	}
	ctx, err := (Propagator{}).Extract(context.Background(), h)
	if err != nil {
		t.Fatal(err)
	}
	if got := ID(ctx); got != "req-42" {
		t.Errorf("extracted %q, want req-42", got)
	}
}

func TestNoIDWritesNoHeader(t *testing.T) {
	h := header{}
	if err := (Propagator{}).Inject(context.Background(), h); err != nil {
		t.Fatal(err)
	}
	if len(h) != 0 {
		t.Errorf("header %v, want none for a context without an ID", h)
	}
	ctx, err := (Propagator{}).Extract(context.Background(), h)
	if err != nil || ID(ctx) != "" {
		t.Errorf("extracted %q, %v from an empty header", ID(ctx), err)
	}
}
