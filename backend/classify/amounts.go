package classify

import (
	"regexp"
	"strconv"
	"strings"
)

// Amounts are parsed by hand rather than with a library: no maintained Go package reads Chinese
// money phrases ("2万元", "￥12,999", "3000块"), and floats must never touch money.
var (
	amountRE = regexp.MustCompile(`(?i)(?:[¥￥]|rmb|cny)\s*([0-9][0-9,]*(?:\.[0-9]{1,2})?)\s*(万)?|([0-9][0-9,]*(?:\.[0-9]{1,2})?)\s*(万)?\s*(?:元|块钱|块|yuan|rmb|cny)`)
	batchRE  = regexp.MustCompile(`(?i)(?:生产批号|批次号|批号|批次|batch\s*(?:no\.?|number|#)?|lot\s*(?:no\.?|number|#)?)\s*(?:是|为|is)?\s*[:：#]?\s*([A-Za-z0-9][A-Za-z0-9-]{3,19})`)
	// "BY2605A17这个批次": the code comes first. It must start with letters so that quantities ("3罐同一批次")
	// are not read as batch numbers.
	batchBeforeRE = regexp.MustCompile(`(?i)\b([A-Za-z]{1,4}[0-9][A-Za-z0-9-]{2,18})\s*(?:这个|这一|该|同一|那个)?批(?:次|号)`)
)

// maxFen caps a parsed amount (10^12 yuan) so that absurd input cannot overflow.
const maxFen = int64(1e14)

// ParseFen reads "12,999.5" (yuan) into fen; wan multiplies by 10,000. It returns false on overflow.
func ParseFen(num string, wan bool) (int64, bool) {
	num = strings.ReplaceAll(num, ",", "")
	whole, frac, _ := strings.Cut(num, ".")
	if whole == "" || len(whole) > 13 {
		return 0, false
	}
	y, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, false
	}
	fen := y * 100
	if frac != "" {
		frac = (frac + "00")[:2]
		f, err := strconv.ParseInt(frac, 10, 64)
		if err != nil {
			return 0, false
		}
		fen += f
	}
	if wan {
		fen *= 10000
	}
	if fen > maxFen {
		return 0, false
	}
	return fen, true
}

// Amount is a money amount found in text.
type Amount struct {
	Fen  int64  `json:"fen"`
	Text string `json:"text"`
}

// FindAmounts lists the money amounts in text.
func FindAmounts(text string) []Amount { return findAmounts(text, newSearchText(text)) }

// findAmounts is FindAmounts with the text's required-word filter: most messages name no currency and
// no "元", and walking the expression over them anyway was a fifth of a case's classification.
func findAmounts(text string, st *searchText) []Amount {
	if !st.mayMatch(amountRE) {
		return nil
	}
	var out []Amount
	left := 20
	for _, seg := range amountSegments(text) {
		ms := amountRE.FindAllStringSubmatch(seg, left)
		left -= len(ms)
		for _, m := range ms {
			num, wan := m[1], m[2] != ""
			if num == "" {
				num, wan = m[3], m[4] != ""
			}
			if fen, ok := ParseFen(num, wan); ok && fen > 0 {
				out = append(out, Amount{Fen: fen, Text: strings.TrimSpace(m[0])})
			}
		}
		if left <= 0 {
			break
		}
	}
	return out
}

// amountSegments are the runs of text that can hold an amount and have a digit. amountRE matches only
// currency signs and words, spaces, digits, separators and 万/元/块钱, so no match crosses any other
// character, and it has no anchors or word boundaries: its matches over the whole text are exactly
// those found run by run. Chinese text is mostly other characters, so the expression walks a few short
// runs instead of the whole text (it was a quarter of classifying text full of "结块" and order numbers).
func amountSegments(text string) []string {
	var out []string
	start, digit := -1, false
	for i, r := range text {
		if strings.ContainsRune("¥￥rmbcnyuaRMBCNYUA0123456789,. \t\n\f\r\v万元块钱", r) {
			if start < 0 {
				start, digit = i, false
			}
			digit = digit || ('0' <= r && r <= '9')
			continue
		}
		if start >= 0 && digit {
			out = append(out, text[start:i])
		}
		start = -1
	}
	if start >= 0 && digit {
		out = append(out, text[start:])
	}
	return out
}

// FindBatches lists batch or lot numbers mentioned in text, upper-cased and de-duplicated.
func FindBatches(text string) []string { return findBatches(text, newSearchText(text)) }

func findBatches(text string, st *searchText) []string {
	var out []string
	seen := map[string]bool{}
	var matches [][]string
	for _, re := range []*regexp.Regexp{batchRE, batchBeforeRE} {
		if st.mayMatch(re) {
			matches = append(matches, re.FindAllStringSubmatch(text, 10)...)
		}
	}
	for _, m := range matches {
		b := strings.ToUpper(m[1])
		if !hasDigit(b) || seen[b] {
			continue // "batch number is" and other words are not batch numbers
		}
		seen[b] = true
		out = append(out, b)
	}
	return out
}

func hasDigit(s string) bool {
	for _, r := range s {
		if r >= '0' && r <= '9' {
			return true
		}
	}
	return false
}
