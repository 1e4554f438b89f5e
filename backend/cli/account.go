package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"cockpit/backend/ingest/imapsync"
	"cockpit/backend/secrets"
	"cockpit/backend/store"
)

func init() {
	register(Command{Name: "account", Summary: "IMAP accounts: account add|list|remove|test", Run: runAccount})
}

// folderFlags collects repeated --folder NAME=ROLE.
type folderFlags []imapsync.Folder

func (f *folderFlags) String() string { return fmt.Sprint(*f) }

func (f *folderFlags) Set(v string) error {
	name, role, ok := strings.Cut(v, "=")
	if !ok {
		role = "complaints"
	}
	*f = append(*f, imapsync.Folder{Name: strings.TrimSpace(name), Role: strings.TrimSpace(role)})
	return nil
}

func runAccount(env *Env, args []string) error {
	if len(args) == 0 {
		return Usagef("usage: cockpit account add|list|remove|test ...")
	}
	switch args[0] {
	case "add":
		return accountAdd(env, args[1:])
	case "list":
		return accountList(env, args[1:])
	case "remove":
		return accountRemove(env, args[1:])
	case "test":
		return accountTest(env, args[1:])
	}
	return Usagef("unknown account command %q (add, list, remove, test)", args[0])
}

// openSecrets picks the secrets backend; COCKPIT_SECRETS=file|keyring|auto overrides the automatic choice.
func openSecrets(env *Env) (secrets.Store, error) {
	return secrets.Open(env.DataDir, env.Getenv("COCKPIT_SECRETS"))
}

// readPassword takes the password from an environment variable or the first line of stdin, never from a
// flag (flags end up in shell history and `ps`).
func readPassword(env *Env, envVar string) (string, error) {
	if envVar != "" {
		v := env.Getenv(envVar)
		if v == "" {
			return "", Usagef("environment variable %s is empty or unset", envVar)
		}
		return v, nil
	}
	line, err := bufio.NewReader(env.Stdin).ReadString('\n')
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		if err != nil {
			return "", Usagef("no password: give --password-env VAR or the password on stdin")
		}
		return "", Usagef("empty password on stdin")
	}
	return line, nil
}

func accountAdd(env *Env, args []string) error {
	fs := env.newFlags("account add")
	var a imapsync.Account
	var folders folderFlags
	fs.StringVar(&a.Host, "host", "", "IMAP server host name")
	fs.IntVar(&a.Port, "port", 0, "port (default 993 for tls, 143 otherwise)")
	fs.StringVar(&a.Security, "security", "tls", "tls (implicit TLS), starttls or plain")
	fs.StringVar(&a.Username, "user", "", "login name")
	fs.BoolVar(&a.Insecure, "insecure", false, "allow plain IMAP to a host that is not loopback")
	fs.IntVar(&a.BatchSize, "batch", 0, "messages per UID FETCH (default 200)")
	fs.Var(&folders, "folder", "folder and role, repeatable: INBOX=complaints, Regulator=regulator")
	pwEnv := fs.String("password-env", "", "read the password from this environment variable (default: first line of stdin)")
	// Accept "account add NAME --flags" as well as flags first.
	var name string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if name == "" && len(rest) > 0 {
		name, rest = rest[0], rest[1:]
	}
	if name == "" || len(rest) > 0 {
		return Usagef("usage: cockpit account add NAME --host HOST --user USER --folder INBOX=complaints [--password-env VAR]")
	}
	if len(folders) == 0 {
		folders = folderFlags{{Name: "INBOX", Role: "complaints"}}
	}
	if err := a.Validate(); err != nil {
		return UsageError{Msg: err.Error()}
	}
	if err := imapsync.ValidateFolders(folders); err != nil {
		return UsageError{Msg: err.Error()}
	}
	password, err := readPassword(env, *pwEnv)
	if err != nil {
		return err
	}
	sec, err := openSecrets(env)
	if err != nil {
		return err
	}
	st, err := env.OpenWrite()
	if err != nil {
		return err
	}
	defer st.Close()
	id, err := imapsync.AddAccount(env.Ctx, st, sec, name, a, folders, password, env.Clock.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "added account %q (source %d); password stored in the %s\n", name, id, sec.Backend())
	return nil
}

// findSource accepts a source id or name.
func findSource(env *Env, st *store.Store, ref string) (store.Source, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		return st.GetSource(env.Ctx, id)
	}
	return st.SourceByName(env.Ctx, ref)
}

