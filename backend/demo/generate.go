// Package demo builds the demo workspace's mail: a deterministic set of realistic complaint emails in
// Chinese and English (from the seed scenarios), served by an in-process IMAP server so that the demo
// enters Cockpit through the same ingestion code as a real mailbox.
package demo

import (
	"fmt"
	"html"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
)

// Folders of the demo mailbox and the role each plays.
const (
	FolderComplaints = "INBOX"
	FolderRegulator  = "Regulator"
)

// ShopAddress is where customers write to.
const ShopAddress = "kefu@cockpit-demo.example"

// Mailbox is the generated demo mail: threads (one complaint each) and their messages in delivery order.
type Mailbox struct {
	Seed     uint64
	Now      time.Time
	Promo    string
	Threads  []Thread
	Messages []Message

	// emails and orders already given out: the linker joins mail by sender and by order number, so two
	// unrelated threads must not share either.
	emails, orders map[string]bool
}

// Thread is one complaint as the demo means it: its first message opens a case, follow-ups join it.
type Thread struct {
	ID       int
	Scenario string
	Kind     string // product | logistics | service | regulator
	Lang     string // zh | en
	Folder   string
	Subject  string // subject of the first message: what the case should be titled
	Customer string
	Email    string
	OrderNo  string
	Platform string
	Batch    string // milk-powder batch for the group complaint
	// WorkOrderNo and StatedDeadline are set on regulator letters.
	WorkOrderNo    string
	StatedDeadline time.Time
	// Signals are the risk cues a classifier should raise; Negative names a cue whose trigger word the
	// text contains but which must not be raised ("not allergic", 12315 in a signature).
	Signals  []string
	Negative string
	// LinksTo is the index of an earlier thread about the same order (a regulator letter about a
	// customer who threatened 12315 by email), or -1.
	LinksTo  int
	Messages []int // indexes into Mailbox.Messages, oldest first
}

// Message is one email as delivered.
type Message struct {
	Thread      int
	Folder      string
	Date        time.Time
	MessageID   string // without angle brackets
	Subject     string // decoded
	Charset     string
	HTML        bool
	Attachments int
	Raw         []byte
	Flags       []imap.Flag // as the mailbox holds it (see mailboxFlags)
}

// Generate builds the demo mailbox for seed, with every date in the 10 days before now. The same seed
// and now give byte-identical mail.
func Generate(seed uint64, now time.Time) (*Mailbox, error) {
	now = now.UTC()
	mb := &Mailbox{Seed: seed, Now: now, Promo: promoFor(now), emails: map[string]bool{}, orders: map[string]bool{}}
	var msgs []Message
	for _, sc := range scenarios {
		for i := 0; i < sc.count; i++ {
			id := len(mb.Threads)
			r := rand.New(rand.NewPCG(seed, uint64(id)+1))
			th, tm, err := mb.thread(r, sc, id, now, false)
			if err != nil {
				return nil, err
			}
			mb.Threads = append(mb.Threads, th)
			msgs = append(msgs, tm...)
		}
	}
	letters, lm, err := mb.regulatorLetters(seed, now, msgs)
	if err != nil {
		return nil, err
	}
	mb.Threads = append(mb.Threads, letters...)
	msgs = append(msgs, lm...)
	// Delivery order is arrival order, as in a real mailbox: UIDs then follow dates.
	sort.SliceStable(msgs, func(i, j int) bool { return msgs[i].Date.Before(msgs[j].Date) })
	mb.Messages = msgs
	for i, m := range msgs {
		mb.Threads[m.Thread].Messages = append(mb.Threads[m.Thread].Messages, i)
	}
	mb.mailboxFlags()
	return mb, nil
}

// mailboxFlags leaves the mailbox as a front line working it in a mail client would: mail older than two
// hours read, every message a customer followed up on answered, regulator letters flagged. Cockpit shows
// the flags on the timeline; they follow from the threads, so the same mail gets the same flags.
func (mb *Mailbox) mailboxFlags() {
	for _, th := range mb.Threads {
		for k, i := range th.Messages {
			m := &mb.Messages[i]
			if mb.Now.Sub(m.Date) > 2*time.Hour {
				m.Flags = append(m.Flags, imap.FlagSeen)
			}
			if k < len(th.Messages)-1 {
				m.Flags = append(m.Flags, imap.FlagAnswered)
			}
			if m.Folder == FolderRegulator {
				m.Flags = append(m.Flags, imap.FlagFlagged)
			}
		}
	}
}

// Live builds the n-th complaint delivered while the demo is open (n from 0), dated at. It is
// deterministic in (seed, n) so that a re-opened workspace re-delivers what it delivered before.
func Live(seed uint64, n int, at time.Time) (Thread, Message, error) {
	r := rand.New(rand.NewPCG(seed, 1_000_000+uint64(n)))
	var pool []scenario
	for _, sc := range scenarios {
		if sc.negative == "" && sc.key != "milk_batch" { // the batch stays at exactly ten customers
			pool = append(pool, sc)
		}
	}
	sc := weighted(r, pool)
	mb := &Mailbox{Seed: seed, Now: at.UTC(), Promo: promoFor(at), emails: map[string]bool{}, orders: map[string]bool{}}
	th, msgs, err := mb.thread(r, sc, -1-n, at.UTC(), true)
	if err != nil {
		return th, Message{}, err
	}
	return th, msgs[0], nil
}

