package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/scoutdev/scout/internal/feed/opml"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// ImportResult says what an OPML import did.
type ImportResult struct {
	Created, Existing int
	Rejected          []Rejected
}

// Rejected is an outline that could not become a source.
type Rejected struct{ URL, Reason string }

// ownerID resolves an owner e-mail; empty means the installation (0).
func (a *App) ownerID(ctx context.Context, email string) (int64, error) {
	if email == "" {
		return 0, nil
	}
	u, err := a.Store.GetUserByEmail(ctx, email)
	if err != nil {
		return 0, fmt.Errorf("owner %s: %w", email, err)
	}
	return u.ID, nil
}

// ImportOPML creates a source for every feed of an OPML document; feeds the
// owner already has are counted, not duplicated, and a bad entry is reported
// without stopping the rest.
func (a *App) ImportOPML(ctx context.Context, r io.Reader, owner string, vis scout.Visibility) (ImportResult, error) {
	var res ImportResult
	id, err := a.ownerID(ctx, owner)
	if err != nil {
		return res, err
	}
	outlines, err := opml.Read(r, 0, 0)
	if err != nil {
		return res, err
	}
	for _, o := range outlines {
		src := scout.Source{OwnerID: id, Kind: scout.SourceFeed, URL: o.XMLURL, SiteURL: o.HTMLURL, Title: o.Title,
			Tags: o.Categories, Visibility: vis}
		_, err := a.Store.CreateSource(ctx, src)
		switch {
		case err == nil:
			res.Created++
		case errors.Is(err, scout.ErrConflict):
			res.Existing++
		case errors.Is(err, scout.ErrInvalid):
			res.Rejected = append(res.Rejected, Rejected{o.XMLURL, err.Error()})
		default:
			return res, err
		}
	}
	return res, nil
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
				outlines = append(outlines, opml.Outline{Title: s.Title, XMLURL: s.URL, HTMLURL: s.SiteURL, Categories: s.Tags})
			}
		}
		if page.Next == "" {
			break
		}
		f.Cursor = page.Next
	}
	return opml.Write(w, "Scout sources", outlines, time.Now())
}
