package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// customer is a made-up complainant. Names, addresses and phone numbers are invented; the phone numbers
// use real mobile prefixes so that the PII masker sees realistic input.
type customer struct {
	name, email, phone, address string
}

var (
	zhSurnames = []struct{ han, pinyin string }{
		{"王", "wang"}, {"李", "li"}, {"张", "zhang"}, {"刘", "liu"}, {"陈", "chen"}, {"杨", "yang"}, {"黄", "huang"},
		{"赵", "zhao"}, {"吴", "wu"}, {"周", "zhou"}, {"徐", "xu"}, {"孙", "sun"}, {"马", "ma"}, {"朱", "zhu"},
		{"胡", "hu"}, {"郭", "guo"}, {"何", "he"}, {"林", "lin"}, {"罗", "luo"}, {"高", "gao"}, {"郑", "zheng"},
		{"梁", "liang"}, {"谢", "xie"}, {"宋", "song"}, {"唐", "tang"}, {"许", "xu"}, {"韩", "han"}, {"冯", "feng"},
	}
	zhGiven = []struct{ han, pinyin string }{
		{"小明", "xm"}, {"丽", "li"}, {"静", "jing"}, {"伟", "wei"}, {"芳", "fang"}, {"娜", "na"}, {"敏", "min"},
		{"强", "qiang"}, {"磊", "lei"}, {"洋", "yang"}, {"艳", "yan"}, {"勇", "yong"}, {"杰", "jie"}, {"娟", "juan"},
		{"秀英", "xy"}, {"建华", "jh"}, {"晓燕", "xiaoyan"}, {"思远", "siyuan"}, {"雨涵", "yuhan"}, {"子轩", "zixuan"},
		{"梓涵", "zihan"}, {"浩然", "haoran"}, {"佳怡", "jiayi"}, {"欣怡", "xinyi"}, {"宇航", "yuhang"}, {"春梅", "cm"},
	}
	zhMailDomains = []string{"qq.com", "163.com", "126.com", "sina.com", "foxmail.com", "139.com", "aliyun.com"}
	enFirst       = []string{"Emily", "James", "Olivia", "Daniel", "Sophie", "Michael", "Grace", "Lucas", "Hannah",
		"Ryan", "Chloe", "Kevin", "Amy", "Jason", "Linda", "Mei", "Wei", "Priya", "Tom", "Anna"}
	enLast = []string{"Smith", "Chen", "Wong", "Brown", "Taylor", "Lee", "Wilson", "Martin", "Lim", "Tan",
		"Garcia", "Nguyen", "Kim", "Patel", "Schmidt", "Ho", "Zhang", "Clarke"}
	enMailDomains = []string{"gmail.com", "outlook.com", "yahoo.com", "hotmail.com", "icloud.com", "proton.me"}
	zhCities      = []string{"上海市浦东新区", "北京市朝阳区", "广州市天河区", "深圳市南山区", "杭州市西湖区", "成都市武侯区",
		"武汉市洪山区", "南京市鼓楼区", "西安市雁塔区", "苏州市工业园区", "重庆市渝北区", "长沙市岳麓区"}
	zhStreets = []string{"张江路", "建国路", "天河北路", "科技园南路", "文三路", "人民南路", "珞喻路", "中山路", "小寨东路", "星湖街"}
)

// Live customers get addresses the generated mailbox never uses (ten-digit QQ numbers, three-digit suffixes)
// so that a complaint delivered while the demo runs opens its own case rather than joining a stranger's.
func newCustomer(r *rand.Rand, lang string, live bool) customer {
	var c customer
	mobile := []string{"138", "139", "136", "158", "186", "137", "150", "177", "188", "199"}
	c.phone = pick(r, mobile) + fmt.Sprintf("%08d", r.IntN(100000000))
	c.address = pick(r, zhCities) + pick(r, zhStreets) + fmt.Sprintf("%d号%d室", 1+r.IntN(999), 101+r.IntN(2500))
	if lang == "zh" {
		s, g := zhSurnames[r.IntN(len(zhSurnames))], zhGiven[r.IntN(len(zhGiven))]
		c.name = s.han + g.han
		switch {
		case live:
			c.email = fmt.Sprintf("%d@qq.com", 1000000000+r.IntN(3000000000)) // 10 digits: never in the base set
		case r.IntN(3) == 0:
			c.email = fmt.Sprintf("%d@qq.com", 100000000+r.IntN(900000000))
		default:
			c.email = fmt.Sprintf("%s%s%d@%s", s.pinyin, g.pinyin, 1970+r.IntN(40), pick(r, zhMailDomains))
		}
		return c
	}
	f, l := pick(r, enFirst), pick(r, enLast)
	c.name = f + " " + l
	sep := pick(r, []string{".", "_", ""})
	suffix := r.IntN(100)
	if live {
		suffix = 100 + r.IntN(900)
	}
	c.email = strings.ToLower(f+sep+l) + fmt.Sprint(suffix) + "@" + pick(r, enMailDomains)
	return c
}

// orderNo renders an order number in the platform's format: JD 12 digits, Taobao/Tmall 19 digits,
// PDD "YYMMDD-" plus 15 digits.
func orderNo(r *rand.Rand, platform string, ordered time.Time) string {
	digits := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteByte(byte('0' + r.IntN(10)))
		}
		return b.String()
	}
	switch platform {
	case "jd":
		return fmt.Sprint(2+r.IntN(2)) + digits(11)
	case "taobao", "tmall":
		return fmt.Sprint(1+r.IntN(3)) + digits(18)
	case "pdd":
		return ordered.Format("060102") + "-" + digits(15)
	}
	return digits(16)
}

var platforms = []string{"jd", "jd", "jd", "taobao", "tmall", "pdd"}

// platformName is how a customer names the shop's storefront.
func platformName(p, lang string) string {
	zh := map[string]string{"jd": "京东", "taobao": "淘宝", "tmall": "天猫", "pdd": "拼多多"}
	en := map[string]string{"jd": "JD.com", "taobao": "Taobao", "tmall": "Tmall", "pdd": "Pinduoduo"}
	if lang == "zh" {
		return zh[p]
	}
	return en[p]
}

func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }
