package twiliosim

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

const (
	maxControlBody = 1 << 20
	maxDelay       = 10 * time.Minute
)

// SetCallbackMode changes how status callbacks of messages sent from now on
// are delivered.
func (s *Server) SetCallbackMode(m CallbackMode) error {
	if m.DelayMS < 0 || time.Duration(m.DelayMS)*time.Millisecond > maxDelay {
		return fmt.Errorf("%w: \"delay_ms\" must be between 0 and %d", ErrInvalidRequest, maxDelay.Milliseconds())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.callbacks = m
	return nil
}

// CallbackMode returns the current status callback behaviour.
func (s *Server) CallbackMode() CallbackMode {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.callbacks
}

// SetLatency delays every REST request by d before it is handled.
func (s *Server) SetLatency(d time.Duration) error {
	if d < 0 || d > maxDelay {
		return fmt.Errorf("%w: latency must be between 0 and %s", ErrInvalidRequest, maxDelay)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
	return nil
}

// Messages returns every message the simulator remembers, oldest first,
// optionally only those to and/or from a number.
func (s *Server) Messages(to, from string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []Message{}
	for _, sid := range s.st.order {
		m := s.st.messages[sid]
		if (to == "" || m.To == to) && (from == "" || m.From == from) {
			out = append(out, m.snapshot())
		}
	}
	return out
}

// Reset forgets messages, owned numbers, opt-outs, faults, callback modes
// and latency. Accounts stay.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	accounts := s.st.accounts
	s.st = newStore()
	s.st.accounts = accounts
	s.faults, s.numberFaults = nil, nil
	s.callbacks, s.latency = CallbackMode{}, 0
	s.markDirty()
}

func (s *Server) controlRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /_sim/healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("POST /_sim/inbound", s.controlInbound)
	s.accountControlRoutes(mux)
	mux.HandleFunc("GET /_sim/faults", func(w http.ResponseWriter, r *http.Request) {
		sends, numbers := s.Faults()
		writeJSON(w, http.StatusOK, map[string]any{"faults": sends, "number_faults": numbers})
	})
	mux.HandleFunc("POST /_sim/faults", func(w http.ResponseWriter, r *http.Request) {
		var f Fault
		if decodeControl(w, r, &f) {
			respondControl(w, http.StatusCreated, f, s.AddFault(f))
		}
	})
	mux.HandleFunc("DELETE /_sim/faults", func(w http.ResponseWriter, r *http.Request) {
		s.ClearFaults()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST /_sim/faults/numbers", func(w http.ResponseWriter, r *http.Request) {
		var f NumberFault
		if decodeControl(w, r, &f) {
			respondControl(w, http.StatusCreated, f, s.AddNumberFault(f))
		}
	})
	mux.HandleFunc("DELETE /_sim/faults/numbers", func(w http.ResponseWriter, r *http.Request) {
		s.ClearNumberFaults()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /_sim/callbacks", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.CallbackMode())
	})
	mux.HandleFunc("POST /_sim/callbacks", func(w http.ResponseWriter, r *http.Request) {
		var m CallbackMode
		if decodeControl(w, r, &m) {
			respondControl(w, http.StatusOK, m, s.SetCallbackMode(m))
		}
	})
	mux.HandleFunc("POST /_sim/latency", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			MS int `json:"ms"`
		}
		if decodeControl(w, r, &body) {
			respondControl(w, http.StatusOK, body, s.SetLatency(time.Duration(body.MS)*time.Millisecond))
		}
	})
	mux.HandleFunc("GET /_sim/messages", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		writeJSON(w, http.StatusOK, map[string]any{"messages": s.Messages(q.Get("to"), q.Get("from"))})
	})
	mux.HandleFunc("POST /_sim/reset", func(w http.ResponseWriter, r *http.Request) {
		s.Reset()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("/_sim/", func(w http.ResponseWriter, r *http.Request) {
		writeControlError(w, http.StatusNotFound, fmt.Errorf("no control route %s %s", r.Method, r.URL.Path))
	})
}

func (s *Server) controlInbound(w http.ResponseWriter, r *http.Request) {
	var in InboundRequest
	if !decodeControl(w, r, &in) {
		return
	}
	res, err := s.DeliverInbound(r.Context(), in)
	switch {
	case err != nil && res.MessageSID != "":
		writeJSON(w, inboundStatus(err), map[string]any{"error": err.Error(), "message_sid": res.MessageSID})
	case err != nil:
		writeControlError(w, inboundStatus(err), err)
	case res.WebhookError != "":
		writeJSON(w, http.StatusBadGateway, res)
	default:
		writeJSON(w, http.StatusOK, res)
	}
}

// decodeControl reads a JSON control request, rejecting unknown fields; on
// failure it answers 400 and returns false.
func decodeControl(w http.ResponseWriter, r *http.Request, dst any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxControlBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil && !errors.Is(err, io.EOF) {
		writeControlError(w, http.StatusBadRequest, fmt.Errorf("invalid JSON body: %w", err))
		return false
	}
	return true
}

func respondControl(w http.ResponseWriter, status int, v any, err error) {
	if err != nil {
		code := http.StatusInternalServerError
		if errors.Is(err, ErrInvalidRequest) {
			code = http.StatusBadRequest
		}
		writeControlError(w, code, err)
		return
	}
	writeJSON(w, status, v)
}

func writeControlError(w http.ResponseWriter, status int, err error) {
	writeJSON(w, status, map[string]string{"error": err.Error()})
}
