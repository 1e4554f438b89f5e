package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"cockpit/backend/pii"
)

// bureau is a market regulation bureau that forwards 12315 complaints. Addresses use the reserved
// .example domain.
type bureau struct{ name, mail, region, officer, tel string }

var bureaus = []bureau{
	{"上海市浦东新区市场监督管理局", "12315@scjgj-pudong.example", "310115", "王科员", "021-5010****"},
	{"杭州市西湖区市场监督管理局", "tsjb@amr-xihu.example", "330106", "陈科员", "0571-8723****"},
	{"深圳市市场监督管理局南山监管局", "ns12315@amr-sz.example", "440305", "李科员", "0755-2664****"},
}

// regulatorLetters builds the letters that reach the Regulator folder. The first concerns a customer
// who threatened 12315 by email (same order: cross-channel linking), the second a skin-care allergy,
// the third a price complaint. Each carries a work-order number and a stated reply deadline.
func (mb *Mailbox) regulatorLetters(seed uint64, now time.Time, earlier []Message) ([]Thread, []Message, error) {
	firstDate := map[int]time.Time{}
	for _, m := range earlier {
		if _, ok := firstDate[m.Thread]; !ok {
			firstDate[m.Thread] = m.Date
		}
	}
	var threads []Thread
	var msgs []Message
	for i, b := range bureaus {
		id := len(mb.Threads) + i
		r := rand.New(rand.NewPCG(seed, uint64(id)+1))
		at := randomTime(r, now.Add(-7*24*time.Hour), now.Add(-12*time.Hour))
		// A letter names a workday morning in the bureau's office hours.
		local := at.In(shanghai)
		at = time.Date(local.Year(), local.Month(), local.Day(), 9+r.IntN(8), r.IntN(60), 0, 0, shanghai).UTC()
		if at.After(now) {
			at = at.Add(-24 * time.Hour)
		}
		th := Thread{ID: id, Scenario: "regulator_letter", Kind: "regulator", Lang: "zh", Folder: FolderRegulator,
			Signals: []string{"regulator"}, LinksTo: -1, Platform: pick(r, platforms)}
		var product, complaint string
		switch i {
		case 0:
			for j := range mb.Threads {
				if t := mb.Threads[j]; t.Scenario == "threat_12315" && t.Lang == "zh" && firstDate[j].Before(at) {
					th.LinksTo, th.Customer, th.Email, th.OrderNo, th.Platform = j, t.Customer, t.Email, t.OrderNo, t.Platform
					break
				}
			}
			product = pick(r, gadgets[zh])
			complaint = "商品存在质量问题，申请售后后商家长期未处理，退款未按时到账"
		case 1:
			product = pick(r, skincare[zh])
			complaint = "使用该商品后出现皮肤过敏，已就医，怀疑商品为假冒产品，要求退款并赔偿医疗费用"
			th.Signals = append(th.Signals, "safety", "allergy")
		default:
			product = pick(r, gadgets[zh])
			complaint = "商品页面标示的划线原价高于此前七日内实际成交价，涉嫌虚构原价，要求退还差价"
		}
		if th.Customer == "" {
			c := mb.customer(r, "zh", false)
			th.Customer, th.Email = c.name, c.email
			th.OrderNo = mb.orderNo(r, th.Platform, at.Add(-20*24*time.Hour))
		}
		received := at.Add(-time.Duration(1+r.IntN(3)) * 24 * time.Hour)
		th.WorkOrderNo = fmt.Sprintf("%s%s%06d", b.region, received.In(shanghai).Format("20060102"), r.IntN(1000000))
		deadline := at.In(shanghai).AddDate(0, 0, 14)
		th.StatedDeadline = time.Date(deadline.Year(), deadline.Month(), deadline.Day(), 17, 0, 0, 0, shanghai).UTC()
		th.Subject = fmt.Sprintf("关于12315投诉工单%s的转办通知", th.WorkOrderNo)
		body := strings.Join([]string{
			"Cockpit示范电商有限公司：",
			"",
			fmt.Sprintf("本局于%s收到消费者%s（联系电话：%s）通过全国12315平台提交的投诉，工单编号：%s。",
				received.In(shanghai).Format("2006年1月2日"), pii.Name(th.Customer), "1**********", th.WorkOrderNo),
			fmt.Sprintf("投诉内容：消费者称在贵公司%s店铺购买%s（订单号：%s），%s。",
				platformName(th.Platform, "zh"), product, th.OrderNo, complaint),
			"",
			"根据《市场监督管理投诉举报处理办法》的有关规定，现将该投诉转交贵单位处理。请贵单位在收到本通知之日起十个工作日内与消费者协商和解，",
			fmt.Sprintf("并于%s前将处理结果（含沟通记录、处理方案及相关凭证）通过全国12315平台或书面形式反馈本局。逾期未反馈的，本局将依法处理。",
				th.StatedDeadline.In(shanghai).Format("2006年1月2日")),
			"",
			fmt.Sprintf("联系人：%s    联系电话：%s", b.officer, b.tel),
			"",
			b.name,
			at.In(shanghai).Format("2006年1月2日"),
		}, "\n")
		style := style{cs: csUTF8, html: htmlNone}
		if i == 1 {
			style.cs = csGB2312 // government mail systems still send GB2312
		}
		msgID := fmt.Sprintf("reg.%d.%d.%08x@%s", seed, id, r.Uint32(), mailDomain(b.mail))
		env := envelope{from: b.mail, fromName: b.name, to: ShopAddress, toName: "客服中心", subject: th.Subject,
			date: at.In(shanghai), messageID: msgID, cs: style.cs}
		notice := part{contentType: "application/pdf", filename: "投诉转办通知书.pdf",
			data: pdf("12315 work order " + th.WorkOrderNo + " - transfer notice")}
		raw, err := build(env, bodyParts(body, style), []part{notice})
		if err != nil {
			return nil, nil, fmt.Errorf("demo regulator letter %d: %w", i, err)
		}
		threads = append(threads, th)
		msgs = append(msgs, Message{Thread: id, Folder: FolderRegulator, Date: at, MessageID: msgID, Subject: th.Subject,
			Charset: string(style.cs), Attachments: 1, Raw: raw})
	}
	return threads, msgs, nil
}
