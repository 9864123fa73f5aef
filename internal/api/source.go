package api

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// Source is a feed as the API shows it. Owner, status and the fetch counters
// are read-only: no input type has them.
type Source struct {
	ID                 int64           `json:"id"`
	OwnerID            int64           `json:"owner_id" doc:"0 for sources of the installation"`
	Kind               string          `json:"kind" enum:"feed,html,json,grantsgov"`
	Config             json.RawMessage `json:"config,omitempty" doc:"the kind's configuration; its schema is SourceConfig<Kind> in the components"`
	URL                string          `json:"url"`
	SiteURL            string          `json:"site_url,omitempty"`
	Title              string          `json:"title"`
	Description        string          `json:"description,omitempty"`
	Tags               []string        `json:"tags"`
	Visibility         string          `json:"visibility" enum:"private,public"`
	Paused             bool            `json:"paused"`
	Status             string          `json:"status" enum:"pending,ok,failing,retired" doc:"pending: not fetched yet; ok: the last fetch succeeded; failing: it failed (retried with backoff); retired: the server said 410 Gone"`
	MinIntervalSeconds int64           `json:"min_interval_seconds"`
	MaxIntervalSeconds int64           `json:"max_interval_seconds"`
	IntervalSeconds    int64           `json:"interval_seconds" doc:"the current adaptive interval"`
	NextFetchAt        *time.Time      `json:"next_fetch_at,omitempty"`
	LastFetchedAt      *time.Time      `json:"last_fetched_at,omitempty"`
	LastSuccessAt      *time.Time      `json:"last_success_at,omitempty"`
	ErrorCount         int             `json:"error_count" doc:"consecutive failed fetches"`
	LastErrorClass     string          `json:"last_error_class,omitempty"`
	LastError          string          `json:"last_error,omitempty"`
	CreatedAt          time.Time       `json:"created_at"`
	UpdatedAt          time.Time       `json:"updated_at"`
	Version            int64           `json:"version"`
}

func sourceDTO(s scout.Source) Source {
	return Source{ID: s.ID, OwnerID: s.OwnerID, Kind: string(cmp.Or(s.Kind, scout.SourceFeed)), Config: s.Config, URL: s.URL, SiteURL: s.SiteURL, Title: s.Title, Description: s.Description,
		Tags: nonNil(s.Tags), Visibility: string(s.Visibility), Paused: s.Paused, Status: string(s.Health()),
		MinIntervalSeconds: seconds(s.MinInterval), MaxIntervalSeconds: seconds(s.MaxInterval), IntervalSeconds: seconds(s.Interval),
		NextFetchAt: timePtr(s.NextFetchAt), LastFetchedAt: timePtr(s.LastFetchedAt), LastSuccessAt: timePtr(s.LastSuccessAt),
		ErrorCount: s.ErrorCount, LastErrorClass: string(s.LastErrorClass), LastError: s.LastError,
		CreatedAt: s.CreatedAt.UTC(), UpdatedAt: s.UpdatedAt.UTC(), Version: s.Version}
}

func seconds(d time.Duration) int64 { return int64(d / time.Second) }

// SourceOutput is one source.
type SourceOutput struct{ Body Source }

// CreateSourceOutput is the source added: 201 when it was created, 200
// when it was there already.
type CreateSourceOutput struct {
	Status int
	Body   Source
}

// SourceListOutput is a page of sources.
type SourceListOutput struct {
	Body struct {
		Sources []Source `json:"sources"`
		Next    string   `json:"next,omitempty" doc:"cursor of the next page; absent on the last"`
	}
}

// ListSourcesInput filters sources.
type ListSourcesInput struct {
	Status string `query:"status" enum:"pending,ok,failing,retired" doc:"only sources in this status (pending: not fetched yet)"`
	Tag    string `query:"tag" maxLength:"64"`
	Owner  int64  `query:"owner" minimum:"0" doc:"only sources of this user id"`
	PageInput
}

// CreateSourceInput is a new source. The first fetch is queued, not done in the request.
type CreateSourceInput struct {
	Body struct {
		Kind               string          `json:"kind,omitempty" enum:"feed,html,json,grantsgov" default:"feed" doc:"how the source is fetched and read"`
		Config             json.RawMessage `json:"config,omitempty" doc:"the kind's configuration, validated against the schema SourceConfig<Kind> in the components (SourceConfigHTML, SourceConfigJSON, SourceConfigGrantsGov); none for a feed"`
		URL                string          `json:"url" minLength:"1" maxLength:"2048" doc:"the feed URL, listing page or API endpoint (http or https)"`
		Title              string          `json:"title,omitempty" maxLength:"500" doc:"empty: taken from the feed"`
		Tags               []string        `json:"tags,omitempty" maxItems:"32"`
		Visibility         string          `json:"visibility,omitempty" enum:"private,public" default:"private"`
		Paused             bool            `json:"paused,omitempty"`
		MinIntervalSeconds int64           `json:"min_interval_seconds,omitempty" minimum:"0" maximum:"2592000"`
		MaxIntervalSeconds int64           `json:"max_interval_seconds,omitempty" minimum:"0" maximum:"2592000"`
	}
}

