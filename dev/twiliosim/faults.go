package twiliosim

import (
	"fmt"
	"slices"
)

// Fault modes.
const (
	// FaultOnCreate makes the REST create fail with the fault's code.
	FaultOnCreate = "create"
	// FaultOnCallback accepts the message, then fails it in a status callback.
	FaultOnCallback = "callback"
	// FaultOnUpdate makes IncomingPhoneNumber updates fail (NumberFault).
	FaultOnUpdate = "update"
	// FaultLoseResponse accepts and stores the message (it is delivered and
	// its callbacks sent as usual) but never answers the create request:
	// the connection is closed without a response, as when the answer is
	// lost on the way or the sender's process dies waiting for it. No
	// error code is needed.
	FaultLoseResponse = "lose_response"
)

// Fault makes sends to To fail. To "*" matches every destination. Times
// limits how many sends fail before they succeed again; zero means until
// cleared. Status chooses failed or undelivered for callback faults;
// empty picks what Twilio reports for the code.
type Fault struct {
	To        string `json:"to"`
	ErrorCode int    `json:"error_code"`
	Mode      string `json:"mode"`
	Times     int    `json:"times,omitempty"`
	Status    string `json:"status,omitempty"`
}

// NumberFault makes updates of the owned number PhoneNumber fail with
// ErrorCode, e.g. to make a webhook install fail. Times works as in Fault.
type NumberFault struct {
	PhoneNumber string `json:"phone_number"`
	Mode        string `json:"mode"`
	ErrorCode   int    `json:"error_code"`
	Times       int    `json:"times,omitempty"`
}

type faultRule struct {
	Fault
	left int // failures left; negative means unlimited
}

type numberFaultRule struct {
	NumberFault
	left int
}

// failsBeforeLeaving are callback codes for messages that never leave
// Twilio, reported as failed rather than undelivered.
var failsBeforeLeaving = map[int]bool{30001: true, 30002: true, 30034: true, 30036: true}

func (f Fault) finalStatus() string {
	if f.Status != "" {
		return f.Status
	}
	if failsBeforeLeaving[f.ErrorCode] {
		return statusFailed
	}
	return statusUndelivered
}

func (f Fault) validate() error {
	switch {
	case f.To == "":
		return fmt.Errorf("%w: fault needs \"to\"", ErrInvalidRequest)
	case f.Mode != FaultOnCreate && f.Mode != FaultOnCallback && f.Mode != FaultLoseResponse:
		return fmt.Errorf("%w: fault mode must be %q, %q or %q", ErrInvalidRequest, FaultOnCreate, FaultOnCallback, FaultLoseResponse)
	case f.ErrorCode <= 0 && f.Mode != FaultLoseResponse:
		return fmt.Errorf("%w: fault needs a positive \"error_code\"", ErrInvalidRequest)
	case f.Times < 0:
		return fmt.Errorf("%w: \"times\" must not be negative", ErrInvalidRequest)
	case f.Status != "" && (f.Mode != FaultOnCallback || (f.Status != statusFailed && f.Status != statusUndelivered)):
		return fmt.Errorf("%w: \"status\" is failed or undelivered, for callback faults only", ErrInvalidRequest)
	}
	return nil
}

func (f NumberFault) validate() error {
	switch {
	case f.PhoneNumber == "":
		return fmt.Errorf("%w: number fault needs \"phone_number\"", ErrInvalidRequest)
	case f.ErrorCode <= 0:
		return fmt.Errorf("%w: number fault needs a positive \"error_code\"", ErrInvalidRequest)
	case f.Mode != FaultOnUpdate:
		return fmt.Errorf("%w: number fault mode must be %q", ErrInvalidRequest, FaultOnUpdate)
	case f.Times < 0:
		return fmt.Errorf("%w: \"times\" must not be negative", ErrInvalidRequest)
	}
	return nil
}

func budget(times int) int {
	if times == 0 {
		return -1
	}
	return times
}

// AddFault installs a send fault, replacing any fault with the same To and
// Mode.
func (s *Server) AddFault(f Fault) error {
	if err := f.validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = slices.DeleteFunc(s.faults, func(r *faultRule) bool { return r.To == f.To && r.Mode == f.Mode })
	s.faults = append(s.faults, &faultRule{Fault: f, left: budget(f.Times)})
	return nil
}

// AddNumberFault installs a number-update fault, replacing any fault for
// the same number.
func (s *Server) AddNumberFault(f NumberFault) error {
	if err := f.validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.numberFaults = slices.DeleteFunc(s.numberFaults, func(r *numberFaultRule) bool { return r.PhoneNumber == f.PhoneNumber })
	s.numberFaults = append(s.numberFaults, &numberFaultRule{NumberFault: f, left: budget(f.Times)})
	return nil
}

// ClearFaults removes every send and number fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults, s.numberFaults = nil, nil
}

// ClearNumberFaults removes number-update faults only.
func (s *Server) ClearNumberFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.numberFaults = nil
}

// Faults lists the installed faults; Times shows the failures left.
func (s *Server) Faults() ([]Fault, []NumberFault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sends := make([]Fault, 0, len(s.faults))
	for _, r := range s.faults {
		f := r.Fault
		f.Times = max(r.left, 0)
		sends = append(sends, f)
	}
	numbers := make([]NumberFault, 0, len(s.numberFaults))
	for _, r := range s.numberFaults {
		f := r.NumberFault
		f.Times = max(r.left, 0)
		numbers = append(numbers, f)
	}
	return sends, numbers
}

// takeFault consumes one failure of the fault matching to and mode, an exact
// match winning over "*". The caller holds s.mu.
func (s *Server) takeFault(to, mode string) (Fault, bool) {
	var hit *faultRule
	for _, r := range s.faults {
		if r.Mode != mode {
			continue
		}
		if r.To == to {
			hit = r
			break
		}
		if r.To == "*" && hit == nil {
			hit = r
		}
	}
	if hit == nil {
		return Fault{}, false
	}
	if hit.left > 0 {
		hit.left--
		if hit.left == 0 {
			s.faults = slices.DeleteFunc(s.faults, func(r *faultRule) bool { return r == hit })
		}
	}
	return hit.Fault, true
}

// takeNumberFault consumes one failure for updates of phoneNumber. The
// caller holds s.mu.
func (s *Server) takeNumberFault(phoneNumber string) (NumberFault, bool) {
	for _, r := range s.numberFaults {
		if r.PhoneNumber != phoneNumber {
			continue
		}
		if r.left > 0 {
			r.left--
			if r.left == 0 {
				s.numberFaults = slices.DeleteFunc(s.numberFaults, func(x *numberFaultRule) bool { return x == r })
			}
		}
		return r.NumberFault, true
	}
	return NumberFault{}, false
}
