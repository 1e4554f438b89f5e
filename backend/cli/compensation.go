package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"cockpit/backend/compensation"
	"cockpit/backend/store"
)

func init() {
	register(Command{Name: "compensation", Summary: "compensation calc|request|approve|reject|cancel|execute|list|export (see: compensation help)", Run: runCompensation})
}

const compensationUsage = `usage:
  cockpit compensation calc --rule cpl55|fsl148 --price P [--loss L] [--json]
  cockpit compensation request --case ID --type T --amount YUAN --reason TEXT [--shift S] [--evidence REF]... --user U
  cockpit compensation approve ID [--reason TEXT] --user U
  cockpit compensation reject ID --reason TEXT --user U
  cockpit compensation cancel ID [--reason TEXT] --user U
  cockpit compensation execute ID --status paid|refunded|coupon_issued|replacement_sent [--ref REF] --user U
  cockpit compensation list [--status S] [--case ID] [--json] --user U
  cockpit compensation export [--from YYYY-MM-DD] [--to YYYY-MM-DD] --user U   (CSV for finance on stdout)
--user's password comes from --password-env VAR or the first line of stdin.
types: refund partial_refund replacement coupon cash statutory_damages price_protection`

func runCompensation(env *Env, args []string) error {
	if len(args) == 0 {
		return Usagef("%s", compensationUsage)
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "calc":
		return runCompCalc(env, rest)
	case "request":
		return runCompRequest(env, rest)
	case "approve", "reject":
		return runCompDecide(env, sub, rest)
	case "cancel":
		return runCompCancel(env, rest)
	case "execute":
		return runCompExecute(env, rest)
	case "list":
		return runCompList(env, rest)
	case "export":
		return runCompExport(env, rest)
	case "help":
		fmt.Fprintln(env.Stdout, compensationUsage)
		return nil
	}
	return Usagef("unknown compensation subcommand %q\n%s", sub, compensationUsage)
}

// calcJSON is the --json output: amounts are JSON numbers in yuan written from integer fen, so 299.97
// prints as 299.97 and never as 299.96999999999997.
type calcJSON struct {
	Rule       string                   `json:"rule"`
	Amount     json.Number              `json:"amount"`
	AmountFen  int64                    `json:"amount_fen"`
	Basis      string                   `json:"basis"`
	BasisZH    string                   `json:"basis_zh"`
	Law        string                   `json:"law"`
	Price      json.Number              `json:"price"`
	Loss       json.Number              `json:"loss"`
	Exceptions []compensation.Exception `json:"exceptions"`
}

func runCompCalc(env *Env, args []string) error {
	fs := env.newFlags("compensation calc")
	rule := fs.String("rule", "", "cpl55 (Consumer Protection Law art. 55) or fsl148 (Food Safety Law art. 148)")
	price := fs.String("price", "", "price actually paid, in yuan (e.g. 99.90)")
	loss := fs.String("loss", "", "the consumer's loss in yuan (fsl148 only)")
	asJSON := fs.Bool("json", false, `print {"rule":...,"amount":number,"basis":...}`)
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return Usagef("unexpected argument %q", rest[0])
	}
	if *rule == "" || *price == "" {
		return Usagef("--rule and --price are required")
	}
	priceFen, err := compensation.ParseYuan(*price)
	if err != nil {
		return UsageError{Msg: "--price: " + err.Error()}
	}
	var lossFen int64
	if *loss != "" {
		if lossFen, err = compensation.ParseYuan(*loss); err != nil {
			return UsageError{Msg: "--loss: " + err.Error()}
		}
	}
	c, err := compensation.Calculate(*rule, priceFen, lossFen)
	if err != nil {
		return UsageError{Msg: err.Error()}
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(calcJSON{Rule: c.Rule, Amount: json.Number(compensation.FormatYuan(c.AmountFen)), AmountFen: c.AmountFen,
			Basis: c.Basis, BasisZH: c.BasisZH, Law: c.Law, Price: json.Number(compensation.FormatYuan(c.PriceFen)),
			Loss: json.Number(compensation.FormatYuan(c.LossFen)), Exceptions: c.Exceptions})
	}
	fmt.Fprintf(env.Stdout, "%s yuan\n%s\n%s\n%s\n\nexceptions / 例外:\n", compensation.FormatYuan(c.AmountFen), c.Law, c.Basis, c.BasisZH)
	for _, e := range c.Exceptions {
		fmt.Fprintf(env.Stdout, "  [%s] %s\n         %s\n", e.ID, e.ZH, e.EN)
	}
	return nil
}

// stringList is a repeatable flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func runCompRequest(env *Env, args []string) error {
	fs := env.newFlags("compensation request")
	caseID := fs.Int64("case", 0, "case id")
	typ := fs.String("type", "", "compensation type")
	amount := fs.String("amount", "", "amount in yuan")
	reason := fs.String("reason", "", "why (shown to approvers)")
	shift := fs.String("shift", "", "shift the request is charged to (for shift budgets)")
	var evidence stringList
	fs.Var(&evidence, "evidence", "evidence item id or link (repeatable)")
	cred := env.credentialFlags(fs)
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return Usagef("unexpected argument %q", rest[0])
	}
	fen, err := compensation.ParseYuan(*amount)
	if err != nil {
		return UsageError{Msg: "--amount: " + err.Error()}
	}
	st, by, err := cred.openSignedIn()
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := compensation.New(st, env.Clock, env.Zone).Submit(env.Ctx, by, compensation.NewRequest{CaseID: *caseID,
		Type: compensation.Type(*typ), AmountFen: fen, Reason: *reason, Shift: *shift, Evidence: evidence})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "request %d: %s %s yuan on case %d, pending\n", r.ID, r.Type, compensation.FormatYuan(r.AmountFen), r.CaseID)
	return nil
}

