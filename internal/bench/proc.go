package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/scoutdev/scout/internal/app"
	"github.com/scoutdev/scout/internal/config"
)

// Tuning is the part of Scout's configuration a bench run sets; every
// other setting keeps its default.
type Tuning struct {
	Workers      int           // SCOUT_WORKERS
	PerHost      int           // SCOUT_FETCH_PER_HOST (the farm is one host)
	Concurrency  int           // SCOUT_FETCH_CONCURRENCY
	FetchTimeout time.Duration // SCOUT_FETCH_TIMEOUT
	Lease        time.Duration // SCOUT_LEASE
}

// DefaultTuning is sized for a farm on loopback and two cores: enough
// workers to hide each fetch's latency behind the others' parsing and the
// single SQLite writer, no host spacing, the farm counted as one host.
var DefaultTuning = Tuning{Workers: 16, PerHost: 16, Concurrency: 16, FetchTimeout: 30 * time.Second, Lease: 5 * time.Minute}

// scoutEnv returns the SCOUT_* variables of a Scout under test.
func scoutEnv(t Tuning, dataDir, dbURL, addr string) map[string]string {
	return map[string]string{
		"SCOUT_DATA_DIR":            dataDir,
		"SCOUT_DATABASE_URL":        dbURL,
		"SCOUT_ADDR":                addr,
		"SCOUT_SEED_SOURCES":        "false",
		"SCOUT_LOG_LEVEL":           "warn",
		"SCOUT_FETCH_ALLOW":         "127.0.0.1/32",
		"SCOUT_FETCH_HOST_INTERVAL": "0s",
		"SCOUT_FETCH_PER_HOST":      strconv.Itoa(t.PerHost),
		"SCOUT_FETCH_CONCURRENCY":   strconv.Itoa(t.Concurrency),
		"SCOUT_WORKERS":             strconv.Itoa(t.Workers),
		"SCOUT_FETCH_TIMEOUT":       t.FetchTimeout.String(),
		"SCOUT_LEASE":               t.Lease.String(),
	}
}

// loadConfig builds a config.Config from env as config.Load would read it.
func loadConfig(env map[string]string) (config.Config, error) {
	return config.Load(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
}

// proc is one running Scout under test: a child `scout serve` when a
// binary is given, else the app in this process.
type proc struct {
	pid  int
	url  string
	stop func(sig syscall.Signal) error
}

// freeAddr returns a loopback address nobody listens on right now.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// startScout starts Scout with env and waits until /readyz answers.
func startScout(ctx context.Context, binary string, env map[string]string, logw io.Writer) (*proc, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	env["SCOUT_ADDR"] = addr
	var s *proc
	if binary == "" {
		s, err = startInProcess(ctx, env, logw)
	} else {
		s, err = startChild(binary, env)
	}
	if err != nil {
		return nil, err
	}
	s.url = "http://" + addr
	if err := waitReady(ctx, s.url, 30*time.Second); err != nil {
		s.stop(syscall.SIGKILL)
		return nil, err
	}
	return s, nil
}

func startInProcess(ctx context.Context, env map[string]string, logw io.Writer) (*proc, error) {
	cfg, err := loadConfig(env)
	if err != nil {
		return nil, err
	}
	a, err := app.New(ctx, cfg, slog.New(slog.NewTextHandler(logw, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		return nil, err
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- a.Run(runCtx) }()
	return &proc{pid: os.Getpid(), stop: func(syscall.Signal) error { cancel(); return <-done }}, nil
}

func startChild(binary string, env map[string]string) (*proc, error) {
	cmd := exec.Command(binary, "serve")
	cmd.Env = os.Environ()
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	logPath := filepath.Join(env["SCOUT_DATA_DIR"], "serve.log")
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open serve log: %w", err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start %s serve: %w", binary, err)
	}
	stop := func(sig syscall.Signal) error {
		defer logf.Close()
		cmd.Process.Signal(sig)
		err := cmd.Wait()
		var ee *exec.ExitError
		if sig == syscall.SIGKILL && errors.As(err, &ee) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("scout serve: %w (log: %s)", err, tail(logPath))
		}
		return nil
	}
	return &proc{pid: cmd.Process.Pid, stop: stop}, nil
}

// tail returns the end of a log file, for error messages.
func tail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(bytes.TrimSpace(b))
}

func waitReady(ctx context.Context, base string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		req, _ := http.NewRequestWithContext(ctx, "GET", base+"/readyz", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if err := sleep(ctx, 20*time.Millisecond); err != nil {
			return err
		}
	}
	return fmt.Errorf("scout at %s not ready after %s", base, limit)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// usage is what /proc says about a process.
type usage struct {
	RSS, PeakRSS int64         // bytes: VmRSS and VmHWM
	CPU          time.Duration // user + system
}

// clockTick is USER_HZ, 100 on every Linux architecture Go supports.
const clockTick = 10 * time.Millisecond

// readUsage reads the memory and CPU figures of pid from /proc.
func readUsage(pid int) (usage, error) {
	var u usage
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return u, fmt.Errorf("read process status: %w", err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		k, v, _ := strings.Cut(line, ":")
		f := strings.Fields(v)
		if len(f) == 0 {
			continue
		}
		n, _ := strconv.ParseInt(f[0], 10, 64)
		switch k {
		case "VmRSS":
			u.RSS = n << 10
		case "VmHWM":
			u.PeakRSS = n << 10
		}
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return u, fmt.Errorf("read process stat: %w", err)
	}
	u.CPU = statCPU(stat)
	return u, nil
}

// resetPeak restarts VmHWM from the current RSS, so that each phase reports
// its own peak; without permission the peak stays cumulative.
func resetPeak(pid int) {
	os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
}

// statCPU reads the user and system time from a /proc/PID/stat line.
func statCPU(stat []byte) time.Duration {
	// Fields after the command name, which is in parentheses and may hold spaces.
	f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
	if len(f) <= 12 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * clockTick
}
