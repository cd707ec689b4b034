// Package correlation carries the correlation ID of a request (an API call,
// a Twilio webhook) from the process that received it through Temporal:
// into the workflow it starts, the activities and child workflows that
// workflow runs, and their logs and audit events. It travels in Temporal
// headers (a context propagator), not as a field of every input.
//
// It imports no database or Twilio code, so workflows can use it.
package correlation

import (
	"context"

	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/workflow"
)

type ctxKey struct{}

// HeaderKey is the Temporal header that carries the ID.
const HeaderKey = "snout-correlation-id"

// With stores id in ctx.
func With(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, ctxKey{}, id)
}

// ID is the correlation ID in ctx, or "".
func ID(ctx context.Context) string {
	id, _ := ctx.Value(ctxKey{}).(string)
	return id
}

// FromWorkflow is the correlation ID of the request that started (or
// last reached) the workflow, or "" (a scheduled run, or a history
// recorded before the header existed).
func FromWorkflow(ctx workflow.Context) string {
	id, _ := ctx.Value(ctxKey{}).(string)
	return id
}

// WithWorkflow stores id in a workflow context (tests, and a workflow that
// acts for a request it received as data).
func WithWorkflow(ctx workflow.Context, id string) workflow.Context {
	return workflow.WithValue(ctx, ctxKey{}, id)
}

// Propagator moves the ID between Go contexts, workflow contexts and
// Temporal headers. Register it on every client (API, worker, tests).
type Propagator struct{}

var _ workflow.ContextPropagator = Propagator{}

var dc = converter.GetDefaultDataConverter()

func write(w workflow.HeaderWriter, id string) error {
	if id == "" {
		return nil
	}
	p, err := dc.ToPayload(id)
	if err != nil {
		return err
	}
	w.Set(HeaderKey, p)
	return nil
}

func read(r workflow.HeaderReader) (string, bool, error) {
	p, ok := r.Get(HeaderKey)
	if !ok {
		return "", false, nil
	}
	var id string
	if err := dc.FromPayload(p, &id); err != nil {
		return "", false, err
	}
	return id, id != "", nil
}

// Inject writes the ID of a Go context (a request) into the headers of a
// workflow start, signal, update or query.
func (Propagator) Inject(ctx context.Context, w workflow.HeaderWriter) error {
	return write(w, ID(ctx))
}

// Extract reads the ID into an activity's context.
func (Propagator) Extract(ctx context.Context, r workflow.HeaderReader) (context.Context, error) {
	id, ok, err := read(r)
	if err != nil || !ok {
		return ctx, err
	}
	return With(ctx, id), nil
}

// InjectFromWorkflow writes the workflow's ID into the headers of the
// activities and child workflows it starts.
func (Propagator) InjectFromWorkflow(ctx workflow.Context, w workflow.HeaderWriter) error {
	return write(w, FromWorkflow(ctx))
}

// ExtractToWorkflow reads the ID into the workflow's context.
func (Propagator) ExtractToWorkflow(ctx workflow.Context, r workflow.HeaderReader) (workflow.Context, error) {
	id, ok, err := read(r)
	if err != nil || !ok {
		return ctx, err
	}
	return WithWorkflow(ctx, id), nil
}

// Propagators is the list to give client.Options.ContextPropagators.
func Propagators() []workflow.ContextPropagator { return []workflow.ContextPropagator{Propagator{}} }
