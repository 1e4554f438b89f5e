// Package synth fills a workspace with a large, deterministic, realistic-looking complaint load for
// `make bench-board` and the board benchmarks: cases with customers, orders, owners, flags and
// timelines of Chinese and English messages, in the proportions of the seed manuals (product 45%,
// logistics 30%, service 25%; about one case in ten still open). It writes through
// store.InsertSynthetic, not through ingestion: ingesting a million MIME messages would measure the
// parser, not the board.
package synth

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"cockpit/backend/cases"
	"cockpit/backend/store"
)

// Params sizes the load.
type Params struct {
	Cases    int
	Messages int       // spread over the cases (at least one each)
	Owners   int       // supervisors the cases are assigned to
	Now      time.Time // cases open over the 90 days before Now
	Seed     uint64
	Batch    int // cases per transaction
	// Progress, if set, is called after every batch with the cases written so far.
	Progress func(done int)
}

// Defaults fills zero fields.
func (p Params) withDefaults() Params {
	if p.Owners == 0 {
		p.Owners = 20
	}
	if p.Messages < p.Cases {
		p.Messages = p.Cases
	}
	if p.Now.IsZero() {
		p.Now = time.Date(2026, 6, 20, 2, 0, 0, 0, time.UTC)
	}
	if p.Batch == 0 {
		p.Batch = 1000
	}
	return p
}

type kind struct {
	typ, sub string
	weight   int
	titles   []string
	bodies   []string
}

// The vocabulary comes from the seed manuals' scenarios.
var kinds = []kind{
	{"product", "quality", 25, []string{"%s结块，怀疑质量问题", "%s有异物", "%s漏液", "%s收到就坏了", "%s defective on arrival"},
		[]string{"打开%s发现结块，宝宝喝了以后拉肚子，要求退款并赔偿。订单号%s。", "收到的%s有明显质量问题，包装凹陷，里面有异物，请尽快给我答复。", "The %s stopped working after two days. Order %s. I want a replacement."}},
	{"product", "fake_goods", 8, []string{"怀疑%s是假货", "%s不是正品", "Counterfeit %s"},
		[]string{"买的%s和专柜的不一样，怀疑是假货，我要去12315投诉。订单%s。", "这个%s防伪码查不到，你们卖假货，我要曝光你们！", "The %s I received is clearly a fake. Order %s."}},
	{"product", "allergy", 6, []string{"使用%s后过敏", "%s导致皮肤红肿"},
		[]string{"用了%s之后脸上起红疹，已经去医院了，有病历。订单%s，要求赔偿医药费。", "孩子吃了%s后过敏住院，你们必须给个说法。"}},
	{"product", "description_mismatch", 6, []string{"%s与描述不符", "%s not as described"},
		[]string{"详情页写的是80%%含量，收到的%s根本不是，虚假宣传。订单%s。", "The %s does not match the listing photos at all. Order %s."}},
	{"logistics", "stalled_logistics", 18, []string{"物流三天不动", "快递停在中转站", "Parcel stuck in transit"},
		[]string{"618买的%s，物流信息三天没有更新了，什么时候能到？订单%s。", "快递一直停在中转站不动，%s急用，请帮忙催一下。", "Tracking for my %s has not moved for five days. Order %s."}},
	{"logistics", "lost_or_damaged", 8, []string{"包裹显示签收但没收到", "%s破损", "Package marked delivered but missing"},
		[]string{"显示已签收，但我根本没收到%s，快递员代签放门口了。订单%s。", "收到的%s外箱压坏了，里面也碎了，要求补发。", "The %s arrived smashed. Order %s."}},
	{"logistics", "late_shipping", 4, []string{"%s迟迟不发货", "Order not shipped"},
		[]string{"付款一周了%s还没发货，说好48小时发货的。订单%s。", "My %s still has not shipped a week after payment."}},
	{"service", "attitude", 8, []string{"客服态度恶劣", "Rude customer service"},
		[]string{"客服说退不退随你，太气人了，我要投诉这个客服。订单%s涉及%s。", "The agent hung up on me twice about my %s. Order %s."}},
	{"service", "price_protection", 7, []string{"价保申请被拒", "%s降价不给价保"},
		[]string{"%s买了三天就降价200元，申请价保被拒绝，订单%s。", "活动规则写的保价30天，%s降价了却不给退差价。"}},
	{"service", "missing_gift", 6, []string{"满赠赠品没收到", "Missing free gift"},
		[]string{"买%s满赠的赠品没有收到，页面写前1000名赠送。订单%s。", "The free gift promised with my %s never arrived. Order %s."}},
	{"service", "regulator", 4, []string{"12315 转办工单", "市场监管局来函"},
		[]string{"消费者投诉%s质量问题，工单号1231520260%s，请于7个工作日内回复处理结果。", "关于%s的投诉已转办，请于10日内书面答复并提供检测报告。"}},
}

var products = []struct{ name, batch string }{
	{"婴儿奶粉 900g", "AB2026"}, {"婴儿奶粉 900g", "AB2027"}, {"有机米粉", "RF3301"}, {"保湿面霜", "SK7701"},
	{"精华液 30ml", "SR1102"}, {"破壁料理机", ""}, {"无线耳机", ""}, {"羽绒服", "DW2025"}, {"玻璃水杯", ""},
	{"儿童保温杯", "BT0901"}, {"Blender", ""}, {"Face cream", "FC2026"}, {"空气炸锅", ""}, {"蛋白粉", "PP1188"},
}

var surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")

var replies = []string{"已收到您的反馈，客服将在15分钟内联系您。", "我们已记录您的问题并优先核实，2小时内由主管联系您。",
	"Thank you for your patience; here is what we found.", "已为您安排补发，运单号将短信通知。"}

// Fill writes p.Cases cases and p.Messages messages into st and returns the owners' ids.
func Fill(ctx context.Context, st *store.Store, p Params) ([]int64, error) {
	p = p.withDefaults()
	r := rand.New(rand.NewPCG(p.Seed, 0x5eed))
	owners := make([]int64, 0, p.Owners)
	err := st.Tx(ctx, func(tx *sql.Tx) error {
		for i := range p.Owners {
			u, err := store.CreatePersonTx(ctx, tx, store.Person{Username: fmt.Sprintf("sup%02d", i+1),
				DisplayName: fmt.Sprintf("主管%02d", i+1), Role: "supervisor", Active: true, CreatedAt: p.Now})
			if err != nil {
				return err
			}
			owners = append(owners, u.ID)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("synth owners: %w", err)
	}
	total := 0
	for _, k := range kinds {
		total += k.weight
	}
	extra := p.Messages - p.Cases // messages beyond the first of each case
	batch := make([]store.SyntheticCase, 0, p.Batch)
	for i := range p.Cases {
		// Spread the extra messages so that the total is exact: case i gets its share of extra.
		msgs := 1 + (i+1)*extra/p.Cases - i*extra/p.Cases
		batch = append(batch, one(r, p, owners, pick(r, total), msgs, i))
		if len(batch) == p.Batch || i == p.Cases-1 {
			if _, err := st.InsertSynthetic(ctx, batch); err != nil {
				return nil, err
			}
			batch = batch[:0]
			if p.Progress != nil {
				p.Progress(i + 1)
			}
		}
	}
	return owners, nil
}

func pick(r *rand.Rand, total int) kind {
	n := r.IntN(total)
	for _, k := range kinds {
		if n < k.weight {
			return k
		}
		n -= k.weight
	}
	return kinds[len(kinds)-1]
}

func one(r *rand.Rand, p Params, owners []int64, k kind, msgs, i int) store.SyntheticCase {
	prod := products[r.IntN(len(products))]
	order := fmt.Sprintf("JD%010d", 3000000000+i)
	opened := p.Now.Add(-time.Duration(r.Int64N(int64(90 * 24 * time.Hour))))
	c := store.SyntheticCase{Type: k.typ, Subtype: k.sub, OrderNo: order, Product: prod.name, Batch: prod.batch, OpenedAt: opened,
		CustomerName: string(surnames[r.IntN(len(surnames))]) + "先生", CustomerEmail: fmt.Sprintf("c%06d@example.cn", i)}
	c.Title = k.titles[r.IntN(len(k.titles))]
	if strings.Contains(c.Title, "%s") {
		c.Title = fmt.Sprintf(c.Title, prod.name)
	}
	// About one case in ten is still open or pending; recent cases more often than old ones.
	age := p.Now.Sub(opened)
	switch x := r.IntN(100); {
	case age < 7*24*time.Hour && x < 60, x < 6:
		c.Status = cases.StatusOpen
	case age < 7*24*time.Hour && x < 70, x < 8:
		c.Status = cases.StatusPending
	case x < 50:
		c.Status = cases.StatusResolved
	default:
		c.Status = cases.StatusClosed
	}
	switch x := r.IntN(100); {
	case x < 5:
		c.Level = 0
	case x < 12 || k.sub == "allergy":
		c.Level = 1
	case x < 35 || k.sub == "regulator" || k.sub == "fake_goods":
		c.Level = 2
	default:
		c.Level = 3
	}
	if r.IntN(100) < 85 {
		c.OwnerID = owners[r.IntN(len(owners))]
	}
	switch k.sub {
	case "allergy":
		c.Flags = append(c.Flags, "safety", "medical")
	case "regulator":
		c.IsRegulator = true
		c.Flags = append(c.Flags, "regulator")
	case "fake_goods":
		c.Flags = append(c.Flags, "fake_goods")
	}
	if r.IntN(100) < 4 {
		c.Flags = append(c.Flags, "media")
	}
	at := opened
	for m := range msgs {
		body := k.bodies[r.IntN(len(k.bodies))]
		body = fmt.Sprintf(body, prod.name, order)
		kindName, channel, actor := "email", "email", c.CustomerEmail
		switch {
		case k.sub == "regulator" && m == 0:
			kindName, channel, actor = "letter", "regulator", "12315"
		case m%3 == 1:
			body = replies[r.IntN(len(replies))]
			kindName, channel, actor = "reply", "email", "sup"
		case m%5 == 4:
			kindName, channel = "ticket", "helpdesk"
		}
		c.Events = append(c.Events, store.SyntheticEvent{Kind: kindName, Channel: channel, Actor: actor, At: at,
			Summary: c.Title, Body: body})
		at = at.Add(time.Duration(30+r.IntN(600)) * time.Minute)
	}
	return c
}
