// Package compensation is compensation requests on a case, the statutory damages calculators, the
// approval matrix with optional budgets, escalation, execution status and the finance export.
// Money is integer fen everywhere (1 yuan = 100 fen); no float ever holds an amount.
package compensation

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// MaxFen bounds every amount (100 million yuan): far above any real request, and small enough that 10x
// of it cannot overflow int64.
const MaxFen = 100_000_000 * 100

// ErrAmount is the parent of every amount parsing error.
var ErrAmount = errors.New("invalid amount")

// ParseYuan reads a yuan amount such as "99", "99.9", "99.90", "1,299.00" or "¥15" into fen exactly.
// More than two decimals is an error rather than a silent rounding.
func ParseYuan(s string) (int64, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimPrefix(strings.TrimPrefix(t, "¥"), "￥")
	t = strings.TrimSuffix(strings.TrimSuffix(t, "元"), "yuan")
	t = strings.ReplaceAll(strings.TrimSpace(t), ",", "")
	if t == "" {
		return 0, fmt.Errorf("%w: empty", ErrAmount)
	}
	if strings.HasPrefix(t, "-") {
		return 0, fmt.Errorf("%w %q: must not be negative", ErrAmount, s)
	}
	whole, frac, hasDot := strings.Cut(t, ".")
	if whole == "" || (hasDot && frac == "") {
		return 0, fmt.Errorf("%w %q: write it like 99.90", ErrAmount, s)
	}
	if len(frac) > 2 {
		return 0, fmt.Errorf("%w %q: more than two decimals (amounts are exact to the fen)", ErrAmount, s)
	}
	for _, part := range []string{whole, frac} {
		for _, c := range part {
			if c < '0' || c > '9' {
				return 0, fmt.Errorf("%w %q: not a number", ErrAmount, s)
			}
		}
	}
	if len(whole) > 12 {
		return 0, fmt.Errorf("%w %q: too large", ErrAmount, s)
	}
	y, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w %q: %v", ErrAmount, s, err)
	}
	f := int64(0)
	if frac != "" {
		f, _ = strconv.ParseInt(frac, 10, 64) // digits only, checked above
		if len(frac) == 1 {
			f *= 10
		}
	}
	fen := y*100 + f
	if fen > MaxFen {
		return 0, fmt.Errorf("%w %q: above the limit of %s yuan", ErrAmount, s, FormatYuan(MaxFen))
	}
	return fen, nil
}

// FormatYuan renders fen as yuan with two decimals: 150 -> "1.50", -5 -> "-0.05".
func FormatYuan(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	return fmt.Sprintf("%s%d.%02d", sign, fen/100, fen%100)
}