func accountList(env *Env, args []string) error {
	fs := env.newFlags("account list")
	asJSON := fs.Bool("json", false, "one JSON object per account")
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return Usagef("unexpected argument %q", rest[0])
	}
	st, err := env.OpenRead()
	if err != nil {
		return err
	}
	defer st.Close()
	srcs, err := st.ListSources(env.Ctx, "imap")
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetEscapeHTML(false)
		for _, s := range srcs {
			a, _ := imapsync.AccountOf(s)
			if err := enc.Encode(struct {
				store.Source
				Account imapsync.Account `json:"account"`
			}{s, a}); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tSERVER\tUSER\tENABLED\tFOLDER\tROLE\tMSGS\tQUAR\tREMOVED\tLAST SYNC\tLAST ERROR")
	for _, s := range srcs {
		a, _ := imapsync.AccountOf(s)
		for i, f := range s.Folders {
			head := fmt.Sprintf("%d\t%s\t%s:%d (%s)\t%s\t%v", s.ID, s.Name, a.Host, a.Port, a.Security, a.Username, s.Enabled)
			if i > 0 {
				head = "\t\t\t\t"
			}
			last := "never"
			if !f.LastSyncAt.IsZero() {
				last = f.LastSyncAt.In(env.Zone).Format("2006-01-02 15:04")
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%s\t%s\n", head, f.Name, f.Role, f.MessageCount, f.QuarantinedCount, f.RemovedCount, last, f.LastError)
		}
	}
	return tw.Flush()
}

func accountRemove(env *Env, args []string) error {
	rest, err := parse(env.newFlags("account remove"), args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return Usagef("usage: cockpit account remove NAME|ID")
	}
	sec, err := openSecrets(env)
	if err != nil {
		return err
	}
	st, err := env.OpenWrite()
	if err != nil {
		return err
	}
	defer st.Close()
	src, err := findSource(env, st, rest[0])
	if err != nil {
		return err
	}
	if src.Kind != "imap" {
		return fmt.Errorf("source %q is %s, not an IMAP account", src.Name, src.Kind)
	}
	deleted, err := imapsync.RemoveAccount(env.Ctx, st, sec, src.ID)
	if err != nil {
		return err
	}
	if deleted {
		fmt.Fprintf(env.Stdout, "removed account %q\n", src.Name)
	} else {
		fmt.Fprintf(env.Stdout, "disabled account %q and deleted its password; the mail it brought in stays as evidence\n", src.Name)
	}
	return nil
}

func accountTest(env *Env, args []string) error {
	fs := env.newFlags("account test")
	asJSON := fs.Bool("json", false, "print JSON")
	var ref string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		ref, args = args[0], args[1:]
	}
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if ref == "" && len(rest) > 0 {
		ref, rest = rest[0], rest[1:]
	}
	if ref == "" || len(rest) > 0 {
		return Usagef("usage: cockpit account test NAME|ID [--json]")
	}
	sec, err := openSecrets(env)
	if err != nil {
		return err
	}
	st, err := env.OpenRead()
	if err != nil {
		return err
	}
	defer st.Close()
	src, err := findSource(env, st, ref)
	if err != nil {
		return err
	}
	a, err := imapsync.AccountOf(src)
	if err != nil {
		return err
	}
	password, err := sec.Get(imapsync.SecretKey(src.ID))
	if errors.Is(err, secrets.ErrNotFound) {
		return fmt.Errorf("no password stored for %q; remove and add the account again", src.Name)
	}
	if err != nil {
		return err
	}
	var configured []imapsync.Folder
	for _, f := range src.Folders {
		configured = append(configured, imapsync.Folder{Name: f.Name, Role: f.Role})
	}
	res, err := imapsync.Test(env.Ctx, a, password, configured)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	fmt.Fprintf(env.Stdout, "connected to %s:%d as %s\ncapabilities: %s\n", a.Host, a.Port, a.Username, strings.Join(res.Capabilities, " "))
	if !res.Idle {
		fmt.Fprintf(env.Stdout, "no IDLE: the app looks for new mail every %d minutes\n", int(imapsync.DefaultPollInterval.Minutes()))
	}
	if !res.CondStore {
		fmt.Fprintf(env.Stdout, "no CONDSTORE: flag changes are found by listing every message's flags, at most every %d minutes\n", int(imapsync.FlagRecheck.Minutes()))
	}
	fmt.Fprintln(env.Stdout)
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FOLDER\tMESSAGES\tROLE\tNOTE")
	bad := 0
	for _, f := range res.Folders {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", f.Name, f.Messages, f.Role, f.Error)
		if f.Configured && f.Error != "" {
			bad++
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if bad > 0 {
		return fmt.Errorf("%d configured folder(s) not usable", bad)
	}
	return nil
}
