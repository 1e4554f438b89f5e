package demo

// The scenarios come from the four service manuals in the shared seeds (see PROVENANCE.md): the
// 10-customer milk-powder batch and the skin-care allergy of the 3-15 checklist, the 618 playbook's
// dispute types (late shipping, price protection, gifts, wrong items, returns, invoices, escalation to
// 12315), the handbook's three complaint types (product 45%, logistics 30%, service 25%) and the
// special cases of the after-sales manual (injury, media risk, legal risk). Placeholders in braces are
// filled per message: {name} {order} {product} {promo} {platform} {days} {amount} {phone} {batch} {addr}.

// text is one subject with its body.
type text struct{ subject, body string }

type scenario struct {
	key  string
	kind string // product | logistics | service (the handbook's three types)
	// signals are the risk cues a classifier should raise for this scenario; negatives have none but
	// carry the word that must not trigger one.
	signals  []string
	negative string
	count    int
	zhShare  float64 // share of threads written in Chinese
	products [2][]string
	open     [2][]text   // [zh, en]
	follow   [2][]string // follow-up bodies
	attach   string      // photo | pdf | "" : what the first message may carry
	// attachShare is the share of first messages that carry the attachment.
	attachShare float64
}

const (
	zh = 0
	en = 1
)

var (
	skincare = [2][]string{
		{"雪肌焕颜精华面霜 50g", "玻尿酸补水面膜 10片装", "烟酰胺美白精华液 30ml", "氨基酸洁面乳 120ml"},
		{"Hydra Glow Night Cream 50ml", "Hyaluronic Sheet Mask (10 pack)", "Niacinamide Brightening Serum 30ml"},
	}
	gadgets = [2][]string{
		{"小鹿蓝牙耳机 Pro", "65W氮化镓充电器", "智能手环7 NFC版", "空气炸锅 5L", "扫地机器人 X10", "电热水壶 1.7L", "27英寸4K显示器", "儿童电话手表 Z8"},
		{"Deer Buds Pro wireless earbuds", "65W GaN charger", "Smart Band 7 NFC", "5L air fryer", "X10 robot vacuum", "27-inch 4K monitor"},
	}
	apparel = [2][]string{
		{"轻薄羽绒服 M码", "跑步鞋 42码", "纯棉四件套 1.8m", "儿童保暖内衣套装"},
		{"light down jacket (M)", "running shoes size 42", "cotton bedding set 1.8m"},
	}
	groceries = [2][]string{
		{"每日坚果礼盒 1.5kg", "有机大米 10kg", "进口车厘子 2.5kg", "五常稻花香 5kg"},
		{"mixed nuts gift box 1.5kg", "organic rice 10kg", "imported cherries 2.5kg"},
	}
	mixed = [2][]string{
		append(append(append([]string{}, gadgets[zh]...), apparel[zh]...), groceries[zh]...),
		append(append(append([]string{}, gadgets[en]...), apparel[en]...), groceries[en]...),
	}
)

// MilkProduct and MilkBatch are the batch ten customers report (the 3-15 checklist's group complaint).
const (
	MilkProduct = "贝优滋金装3段婴幼儿配方奶粉 800g"
	MilkBatch   = "BY2605A17"
)

var genericFollow = [2][]string{
	{
		"已经过去{days}天了，还没有人联系我，请尽快给个答复。",
		"你们客服说24小时内回复，现在都两天了。订单号{order}，请主管处理。",
		"补充一下：我的联系电话是{phone}，白天都可以打。",
		"请问处理进度怎么样了？我等不起了。",
	},
	{
		"It has been {days} days and nobody has contacted me. Please reply.",
		"Your agent promised an answer within 24 hours. That was two days ago. Order {order}.",
		"Adding my phone number: {phone}. Please call me.",
		"Any update on this? I am still waiting.",
	},
}

