package app

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"io"
	"time"

	"github.com/scoutdev/scout/internal/feed"
	"github.com/scoutdev/scout/internal/feed/opml"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// ImportResult says what an OPML import did.
type ImportResult struct {
	Created, Existing, Rejected int
}

// Outline statuses of an import.
const (
	OutlineCreated  = "created"
	OutlineExisting = "existing"
	OutlineRejected = "rejected"
)

// OutlineResult is what happened to one outline of an import.
type OutlineResult struct {
	URL, Title string
	Status     string // OutlineCreated, OutlineExisting or OutlineRejected
	Reason     string // why it was rejected
}

// Limits of an OPML import from a file: far above the 10,000 sources an
// installation is built for, so that nobody splits a list by hand, yet a
// bound on what one command reads.
const (
	MaxImportBytes    = 256 << 20
	MaxImportOutlines = 200000
)

// ownerID resolves an owner e-mail; empty means the installation (0).
func (a *App) ownerID(ctx context.Context, email string) (int64, error) {
	if email == "" {
		return 0, nil
	}
	u, err := a.userByEmail(ctx, email)
	if err != nil {
		return 0, err
	}
	return u.ID, nil
}

// ImportOPML creates a source for every feed of an OPML document (and for
// every outline carrying a Scout kind and configuration, checked as on
// creation, a source of that kind) as it
// reads it, so memory stays bounded however long the list; feeds the owner
// already has (or that are public) are counted, not duplicated, and a bad entry is reported
// without stopping the rest. each, when not nil, is told what happened to
// every outline, in document order. A problem further down the document
// stops the import with the sources before it created and counted.
func (a *App) ImportOPML(ctx context.Context, r io.Reader, owner string, vis scout.Visibility, each func(OutlineResult)) (ImportResult, error) {
	var res ImportResult
	id, err := a.ownerID(ctx, owner)
	if err != nil {
		return res, err
	}
	kinds := a.sources
	if kinds == nil { // no pipeline in this process: the kinds' checks need none
		kinds = sourceKinds(feed.Options{})
	}
	err = opml.Stream(r, MaxImportBytes, MaxImportOutlines, func(o opml.Outline) error {
		src := scout.Source{OwnerID: id, Kind: scout.SourceKind(cmp.Or(o.Kind, string(scout.SourceFeed))), URL: o.XMLURL,
			SiteURL: o.HTMLURL, Title: o.Title, Tags: o.Categories, Visibility: vis}
		if o.Config != "" {
			src.Config = json.RawMessage(o.Config)
		}
		out := OutlineResult{URL: o.XMLURL, Title: o.Title}
		err := kinds.Check(src.Kind, src.Config)
		var created bool
		if err == nil {
			_, created, err = a.Store.AddSource(ctx, src)
		}
		switch {
		case err == nil && created:
			res.Created++
			out.Status = OutlineCreated
		case err == nil:
			res.Existing++
			out.Status = OutlineExisting
		case errors.Is(err, scout.ErrInvalid):
			res.Rejected++
			out.Status, out.Reason = OutlineRejected, err.Error()
		default:
			return err
		}
		if each != nil {
			each(out)
		}
		return nil
	})
	return res, err
}

// ExportOPML writes the owner's sources (the installation's when owner is
// empty) as OPML 2.0.
func (a *App) ExportOPML(ctx context.Context, w io.Writer, owner string) error {
	id, err := a.ownerID(ctx, owner)
	if err != nil {
		return err
	}
	var outlines []opml.Outline
	f := store.SourceFilter{Viewer: store.Viewer{Admin: true}, PageRequest: store.PageRequest{Limit: store.MaxLimit}}
	for {
		page, err := a.Store.ListSources(ctx, f)
		if err != nil {
			return err
		}
		for _, s := range page.Items {
			if s.OwnerID == id {
				outlines = append(outlines, opml.SourceOutline(s))
			}
		}
		if page.Next == "" {
			break
		}
		f.Cursor = page.Next
	}
	return opml.Write(w, "Scout sources", outlines, time.Now())
}
