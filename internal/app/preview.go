package app

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/scoutdev/scout/internal/config"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/source"
)

// PreviewSource reads src once, as the pipeline would, and returns what it
// would ingest without storing anything. Its kind and configuration are
// checked first (a scout.Invalid naming the field), and its URL is fetched
// through the same guarded client as every fetch.
func (a *App) PreviewSource(ctx context.Context, src scout.Source) (source.Result, error) {
	if a.ingester == nil {
		if err := a.buildPipeline(); err != nil {
			return source.Result{}, fmt.Errorf("build the pipeline: %w", err)
		}
	}
	if err := a.sources.Check(src.Kind, src.Config); err != nil {
		return source.Result{}, err
	}
	if err := a.fetcher.CheckURL(ctx, src.URL); err != nil {
		return source.Result{}, err
	}
	return a.ingester.Preview(ctx, src)
}

// Preview reads src once with cfg's fetch settings and opens no database:
// what scout source preview saves is nothing, so it creates nothing either.
func Preview(ctx context.Context, cfg config.Config, log *slog.Logger, src scout.Source) (source.Result, error) {
	a := &App{cfg: cfg, log: log}
	return a.PreviewSource(ctx, src)
}