// UpdateSourceInput changes a source; absent fields stay as they are.
type UpdateSourceInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		URL                *string  `json:"url,omitempty" minLength:"1" maxLength:"2048" doc:"moves the source: its host follows, the old URL's validators are dropped and it is fetched at once; 409 if you have this source already"`
		Title              *string  `json:"title,omitempty" maxLength:"500"`
		Tags               []string `json:"tags,omitempty" maxItems:"32" doc:"replaces every tag; [] clears them"`
		Visibility         *string  `json:"visibility,omitempty" enum:"private,public"`
		Paused             *bool    `json:"paused,omitempty"`
		MinIntervalSeconds *int64   `json:"min_interval_seconds,omitempty" minimum:"0" maximum:"2592000"`
		MaxIntervalSeconds *int64   `json:"max_interval_seconds,omitempty" minimum:"0" maximum:"2592000"`
	}
}

// RefreshOutput says when the source will be fetched, and whether its
// host's politeness limits make it wait.
type RefreshOutput struct {
	Body struct {
		NextFetchAt   time.Time  `json:"next_fetch_at" doc:"the source is due from now"`
		Host          string     `json:"host" doc:"the host its fetches are limited by (with the port when not the default)"`
		HostSaturated bool       `json:"host_saturated" doc:"true when every slot of the host is taken by fetches in flight and sources scheduled before this one: it starts when one of them ends"`
		HostInFlight  int        `json:"host_in_flight" doc:"fetches to the host in flight now"`
		HostLimit     int        `json:"host_limit" doc:"concurrent fetches allowed to one host (SCOUT_FETCH_PER_HOST); 0 means no limit"`
		QueuedBehind  int        `json:"queued_behind" doc:"sources of the same host scheduled now before this one; claims take them first"`
		StartsAt      *time.Time `json:"starts_at,omitempty" doc:"the earliest start the host's limits allow (its spacing, SCOUT_FETCH_HOST_INTERVAL, included); absent when the host is saturated"`
		Message       string     `json:"message" doc:"the same in one sentence"`
	}
}

func (h *Handler) registerSources(api huma.API) {
	huma.Register(api, op("listSources", http.MethodGet, "/v1/sources", "List the sources you can see", scout.ScopeRead, "sources"), h.listSources)
	create := op("createSource", http.MethodPost, "/v1/sources", "Add a feed; its first fetch is queued", scout.ScopeWrite, "sources")
	create.DefaultStatus = http.StatusCreated
	create.Responses = map[string]*huma.Response{"200": {Description: "You already have this source, or it is public: " +
		"the existing one, unchanged. A source is one per owner by kind, URL (scheme and host case, default port and fragment " +
		"aside) and configuration."}}
	create.Errors = append(create.Errors, http.StatusConflict)
	huma.Register(api, create, h.createSource)
	huma.Register(api, withNotFound(op("getSource", http.MethodGet, "/v1/sources/{id}", "Get a source", scout.ScopeRead, "sources")), h.getSource)
	update := withNotFound(op("updateSource", http.MethodPatch, "/v1/sources/{id}", "Change a source you own", scout.ScopeWrite, "sources"))
	update.Errors = append(update.Errors, http.StatusConflict)
	huma.Register(api, update, h.updateSource)
	del := withNotFound(op("deleteSource", http.MethodDelete, "/v1/sources/{id}", "Delete a source you own (its items disappear)", scout.ScopeWrite, "sources"))
	del.DefaultStatus = http.StatusNoContent
	huma.Register(api, del, h.deleteSource)
	ref := withNotFound(op("refreshSource", http.MethodPost, "/v1/sources/{id}/refresh", "Fetch a source you own as soon as possible", scout.ScopeWrite, "sources"))
	ref.DefaultStatus = http.StatusAccepted
	huma.Register(api, ref, h.refreshSource)
}

func withNotFound(o huma.Operation) huma.Operation {
	o.Errors = append(o.Errors, http.StatusNotFound)
	return o
}

func (h *Handler) listSources(ctx context.Context, in *ListSourcesInput) (*SourceListOutput, error) {
	p, err := h.st.ListSources(ctx, store.SourceFilter{Viewer: viewer(ctx), OwnerID: in.Owner,
		Status: scout.SourceStatus(in.Status), Tag: in.Tag, PageRequest: in.page()})
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	out := &SourceListOutput{}
	out.Body.Sources, out.Body.Next = mapSlice(p.Items, sourceDTO), p.Next
	return out, nil
}