// idArgs parses a subcommand's flags and its one positional request ID, which may come before or after
// the flags ("approve 3 --user u" or "approve --user u 3").
func idArgs(fs *flag.FlagSet, args []string) (int64, error) {
	var first string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		first, args = args[0], args[1:]
	}
	rest, err := parse(fs, args)
	if err != nil {
		return 0, err
	}
	if first == "" && len(rest) > 0 {
		first, rest = rest[0], rest[1:]
	}
	if len(rest) > 0 {
		return 0, Usagef("unexpected argument %q", rest[0])
	}
	id, err := strconv.ParseInt(first, 10, 64)
	if err != nil || id <= 0 {
		return 0, Usagef("request id must be a positive number, got %q", first)
	}
	return id, nil
}

func runCompDecide(env *Env, verdict string, args []string) error {
	fs := env.newFlags("compensation " + verdict)
	reason := fs.String("reason", "", "reason (required to reject)")
	cred := env.credentialFlags(fs)
	id, err := idArgs(fs, args)
	if err != nil {
		return err
	}
	st, by, err := cred.openSignedIn()
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := compensation.New(st, env.Clock, env.Zone).Decide(env.Ctx, by, id, verdict, *reason)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "request %d: %s by %s, now %s\n", r.ID, verdict, by.Username, r.Status)
	return nil
}

func runCompCancel(env *Env, args []string) error {
	fs := env.newFlags("compensation cancel")
	reason := fs.String("reason", "", "why it is withdrawn")
	cred := env.credentialFlags(fs)
	id, err := idArgs(fs, args)
	if err != nil {
		return err
	}
	st, by, err := cred.openSignedIn()
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := compensation.New(st, env.Clock, env.Zone).Cancel(env.Ctx, by, id, *reason)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "request %d: %s\n", r.ID, r.Status)
	return nil
}

func runCompExecute(env *Env, args []string) error {
	fs := env.newFlags("compensation execute")
	status := fs.String("status", "", "paid, refunded, coupon_issued or replacement_sent")
	ref := fs.String("ref", "", "payment, refund or coupon reference")
	cred := env.credentialFlags(fs)
	id, err := idArgs(fs, args)
	if err != nil {
		return err
	}
	st, by, err := cred.openSignedIn()
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := compensation.New(st, env.Clock, env.Zone).SetExecution(env.Ctx, by, id, *status, *ref)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "request %d: %s %s\n", r.ID, r.Execution, r.ExecRef)
	return nil
}

func runCompList(env *Env, args []string) error {
	fs := env.newFlags("compensation list")
	status := fs.String("status", "", "pending, approved, rejected or cancelled")
	caseID := fs.Int64("case", 0, "only this case")
	asJSON := fs.Bool("json", false, "one JSON object per line")
	cred := env.credentialFlags(fs)
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return Usagef("unexpected argument %q", rest[0])
	}
	f := store.CompFilter{CaseID: *caseID}
	if *status != "" {
		f.Status = []string{*status}
	}
	st, by, err := cred.openSignedIn()
	if err != nil {
		return err
	}
	defer st.Close()
	list, err := compensation.New(st, env.Clock, env.Zone).List(env.Ctx, by, f)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetEscapeHTML(false)
		for _, r := range list {
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCASE\tTYPE\tYUAN\tSTATUS\tBY\tREQUESTED\tEXECUTION\tREASON")
	for _, r := range list {
		status := r.Status
		if !r.EscalatedAt.IsZero() && r.Status == "pending" {
			status += " (escalated)"
		}
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.CaseID, r.Type, compensation.FormatYuan(r.AmountFen), status,
			r.Requester, localTime(env, r.RequestedAt), r.Execution, r.Reason)
	}
	return tw.Flush()
}

func runCompExport(env *Env, args []string) error {
	fs := env.newFlags("compensation export")
	from := fs.String("from", "", "first day decided (YYYY-MM-DD, local time)")
	to := fs.String("to", "", "last day decided, inclusive (YYYY-MM-DD, local time)")
	cred := env.credentialFlags(fs)
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return Usagef("unexpected argument %q", rest[0])
	}
	var fromT, toT time.Time
	if *from != "" {
		if fromT, err = time.ParseInLocation("2006-01-02", *from, env.Zone); err != nil {
			return Usagef("--from: want YYYY-MM-DD, got %q", *from)
		}
	}
	if *to != "" {
		if toT, err = time.ParseInLocation("2006-01-02", *to, env.Zone); err != nil {
			return Usagef("--to: want YYYY-MM-DD, got %q", *to)
		}
		toT = toT.AddDate(0, 0, 1)
	}
	st, by, err := cred.openSignedIn()
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := compensation.New(st, env.Clock, env.Zone).ExportCSV(env.Ctx, by, env.Stdout, fromT, toT)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "%d approved requests exported\n", n)
	return nil
}
