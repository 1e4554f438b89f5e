package compensation

import (
	"fmt"
)

// Rule names of the statutory calculators.
const (
	RuleCPL55  = "cpl55"  // 消费者权益保护法 第五十五条第一款
	RuleFSL148 = "fsl148" // 食品安全法 第一百四十八条第二款
)

// Exception is a case where the statutory damages do not apply or apply differently; the UI shows
// every one of them beside the result so that nobody promises damages that are not owed.
type Exception struct {
	ID string `json:"id"` // rule id in /work/shared/domain/regulatory.md
	ZH string `json:"zh"`
	EN string `json:"en"`
}

// Calculation is the result of a statutory calculator.
type Calculation struct {
	Rule       string      `json:"rule"`
	PriceFen   int64       `json:"priceFen"`
	LossFen    int64       `json:"lossFen"`
	AmountFen  int64       `json:"amountFen"`
	Basis      string      `json:"basis"`   // which branch gave the amount, in English
	BasisZH    string      `json:"basisZh"` // the same in Chinese
	Law        string      `json:"law"`
	Exceptions []Exception `json:"exceptions"`
}

// Statutory minimums in fen.
const (
	cpl55MinFen  = 500 * 100
	fsl148MinFen = 1000 * 100
)

var cpl55Exceptions = []Exception{
	{ID: "CPL-55a", ZH: "仅适用于经营者有欺诈行为；法律另有规定的，依照其规定。", EN: "Applies only where the business committed fraud (欺诈); other laws may provide otherwise."},
	{ID: "IR-49", ZH: "标签、说明书、宣传材料存在不影响商品质量且不会误导消费者的瑕疵的，不构成欺诈。", EN: "Label, manual or promotional flaws that neither affect quality nor mislead are not fraud."},
	{ID: "IR-49", ZH: "以夹带、掉包、造假、篡改生产日期、捏造事实等方式或以敲诈勒索取得的，不适用惩罚性赔偿，依照治安管理处罚法或刑法处理。", EN: "Claims obtained by planting, swapping, faking, altering dates, fabricating facts or extortion get no damages; they go to the police."},
	{ID: "CPL-55b", ZH: "明知缺陷造成死亡或健康严重损害的，另可主张所受损失二倍以下的惩罚性赔偿，本计算未包含。", EN: "Knowingly defective goods causing death or serious harm: up to 2x the loss in addition; not computed here."},
	{ID: "CPL-55a", ZH: "赔偿为在退还价款（损失）之外另行支付的金额。", EN: "The amount is on top of refunding the price (the loss)."},
}

var fsl148Exceptions = []Exception{
	{ID: "FSL-148b", ZH: "适用于生产不符合食品安全标准的食品或经营明知是不符合食品安全标准的食品。", EN: "Applies to producing food that fails safety standards, or knowingly selling it."},
	{ID: "FSL-148b", ZH: "食品的标签、说明书存在不影响食品安全且不会对消费者造成误导的瑕疵的除外。", EN: "Except label or manual flaws that neither affect safety nor mislead."},
	{ID: "SPC-2024", ZH: "在合理生活消费需要范围内支持；普通消费者以实际支付价款为基数；知假买假由经营者举证；重复、连续购买索赔受限制；涉嫌敲诈勒索的移送公安。", EN: "Within reasonable consumption needs; base is the price actually paid; the business must prove a knowing purchase of fakes; repeated claims capped; suspected extortion referred to the police."},
	{ID: "FSL-148a", ZH: "首负责任制：先行赔付，不得推诿，再内部追偿。", EN: "First-contact responsibility: compensate first, then recover internally."},
	{ID: "FSL-148b", ZH: "赔偿为在赔偿损失之外另行支付的金额。", EN: "The amount is on top of compensating the loss itself."},
	{ID: "FSL-2025", ZH: "食品安全法2025年修订后第一百四十八条是否变化尚未核实。", EN: "Whether the 2025 amendment of the Food Safety Law changed art. 148 is unverified."},
}

// Calculate runs a statutory calculator. priceFen is the price actually paid; lossFen the loss (only
// used by fsl148). Integer arithmetic only: the multiples of an exact fen amount are exact.
func Calculate(rule string, priceFen, lossFen int64) (Calculation, error) {
	if priceFen < 0 || priceFen > MaxFen {
		return Calculation{}, fmt.Errorf("%w: price must be between 0 and %s yuan", ErrAmount, FormatYuan(MaxFen))
	}
	if lossFen < 0 || lossFen > MaxFen {
		return Calculation{}, fmt.Errorf("%w: loss must be between 0 and %s yuan", ErrAmount, FormatYuan(MaxFen))
	}
	c := Calculation{Rule: rule, PriceFen: priceFen, LossFen: lossFen}
	switch rule {
	case RuleCPL55:
		if lossFen != 0 {
			return c, fmt.Errorf("cpl55 is computed from the price only; --loss applies to fsl148")
		}
		c.Law = "消费者权益保护法 第五十五条第一款 / Consumer Protection Law art. 55(1)"
		c.Exceptions = cpl55Exceptions
		triple := 3 * priceFen
		if triple >= cpl55MinFen {
			c.AmountFen = triple
			c.Basis = fmt.Sprintf("3 x price %s = %s yuan", FormatYuan(priceFen), FormatYuan(triple))
			c.BasisZH = fmt.Sprintf("价款%s元的三倍 = %s元", FormatYuan(priceFen), FormatYuan(triple))
		} else {
			c.AmountFen = cpl55MinFen
			c.Basis = fmt.Sprintf("3 x price %s = %s yuan is below the 500 yuan minimum", FormatYuan(priceFen), FormatYuan(triple))
			c.BasisZH = fmt.Sprintf("价款三倍%s元不足五百元，按五百元计", FormatYuan(triple))
		}
	case RuleFSL148:
		c.Law = "食品安全法 第一百四十八条第二款 / Food Safety Law art. 148(2)"
		c.Exceptions = fsl148Exceptions
		tenPrice, threeLoss := 10*priceFen, 3*lossFen
		switch {
		case tenPrice >= threeLoss && tenPrice >= fsl148MinFen:
			c.AmountFen = tenPrice
			c.Basis = fmt.Sprintf("10 x price %s = %s yuan", FormatYuan(priceFen), FormatYuan(tenPrice))
			c.BasisZH = fmt.Sprintf("价款%s元的十倍 = %s元", FormatYuan(priceFen), FormatYuan(tenPrice))
		case threeLoss > tenPrice && threeLoss >= fsl148MinFen:
			c.AmountFen = threeLoss
			c.Basis = fmt.Sprintf("3 x loss %s = %s yuan (more than 10 x price %s)", FormatYuan(lossFen), FormatYuan(threeLoss), FormatYuan(tenPrice))
			c.BasisZH = fmt.Sprintf("损失%s元的三倍 = %s元（高于价款十倍%s元）", FormatYuan(lossFen), FormatYuan(threeLoss), FormatYuan(tenPrice))
		default:
			c.AmountFen = fsl148MinFen
			c.Basis = fmt.Sprintf("10 x price %s and 3 x loss %s are below the 1,000 yuan minimum", FormatYuan(tenPrice), FormatYuan(threeLoss))
			c.BasisZH = fmt.Sprintf("价款十倍%s元、损失三倍%s元均不足一千元，按一千元计", FormatYuan(tenPrice), FormatYuan(threeLoss))
		}
	default:
		return c, fmt.Errorf("unknown rule %q: use cpl55 or fsl148", rule)
	}
	return c, nil
}
