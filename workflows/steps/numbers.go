package steps

import "github.com/google/uuid"

// ErrTypeNumberReleaseRejected: the provider refused to take the number
// back (the same refusal as any other provider call's).
const ErrTypeNumberReleaseRejected = ErrTypeProviderRejected

// NumberReleaseAtProviderInput gives one number back to the provider.
type NumberReleaseAtProviderInput struct {
	OrgID    uuid.UUID `json:"orgId"`
	NumberID uuid.UUID `json:"numberId"`
}

// NumberReleaseAtProviderResult says whether the provider still held the number.
type NumberReleaseAtProviderResult struct {
	Released bool `json:"released"`
}

// NumberMarkReleasedInput records a plain (not quarantined) release.
type NumberMarkReleasedInput struct {
	OrgID       uuid.UUID `json:"orgId"`
	NumberID    uuid.UUID `json:"numberId"`
	ActorUserID uuid.UUID `json:"actorUserId"`

	// ReleasedAtProvider is false when the provider no longer had it.
	ReleasedAtProvider bool `json:"releasedAtProvider"`
}
