// Command imapbench is `make bench-imap`: it fills a throwaway Dovecot on tmpfs with N messages (70% plain
// text, 20% with 1-3 attachments of 50-500 KB, 10% GBK-encoded), then times (a) mbsync pulling the folder
// into a local Maildir and (b) `cockpit sync --once` into an empty data dir, and prints both wall times,
// the ratio, messages per second and Cockpit's peak RSS. Then, in the same round, it times the floor
// (floor.go): the least any full ingest does with the libraries the issue names, so that Cockpit's figure
// can be read against what is reachable on this machine. (b) runs this binary re-executed as the Cockpit
// CLI (`imapbench cli ...` calls the same cli.Run as `cockpit`), which spares a cgo/WebKit build of the
// window; the sync path is identical.
package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"mime"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"

	"cockpit/backend/cli"
	"cockpit/backend/ingest/imapsync/dovecottest"
	"cockpit/backend/store"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "cli" {
		g, rest, err := cli.ParseGlobal(os.Args[2:], os.Stderr)
		if err != nil {
			os.Exit(cli.ExitUsage)
		}
		os.Exit(cli.Run(g, rest, os.Stdin, os.Stdout, os.Stderr))
	}
	dir := flag.String("dir", "/dev/shm/cockpit-bench-imap", "work dir (must be tmpfs for stable figures)")
	n := flag.Int("n", 10000, "messages")
	jsonOut := flag.String("json", "", "also write the figures here")
	rounds := flag.Int("rounds", 1, "mbsync-then-Cockpit rounds on the same mailbox; the round with the median ratio is reported "+
		"(this machine's speed drifts by a third between runs, so one round's ratio is one sample)")
	flag.StringVar(&bodyStyle, "text", "mail", "message bodies: mail (complaints quoted from the labelled set amid ordinary prose, "+
		"a quoted earlier message and a signature) or dense (nothing but rule keywords: the classifier's worst case)")
	flag.Parse()
	if bodyStyle != "mail" && bodyStyle != "dense" {
		fmt.Fprintln(os.Stderr, "imapbench: -text must be mail or dense")
		os.Exit(2)
	}
	if *rounds < 1 {
		fmt.Fprintln(os.Stderr, "imapbench: -rounds must be at least 1")
		os.Exit(2)
	}
	if err := run(*dir, *n, *rounds, *jsonOut); err != nil {
		fmt.Fprintln(os.Stderr, "imapbench:", err)
		os.Exit(1)
	}
}

type result struct {
	Text           string  `json:"text"`
	Messages       int     `json:"messages"`
	MailBytes      int64   `json:"mail_bytes"`
	MbsyncSeconds  float64 `json:"mbsync_seconds"`
	CockpitSeconds float64 `json:"cockpit_seconds"`
	// IngestSeconds is when the last message was committed (raw item, case, event); the rest of
	// CockpitSeconds is the case engine classifying the cases (the pipeline's after-commit hook).
	IngestSeconds  float64 `json:"ingest_seconds"`
	IngestRatio    float64 `json:"ingest_ratio"`
	Ratio          float64 `json:"ratio"`
	MbsyncMsgPerS  float64 `json:"mbsync_msg_per_s"`
	CockpitMsgPerS float64 `json:"cockpit_msg_per_s"`
	CockpitPeakRSS int64   `json:"cockpit_peak_rss_kb"`
	// CPU seconds (user + system) of each client, without Dovecot's: on a shared machine these vary less
	// than wall times, and show what the work itself costs.
	MbsyncCPU   float64 `json:"mbsync_cpu_seconds"`
	CockpitCPU  float64 `json:"cockpit_cpu_seconds"`
	Ingested    int     `json:"ingested"`
	Quarantined int     `json:"quarantined"`
	Duplicates  int     `json:"duplicates"`
	Cases       int     `json:"cases"`
	MbsyncFiles int     `json:"mbsync_files"`
	// Dovecot's CPU seconds serving each client.
	MbsyncServerCPU  float64 `json:"mbsync_server_cpu_seconds"`
	CockpitServerCPU float64 `json:"cockpit_server_cpu_seconds"`
	// Floor is the least a full ingest does (floor.go), stage by stage, in the same round. FloorBound
	// is the ratio the last stage could reach at best: its CPU and Dovecot's spread over every core
	// without a moment idle.
	Floor      []floorFigures `json:"floor"`
	FloorBound float64        `json:"floor_bound_ratio"`
	// Ratios of every round, in the order run; the fields above are those of the median round.
	Ratios []float64 `json:"ratios"`
}