func weighted(r *rand.Rand, pool []scenario) scenario {
	total := 0
	for _, sc := range pool {
		total += sc.count
	}
	n := r.IntN(total)
	for _, sc := range pool {
		if n < sc.count {
			return sc
		}
		n -= sc.count
	}
	return pool[len(pool)-1]
}

// promoFor names the shopping festival whose peak the complaints refer to: the seeds' 618 from June to
// mid-August, Double 11 from November to January, else the "new year goods" festival before spring.
func promoFor(now time.Time) string {
	switch m := now.Month(); {
	case m >= time.June && m <= time.August:
		return "618"
	case m >= time.November || m == time.January:
		return "双11"
	default:
		return "年货节"
	}
}

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600) // no tzdata: China has had no DST since 1991
	}
	return loc
}()

// randomTime is uniform in [from, to) but moves night-time (01:00-07:00 Shanghai) mail into the day,
// where most complaints are written.
func randomTime(r *rand.Rand, from, to time.Time) time.Time {
	t := from.Add(time.Duration(r.Int64N(int64(to.Sub(from)))))
	if h := t.In(shanghai).Hour(); h >= 1 && h < 7 {
		if u := t.Add(8 * time.Hour); u.Before(to) {
			t = u
		} else if d := t.Add(-8 * time.Hour); d.After(from) {
			t = d
		}
	}
	return t.Truncate(time.Second)
}

// thread builds one complaint and its follow-ups. live threads have a single message dated now.
func (mb *Mailbox) thread(r *rand.Rand, sc scenario, id int, now time.Time, live bool) (Thread, []Message, error) {
	lang := zh
	if r.Float64() >= sc.zhShare && len(sc.open[en]) > 0 {
		lang = en
	}
	c := mb.customer(r, []string{"zh", "en"}[lang], live)
	platform := pick(r, platforms)
	first := now
	if !live {
		from, to := now.Add(-10*24*time.Hour), now.Add(-10*time.Minute)
		if sc.key == "milk_batch" {
			// The group complaint arrives in a burst, as the 3-15 checklist describes.
			from, to = now.Add(-6*24*time.Hour), now.Add(-4*24*time.Hour)
		}
		first = randomTime(r, from, to)
	}
	ordered := first.Add(-time.Duration(2+r.IntN(12)) * 24 * time.Hour)
	th := Thread{
		ID: id, Scenario: sc.key, Kind: sc.kind, Lang: []string{"zh", "en"}[lang], Folder: FolderComplaints,
		Customer: c.name, Email: c.email, Platform: platform, OrderNo: mb.orderNo(r, platform, ordered),
		Signals: sc.signals, Negative: sc.negative, LinksTo: -1,
	}
	if sc.key == "milk_batch" {
		th.Batch = MilkBatch
	}
	vars := map[string]string{
		"name": c.name, "order": th.OrderNo, "product": pick(r, sc.products[lang]), "promo": mb.Promo,
		"platform": platformName(platform, th.Lang), "days": fmt.Sprint(3 + r.IntN(10)),
		"amount": fmt.Sprint(30 + r.IntN(1970)), "phone": c.phone, "batch": MilkBatch, "addr": c.address,
	}
	if lang == en && mb.Promo == "双11" {
		vars["promo"] = "Double 11"
	}
	fill := strings.NewReplacer(flatten(vars)...).Replace
	open := pick(r, sc.open[lang])
	th.Subject = fill(open.subject)
	style := mailStyle(r, lang)

	var msgs []Message
	var refs []string
	at := first
	nFollow := 0
	if !live && len(sc.follow[lang])+len(genericFollow[lang]) > 0 {
		p := 0.3
		if len(sc.signals) > 0 {
			p = 0.5 // angry customers write again
		}
		if r.Float64() < p {
			nFollow = 1 + r.IntN(2)
		}
	}
	for n := 0; n <= nFollow; n++ {
		subject, body := th.Subject, fill(open.body)
		var atts []part
		if n > 0 {
			at = at.Add(time.Duration(3+r.IntN(40))*time.Hour + time.Duration(r.IntN(60))*time.Minute)
			if at.After(now.Add(-2 * time.Minute)) {
				break
			}
			subject = pick(r, replyPrefixes[lang]) + th.Subject
			choices := append(append([]string{}, sc.follow[lang]...), genericFollow[lang]...)
			body = fill(pick(r, choices)) + "\n\n" + quote(fill(open.body), th.Lang, c.name, msgs[len(msgs)-1].Date)
		} else if sc.attach != "" && r.Float64() < sc.attachShare {
			atts = append(atts, attachment(r, sc.attach, lang, id))
		}
		msgID := fmt.Sprintf("demo.%d.%d.%d.%08x@%s", mb.Seed, id, n, r.Uint32(), mailDomain(c.email))
		if live {
			msgID = fmt.Sprintf("live.%d.%d.%08x@%s", mb.Seed, -1-id, r.Uint32(), mailDomain(c.email))
		}
		env := envelope{
			from: c.email, fromName: c.name, to: ShopAddress, toName: []string{"客服中心", "Customer Service"}[lang],
			subject: subject, date: at.In(shanghai), messageID: msgID, mailer: style.mailer, cs: style.cs, qp: style.qp,
		}
		if len(msgs) > 0 {
			env.inReplyTo = msgs[len(msgs)-1].MessageID
			env.references = append([]string{}, refs...)
		}
		raw, err := build(env, bodyParts(body, style), atts)
		if err != nil {
			return th, nil, fmt.Errorf("demo thread %d: %w", id, err)
		}
		refs = append(refs, msgID)
		msgs = append(msgs, Message{Thread: id, Folder: th.Folder, Date: at, MessageID: msgID, Subject: subject,
			Charset: string(style.cs), HTML: style.html != htmlNone, Attachments: len(atts), Raw: raw})
	}
	return th, msgs, nil
}

