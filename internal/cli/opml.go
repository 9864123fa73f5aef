package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/scoutdev/scout/internal/scout"
)

// opmlCmd imports or exports sources as OPML.
func opmlCmd(ctx context.Context, args []string, env Env) error {
	fs := newFlagSet("opml", "import FILE [--owner EMAIL] [--public] | export [--owner EMAIL]", env)
	load := commonFlags(fs, env)
	owner := fs.String("owner", "", "e-mail of the owning user; empty: the installation")
	public := fs.Bool("public", false, "import: make the sources visible to every user")
	if err := parse(fs, args); err != nil {
		return err
	}
	verb := fs.Arg(0)
	switch {
	case verb != "import" && verb != "export":
		return usageErr("use: scout opml import FILE [--owner EMAIL] [--public] | scout opml export [--owner EMAIL]")
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
	f, err := os.Open(fs.Arg(1))
	if err != nil {
		return err
	}
	defer f.Close()
	vis := scout.VisibilityPrivate
	if *public || *owner == "" {
		vis = scout.VisibilityPublic
	}
	r, err := a.ImportOPML(ctx, f, *owner, vis)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "imported %d sources, %d already present, %d rejected\n", r.Created, r.Existing, len(r.Rejected))
	for _, rej := range r.Rejected {
		fmt.Fprintf(env.Stdout, "  rejected %s: %s\n", rej.URL, rej.Reason)
	}
	return nil
}