func run(dir string, n, rounds int, jsonOut string) error {
	var err error
	if complaintTexts, err = complaints(); err != nil {
		return err
	}
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin, err := dovecottest.Binary()
	if err != nil {
		return err
	}
	srv, err := dovecottest.StartIn(filepath.Join(dir, "dovecot"), bin)
	if err != nil {
		return err
	}
	defer srv.Stop()

	t0 := time.Now()
	size, err := fill(srv.MaildirNew("INBOX"), n)
	if err != nil {
		return err
	}
	if err := srv.Index(context.Background(), "INBOX"); err != nil {
		return err
	}
	fmt.Printf("seeded %d messages (%.1f MB) in %s\n", n, float64(size)/1e6, time.Since(t0).Round(time.Millisecond))
	// Dovecot builds its index caches on the first full read of the folder, which made the first
	// client to read it (mbsync) about a third slower than the next. An untimed read first gives both
	// timed clients the same server.
	t0 = time.Now()
	if _, _, _, err := runMbsync(dir, srv); err != nil {
		return err
	}
	fmt.Printf("warm-up read (untimed mbsync): %s\n", time.Since(t0).Round(time.Millisecond))
	var all []result
	for r := 1; r <= rounds; r++ {
		if rounds > 1 {
			fmt.Printf("\n== round %d of %d\n", r, rounds)
		}
		res, err := runRound(dir, srv, n, size)
		if err != nil {
			return err
		}
		all = append(all, res)
	}
	res := slices.SortedFunc(slices.Values(all), func(a, b result) int { return cmp.Compare(a.Ratio, b.Ratio) })[(len(all)-1)/2]
	for _, r := range all {
		res.Ratios = append(res.Ratios, r.Ratio)
	}
	if rounds > 1 {
		fmt.Printf("\nmedian of %d rounds: ratio %.2f (rounds: %s), cockpit %.2f s, mbsync %.2f s, peak RSS %.0f MB; "+
			"that round's floor: ratio %.2f, at best %.2f\n", rounds, res.Ratio, formatRatios(res.Ratios), res.CockpitSeconds,
			res.MbsyncSeconds, float64(res.CockpitPeakRSS)/1024, res.Floor[len(res.Floor)-1].Ratio, res.FloorBound)
	}
	if jsonOut != "" {
		b, _ := json.MarshalIndent(res, "", "  ")
		return os.WriteFile(jsonOut, b, 0o644)
	}
	return nil
}

func formatRatios(rs []float64) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = strconv.FormatFloat(r, 'f', 2, 64)
	}
	return strings.Join(parts, " ")
}