// customer draws a complainant whose address no other thread of the mailbox uses.
func (mb *Mailbox) customer(r *rand.Rand, lang string, live bool) customer {
	for {
		c := newCustomer(r, lang, live)
		if !mb.emails[c.email] {
			mb.emails[c.email] = true
			return c
		}
	}
}

// orderNo draws an order number no other thread uses.
func (mb *Mailbox) orderNo(r *rand.Rand, platform string, ordered time.Time) string {
	for {
		no := orderNo(r, platform, ordered)
		if !mb.orders[no] {
			mb.orders[no] = true
			return no
		}
	}
}

var replyPrefixes = [2][]string{{"Re: ", "回复：", "答复: ", "RE: "}, {"Re: ", "RE: "}}

func flatten(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys) // map order is random; the replacer must not depend on it
	var out []string
	for _, k := range keys {
		out = append(out, "{"+k+"}", m[k])
	}
	return out
}

func mailDomain(addr string) string {
	_, d, _ := strings.Cut(addr, "@")
	return d
}

func quote(body, lang, name string, at time.Time) string {
	lead := fmt.Sprintf("On %s, %s wrote:", at.In(shanghai).Format("Mon, 2 Jan 2006 15:04"), name)
	if lang == "zh" {
		lead = fmt.Sprintf("在 %s，%s 写道：", at.In(shanghai).Format("2006年1月2日 15:04"), name)
	}
	lines := strings.Split(body, "\n")
	for i, l := range lines {
		lines[i] = "> " + l
	}
	return lead + "\n" + strings.Join(lines, "\n")
}

type htmlMode int

const (
	htmlNone htmlMode = iota
	htmlAlternative
	htmlOnly
)

type style struct {
	cs     charset
	qp     bool
	html   htmlMode
	mailer string
}

// mailStyle picks how the client encodes the mail: Chinese mail is often GBK or GB2312 (Foxmail, older
// Outlook), some clients send HTML, a few send HTML only.
func mailStyle(r *rand.Rand, lang int) style {
	s := style{cs: csUTF8, qp: r.IntN(2) == 0}
	if lang == zh {
		switch x := r.Float64(); {
		case x < 0.18:
			s.cs, s.qp = csGBK, false
		case x < 0.26:
			s.cs, s.qp = csGB2312, false
		case x < 0.30:
			s.cs = csGB18030
		}
		s.mailer = pick(r, []string{"Foxmail 7.2.25.254[cn]", "QQMail 2.x", "NetEase Mail Master 5.1", "iPhone Mail (21F90)", ""})
	} else {
		s.mailer = pick(r, []string{"Microsoft Outlook 16.0", "Apple Mail (2.3774)", ""})
	}
	switch x := r.Float64(); {
	case x < 0.05:
		s.html = htmlOnly
	case x < 0.25:
		s.html = htmlAlternative
	}
	return s
}

func bodyParts(body string, s style) []part {
	plain := part{contentType: "text/plain", data: []byte(body), text: true}
	if s.html == htmlNone {
		return []part{plain}
	}
	var b strings.Builder
	b.WriteString(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=` + strings.ToLower(string(s.cs)) + `"></head><body style="font-family:Microsoft YaHei,sans-serif">`)
	for _, para := range strings.Split(body, "\n") {
		if para == "" {
			b.WriteString("<div><br></div>")
			continue
		}
		b.WriteString("<div>" + html.EscapeString(para) + "</div>")
	}
	b.WriteString("</body></html>")
	h := part{contentType: "text/html", data: []byte(b.String()), text: true}
	if s.html == htmlOnly {
		return []part{h}
	}
	return []part{plain, h}
}
