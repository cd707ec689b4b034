// Package devserver runs the official Temporal CLI's development server
// (built into ./bin by `make temporal`) for `snout dev`: Temporal with its
// Web UI, persisted under the data directory so a restart keeps running
// workflows, and the product's search attributes registered.
package devserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	enumspb "go.temporal.io/api/enums/v1"

	"github.com/snoutos/snout/internal/platform/temporalx"
)

// Options for the dev server.
type Options struct {
	Binary    string // path to the temporal CLI
	DataDir   string // its SQLite database lives here
	IP        string
	Port      int
	UIPort    int
	Namespace string
	LogFile   string
}

// Server is a running dev server.
type Server struct {
	cmd  *exec.Cmd
	done chan error
}

// Start launches the server and waits until its frontend accepts connections.
func Start(ctx context.Context, o Options, log *slog.Logger) (*Server, error) {
	if _, err := os.Stat(o.Binary); err != nil {
		return nil, fmt.Errorf("the Temporal CLI is not at %s: run `make temporal` (first build takes several minutes)", o.Binary)
	}
	if err := os.MkdirAll(o.DataDir, 0o755); err != nil {
		return nil, err
	}
	if conn, err := net.DialTimeout("tcp", net.JoinHostPort(o.IP, strconv.Itoa(o.Port)), 300*time.Millisecond); err == nil {
		conn.Close()
		return nil, fmt.Errorf("port %d is already in use: another Temporal server may be running (set TEMPORAL_ADDRESS to use it with `snout api`/`snout worker`)", o.Port)
	}
	args := []string{"server", "start-dev",
		"--ip", o.IP, "--port", strconv.Itoa(o.Port), "--ui-port", strconv.Itoa(o.UIPort),
		"--db-filename", filepath.Join(o.DataDir, "temporal.db"),
		"--namespace", o.Namespace, "--log-level", "warn",
	}
	for name, typ := range temporalx.SearchAttributes {
		args = append(args, "--search-attribute", name+"="+cliType(typ))
	}
	cmd := exec.Command(o.Binary, args...)
	// Its own process group (Ctrl-C reaches it only through Stop), and killed
	// if this process dies without stopping it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if o.LogFile != "" {
		f, err := os.OpenFile(o.LogFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return nil, err
		}
		cmd.Stdout, cmd.Stderr = f, f
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &Server{cmd: cmd, done: make(chan error, 1)}
	go func() { s.done <- cmd.Wait() }()
	addr := net.JoinHostPort(o.IP, strconv.Itoa(o.Port))
	deadline := time.Now().Add(60 * time.Second)
	for {
		select {
		case err := <-s.done:
			return nil, fmt.Errorf("temporal dev server exited early (%v); see %s", err, o.LogFile)
		case <-ctx.Done():
			s.Stop()
			return nil, ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
		if conn, err := net.DialTimeout("tcp", addr, 300*time.Millisecond); err == nil {
			conn.Close()
			log.Info("temporal dev server is up", "address", addr, "ui", fmt.Sprintf("http://%s:%d", o.IP, o.UIPort))
			return s, nil
		}
		if time.Now().After(deadline) {
			s.Stop()
			return nil, errors.New("temporal dev server did not start within 60s; see " + o.LogFile)
		}
	}
}

// cliType names a search attribute type the way the CLI's flag expects.
func cliType(t enumspb.IndexedValueType) string {
	switch t {
	case enumspb.INDEXED_VALUE_TYPE_TEXT:
		return "Text"
	case enumspb.INDEXED_VALUE_TYPE_INT:
		return "Int"
	case enumspb.INDEXED_VALUE_TYPE_BOOL:
		return "Bool"
	case enumspb.INDEXED_VALUE_TYPE_DATETIME:
		return "Datetime"
	default:
		return "Keyword"
	}
}

// Stop ends the server gracefully (SIGTERM, then SIGKILL after 10 s).
func (s *Server) Stop() {
	if s == nil || s.cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-s.done
	}
}