var scenarios = []scenario{
	{
		key: "milk_batch", kind: "product", signals: []string{"safety", "batch"}, count: 10, zhShare: 0.9,
		products: [2][]string{{MilkProduct}, {MilkProduct}},
		open: [2][]text{{
			{"奶粉结块，批号{batch}，怀疑是假货", "你好，我在{platform}买的{product}，订单号{order}。今天开罐发现奶粉结块严重，颜色也发黄，罐底批号是{batch}。宝宝喝了以后一直拉肚子，我很担心是假货或者变质。请马上给我一个说法，我要求退货并检测。\n\n{name}\n电话：{phone}"},
			{"{product}结块发黄 订单{order}", "客服你好：\n上周收到的{product}，批号{batch}，冲泡时有很多硬块，味道也和之前买的不一样。家里孩子才一岁半，喝了以后吐奶。请问这批货是不是有问题？我已经停用了，罐子和奶粉都留着。\n\n订单号：{order}\n{name}"},
			{"投诉：同批次奶粉质量问题（{batch}）", "我在宝妈群里看到好几个人都说{batch}这个批次的奶粉结块，我家这罐也是一样，罐底批号{batch}。你们是不是卖了假奶粉？请立即下架并召回，给我们一个交代。订单号{order}，收货人{name}，手机{phone}。"},
			{"奶粉有异味，宝宝喝完呕吐", "{product}，罐底批号{batch}，打开有一股哈喇味，宝宝喝了两次都吐了，已经带去医院看了。请你们马上处理，订单号{order}。我保留了罐子和医院的病历。"},
		}, {
			{"Clumped infant formula, batch {batch}", "Hello,\nI bought {product} (order {order}). The powder is full of hard lumps and looks yellowish. The batch number printed on the bottom of the tin is {batch}. My son had diarrhoea after drinking it. Is this counterfeit? I want a refund and a test of the product.\n\n{name}"},
		}},
		follow: [2][]string{{
			"群里已经有十几个家长在说这个批次了，你们到底什么时候召回？",
			"医院开了证明，我拍照发给你们了。请主管今天内联系我：{phone}。",
			"如果今天还没有答复，我就去12315投诉。",
		}, {
			"Other parents report the same batch. When will you recall it?",
			"The doctor's note is attached to my earlier mail. Please call me today: {phone}.",
		}},
		attach: "photo", attachShare: 0.5,
	},
	{
		key: "allergy", kind: "product", signals: []string{"safety", "allergy"}, count: 8, zhShare: 0.75,
		products: skincare,
		open: [2][]text{{
			{"用了你们的{product}后过敏，怀疑是假货", "你好，我在{platform}旗舰店买的{product}，订单号{order}。用了两天脸上起了大片红疹，又痒又痛，去医院诊断是接触性皮炎。我以前用同品牌从来没有过敏，怀疑买到假货。要求退款并赔偿医药费，病历和发票我都保留了。\n{name} {phone}"},
			{"面霜过敏 脸肿了", "{product}用了一次脸就肿了，眼睛周围全是红点。请你们给个说法，是不是三无产品？订单{order}。我要求提供质检报告。"},
		}, {
			{"Allergic reaction after using {product}", "Hi,\nAfter two days of using {product} (order {order}) my face broke out in a painful rash. My dermatologist says it is contact dermatitis. I have used this brand before without problems, so I suspect a fake. I want a refund and my medical costs covered. Photos attached.\n\n{name}"},
		}},
		follow: [2][]string{{
			"医院的诊断证明和发票已经拍照，一共花了{amount}元。",
			"你们说要第三方检测，需要我把剩下的面霜寄到哪里？",
		}, {
			"The medical bill came to {amount} yuan. Receipt attached earlier.",
			"Where should I send the remaining product for the third-party test?",
		}},
		attach: "photo", attachShare: 0.6,
	},
	{
		key: "threat_12315", kind: "service", signals: []string{"regulator_threat"}, count: 20, zhShare: 0.8,
		products: mixed,
		open: [2][]text{{
			{"再不处理我就打12315", "订单{order}，{product}坏了申请售后一周了，没有任何人处理。我已经忍无可忍，今天下班前不给答复我就打12315投诉你们！"},
			{"投诉！售后拖延，准备向市场监管局举报", "{platform}买的{product}有质量问题，订单号{order}。客服一直推脱让我等，这是第三次找你们了。如果还不解决，我会直接去12315平台投诉，并向市场监督管理局举报。"},
			{"订单{order} 退款迟迟不到账", "退货你们{days}天前就签收了，退款还没到账。按规定应该七天内退款。再拖我就去12315。"},
		}, {
			{"Refund overdue, will report to 12315", "Order {order}: you received my return {days} days ago and I still have no refund. If this is not fixed by tomorrow I will file a complaint with 12315 and the market regulator."},
		}},
		follow: [2][]string{{
			"12315的投诉我已经在填了，你们看着办。",
			"还是没人理我，明天就去市场监管局。",
		}, {
			"I have started the 12315 complaint form.",
		}},
	},
	{
		key: "media", kind: "service", signals: []string{"media"}, count: 20, zhShare: 0.8,
		products: mixed,
		open: [2][]text{{
			{"你们卖假货，我要曝光！", "{product}收到就是坏的，客服态度还很差。你们卖假货，我要曝光！我会把聊天记录和照片发到微博和小红书上，让大家都看看。订单号{order}。"},
			{"我已经发到黑猫投诉了", "订单{order}，{product}发货慢、质量差、客服不回复。我已经把你们发到黑猫投诉了，还会在抖音上发视频，除非今天给我解决。"},
			{"不解决就找媒体", "买的{product}用了三天就坏了，售后踢皮球。我认识本地电视台的记者，再不处理我就找媒体曝光你们。{name}，电话{phone}。"},
		}, {
			{"I will expose you on social media", "Order {order}: {product} arrived broken and your support keeps ignoring me. Fix this today or I will expose you on Weibo, Xiaohongshu and every review site I can find."},
			{"Going to the press", "Your service on order {order} is a disgrace. I have already contacted a journalist who covers consumer issues."},
		}},
		follow: [2][]string{{
			"视频已经剪好了，最后给你们一次机会。",
			"黑猫投诉上已经有人评论了，你们还不出来回应？",
		}, {
			"The post is drafted. Last chance.",
		}},
		attach: "photo", attachShare: 0.3,
	},
	{
		key: "lawyer", kind: "service", signals: []string{"legal"}, count: 12, zhShare: 0.7,
		products: mixed,
		open: [2][]text{{
			{"律师函：关于订单{order}的质量纠纷", "{name}委托我方就订单{order}（{product}）的质量问题与贵司交涉。商品存在明显质量缺陷，贵司拒绝退换货，违反《消费者权益保护法》第二十四条。请于收到本函后三日内联系处理，否则我方将提起诉讼，并主张三倍赔偿。"},
			{"我已经咨询律师，准备起诉", "订单{order}买的{product}是假货，按《消费者权益保护法》第五十五条应该退一赔三。我已经咨询了律师，如果你们不同意赔偿{amount}元，我们法院见。"},
		}, {
			{"Legal action regarding order {order}", "I have instructed my lawyer regarding the defective {product} (order {order}). Unless you refund in full and compensate me within 3 days, we will file a claim in court."},
		}},
		follow: [2][]string{{
			"律师已经在准备起诉材料了。",
			"请贵司指定对接人，书面答复。",
		}, {
			"My lawyer is preparing the filing.",
		}},
		attach: "pdf", attachShare: 0.3,
	},
	{
		key: "logistics", kind: "logistics", count: 88, zhShare: 0.65,
		products: mixed,
		open: [2][]text{{
			{"{promo}买的东西到现在还没发货", "{promo}当天下的单，订单号{order}，{product}，说好48小时发货，现在{days}天了还显示待发货。请问到底什么时候发？"},
			{"订单{order}物流{days}天没更新", "物流信息一直停在中转站，已经{days}天没动了。{product}是要送人的，急用，请帮忙催一下快递。"},
			{"催发货！{promo}订单还没到", "你好，{promo}活动买的{product}，别人早就收到了，我的还在路上。订单{order}。"},
			{"快递显示已签收但我没收到", "订单{order}的物流显示昨天已签收，但我和家人都没有收到，门口和快递柜也没有。请查一下是谁签收的，{product}价值{amount}元。"},
			{"送货延迟，能不能先赔个券", "{promo}高峰期理解慢一点，但是{days}天还没到就太离谱了。订单号{order}，请问有没有延误补偿？"},
		}, {
			{"Order {order} still not shipped", "I ordered {product} during the {promo} sale. It is now {days} days later and the order still says awaiting shipment. When will it ship?"},
			{"Where is my parcel? ({order})", "The tracking for order {order} has not moved for {days} days. Could you chase the courier please?"},
			{"Parcel marked delivered but not received", "Tracking for order {order} says delivered yesterday but nothing arrived. Please find out who signed for it."},
		}},
		follow: [2][]string{{
			"还是没到，物流还是没更新。",
			"快递员电话打不通，请你们帮我联系。",
			"东西刚收到了，但是外箱压坏了，里面的东西还没检查。",
		}, {
			"Still nothing. Tracking has not changed.",
			"The parcel finally came but the box is crushed.",
		}},
	},
	{
		key: "price_protection", kind: "service", count: 34, zhShare: 0.7,
		products: gadgets,
		open: [2][]text{{
			{"申请价保被拒", "我{days}天前买的{product}，订单{order}，今天同款便宜了{amount}元。按照你们30天价保的规则我申请了价保，系统却提示不支持。请人工处理差价。"},
			{"{promo}后降价，要求退差价", "刚买完{product}第二天就降价了，差了{amount}元，这是不是价格欺诈？订单号{order}，请退差价。"},
			{"价格保护申请 订单{order}", "您好，订单{order}的{product}降价了，麻烦帮我申请价格保护，差价{amount}元。"},
		}, {
			{"Price protection refused for {order}", "I bought {product} {days} days ago (order {order}) and today it is {amount} yuan cheaper. Your 30-day price protection request page says not eligible. Please refund the difference."},
		}},
		follow: [2][]string{{
			"客服说活动价不参与价保，但是页面上没有写明。",
			"差价已经退了，谢谢。",
		}, {
			"The product page never said sale prices are excluded.",
		}},
	},
	{
		key: "missing_gift", kind: "service", count: 24, zhShare: 0.75,
		products: mixed,
		open: [2][]text{{
			{"赠品没有收到", "订单{order}，买{product}页面写明送赠品，收到的包裹里没有赠品。请补发。"},
			{"{promo}满赠的礼品去哪了", "{promo}活动满{amount}元送的礼品一直没发，订单号{order}。客服说赠品已送完，为什么下单时不提示？"},
		}, {
			{"Free gift missing from order {order}", "The listing for {product} promised a free gift, but it was not in the parcel. Please send it."},
		}},
		follow: [2][]string{{
			"赠品补发了吗？请给个快递单号。",
		}, {
			"Has the gift been sent? Tracking number please.",
		}},
	},
	{
		key: "wrong_item", kind: "product", count: 28, zhShare: 0.7,
		products: mixed,
		open: [2][]text{{
			{"发错货了 订单{order}", "我买的是{product}，收到的却是别的型号，照片已附上。请尽快换货并承担来回运费。"},
			{"收到的商品和描述不符", "订单{order}，{product}颜色和尺寸都和页面描述不一样，要求退货退款。"},
		}, {
			{"Wrong item received (order {order})", "I ordered {product} but received a different model. Photo attached. Please exchange it and cover the shipping."},
		}},
		follow: [2][]string{{
			"退货已经寄出，快递单号SF{amount}0387。",
			"换货还要多久？",
		}, {
			"Return sent, tracking SF{amount}0387.",
		}},
		attach: "photo", attachShare: 0.5,
	},
	{
		key: "returns", kind: "service", count: 28, zhShare: 0.7,
		products: mixed,
		open: [2][]text{{
			{"七天无理由退货被拒绝", "{product}收到{days}天，包装完好没有使用，申请七天无理由退货被拒，理由是已拆封。拆封不影响二次销售，请重新审核。订单{order}。"},
			{"退货验收不通过？", "退回的{product}你们说验收不通过要寄回给我，但是寄出时是全新的。请提供验收照片。订单{order}。"},
			{"退货运费谁承担", "商品质量问题退货，为什么运费要我自己出？订单{order}，运费{amount}元。"},
		}, {
			{"Return refused for unopened item", "I want to return {product} (order {order}) under the 7-day no-reason policy. It is unused and in its box, yet the request was refused."},
		}},
		follow: [2][]string{{
			"退货已经通过了，退款什么时候到？",
		}, {
			"The return was approved; when will the refund arrive?",
		}},
	},
	{
		key: "invoice", kind: "service", count: 20, zhShare: 0.7,
		products: mixed,
		open: [2][]text{{
			{"申请开具增值税发票", "订单{order}下单时选择了电子发票，到现在还没收到。单位报销需要，请尽快开具，抬头和税号见附件。"},
			{"发票抬头开错了", "订单{order}的发票抬头开成了个人，需要重开为公司抬头，麻烦处理一下。"},
		}, {
			{"Invoice for order {order}", "I still have not received the VAT invoice for order {order}. Please issue it; company details attached."},
		}},
		follow: [2][]string{{
			"发票收到了，谢谢。",
		}, {
			"Invoice received, thanks.",
		}},
		attach: "pdf", attachShare: 0.3,
	},
	// Tricky negatives: each carries a word a naive keyword matcher would flag.
	{
		key: "neg_not_allergic", kind: "logistics", negative: "allergy", count: 4, zhShare: 0.5,
		products: skincare,
		open: [2][]text{{
			{"面霜什么时候发货", "你好，{product}我用了没有过敏，很好用，所以又买了两瓶，订单{order}，想问问什么时候能发货？"},
		}, {
			{"Reorder of {product}: shipping date?", "Not allergic or anything, I love {product}! I reordered (order {order}) and just want to know when it ships."},
		}},
	},
	{
		key: "neg_12315_signature", kind: "service", negative: "regulator_threat", count: 4, zhShare: 0.75,
		products: mixed,
		open: [2][]text{{
			{"请补开发票", "您好，订单{order}请帮忙补开电子发票，谢谢！\n\n--\n{name}\n某某商贸有限公司 行政部\n温馨提示：消费者投诉举报请拨打12315热线"},
		}, {
			{"Change of delivery address for {order}", "Please change the delivery address of order {order} to my office.\n\n--\n{name}\nConsumer Rights Association volunteer | hotline 12315"},
		}},
	},
	{
		key: "neg_exposure", kind: "product", negative: "media", count: 3, zhShare: 0.7,
		products: [2][]string{{"微单相机 Z30 套机"}, {"Z30 mirrorless camera kit"}},
		open: [2][]text{{
			{"相机曝光补偿怎么设置", "刚收到的{product}，想问一下拍夜景时曝光补偿在哪里调？说明书没找到。订单{order}。"},
		}, {
			{"Exposure settings question", "My new {product} (order {order}) overexposes every outdoor photo. How do I set exposure compensation?"},
		}},
	},
	{
		key: "neg_black_cat", kind: "product", negative: "media", count: 3, zhShare: 1,
		products: [2][]string{{"黑猫警长 绘本 全5册"}, {"黑猫警长 绘本 全5册"}},
		open: [2][]text{{
			{"黑猫警长绘本少了一册", "买的{product}只收到4册，少了第3册，订单{order}，请补发。"},
		}, {}},
	},
	{
		key: "neg_lawyer_office", kind: "service", negative: "legal", count: 3, zhShare: 0.67,
		products: gadgets,
		open: [2][]text{{
			{"律师事务所采购开专票", "您好，我们是律师事务所，行政采购了{product}，订单{order}，需要开增值税专用发票，开票信息附后。"},
		}, {
			{"Invoice for our law office", "Our law office bought {product} (order {order}). Please issue the invoice to the firm name below."},
		}},
	},
}

// regulator letters are built separately (regulator.go): they come from a market regulation bureau into
// the Regulator folder and carry a 12315 work-order number and a stated reply deadline.
