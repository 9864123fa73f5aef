package cli

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"github.com/scoutdev/scout/internal/app"
)

func user(ctx context.Context, args []string, env Env) error {
	fs := newFlagSet("user", env)
	load := commonFlags(fs, env)
	email := fs.String("email", "", "e-mail address (required)")
	name := fs.String("name", "", "display name")
	admin := fs.Bool("admin", false, "make the user an administrator")
	stdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || fs.Arg(0) != "create" {
		return useErr("user")
	}
	if *email == "" {
		return usageErr("--email is required")
	}
	password, generated, err := readPassword(env, *stdin)
	if err != nil {
		return err
	}
	a, err := openApp(ctx, load, env)
	if err != nil {
		return err
	}
	defer a.Close()
	u, err := a.CreateUser(ctx, *email, *name, password, *admin)
	if err != nil {
		return err
	}
	role := "user"
	if u.Admin {
		role = "admin"
	}
	fmt.Fprintf(env.Stdout, "created %s %s (id %d)\n", role, u.Email, u.ID)
	if generated {
		fmt.Fprintf(env.Stdout, "password: %s\n(shown once; pass --password-stdin to choose one)\n", password)
	}
	return nil
}

func readPassword(env Env, fromStdin bool) (pw string, generated bool, err error) {
	if !fromStdin {
		pw, err = app.GeneratePassword()
		return pw, true, err
	}
	line, err := bufio.NewReader(env.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", false, fmt.Errorf("read password from standard input: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), false, nil
}
