package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"cockpit/backend/people"
	"cockpit/backend/store"
)

func init() {
	register(Command{Name: "user", Summary: "users: user add NAME --role R | user list | user passwd NAME (passwords on stdin or --password-env)", Run: runUser})
}

// Passwords never travel as flag values (they would show in `ps` and shell history): they come from
// stdin, one per line, or from environment variables named by flags.
type credentials struct {
	user    *string
	passEnv *string
	lines   *bufio.Reader
	env     *Env
}

func (env *Env) credentialFlags(fs *flag.FlagSet) *credentials {
	return &credentials{
		user:    fs.String("user", "", "act as this user (their password: --password-env or the first line of stdin)"),
		passEnv: fs.String("password-env", "", "name of the environment variable holding --user's password"),
		env:     env,
	}
}

// readLine returns the next stdin line without its line ending.
func (c *credentials) readLine(what string) (string, error) {
	if c.lines == nil {
		c.lines = bufio.NewReader(c.env.Stdin)
	}
	line, err := c.lines.ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", fmt.Errorf("read %s from stdin: %w", what, err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// secret reads a password from the environment variable named by envFlag, else from stdin.
func (c *credentials) secret(envFlag, what string) (string, error) {
	if envFlag != "" {
		v := c.env.Getenv(envFlag)
		if v == "" {
			return "", Usagef("environment variable %s is empty or unset", envFlag)
		}
		return v, nil
	}
	return c.readLine(what)
}

// signIn checks --user's password and returns the user; every acting CLI command goes through it so
// that the audit trail names a verified person and the role checks apply as in the window.
// openSignedIn opens the store for writing and signs in as --user: what every changing command starts with.
func (c *credentials) openSignedIn() (*store.Store, people.User, error) {
	st, err := c.env.OpenWrite()
	if err != nil {
		return nil, people.User{}, err
	}
	u, err := c.signIn(st)
	if err != nil {
		st.Close()
		return nil, u, err
	}
	return st, u, nil
}

func (c *credentials) signIn(st *store.Store) (people.User, error) {
	u, _, err := c.signInKeep(st)
	return u, err
}

func runUser(env *Env, args []string) error {
	if len(args) == 0 {
		return Usagef("usage: cockpit user add|list|passwd ...")
	}
	switch args[0] {
	case "add":
		return runUserAdd(env, args[1:])
	case "list":
		return runUserList(env, args[1:])
	case "passwd":
		return runUserPasswd(env, args[1:])
	}
	return Usagef("unknown user subcommand %q (add, list, passwd)", args[0])
}

// splitName accepts the positional NAME before or after the flags.
func splitName(fs *flag.FlagSet, args []string, usage string) (string, error) {
	var name string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	rest, err := parse(fs, args)
	if err != nil {
		return "", err
	}
	if name == "" && len(rest) > 0 {
		name, rest = rest[0], rest[1:]
	}
	if name == "" || len(rest) > 0 {
		return "", Usagef("usage: %s", usage)
	}
	return name, nil
}

func runUserAdd(env *Env, args []string) error {
	fs := env.newFlags("user add")
	role := fs.String("role", "", "supervisor, legal, manager or admin")
	display := fs.String("name", "", "display name")
	newEnv := fs.String("new-password-env", "", "environment variable holding the new user's password (else the next stdin line)")
	cred := env.credentialFlags(fs)
	const usage = "cockpit user add NAME --role ROLE [--name DISPLAY] --user ADMIN  (first run: no --user, role admin)"
	name, err := splitName(fs, args, usage)
	if err != nil {
		return err
	}
	st, err := env.OpenWrite()
	if err != nil {
		return err
	}
	defer st.Close()
	svc := people.New(st, env.Clock)
	first, err := svc.NeedsSetup(env.Ctx)
	if err != nil {
		return err
	}
	var u people.User
	if first {
		// First run: the only user that can be made without signing in is the admin.
		if *role != "" && *role != string(people.Admin) {
			return Usagef("the first user must be the admin (--role admin)")
		}
		pw, err := cred.secret(*newEnv, "the new password")
		if err != nil {
			return err
		}
		u, err = svc.Setup(env.Ctx, people.NewUser{Username: name, DisplayName: *display, Password: pw})
		if err != nil {
			return err
		}
	} else {
		by, err := cred.signIn(st)
		if err != nil {
			return err
		}
		pw, err := cred.secret(*newEnv, "the new password")
		if err != nil {
			return err
		}
		if u, err = svc.Create(env.Ctx, by, people.NewUser{Username: name, DisplayName: *display, Role: people.Role(*role), Password: pw}); err != nil {
			return err
		}
	}
	fmt.Fprintf(env.Stdout, "created %s (%s)\n", u.Username, u.Role)
	return nil
}

func runUserList(env *Env, args []string) error {
	fs := env.newFlags("user list")
	asJSON := fs.Bool("json", false, "one JSON object per line")
	cred := env.credentialFlags(fs)
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return Usagef("unexpected argument %q", rest[0])
	}
	st, by, err := cred.openSignedIn()
	if err != nil {
		return err
	}
	defer st.Close()
	list, err := people.New(st, env.Clock).List(env.Ctx, by)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetEscapeHTML(false)
		for _, u := range list {
			if err := enc.Encode(u); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "USER\tROLE\tACTIVE\tNAME\tCREATED")
	for _, u := range list {
		fmt.Fprintf(tw, "%s\t%s\t%v\t%s\t%s\n", u.Username, u.Role, u.Active, u.DisplayName, localTime(env, u.CreatedAt))
	}
	return tw.Flush()
}

func runUserPasswd(env *Env, args []string) error {
	fs := env.newFlags("user passwd")
	newEnv := fs.String("new-password-env", "", "environment variable holding the new password (else the next stdin line)")
	cred := env.credentialFlags(fs)
	name, err := splitName(fs, args, "cockpit user passwd NAME --user YOU (your password, then the new one, on stdin)")
	if err != nil {
		return err
	}
	st, err := env.OpenWrite()
	if err != nil {
		return err
	}
	defer st.Close()
	by, current, err := cred.signInKeep(st)
	if err != nil {
		return err
	}
	pw, err := cred.secret(*newEnv, "the new password")
	if err != nil {
		return err
	}
	if err := people.New(st, env.Clock).ChangePassword(env.Ctx, by, name, current, pw); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "password of %s changed\n", name)
	return nil
}

// signInKeep is signIn that also returns the password given, which a user changing their own password
// must present again as the old one.
func (c *credentials) signInKeep(st *store.Store) (people.User, string, error) {
	if *c.user == "" {
		return people.User{}, "", Usagef("--user is required (the person this command acts as)")
	}
	pw, err := c.secret(*c.passEnv, "the password of "+*c.user)
	if err != nil {
		return people.User{}, "", err
	}
	u, err := people.New(st, c.env.Clock).SignIn(c.env.Ctx, *c.user, pw)
	return u, pw, err
}
