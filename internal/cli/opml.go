package cli

import (
	"bufio"
	"context"
	"fmt"
	"os"

	"github.com/scoutdev/scout/internal/app"
	progresslog "github.com/scoutdev/scout/internal/progress"
	"github.com/scoutdev/scout/internal/scout"
)

// maxListedRejects is how many rejected outlines the summary names; --report
// lists every outline.
const maxListedRejects = 20

// opmlCmd imports or exports sources as OPML.
func opmlCmd(ctx context.Context, args []string, env Env) error {
	fs := newFlagSet("opml", env)
	load := commonFlags(fs, env)
	owner := fs.String("owner", "", "e-mail of the owning user; empty: the installation")
	public := fs.Bool("public", false, "import: make the sources visible to every user")
	report := fs.String("report", "", "import: write what happened to every outline here (status, URL, reason; tab-separated)")
	if err := parse(fs, args); err != nil {
		return err
	}
	verb := fs.Arg(0)
	switch {
	case verb != "import" && verb != "export":
		return useErr("opml")
	case verb == "import" && fs.NArg() != 2:
		return usageErr("opml import needs exactly one FILE")
	case verb == "export" && fs.NArg() != 1:
		return usageErr("opml export takes no FILE: it writes to standard output")
	}
	a, err := openApp(ctx, load, env)
	if err != nil {
		return err
	}
	defer a.Close()
	if verb == "export" {
		return a.ExportOPML(ctx, env.Stdout, *owner)
	}
	vis := scout.VisibilityPrivate
	if *public || *owner == "" {
		vis = scout.VisibilityPublic
	}
	return importOPML(ctx, a, env, fs.Arg(1), *owner, vis, *report)
}

// importOPML streams the file into sources, with progress by bytes read,
// then prints the counts and the first rejected outlines.
func importOPML(ctx context.Context, a *app.App, env Env, path, owner string, vis scout.Visibility, reportPath string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	var rep *bufio.Writer
	if reportPath != "" {
		rf, err := os.Create(reportPath)
		if err != nil {
			return fmt.Errorf("--report: %w", err)
		}
		defer rf.Close()
		rep = bufio.NewWriter(rf)
		defer rep.Flush()
	}
	bar := newProgress(env, newLogger(a.Config(), env.Stderr), "opml import", "bytes", st.Size())
	in := &progresslog.Reader{R: f}
	var res app.ImportResult
	var rejects []app.OutlineResult
	r, err := a.ImportOPML(ctx, in, owner, vis, func(o app.OutlineResult) {
		switch o.Status {
		case app.OutlineCreated:
			res.Created++
		case app.OutlineExisting:
			res.Existing++
		default:
			res.Rejected++
			if len(rejects) < maxListedRejects {
				rejects = append(rejects, o)
			}
		}
		if rep != nil {
			fmt.Fprintf(rep, "%s\t%s\t%s\n", o.Status, o.URL, o.Reason)
		}
		bar.Set(ctx, in.N, fmt.Sprintf("%d created, %d present, %d rejected", res.Created, res.Existing, res.Rejected))
	})
	bar.Finish()
	fmt.Fprintf(env.Stdout, "imported %d sources, %d already present, %d rejected\n", r.Created, r.Existing, r.Rejected)
	for _, rej := range rejects {
		fmt.Fprintf(env.Stdout, "  rejected %s: %s\n", rej.URL, rej.Reason)
	}
	if r.Rejected > len(rejects) {
		fmt.Fprintf(env.Stdout, "  … and %d more rejected (--report FILE lists every outline)\n", r.Rejected-len(rejects))
	}
	if err != nil {
		return fmt.Errorf("%s: stopped after the outlines above: %w", path, err)
	}
	return nil
}