// runRound times mbsync and then Cockpit pulling the seeded folder, each into an empty place.
func runRound(dir string, srv *dovecottest.Server, n int, size int64) (result, error) {
	res := result{Text: bodyStyle, Messages: n, MailBytes: size}
	// (a) mbsync into a local Maildir.
	served, err := srv.ServedCPU()
	if err != nil {
		return res, err
	}
	if res.MbsyncSeconds, res.MbsyncCPU, res.MbsyncFiles, err = runMbsync(dir, srv); err != nil {
		return res, err
	}
	res.MbsyncServerCPU = servedCPU(srv, served)
	fmt.Printf("mbsync:  %.2fs (%d files)\n", res.MbsyncSeconds, res.MbsyncFiles)
	env := benchEnv(srv)

	// (b) cockpit sync --once into an empty data dir.
	self, err := os.Executable()
	if err != nil {
		return res, err
	}
	data := filepath.Join(dir, "cockpit-data")
	defer os.RemoveAll(data) // the next round starts from an empty data dir too, and the tmpfs needs the room
	add := exec.Command(self, "cli", "--data-dir", data, "account", "add", "bench", "--host", "127.0.0.1", "--port",
		strconv.Itoa(srv.Port), "--security", "plain", "--user", srv.User, "--password-env", "BENCH_IMAP_PW", "--batch", "500")
	add.Env = env
	if out, err := add.CombinedOutput(); err != nil {
		return res, fmt.Errorf("account add: %w: %s", err, out)
	}
	var sync *exec.Cmd
	timeV := false
	if _, err := os.Stat("/usr/bin/time"); err == nil {
		timeV = true
		sync = exec.Command("/usr/bin/time", "-v", self, "cli", "--data-dir", data, "sync", "--once")
	} else {
		sync = exec.Command(self, "cli", "--data-dir", data, "sync", "--once")
	}
	sync.Env = env
	var stderr bytes.Buffer
	sync.Stderr = &stderr
	if served, err = srv.ServedCPU(); err != nil {
		return res, err
	}
	t0 := time.Now()
	committed := make(chan float64, 1)
	stop := make(chan struct{})
	go watchCommits(data, n, t0, committed, stop)
	out, err := sync.Output()
	res.CockpitSeconds = time.Since(t0).Seconds()
	res.CockpitCPU = cpuSeconds(sync.ProcessState) // with /usr/bin/time: its own (tiny) share and Cockpit's
	close(stop)
	res.IngestSeconds = <-committed
	res.CockpitServerCPU = servedCPU(srv, served)
	if err != nil {
		return res, fmt.Errorf("cockpit sync: %w: %s %s", err, out, stderr.String())
	}
	fmt.Printf("cockpit: %.2fs  %s", res.CockpitSeconds, out)
	if timeV {
		if m := regexp.MustCompile(`Maximum resident set size \(kbytes\): (\d+)`).FindStringSubmatch(stderr.String()); m != nil {
			res.CockpitPeakRSS, _ = strconv.ParseInt(m[1], 10, 64)
		}
	} else if ru, ok := sync.ProcessState.SysUsage().(*syscall.Rusage); ok {
		res.CockpitPeakRSS = ru.Maxrss
	}
	st, err := store.Open(context.Background(), data, store.ReadOnly)
	if err != nil {
		return res, err
	}
	counts, err := st.RawItemCounts(context.Background(), 0)
	if err != nil {
		return res, err
	}
	res.Ingested, res.Quarantined, res.Duplicates = counts["ingested"], counts["quarantined"], counts["duplicate"]
	if res.Cases, err = st.IngestedCaseCount(context.Background()); err != nil {
		st.Close()
		return res, err
	}
	st.Close()
	res.Ratio = res.CockpitSeconds / res.MbsyncSeconds
	res.IngestRatio = res.IngestSeconds / res.MbsyncSeconds
	res.MbsyncMsgPerS = float64(n) / res.MbsyncSeconds
	res.CockpitMsgPerS = float64(n) / res.CockpitSeconds
	fmt.Printf("\nmessages %d (%.0f MB, %s text)\nmbsync   %.2f s  %.0f msg/s  CPU %.1f s (Dovecot %.1f s)\n"+
		"cockpit  %.2f s  %.0f msg/s  CPU %.1f s (Dovecot %.1f s)  peak RSS %.0f MB\nratio    %.2f (target <= 1.5)\n"+
		"  of which ingest (fetch, hash, parse, link, commit) done after %.2f s: ratio %.2f, %.0f msg/s; the rest is the case engine classifying\n"+
		"cockpit recorded: %d ingested, %d quarantined, %d duplicates, %d cases\n",
		n, float64(size)/1e6, bodyStyle, res.MbsyncSeconds, res.MbsyncMsgPerS, res.MbsyncCPU, res.MbsyncServerCPU, res.CockpitSeconds,
		res.CockpitMsgPerS, res.CockpitCPU, res.CockpitServerCPU, float64(res.CockpitPeakRSS)/1024, res.Ratio, res.IngestSeconds,
		res.IngestRatio, float64(n)/res.IngestSeconds, res.Ingested, res.Quarantined, res.Duplicates, res.Cases)
	if got := res.Ingested + res.Quarantined + res.Duplicates; got != n {
		return res, fmt.Errorf("cockpit recorded %d of %d messages", got, n)
	}
	if res.Floor, res.FloorBound, err = timeFloor(dir, srv, n, res.MbsyncSeconds); err != nil {
		return res, err
	}
	return res, nil
}

// timeFloor runs the floor's stages (floor.go) against mbsync's time and returns their figures and the
// best ratio the last stage's CPU allows on this machine's cores.
func timeFloor(dir string, srv *dovecottest.Server, n int, mbsyncSeconds float64) ([]floorFigures, float64, error) {
	fmt.Println("floor: the least a full ingest does with go-imap v2, go-message and modernc SQLite (no dedupe, cases or classification):")
	var figures []floorFigures
	for _, st := range floorStages {
		served, err := srv.ServedCPU()
		if err != nil {
			return nil, 0, err
		}
		f := floorFigures{Stage: st.label}
		if f.Seconds, f.CPU, err = runFloor(dir, srv, n, st.stage); err != nil {
			return nil, 0, err
		}
		f.ServerCPU = servedCPU(srv, served)
		f.Ratio = f.Seconds / mbsyncSeconds
		figures = append(figures, f)
		fmt.Printf("  %-62s %6.2f s  ratio %.2f  CPU %.1f s (Dovecot %.1f s)\n", st.label, f.Seconds, f.Ratio, f.CPU, f.ServerCPU)
	}
	last := figures[len(figures)-1]
	cores := runtime.NumCPU()
	bound := (last.CPU + last.ServerCPU) / float64(cores) / mbsyncSeconds
	fmt.Printf("  on %d cores, never idle, the last stage's CPU (with Dovecot's) takes at least %.2f s: ratio >= %.2f\n",
		cores, bound*mbsyncSeconds, bound)
	return figures, bound, nil
}

// runMbsync pulls the folder with mbsync into an empty local Maildir, removed afterwards to free the
// tmpfs, and returns its wall and CPU seconds and how many files it wrote.
func runMbsync(dir string, srv *dovecottest.Server) (seconds, cpu float64, files int, err error) {
	local := filepath.Join(dir, "mbsync-local")
	if err := os.MkdirAll(local, 0o700); err != nil {
		return 0, 0, 0, err
	}
	defer os.RemoveAll(local)
	rc := filepath.Join(dir, "mbsyncrc")
	conf := fmt.Sprintf(`IMAPAccount bench
Host 127.0.0.1
Port %d
User %s
PassCmd "printenv BENCH_IMAP_PW"
SSLType None
AuthMechs LOGIN

IMAPStore bench-remote
Account bench

MaildirStore bench-local
Path %s/
Inbox %s/INBOX
SubFolders Verbatim

Channel bench
Far :bench-remote:
Near :bench-local:
Patterns INBOX
Create Near
Sync Pull
SyncState *
`, srv.Port, srv.User, local, local)
	if err := os.WriteFile(rc, []byte(conf), 0o600); err != nil {
		return 0, 0, 0, err
	}
	mb := exec.Command("mbsync", "-q", "-c", rc, "-a")
	mb.Env = benchEnv(srv)
	t0 := time.Now()
	if out, err := mb.CombinedOutput(); err != nil {
		return 0, 0, 0, fmt.Errorf("mbsync: %w: %s", err, out)
	}
	seconds, cpu = time.Since(t0).Seconds(), cpuSeconds(mb.ProcessState)
	cur, _ := filepath.Glob(filepath.Join(local, "INBOX", "cur", "*"))
	fresh, _ := filepath.Glob(filepath.Join(local, "INBOX", "new", "*"))
	return seconds, cpu, len(cur) + len(fresh), nil
}

