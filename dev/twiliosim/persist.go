package twiliosim

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// minSaveInterval spaces state file writes; Close always writes the latest.
const minSaveInterval = 100 * time.Millisecond

const stateVersion = 1

// stateFile is the JSON layout of Options.StatePath.
type stateFile struct {
	Version  int              `json:"version"`
	Accounts []*accountRecord `json:"accounts"`
	Numbers  []*numberRecord  `json:"numbers"`
	Messages []*messageRecord `json:"messages"`
	OptOuts  []optOutKey      `json:"opt_outs"`
}

// markDirty asks the save loop to write the state file. The caller holds
// s.mu or owns the server exclusively.
func (s *Server) markDirty() {
	if s.statePath == "" {
		return
	}
	select {
	case s.saveSignal <- struct{}{}:
	default:
	}
}

// saveLoop writes the state file after changes, at most every
// minSaveInterval, until Close.
func (s *Server) saveLoop() {
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-s.saveSignal:
		}
		if err := s.save(); err != nil {
			s.log.Error("twiliosim: saving state failed", "path", s.statePath, "error", err)
		}
		if !s.sleep(minSaveInterval) {
			return
		}
	}
}

// save writes a snapshot atomically: a temporary file renamed over the old.
func (s *Server) save() error {
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	data, err := s.snapshotState()
	if err != nil {
		return err
	}
	dir := filepath.Dir(s.statePath)
	tmp, err := os.CreateTemp(dir, ".twiliosim-state-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), s.statePath)
}

func (s *Server) snapshotState() ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := stateFile{Version: stateVersion}
	for _, a := range s.st.accounts {
		f.Accounts = append(f.Accounts, a)
	}
	for _, n := range s.st.numbers {
		f.Numbers = append(f.Numbers, n)
	}
	for _, sid := range s.st.order {
		f.Messages = append(f.Messages, s.st.messages[sid])
	}
	for k := range s.st.optOuts {
		f.OptOuts = append(f.OptOuts, k)
	}
	return json.MarshalIndent(f, "", "  ")
}

// load reads the state file. A missing file is a fresh start; an unreadable
// one is moved aside (never overwritten) and the simulator starts empty.
func (s *Server) load() {
	data, err := os.ReadFile(s.statePath)
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	if err == nil {
		err = s.restore(data)
	}
	if err == nil {
		return
	}
	aside := fmt.Sprintf("%s.corrupt-%d", s.statePath, time.Now().Unix())
	if mvErr := os.Rename(s.statePath, aside); mvErr != nil {
		s.log.Error("twiliosim: state file unreadable and could not be moved aside; saving is disabled",
			"path", s.statePath, "error", err, "moveError", mvErr)
		s.statePath = ""
		return
	}
	s.log.Error("twiliosim: state file unreadable, moved aside; starting empty",
		"path", s.statePath, "movedTo", aside, "error", err)
}

func (s *Server) restore(data []byte) error {
	var f stateFile
	if err := json.Unmarshal(data, &f); err != nil {
		return err
	}
	if f.Version != stateVersion {
		return fmt.Errorf("state file version %d, want %d", f.Version, stateVersion)
	}
	st := newStore()
	for _, a := range f.Accounts {
		if a == nil {
			continue
		}
		if err := normalizeAccount(&a.Account); err != nil {
			return err
		}
		st.accounts[a.Sid] = a
	}
	for _, n := range f.Numbers {
		if n != nil && n.SID != "" {
			st.numbers[n.SID] = n
		}
	}
	for _, m := range f.Messages {
		if m != nil && m.SID != "" {
			st.addMessage(m)
		}
	}
	for _, k := range f.OptOuts {
		st.optOuts[k] = true
	}
	s.mu.Lock()
	s.st = st
	s.mu.Unlock()
	return nil
}
