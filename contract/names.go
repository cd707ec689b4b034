package contract

import (
	"time"

	"github.com/google/uuid"
)

// Workflow type names registered by the worker, for callers that start
// workflows by name.

// DeliveryWorkflowName is the registered type name of DeliveryWorkflow.
const DeliveryWorkflowName = "DeliveryWorkflow"

// InboundWorkflowName is the registered type name of InboundWorkflow.
const InboundWorkflowName = "InboundWorkflow"

// NumberSearchWorkflowName is the registered type name of
// NumberSearchWorkflow.
const NumberSearchWorkflowName = "NumberSearchWorkflow"

// NumberSearchWorkflowID names one search of numbers for sale.
func NumberSearchWorkflowID(orgID uuid.UUID, requestID string) string {
	return "number-search-" + orgID.String() + "-" + requestID
}

// NumberSearchInput asks which numbers are for sale, for the inventory's
// "buy" action (the setup wizard searches through its own update).
type NumberSearchInput struct {
	OrgID uuid.UUID `json:"orgId"`
	NumberSearchQuery
}

// ErrTypeNumberSearchRefused marks a search the provider refused; the
// message is plain language.
const ErrTypeNumberSearchRefused = "NumberSearchRefused"

// ReceiptSweepWorkflowName is the registered type name of
// ReceiptSweepWorkflow.
const ReceiptSweepWorkflowName = "ReceiptSweepWorkflow"

// ReceiptSweepScheduleID is the Temporal Schedule that runs the sweep.
const ReceiptSweepScheduleID = "webhook-receipt-sweep"

// SweepInput bounds one sweep.
type SweepInput struct {
	// MinAge leaves alone receipts younger than this (their webhook
	// handler may still be dispatching them). The schedule uses 30s.
	MinAge time.Duration `json:"minAge"`
	// Limit is the most receipts one run re-drives (default 100).
	Limit int `json:"limit"`
}

// SweepResult counts what one sweep did.
type SweepResult struct {
	Found int `json:"found"`
	// Started inbound workflows; AlreadyStarted ones had been started by
	// the webhook handler, whose bookkeeping did not finish.
	Started        int `json:"started"`
	AlreadyStarted int `json:"alreadyStarted"`
	// Signalled delivery workflows; Applied status callbacks went straight
	// to the database because their delivery workflow had finished.
	Signalled int `json:"signalled"`
	Applied   int `json:"applied"`
	// Unknown status callbacks name no message Snout sent.
	Unknown int `json:"unknown"`
	// Failed receipts stay for the next run.
	Failed int `json:"failed"`
}