func benchEnv(srv *dovecottest.Server) []string {
	return append(os.Environ(), "BENCH_IMAP_PW="+srv.Password, "COCKPIT_SECRETS=file")
}

func cpuSeconds(ps *os.ProcessState) float64 {
	if ps == nil {
		return 0
	}
	return (ps.UserTime() + ps.SystemTime()).Seconds()
}

// watchCommits polls the data dir (read-only, as a second process may) until all n messages are committed
// and sends the elapsed seconds; if the sync ends first it sends the time it ended.
func watchCommits(data string, n int, t0 time.Time, out chan<- float64, stop <-chan struct{}) {
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			out <- time.Since(t0).Seconds()
			return
		case <-tick.C:
		}
		st, err := store.Open(context.Background(), data, store.ReadOnly)
		if err != nil {
			continue // not created yet
		}
		counts, err := st.RawItemCounts(context.Background(), 0)
		st.Close()
		if err == nil && counts["ingested"]+counts["quarantined"]+counts["duplicate"] >= n {
			out <- time.Since(t0).Seconds()
			<-stop
			return
		}
	}
}

// bodyStyle picks the message text (-text).
var bodyStyle string

var words = []string{"奶粉", "结块", "物流", "太慢", "退款", "客服", "投诉", "过敏", "赠品", "少发", "价保", "破损",
	"milk", "powder", "delivery", "refund", "late", "broken", "allergy", "gift", "missing"}

// prose is what surrounds a complaint in real mail: greetings, order details, narrative, politeness.
var prose = []string{
	"您好，我是贵店的老客户了，一直以来对你们的服务都比较满意。",
	"上周五下单，当天就付款了，物流显示周一已经发出。",
	"快递员打电话说放在小区门口的快递柜里，我下班以后才取到。",
	"我把收到的东西和页面上的描述对比了一下，照片附在后面。",
	"麻烦你们尽快核实一下，看看怎么处理比较合适。",
	"家里老人平时也在你们店里买东西，希望这次能给个说法。",
	"Hello, I placed the order last week and paid with my credit card the same day.",
	"The parcel came on Tuesday afternoon and my neighbour signed for it.",
	"I have attached photos of the box and the item as it arrived.",
	"Please let me know what you need from me to sort this out.",
	"谢谢！期待您的回复。",
	"我的联系电话在订单里有，白天都可以打。",
}

