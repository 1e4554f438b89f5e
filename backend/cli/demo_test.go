package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"cockpit/backend/cases"
	"cockpit/backend/clocks"
	"cockpit/backend/demo"
	"cockpit/backend/secrets"
	"cockpit/backend/store"
)

// caseKey is what a case must show of the mail that fed it.
type caseKey struct {
	title    string
	channels string
	messages int
}

// channelOf is the timeline channel the ingest pipeline gives mail of a demo folder.
func channelOf(folder string) string {
	if folder == demo.FolderRegulator {
		return "regulator"
	}
	return "email"
}

// TestDemoThenCases is the foundation's "done means": `cockpit demo` then `cockpit cases --json` prints
// at least 300 cases whose titles, channels and message counts match what the demo mailbox delivered.
func TestDemoThenCases(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("COCKPIT_SECRETS", "file")
	code, out, errs := runCLI(t, dir, "", "demo", "--json")
	if code != ExitOK {
		t.Fatalf("demo: exit %d\n%s\n%s", code, out, errs)
	}
	var sum DemoSummary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("demo --json: %v\n%s", err, out)
	}
	if sum.Sync.Quarantined != 0 || sum.Sync.Ingested != sum.Messages || sum.Cases < 300 {
		t.Fatalf("demo summary %+v", sum)
	}

	// The expected cases, from the generator's own manifest for the workspace's seed and anchor.
	mb, err := demo.Generate(sum.Seed, sum.Anchor)
	if err != nil {
		t.Fatal(err)
	}
	want := map[caseKey]int{}
	type merged struct {
		titles []string
		key    caseKey
	}
	var joined []merged // a regulator letter about an order that already has a case joins it
	for _, th := range mb.Threads {
		if th.LinksTo >= 0 {
			to := mb.Threads[th.LinksTo]
			chans := []string{channelOf(to.Folder), channelOf(th.Folder)}
			slices.Sort(chans)
			joined = append(joined, merged{titles: []string{to.Subject, th.Subject},
				key: caseKey{channels: strings.Join(slices.Compact(chans), ","), messages: len(to.Messages) + len(th.Messages)}})
			continue
		}
		linked := false
		for _, other := range mb.Threads {
			linked = linked || other.LinksTo == th.ID
		}
		if !linked {
			want[caseKey{th.Subject, channelOf(th.Folder), len(th.Messages)}]++
		}
	}

	code, out, errs = runCLI(t, dir, "", "cases", "--json")
	if code != ExitOK {
		t.Fatalf("cases: exit %d %s", code, errs)
	}
	var got []cases.Summary
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var s cases.Summary
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			t.Fatalf("cases --json line %q: %v", sc.Text(), err)
		}
		got = append(got, s)
	}
	if len(got) < 300 || len(got) != sum.Cases {
		t.Fatalf("cases --json printed %d cases, demo reported %d", len(got), sum.Cases)
	}
	for _, c := range got {
		k := caseKey{c.Title, strings.Join(c.Channels, ","), c.MessageCount}
		if want[k] > 0 {
			want[k]--
			continue
		}
		found := false
		for i, j := range joined {
			if slices.Contains(j.titles, c.Title) && j.key.channels == k.channels && j.key.messages == k.messages {
				joined = slices.Delete(joined, i, i+1)
				found = true
				break
			}
		}
		if !found {
			t.Errorf("case %d %+v matches no thread of the demo mailbox", c.ID, k)
		}
		if c.Level < 0 || c.Level > 3 || c.Status == "" || c.Deadlines == nil {
			t.Errorf("case %d: level %d status %q deadlines %v", c.ID, c.Level, c.Status, c.Deadlines)
		}
	}
	var missing []string
	for k, n := range want {
		if n > 0 {
			missing = append(missing, fmt.Sprintf("%dx %+v", n, k))
		}
	}
	for _, j := range joined {
		missing = append(missing, fmt.Sprintf("joined %v %+v", j.titles, j.key))
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Fatalf("%d demo threads have no matching case: %v", len(missing), missing)
	}
	// The headline scenario: ten customers report one milk-powder batch, and the case engine groups their
	// ten cases into one incident.
	milk := map[string]bool{}
	for _, th := range mb.Threads {
		if th.Batch != "" {
			milk[th.Subject] = true
		}
	}
	incidents := map[int64]int{}
	for _, c := range got {
		if milk[c.Title] {
			incidents[c.IncidentID]++
		}
	}
	for id, n := range incidents {
		if len(incidents) != 1 || id == 0 || n != 10 {
			t.Errorf("milk-powder batch cases by incident: %v, want all 10 in one incident", incidents)
			break
		}
	}
	if len(incidents) == 0 {
		t.Error("no case of the milk-powder batch")
	}
	// Customer contact data is masked in the list.
	for _, c := range got {
		if strings.Contains(c.CustomerMail, "@") && !strings.Contains(c.CustomerMail, "*") {
			t.Fatalf("case %d shows an unmasked address %q", c.ID, c.CustomerMail)
		}
	}

	// Running the demo again (a retry, or re-opening the workspace) duplicates nothing.
	code, out, errs = runCLI(t, dir, "", "demo", "--json")
	if code != ExitOK {
		t.Fatalf("second demo: exit %d %s", code, errs)
	}
	var again DemoSummary
	if err := json.Unmarshal([]byte(out), &again); err != nil {
		t.Fatal(err)
	}
	if again.Sync.Ingested != 0 || again.Cases != sum.Cases || !again.Anchor.Equal(sum.Anchor) {
		t.Fatalf("second demo run changed the workspace: %+v", again)
	}

	// Live: the open demo delivers a new complaint, the next sync makes it a case; re-opening the
	// workspace re-delivers it at the same UID, so nothing is duplicated.
	st, err := store.Open(t.Context(), dir, store.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	// The mailbox's flags came with the mail: a message the customer followed up on shows as answered there.
	answered := int64(0)
	for _, c := range got {
		if c.MessageCount < 2 || !slices.Equal(c.Channels, []string{"email"}) {
			continue
		}
		answered = c.ID
		ev, err := st.CaseEvents(t.Context(), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if ev[0].Mailbox == nil || !slices.Contains(ev[0].Mailbox.Flags, `\Answered`) {
			t.Fatalf("case %d: first mail's mailbox state %+v, want \\Answered", c.ID, ev[0].Mailbox)
		}
		break
	}
	if answered == 0 {
		t.Fatal("no demo case with a follow-up mail")
	}
	env := &Env{Ctx: t.Context(), DataDir: dir, Zone: time.UTC, Clock: clocks.System{}, Stderr: io.Discard}
	sec, err := secrets.Open(dir, "file")
	if err != nil {
		t.Fatal(err)
	}
	p, eng := demoPipeline(env, st)
	ws, err := demo.Open(t.Context(), demo.Deps{Store: st, Secrets: sec, Pipeline: p, Engine: eng, Clock: env.Clock}, 99)
	if err != nil {
		t.Fatal(err)
	}
	if ws.State.Seed != sum.Seed {
		t.Errorf("re-opened workspace switched seed to %d", ws.State.Seed)
	}
	th, err := ws.DeliverNext(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	stats, err := ws.Sync(t.Context(), nil)
	if err != nil || stats.Ingested != 1 || stats.NewCases != 1 {
		t.Fatalf("sync after a live delivery: %+v %v", stats, err)
	}
	if list, _ := st.ListCases(t.Context(), cases.Filter{Query: th.OrderNo}); len(list) != 1 || list[0].Title != th.Subject {
		t.Fatalf("live complaint %q (order %s) is not one case: %+v", th.Subject, th.OrderNo, list)
	}
	ws.Close()
	st.Close()
	code, out, errs = runCLI(t, dir, "", "demo", "--json")
	if code != ExitOK {
		t.Fatalf("third demo: exit %d %s", code, errs)
	}
	if err := json.Unmarshal([]byte(out), &again); err != nil {
		t.Fatal(err)
	}
	if again.Sync.Ingested != 0 || again.Live != 1 || again.Cases != sum.Cases+1 {
		t.Fatalf("re-opened live workspace: %+v", again)
	}
}

func TestDemoBadInput(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{{"demo", "--every", "10ms", "--live"}, {"demo", "extra"}, {"demo", "--seed", "-1"}} {
		if code, _, _ := runCLI(t, dir, "", args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	// A second writer (the window holds the data dir) is refused with a message, not a hang.
	holder, err := store.Open(t.Context(), dir, store.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	code, _, errs := runCLI(t, dir, "", "demo")
	if code != ExitFailure || !strings.Contains(errs, "another Cockpit process") {
		t.Fatalf("demo beside a writer: exit %d %q", code, errs)
	}
}
