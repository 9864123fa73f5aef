package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/scoutdev/scout/internal/scout"
)

// opmlCmd imports or exports sources as OPML.
func opmlCmd(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 || (args[0] != "import" && args[0] != "export") {
		return usageErr("use: scout opml import FILE [--owner EMAIL] [--public] | scout opml export [--owner EMAIL]")
	}
	verb := args[0]
	fs := newFlagSet("opml "+verb, "[FILE] [--owner EMAIL] [--public]", env)
	load := commonFlags(fs, env)
	owner := fs.String("owner", "", "e-mail of the owning user; empty: the installation")
	public := fs.Bool("public", false, "import: make the sources visible to every user")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if verb == "import" && fs.NArg() != 1 {
		return usageErr("opml import needs exactly one FILE")
	}
	a, err := openApp(ctx, load, env)
	if err != nil {
		return err
	}
	defer a.Close()
	if verb == "export" {
		return a.ExportOPML(ctx, env.Stdout, *owner)
	}
	f, err := os.Open(fs.Arg(0))
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
