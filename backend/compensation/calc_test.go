package compensation

import (
	"errors"
	"strings"
	"testing"
)

func TestParseYuan(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		err  bool
	}{
		{"0", 0, false}, {"99", 9900, false}, {"99.9", 9990, false}, {"99.90", 9990, false}, {"0.01", 1, false},
		{"1,299.00", 129900, false}, {"¥15", 1500, false}, {"15元", 1500, false}, {" 200.00 ", 20000, false},
		{"100000000", MaxFen, false}, {"100000000.01", 0, true},
		{"0.001", 0, true}, {"1.", 0, true}, {".5", 0, true}, {"-1", 0, true}, {"1e3", 0, true}, {"", 0, true},
		{"abc", 0, true}, {"1.2.3", 0, true}, {"9999999999999", 0, true}, {"+5", 0, true},
	}
	for _, tc := range tests {
		got, err := ParseYuan(tc.in)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("ParseYuan(%q) = %d, %v; want %d, err %v", tc.in, got, err, tc.want, tc.err)
		}
		if err != nil && !errors.Is(err, ErrAmount) {
			t.Errorf("ParseYuan(%q) error %v does not wrap ErrAmount", tc.in, err)
		}
	}
}

func FuzzParseYuan(f *testing.F) {
	for _, s := range []string{"99.90", "1,299", "¥0.01", "-3", "1.234", "100000000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fen, err := ParseYuan(s)
		if err != nil {
			return
		}
		if fen < 0 || fen > MaxFen {
			t.Fatalf("ParseYuan(%q) = %d out of range", s, fen)
		}
		// What FormatYuan prints must parse back to the same fen.
		if back, err := ParseYuan(FormatYuan(fen)); err != nil || back != fen {
			t.Fatalf("round trip of %q: %d -> %q -> %d, %v", s, fen, FormatYuan(fen), back, err)
		}
	})
}

func TestCalculateBoundaries(t *testing.T) {
	tests := []struct {
		rule        string
		price, loss int64
		want        int64
		basis       string
	}{
		// CPL 55: 3x price, at least 500 yuan. 166.66 x 3 = 499.98 < 500; 166.67 x 3 = 500.01.
		{RuleCPL55, 0, 0, 50000, "minimum"},
		{RuleCPL55, 1, 0, 50000, "minimum"},
		{RuleCPL55, 16666, 0, 50000, "minimum"},
		{RuleCPL55, 16667, 0, 50001, "3 x price 166.67"},
		{RuleCPL55, 16700, 0, 50100, "3 x price"},
		{RuleCPL55, 99999, 0, 299997, "3 x price 999.99 = 2999.97"},
		// FSL 148: max(10x price, 3x loss), at least 1,000 yuan.
		{RuleFSL148, 9999, 0, 100000, "minimum"},
		{RuleFSL148, 10000, 0, 100000, "10 x price 100.00"},
		{RuleFSL148, 10001, 0, 100010, "10 x price"},
		{RuleFSL148, 100, 33333, 100000, "minimum"},
		{RuleFSL148, 100, 33334, 100002, "3 x loss 333.34"},
		{RuleFSL148, 3000, 10000, 100000, "minimum"},      // 10 x 30.00 = 3 x 100.00 = 300, both under 1,000
		{RuleFSL148, 30000, 100000, 300000, "10 x price"}, // 10x price == 3x loss: price branch
		{RuleFSL148, 30000, 100001, 300003, "3 x loss"},
	}
	for _, tc := range tests {
		c, err := Calculate(tc.rule, tc.price, tc.loss)
		if err != nil {
			t.Fatalf("%s %d %d: %v", tc.rule, tc.price, tc.loss, err)
		}
		if c.AmountFen != tc.want || !strings.Contains(c.Basis, tc.basis) {
			t.Errorf("%s price %s loss %s = %s (%s); want %s (%s)", tc.rule, FormatYuan(tc.price), FormatYuan(tc.loss),
				FormatYuan(c.AmountFen), c.Basis, FormatYuan(tc.want), tc.basis)
		}
		if len(c.Exceptions) == 0 || c.BasisZH == "" || c.Law == "" {
			t.Errorf("%s: exceptions, Chinese basis and law must be filled: %+v", tc.rule, c)
		}
	}
}

func TestCalculateRejects(t *testing.T) {
	for _, tc := range []struct {
		rule        string
		price, loss int64
	}{
		{"cpl49", 100, 0}, {RuleCPL55, -1, 0}, {RuleCPL55, 100, 5}, {RuleFSL148, 100, -1}, {RuleFSL148, MaxFen + 1, 0},
	} {
		if _, err := Calculate(tc.rule, tc.price, tc.loss); err == nil {
			t.Errorf("Calculate(%s, %d, %d) accepted", tc.rule, tc.price, tc.loss)
		}
	}
	// The largest allowed inputs do not overflow.
	c, err := Calculate(RuleFSL148, MaxFen, MaxFen)
	if err != nil || c.AmountFen != 10*MaxFen {
		t.Fatalf("max inputs: %+v %v", c, err)
	}
}

func TestMaskText(t *testing.T) {
	for in, want := range map[string]string{
		"客户电话13812345678，要求退款":         "客户电话138****5678，要求退款",
		"ID 11010519491231002X please": "ID 11**************2X please",
		"order 202611250001234567890":  "order 202611250001234567890", // 21 digits: an order number, not an ID
		"no pii here":                  "no pii here",
	} {
		if got := MaskText(in); got != want {
			t.Errorf("MaskText(%q) = %q, want %q", in, got, want)
		}
	}
}
