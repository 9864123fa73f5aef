package cli

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"
)

// healthcheck asks a running server whether it is ready, for container
// health checks: the image has no shell or curl, only this binary.
func healthcheck(ctx context.Context, args []string, env Env) error {
	fs := newFlagSet("healthcheck", env)
	url := fs.String("url", readyURL(env), "readiness URL to GET, on the port of SCOUT_ADDR")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *url, nil)
	if err != nil {
		return usageErr("--url: %v", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("not ready: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("not ready: %s answered %s", *url, resp.Status)
	}
	fmt.Fprintln(env.Stdout, "ready")
	return nil
}

// readyURL is /readyz on the port of SCOUT_ADDR, on loopback when the server
// listens on every interface.
func readyURL(env Env) string {
	host, port := "127.0.0.1", "8080"
	if addr, ok := env.Lookup("SCOUT_ADDR"); ok {
		if h, p, err := net.SplitHostPort(addr); err == nil {
			port = p
			if h != "" && h != "0.0.0.0" && h != "::" {
				host = h
			}
		}
	}
	return "http://" + net.JoinHostPort(host, port) + "/readyz"
}
