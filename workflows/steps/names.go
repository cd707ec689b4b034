package steps

// Activity names: the method names of activities.Activities as the worker
// registers them. Workflows call activities by these names so that they
// never link the implementations (and their database and Twilio clients).
const (
	ApplyOptOutKeyword          = "ApplyOptOutKeyword"
	ApplyStatusReceipt          = "ApplyStatusReceipt"
	DeliveryApplyStatus         = "DeliveryApplyStatus"
	DeliveryDeadLetter          = "DeliveryDeadLetter"
	DeliveryDiscard             = "DeliveryDiscard"
	DeliveryFetchStatus         = "DeliveryFetchStatus"
	DeliveryRecovered           = "DeliveryRecovered"
	DeliveryResend              = "DeliveryResend"
	DeliverySend                = "DeliverySend"
	EnsureInboundThread         = "EnsureInboundThread"
	FindReceivingNumber         = "FindReceivingNumber"
	ListUndispatchedReceipts    = "ListUndispatchedReceipts"
	LoadInboundReceipt          = "LoadInboundReceipt"
	LoadRoutingContext          = "LoadRoutingContext"
	MarkInboundReceiptProcessed = "MarkInboundReceiptProcessed"
	MarkReceiptDispatched       = "MarkReceiptDispatched"
	NumberMarkReleased          = "NumberMarkReleased"
	NumberReleaseAtProvider     = "NumberReleaseAtProvider"
	ProvisionBuyNumber          = "ProvisionBuyNumber"
	ProvisionImportNumber       = "ProvisionImportNumber"
	ProvisionInstallWebhook     = "ProvisionInstallWebhook"
	ProvisionMarkWebhookFailed  = "ProvisionMarkWebhookFailed"
	ProvisionRecordNumber       = "ProvisionRecordNumber"
	ProvisionReleaseNumber      = "ProvisionReleaseNumber"
	QuarantineBegin             = "QuarantineBegin"
	QuarantineFinish            = "QuarantineFinish"
	QuarantineMoveThreads       = "QuarantineMoveThreads"
	QuarantinePrepareNotice     = "QuarantinePrepareNotice"
	QuarantineReleaseFailed     = "QuarantineReleaseFailed"
	QuarantineSendNotices       = "QuarantineSendNotices"
	WindowActivate              = "WindowActivate"
	WindowApplyEdit             = "WindowApplyEdit"
	WindowFinish                = "WindowFinish"
	WindowNotifyClient          = "WindowNotifyClient"
	RecordInboundAudit          = "RecordInboundAudit"
	RedriveReceipts             = "RedriveReceipts"
	ResumeWindows               = "ResumeWindows"
	ResolveInboundClient        = "ResolveInboundClient"
	SendHelpReply               = "SendHelpReply"
	SetupCheckConnectivity      = "SetupCheckConnectivity"
	SetupCheckReadiness         = "SetupCheckReadiness"
	SetupConnectProvider        = "SetupConnectProvider"
	SetupListNumbers            = "SetupListNumbers"
	SetupSaveProgress           = "SetupSaveProgress"
	SetupSearchNumbers          = "SetupSearchNumbers"
	SetupOwnedNumbers           = "SetupOwnedNumbers"
	StoreInboundMessage         = "StoreInboundMessage"
)

// Webhook receipt kinds (webhook_receipts.kind), as twiliowebhook writes them.
const (
	ReceiptKindSMS    = "sms"
	ReceiptKindStatus = "status"
)

// Routing override activities.
const (
	OverrideEnd = "OverrideEnd"
)