// complaints are the labelled set's messages: what customers actually write about.
func complaints() ([]string, error) {
	f, err := os.Open("backend/classify/testdata/labelled.jsonl")
	if err != nil {
		return nil, fmt.Errorf("imapbench runs from the repository root (make bench-imap does): %w", err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var l struct{ Text string }
		if json.Unmarshal(sc.Bytes(), &l) == nil && l.Text != "" {
			out = append(out, l.Text)
		}
	}
	return out, sc.Err()
}

// text is a message body of about n bytes in the chosen style.
func text(r *rand.Rand, n int) string {
	if bodyStyle == "dense" {
		return denseText(r, n)
	}
	return mailText(r, n)
}

var complaintTexts []string

// mailText: a complaint or two amid ordinary prose, then a quoted earlier message and a signature,
// which the classifier cuts before reading.
func mailText(r *rand.Rand, n int) string {
	var sb strings.Builder
	sb.WriteString(prose[r.IntN(len(prose))] + "\r\n")
	for i := 0; i < 1+r.IntN(2); i++ {
		sb.WriteString(complaintTexts[r.IntN(len(complaintTexts))] + "\r\n")
	}
	for sb.Len() < n*2/3 {
		sb.WriteString(prose[r.IntN(len(prose))])
		if r.IntN(3) == 0 {
			sb.WriteString("\r\n")
		}
	}
	sb.WriteString("\r\n--\r\n张女士 / Ms Zhang\r\n\r\n在 2026年11月20日 10:12，客服 写道：\r\n")
	for sb.Len() < n {
		sb.WriteString("> " + prose[r.IntN(len(prose))] + "\r\n")
	}
	return sb.String()
}

func denseText(r *rand.Rand, n int) string {
	var sb strings.Builder
	for sb.Len() < n {
		sb.WriteString(words[r.IntN(len(words))])
		if r.IntN(8) == 0 {
			sb.WriteString("。\r\n")
		} else {
			sb.WriteByte(' ')
		}
	}
	return sb.String()
}

func wrap76(s string) string {
	var sb strings.Builder
	for len(s) > 76 {
		sb.WriteString(s[:76])
		sb.WriteString("\r\n")
		s = s[76:]
	}
	sb.WriteString(s)
	sb.WriteString("\r\n")
	return sb.String()
}

// fill writes n messages into a Maildir "new" directory and returns their total size.
func fill(dir string, n int) (int64, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	r := rand.New(rand.NewPCG(2026, 11))
	var total int64
	for i := 0; i < n; i++ {
		subject := fmt.Sprintf("订单 %d 投诉：%s", i, words[r.IntN(len(words))])
		head := fmt.Sprintf("From: Customer %d <c%d@example.com>\r\nTo: service@shop.example\r\nDate: Mon, 23 Nov 2026 %02d:%02d:00 +0800\r\nMessage-ID: <bench%d@example.com>\r\nMIME-Version: 1.0\r\n",
			i, r.IntN(3000), i%24, i%60, i)
		body := text(r, 1500+r.IntN(3000)) + fmt.Sprintf("\r\n订单号：%d\r\n", 230000000000+i)
		var msg string
		switch i % 10 {
		case 7, 8: // 20%: 1-3 attachments of 50-500 KB
			boundary := fmt.Sprintf("b%d", i)
			var sb strings.Builder
			sb.WriteString(head + "Subject: " + mime.BEncoding.Encode("utf-8", subject) + "\r\nContent-Type: multipart/mixed; boundary=" + boundary + "\r\n\r\n")
			sb.WriteString("--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body + "\r\n")
			for a := 0; a < 1+r.IntN(3); a++ {
				data := make([]byte, 50_000+r.IntN(450_001))
				for j := range data {
					data[j] = byte(r.Uint32())
				}
				sb.WriteString(fmt.Sprintf("--%s\r\nContent-Type: image/jpeg\r\nContent-Disposition: attachment; filename=\"photo%d.jpg\"\r\nContent-Transfer-Encoding: base64\r\n\r\n", boundary, a))
				sb.WriteString(wrap76(base64.StdEncoding.EncodeToString(data)))
			}
			sb.WriteString("--" + boundary + "--\r\n")
			msg = sb.String()
		case 9: // 10%: GBK
			gs, err := encoding.ReplaceUnsupported(simplifiedchinese.GBK.NewEncoder()).String(subject)
			if err != nil {
				return 0, err
			}
			gb, err := encoding.ReplaceUnsupported(simplifiedchinese.GBK.NewEncoder()).String(body)
			if err != nil {
				return 0, err
			}
			msg = head + "Subject: =?GBK?B?" + base64.StdEncoding.EncodeToString([]byte(gs)) + "?=\r\nContent-Type: text/plain; charset=GBK\r\nContent-Transfer-Encoding: base64\r\n\r\n" + wrap76(base64.StdEncoding.EncodeToString([]byte(gb)))
		default: // 70% plain UTF-8 text
			msg = head + "Subject: " + mime.BEncoding.Encode("utf-8", subject) + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%d.M%dP1.bench:2,", 1700000000+i, i)), []byte(msg), 0o644); err != nil {
			return 0, err
		}
		total += int64(len(msg))
	}
	return total, nil
}
