package cli

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"cockpit/backend/store"
)

func TestCompensationCalcJSON(t *testing.T) {
	tests := []struct {
		args []string
		want string // amount as printed, exact
		rule string
	}{
		{[]string{"--rule", "cpl55", "--price", "999.99"}, `"amount":2999.97`, "cpl55"},
		{[]string{"--rule", "cpl55", "--price", "166.66"}, `"amount":500.00`, "cpl55"},
		{[]string{"--rule", "cpl55", "--price", "166.67"}, `"amount":500.01`, "cpl55"},
		{[]string{"--rule", "fsl148", "--price", "99.99"}, `"amount":1000.00`, "fsl148"},
		{[]string{"--rule", "fsl148", "--price", "100.01"}, `"amount":1000.10`, "fsl148"},
		{[]string{"--rule", "fsl148", "--price", "20", "--loss", "400.10"}, `"amount":1200.30`, "fsl148"},
	}
	for _, tc := range tests {
		code, out, errs := runCLI(t, t.TempDir(), "", append([]string{"compensation", "calc", "--json"}, tc.args...)...)
		if code != ExitOK || !strings.Contains(out, tc.want) {
			t.Fatalf("%v: %d %q %q", tc.args, code, out, errs)
		}
		var v struct {
			Rule   string  `json:"rule"`
			Amount float64 `json:"amount"`
			Basis  string  `json:"basis"`
		}
		if err := json.Unmarshal([]byte(out), &v); err != nil || v.Rule != tc.rule || v.Basis == "" {
			t.Fatalf("%v: %q %v", tc.args, out, err)
		}
	}
	for _, bad := range [][]string{{"--rule", "cpl55"}, {"--rule", "x", "--price", "1"}, {"--rule", "cpl55", "--price", "1.001"}, {"--rule", "cpl55", "--price", "-5"}} {
		if code, _, _ := runCLI(t, t.TempDir(), "", append([]string{"compensation", "calc"}, bad...)...); code != ExitUsage {
			t.Fatalf("%v: exit %d", bad, code)
		}
	}
	code, out, _ := runCLI(t, t.TempDir(), "", "compensation", "calc", "--rule", "fsl148", "--price", "50")
	if code != ExitOK || !strings.Contains(out, "1000.00 yuan") || !strings.Contains(out, "FSL-148b") {
		t.Fatalf("text output: %q", out)
	}
}

// TestCLIOwnRequestRefused drives users and compensation through the command line only: the requester
// cannot approve their own request there either.
func TestCLIOwnRequestRefused(t *testing.T) {
	dir := t.TempDir()
	step := func(stdin string, want int, args ...string) string {
		t.Helper()
		code, out, errs := runCLI(t, dir, stdin, args...)
		if code != want {
			t.Fatalf("%v: exit %d, want %d\nstdout %s\nstderr %s", args, code, want, out, errs)
		}
		return out + errs
	}
	step("admin-password-1\n", ExitOK, "user", "add", "root", "--role", "admin")
	if out := step("x\n", ExitUsage, "user", "add", "root2", "--role", "supervisor"); !strings.Contains(out, "--user is required") {
		t.Fatalf("second user without admin: %s", out)
	}
	step("admin-password-1\nsup-password-1\n", ExitOK, "user", "add", "sup1", "--role", "supervisor", "--user", "root")
	step("admin-password-1\nmgr-password-1\n", ExitOK, "user", "add", "mgr1", "--role", "manager", "--user", "root")
	if out := step("wrong-password\nx\n", ExitFailure, "user", "add", "x1", "--role", "manager", "--user", "root"); !strings.Contains(out, "wrong username or password") {
		t.Fatalf("bad admin password: %s", out)
	}

	st, err := store.Open(context.Background(), dir, store.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := st.InsertSynthetic(context.Background(), []store.SyntheticCase{{Title: "延误", Status: "open", OpenedAt: time.Now()}})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	caseArg := []string{"--case", strconv.FormatInt(ids[0], 10)}
	t.Setenv("SUP_PW", "sup-password-1")
	step("", ExitOK, append([]string{"compensation", "request", "--type", "cash", "--amount", "100", "--reason", "延误补偿", "--user", "sup1", "--password-env", "SUP_PW"}, caseArg...)...)
	t.Setenv("MGR_PW", "mgr-password-1")
	step("", ExitOK, append([]string{"compensation", "request", "--type", "coupon", "--amount", "15", "--reason", "延误券", "--user", "mgr1", "--password-env", "MGR_PW"}, caseArg...)...)

	if out := step("", ExitFailure, "compensation", "approve", "2", "--user", "mgr1", "--password-env", "MGR_PW"); !strings.Contains(out, "own compensation request") {
		t.Fatalf("manager approved own request: %s", out)
	}
	if out := step("", ExitFailure, "compensation", "approve", "1", "--user", "sup1", "--password-env", "SUP_PW"); !strings.Contains(out, "own compensation request") {
		t.Fatalf("supervisor approved own request: %s", out)
	}
	if out := step("", ExitFailure, "compensation", "reject", "2", "--user", "sup1", "--password-env", "SUP_PW"); !strings.Contains(out, "needs a reason") {
		t.Fatalf("reject without reason: %s", out)
	}
	step("", ExitOK, "compensation", "approve", "2", "--user", "sup1", "--password-env", "SUP_PW")
	if out := step("", ExitOK, "compensation", "approve", "1", "--user", "mgr1", "--password-env", "MGR_PW"); !strings.Contains(out, "now approved") {
		t.Fatalf("manager approval: %s", out)
	}
	step("", ExitOK, "compensation", "execute", "1", "--status", "paid", "--ref", "PAY-77", "--user", "mgr1", "--password-env", "MGR_PW")
	out := step("", ExitOK, "compensation", "export", "--user", "mgr1", "--password-env", "MGR_PW")
	if !strings.Contains(out, "100.00") || !strings.Contains(out, "PAY-77") || !strings.Contains(out, "2 approved requests exported") {
		t.Fatalf("export: %s", out)
	}
	out = step("", ExitOK, "compensation", "list", "--json", "--user", "sup1", "--password-env", "SUP_PW")
	if strings.Count(out, "\n") != 2 {
		t.Fatalf("list: %s", out)
	}
	out = step("", ExitOK, "audit", "list", "--action", "compensation.self_decision_refused")
	if strings.Count(out, "self_decision_refused") != 2 {
		t.Fatalf("refusals audited: %s", out)
	}
	step("", ExitOK, "audit", "verify")
	// Passwords: own change needs the old one (first stdin line), then the new one.
	step("sup-password-1\nsup-password-2\n", ExitOK, "user", "passwd", "sup1", "--user", "sup1")
	if out := step("", ExitUsage, "user", "list", "--user", "root", "--password-env", "COCKPIT_TEST_UNSET"); !strings.Contains(out, "COCKPIT_TEST_UNSET") {
		t.Fatalf("unset password variable: %s", out)
	}
	if out := step("sup-password-2\n", ExitFailure, "user", "list", "--user", "sup1"); !strings.Contains(out, "role does not allow") {
		t.Fatalf("supervisor listed users: %s", out)
	}
	if out := step("admin-password-1\n", ExitOK, "user", "list", "--user", "root"); !strings.Contains(out, "mgr1") || strings.Contains(out, "argon2") {
		t.Fatalf("user list: %s", out)
	}
}