func (h *Handler) createSource(ctx context.Context, in *CreateSourceInput) (*CreateSourceOutput, error) {
	b := in.Body
	kind, err := h.checkNewSource(ctx, b.Kind, b.Config, b.URL)
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	s, created, err := h.st.AddSource(ctx, scout.Source{OwnerID: principal(ctx).UserID, Kind: kind, Config: compactConfig(b.Config), URL: b.URL,
		Title: b.Title, Tags: b.Tags, Visibility: scout.Visibility(b.Visibility), Paused: b.Paused,
		MinInterval: time.Duration(b.MinIntervalSeconds) * time.Second, MaxInterval: time.Duration(b.MaxIntervalSeconds) * time.Second})
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	out := &CreateSourceOutput{Status: http.StatusOK, Body: sourceDTO(s)}
	if created {
		out.Status = http.StatusCreated
	}
	return out, nil
}

func (h *Handler) getSource(ctx context.Context, in *IDInput) (*SourceOutput, error) {
	s, err := h.visibleSource(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &SourceOutput{Body: sourceDTO(s)}, nil
}

func (h *Handler) updateSource(ctx context.Context, in *UpdateSourceInput) (*SourceOutput, error) {
	if _, err := h.editableSource(ctx, in.ID); err != nil {
		return nil, err
	}
	b := in.Body
	if b.URL != nil {
		if err := h.fetch.CheckURL(ctx, *b.URL); err != nil {
			return nil, h.problem(ctx, err)
		}
	}
	u := store.SourceUpdate{URL: b.URL, Title: b.Title, Paused: b.Paused, MinInterval: durPtr(b.MinIntervalSeconds), MaxInterval: durPtr(b.MaxIntervalSeconds)}
	if b.Tags != nil {
		u.Tags = &b.Tags
	}
	if b.Visibility != nil {
		v := scout.Visibility(*b.Visibility)
		u.Visibility = &v
	}
	s, err := h.st.UpdateSource(ctx, in.ID, u)
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	if u.Visibility != nil {
		h.stats.forget() // see statsCache.forget
	}
	return &SourceOutput{Body: sourceDTO(s)}, nil
}

func (h *Handler) deleteSource(ctx context.Context, in *IDInput) (*struct{}, error) {
	if _, err := h.editableSource(ctx, in.ID); err != nil {
		return nil, err
	}
	if err := h.st.DeleteSource(ctx, in.ID); err != nil {
		return nil, h.problem(ctx, err)
	}
	h.stats.forget() // see statsCache.forget
	return nil, nil
}

func (h *Handler) refreshSource(ctx context.Context, in *IDInput) (*RefreshOutput, error) {
	src, err := h.editableSource(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	now := h.now().UTC()
	if err := h.st.ScheduleSource(ctx, in.ID, now); err != nil {
		return nil, h.problem(ctx, err)
	}
	q, err := h.st.HostQueue(ctx, src.Host, now)
	if err != nil {
		return nil, h.problem(ctx, err)
	}
	p := q.Place(h.hosts, now)
	out := &RefreshOutput{}
	b := &out.Body
	b.NextFetchAt, b.Host, b.HostSaturated, b.HostInFlight, b.HostLimit, b.QueuedBehind = now, p.Host, p.Saturated, p.InFlight, p.Limit, p.Ahead
	if !p.Saturated {
		b.StartsAt = &p.StartsAt
	}
	b.Message = "The source is " + p.String() + "."
	return out, nil
}

// visibleSource returns source id if the caller may see it; otherwise the
// same 404 as for a source that does not exist.
func (h *Handler) visibleSource(ctx context.Context, id int64) (scout.Source, error) {
	s, err := h.st.GetSource(ctx, id)
	if errors.Is(err, scout.ErrNotFound) || (err == nil && !principal(ctx).CanSeeSource(&s)) {
		return scout.Source{}, notFoundErr("source")
	}
	if err != nil {
		return scout.Source{}, h.problem(ctx, err)
	}
	return s, nil
}

// editableSource returns source id if the caller may change it: 404 when
// they cannot see it, 403 when they can see but not change it.
func (h *Handler) editableSource(ctx context.Context, id int64) (scout.Source, error) {
	s, err := h.visibleSource(ctx, id)
	if err != nil {
		return s, err
	}
	if !principal(ctx).CanEditSource(&s) {
		return scout.Source{}, huma.Error403Forbidden("only the owner of this source (or an admin) may change it")
	}
	return s, nil
}

// viewer is the store's view of the caller.
func viewer(ctx context.Context) store.Viewer {
	p := principal(ctx)
	return store.Viewer{UserID: p.UserID, Admin: p.Admin}
}

func durPtr(secs *int64) *time.Duration {
	if secs == nil {
		return nil
	}
	d := time.Duration(*secs) * time.Second
	return &d
}
