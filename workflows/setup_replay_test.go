package workflows_test

import (
	"testing"

	"github.com/snoutos/snout/contract"
	"github.com/snoutos/snout/workflows"
)

// setupHistories were recorded by api.TestSetupWizardEndToEnd on a real
// Temporal server with the real activities and the Twilio simulator:
//
//	SNOUT_RECORD_SETUP_HISTORY=1 bash scripts/test.sh -run TestSetupWizardEndToEnd ./api/
//
// The wizard's run covers every step (wrong then right credentials, a
// webhook failure retried, readiness); the provisioning run covers a
// purchase released again by compensation. A change that makes either
// workflow non-deterministic fails here. The _before_contract_types
// histories were recorded while the setup activities still answered with
// their own copies of the wizard's types (same JSON, fewer fields).
var setupHistories = []string{
	"testdata/setup_wizard.json",
	"testdata/provision_pool_compensated.json",
	"testdata/setup_wizard_before_contract_types.json",
	"testdata/provision_pool_compensated_before_contract_types.json",
}

func TestSetupAndProvisionReplay(t *testing.T) {
	replayHistories(t, setupHistories,
		replayable{workflows.SetupWorkflow, contract.SetupWorkflowName},
		replayable{workflows.ProvisionNumbersWorkflow, contract.ProvisionNumbersWorkflowName})
}
