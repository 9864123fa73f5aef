package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
)

// StatusOutput is the answer of the health checks.
type StatusOutput struct {
	Body struct {
		Status string `json:"status" enum:"ok" doc:"ok when the check passed"`
	}
}

func (h *Handler) registerOps(api huma.API) {
	huma.Register(api, public("healthz", http.MethodGet, "/healthz", "Liveness: the process answers", "operations"), h.healthz)
	ready := public("readyz", http.MethodGet, "/readyz", "Readiness: the database answers within two seconds", "operations")
	ready.Errors = append(ready.Errors, http.StatusServiceUnavailable)
	huma.Register(api, ready, h.readyz)
}

func (h *Handler) healthz(ctx context.Context, _ *struct{}) (*StatusOutput, error) {
	out := &StatusOutput{}
	out.Body.Status = "ok"
	return out, nil
}

func (h *Handler) readyz(ctx context.Context, _ *struct{}) (*StatusOutput, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := h.st.Ping(ctx); err != nil {
		h.log.WarnContext(ctx, "readiness check failed", "err", err)
		return nil, huma.NewError(http.StatusServiceUnavailable, "database unreachable")
	}
	return h.healthz(ctx, nil)
}
